// The part of OpenSSL's libcrypto Reel uses: AES-128-CBC (with AES-NI) and HMAC-SHA256.
#ifndef REEL_COPENSSL_SHIM_H
#define REEL_COPENSSL_SHIM_H
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/err.h>
#endif
