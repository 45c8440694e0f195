// OpenSSL for the HTTP client's TLS (libssl-dev). The macros Swift cannot import are wrapped as static inline
// functions with a `ctgbot_` prefix.
#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

/// SSL_CTX_set_min_proto_version (a macro over SSL_CTX_ctrl).
static inline int ctgbot_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return SSL_CTX_set_min_proto_version(ctx, version);
}

/// SSL_set_tlsext_host_name (a macro over SSL_ctrl): the SNI name.
static inline int ctgbot_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return SSL_set_tlsext_host_name(ssl, name);
}

/// SSL_CTX_set_mode (a macro over SSL_CTX_ctrl).
static inline long ctgbot_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}

/// BIO_pending (a macro over BIO_ctrl): bytes waiting to be read from a BIO.
static inline int ctgbot_BIO_pending(BIO *bio) {
    return BIO_pending(bio);
}

/// BIO_set_mem_eof_return (a macro over BIO_ctrl): what reading an empty memory BIO returns; -1 makes it
/// "retry later" rather than end of stream.
static inline long ctgbot_BIO_set_mem_eof_return(BIO *bio, int value) {
    return BIO_set_mem_eof_return(bio, value);
}

#endif
