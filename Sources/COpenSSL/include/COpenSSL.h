// OpenSSL for the HTTP client's TLS (libssl-dev), loaded on first use.
//
// The daemon does not link libssl and libcrypto: the loader maps them with `dlopen` the first time a TLS context
// is built, so a daemon that never speaks https (a local Bot API server over http, or demo mode) never maps
// them. Mapping and relocating libcrypto alone costs about 1.4 MB of resident memory.
//
// Swift code calls OpenSSL only through the `ctgbot_` functions declared here, each of which forwards to the
// function of the same name in the loaded library; the OpenSSL headers still supply the types and constants.
// Calling OpenSSL's own names directly fails at link time, because nothing links the libraries.
// ctgbot_openssl_load() must have succeeded before any other ctgbot_ function is called; one that is called
// anyway aborts with the loader's error.
#ifndef COPENSSL_H
#define COPENSSL_H

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

/// Loads libssl and libcrypto (once per process) and resolves every function below.
///
/// Returns NULL on success, else a description of what failed (the library that could not be opened or the
/// symbol it lacks); the same answer on every call. Thread-safe.
const char *ctgbot_openssl_load(void);

/// The functions forwarded to the loaded library: X(return type, name, parameter list, argument list).
#define CTGBOT_OPENSSL_FUNCTIONS(X)                                                                               \
    X(const SSL_METHOD *, TLS_client_method, (void), ())                                                          \
    X(const SSL_METHOD *, TLS_server_method, (void), ())                                                          \
    X(SSL_CTX *, SSL_CTX_new, (const SSL_METHOD *method), (method))                                               \
    X(long, SSL_CTX_ctrl, (SSL_CTX *ctx, int cmd, long larg, void *parg), (ctx, cmd, larg, parg))                 \
    X(int, SSL_CTX_set_default_verify_paths, (SSL_CTX *ctx), (ctx))                                               \
    X(int, SSL_CTX_load_verify_locations, (SSL_CTX *ctx, const char *file, const char *path), (ctx, file, path))  \
    X(int, SSL_CTX_set_alpn_protos, (SSL_CTX *ctx, const unsigned char *protos, unsigned int length),            \
      (ctx, protos, length))                                                                                      \
    X(int, SSL_CTX_use_certificate_chain_file, (SSL_CTX *ctx, const char *file), (ctx, file))                     \
    X(int, SSL_CTX_use_PrivateKey_file, (SSL_CTX *ctx, const char *file, int type), (ctx, file, type))            \
    X(SSL *, SSL_new, (SSL_CTX *ctx), (ctx))                                                                      \
    X(long, SSL_ctrl, (SSL *ssl, int cmd, long larg, void *parg), (ssl, cmd, larg, parg))                         \
    X(int, SSL_set1_host, (SSL *ssl, const char *hostname), (ssl, hostname))                                      \
    X(int, SSL_set_fd, (SSL *ssl, int fd), (ssl, fd))                                                             \
    X(int, SSL_do_handshake, (SSL *ssl), (ssl))                                                                   \
    X(int, SSL_accept, (SSL *ssl), (ssl))                                                                         \
    X(int, SSL_read, (SSL *ssl, void *buffer, int count), (ssl, buffer, count))                                   \
    X(int, SSL_write, (SSL *ssl, const void *buffer, int count), (ssl, buffer, count))                            \
    X(int, SSL_shutdown, (SSL *ssl), (ssl))                                                                       \
    X(int, SSL_get_error, (const SSL *ssl, int result), (ssl, result))                                            \
    X(long, SSL_get_verify_result, (const SSL *ssl), (ssl))                                                       \
    X(const char *, SSL_get_servername, (const SSL *ssl, const int type), (ssl, type))                            \
    X(const BIO_METHOD *, BIO_s_mem, (void), ())                                                                  \
    X(BIO *, BIO_new, (const BIO_METHOD *type), (type))                                                           \
    X(int, BIO_free, (BIO *bio), (bio))                                                                           \
    X(long, BIO_ctrl, (BIO *bio, int cmd, long larg, void *parg), (bio, cmd, larg, parg))                         \
    X(int, BIO_read, (BIO *bio, void *data, int length), (bio, data, length))                                     \
    X(int, BIO_write, (BIO *bio, const void *data, int length), (bio, data, length))                              \
    X(unsigned long, ERR_get_error, (void), ())                                                                   \
    X(const char *, ERR_reason_error_string, (unsigned long code), (code))                                        \
    X(const char *, X509_verify_cert_error_string, (long code), (code))

/// The forwarded functions that return nothing: X(name, parameter list, argument list).
#define CTGBOT_OPENSSL_VOID_FUNCTIONS(X)                                                                          \
    X(SSL_CTX_free, (SSL_CTX *ctx), (ctx))                                                                        \
    X(SSL_CTX_set_verify, (SSL_CTX *ctx, int mode, SSL_verify_cb callback), (ctx, mode, callback))                \
    X(SSL_free, (SSL *ssl), (ssl))                                                                                \
    X(SSL_set_bio, (SSL *ssl, BIO *readBIO, BIO *writeBIO), (ssl, readBIO, writeBIO))                             \
    X(SSL_set_connect_state, (SSL *ssl), (ssl))                                                                   \
    X(ERR_clear_error, (void), ())                                                                                \
    X(ERR_error_string_n, (unsigned long code, char *buffer, size_t length), (code, buffer, length))

#define CTGBOT_DECLARE(type, name, parameters, arguments) type ctgbot_##name parameters;
#define CTGBOT_DECLARE_VOID(name, parameters, arguments) void ctgbot_##name parameters;
CTGBOT_OPENSSL_FUNCTIONS(CTGBOT_DECLARE)
CTGBOT_OPENSSL_VOID_FUNCTIONS(CTGBOT_DECLARE_VOID)
#undef CTGBOT_DECLARE
#undef CTGBOT_DECLARE_VOID

/// SSL_CTX_set_min_proto_version (a macro over SSL_CTX_ctrl).
static inline int ctgbot_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)ctgbot_SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION, version, NULL);
}

/// SSL_set_tlsext_host_name (a macro over SSL_ctrl): the SNI name.
static inline int ctgbot_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return (int)ctgbot_SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, (void *)name);
}

/// SSL_CTX_set_mode (a macro over SSL_CTX_ctrl).
static inline long ctgbot_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) {
    return ctgbot_SSL_CTX_ctrl(ctx, SSL_CTRL_MODE, mode, NULL);
}

/// BIO_pending (a macro over BIO_ctrl): bytes waiting to be read from a BIO.
static inline int ctgbot_BIO_pending(BIO *bio) {
    return (int)ctgbot_BIO_ctrl(bio, BIO_CTRL_PENDING, 0, NULL);
}

/// BIO_set_mem_eof_return (a macro over BIO_ctrl): what reading an empty memory BIO returns; -1 makes it
/// "retry later" rather than end of stream.
static inline long ctgbot_BIO_set_mem_eof_return(BIO *bio, int value) {
    return ctgbot_BIO_ctrl(bio, BIO_C_SET_BUF_MEM_EOF_RETURN, value, NULL);
}

#endif
