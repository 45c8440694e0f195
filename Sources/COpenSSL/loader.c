// Loads libssl and libcrypto with dlopen on first use and forwards the ctgbot_ functions to them; see COpenSSL.h.
#include "COpenSSL.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define CTGBOT_STRINGIFY_(x) #x
#define CTGBOT_STRINGIFY(x) CTGBOT_STRINGIFY_(x)

// The soname of the libssl these headers describe: libssl.so.3 for OpenSSL 3 (1.1 has no OPENSSL_VERSION_MAJOR).
#if defined(__APPLE__)
#define CTGBOT_LIBSSL "libssl." CTGBOT_STRINGIFY(OPENSSL_VERSION_MAJOR) ".dylib"
#elif defined(OPENSSL_VERSION_MAJOR)
#define CTGBOT_LIBSSL "libssl.so." CTGBOT_STRINGIFY(OPENSSL_VERSION_MAJOR)
#else
#define CTGBOT_LIBSSL "libssl.so.1.1"
#endif

// Every forwarded function, typed from OpenSSL's own prototypes, so a wrong parameter list fails to compile.
static struct {
#define CTGBOT_FIELD(type, name, parameters, arguments) __typeof__(name) *name;
#define CTGBOT_VOID_FIELD(name, parameters, arguments) __typeof__(name) *name;
    CTGBOT_OPENSSL_FUNCTIONS(CTGBOT_FIELD)
    CTGBOT_OPENSSL_VOID_FUNCTIONS(CTGBOT_VOID_FIELD)
#undef CTGBOT_FIELD
#undef CTGBOT_VOID_FIELD
} functions;

static pthread_once_t loadOnce = PTHREAD_ONCE_INIT;
// Written only inside load() (under loadOnce), read only after pthread_once returned: no further locking needed.
static const char *loadError;
static char loadErrorText[512];

static void load(void) {
    // RTLD_LOCAL: the symbols stay out of the global scope, so nothing else in the process binds to them by
    // accident; dlsym on the handle searches libssl and then its dependencies (libcrypto).
    void *library = dlopen(CTGBOT_LIBSSL, RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        const char *reason = dlerror();
        snprintf(loadErrorText, sizeof loadErrorText, "cannot load OpenSSL (%s): %s", CTGBOT_LIBSSL,
                 reason != NULL ? reason : "unknown error");
        loadError = loadErrorText;
        return;
    }
#define CTGBOT_RESOLVE(name)                                                                                       \
    functions.name = (__typeof__(name) *)dlsym(library, #name);                                                 \
    if (functions.name == NULL) {                                                                                \
        snprintf(loadErrorText, sizeof loadErrorText, "cannot load OpenSSL: %s has no symbol %s", CTGBOT_LIBSSL, \
                 #name);                                                                                         \
        loadError = loadErrorText;                                                                               \
        return;                                                                                                  \
    }
#define CTGBOT_RESOLVE_FUNCTION(type, name, parameters, arguments) CTGBOT_RESOLVE(name)
#define CTGBOT_RESOLVE_VOID_FUNCTION(name, parameters, arguments) CTGBOT_RESOLVE(name)
    CTGBOT_OPENSSL_FUNCTIONS(CTGBOT_RESOLVE_FUNCTION)
    CTGBOT_OPENSSL_VOID_FUNCTIONS(CTGBOT_RESOLVE_VOID_FUNCTION)
#undef CTGBOT_RESOLVE_FUNCTION
#undef CTGBOT_RESOLVE_VOID_FUNCTION
#undef CTGBOT_RESOLVE
    // The library stays loaded for the life of the process (never dlclose'd): contexts and sessions outlive
    // any single caller.
}

const char *ctgbot_openssl_load(void) {
    pthread_once(&loadOnce, load);
    return loadError;
}

// A forwarded call before a successful load is a programming error: say so instead of jumping to NULL.
static inline void requireLoaded(void) {
    const char *error = ctgbot_openssl_load();
    if (error != NULL) {
        fprintf(stderr, "COpenSSL: OpenSSL function called without a loaded library: %s\n", error);
        abort();
    }
}

#define CTGBOT_DEFINE(type, name, parameters, arguments)                                                           \
    type ctgbot_##name parameters {                                                                              \
        requireLoaded();                                                                                         \
        return functions.name arguments;                                                                         \
    }
#define CTGBOT_DEFINE_VOID(name, parameters, arguments)                                                            \
    void ctgbot_##name parameters {                                                                              \
        requireLoaded();                                                                                         \
        functions.name arguments;                                                                                \
    }
CTGBOT_OPENSSL_FUNCTIONS(CTGBOT_DEFINE)
CTGBOT_OPENSSL_VOID_FUNCTIONS(CTGBOT_DEFINE_VOID)
