// A minimal C face over RE2 so Swift can compile and match patterns with the
// same engine Envoy and Istio use (identical answers in validation and routing).
#ifndef SWIFTMESH_CRE2_H
#define SWIFTMESH_CRE2_H
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct swiftmesh_re2 swiftmesh_re2;

/// Compiles `pattern` (UTF-8, `length` bytes). On failure returns NULL and writes a
/// NUL-terminated message into `error` (at most `error_capacity` bytes).
swiftmesh_re2 *swiftmesh_re2_compile(const char *pattern, size_t length, char *error, size_t error_capacity);

/// 1 when the whole `text` matches, 0 otherwise.
int swiftmesh_re2_full_match(const swiftmesh_re2 *re, const char *text, size_t length);

/// Program size: Envoy rejects regexes above a configured program size.
int swiftmesh_re2_program_size(const swiftmesh_re2 *re);

void swiftmesh_re2_free(swiftmesh_re2 *re);

#ifdef __cplusplus
}
#endif
#endif
