#include "CProxyMallocCounter.h"
#include <stddef.h>
#include <stdlib.h>

#if defined(__linux__) && defined(__GLIBC__)
// glibc exports its allocator under these names too, so the wrappers can
// forward without dlsym (which itself allocates).
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);

static __thread int counting = 0;
static __thread long count = 0;

void *malloc(size_t size) {
    if (counting) count++;
    return __libc_malloc(size);
}

void *calloc(size_t n, size_t size) {
    if (counting) count++;
    return __libc_calloc(n, size);
}

void *realloc(void *pointer, size_t size) {
    if (counting) count++;
    return __libc_realloc(pointer, size);
}

void swiftmesh_malloc_counter_start(void) {
    count = 0;
    counting = 1;
}

long swiftmesh_malloc_counter_stop(void) {
    counting = 0;
    return count;
}

int swiftmesh_malloc_counter_available(void) { return 1; }
#else
void swiftmesh_malloc_counter_start(void) {}
long swiftmesh_malloc_counter_stop(void) { return 0; }
int swiftmesh_malloc_counter_available(void) { return 0; }
#endif
