// Counts heap allocations made by the calling thread, for allocation-regression
// tests of the proxy's forwarding path. Linking this target replaces malloc,
// calloc and realloc in the test executable with thin wrappers over glibc's
// own entry points; counting is off until a thread turns it on.
#ifndef SWIFTMESH_PROXY_MALLOC_COUNTER_H
#define SWIFTMESH_PROXY_MALLOC_COUNTER_H

#ifdef __cplusplus
extern "C" {
#endif

/// Starts counting this thread's allocations from zero.
void swiftmesh_malloc_counter_start(void);

/// Stops counting and returns how many allocations this thread made since start.
long swiftmesh_malloc_counter_stop(void);

/// 1 when the wrappers are active (glibc), 0 when counting is unavailable.
int swiftmesh_malloc_counter_available(void);

#ifdef __cplusplus
}
#endif
#endif
