#include "CRE2.h"
#include <re2/re2.h>
#include <cstring>
#include <string>

struct swiftmesh_re2 {
    re2::RE2 *re;
};

extern "C" swiftmesh_re2 *swiftmesh_re2_compile(const char *pattern, size_t length, char *error, size_t error_capacity) {
    re2::RE2::Options options;
    options.set_log_errors(false);
    auto *re = new re2::RE2(re2::StringPiece(pattern, length), options);
    if (!re->ok()) {
        if (error && error_capacity > 0) {
            const std::string &message = re->error();
            size_t n = message.size() < error_capacity - 1 ? message.size() : error_capacity - 1;
            std::memcpy(error, message.data(), n);
            error[n] = 0;
        }
        delete re;
        return nullptr;
    }
    return new swiftmesh_re2{re};
}

extern "C" int swiftmesh_re2_full_match(const swiftmesh_re2 *re, const char *text, size_t length) {
    return re2::RE2::FullMatch(re2::StringPiece(text, length), *re->re) ? 1 : 0;
}

extern "C" int swiftmesh_re2_program_size(const swiftmesh_re2 *re) {
    return re->re->ProgramSize();
}

extern "C" void swiftmesh_re2_free(swiftmesh_re2 *re) {
    if (re) {
        delete re->re;
        delete re;
    }
}
