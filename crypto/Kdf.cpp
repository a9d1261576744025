// SPDX-License-Identifier: Apache-2.0
#include "crypto/Kdf.h"

#include <libscrypt.h>
#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

namespace cinder::crypto {

namespace {
EVP_KDF* fetchedHkdf() {
    static EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
    return kdf;
}
} // namespace

Result<SecureBuffer, CryptoError> hkdfSha256(ByteView keyMaterial, std::string_view info,
                                             std::size_t length, ByteView salt) {
    if (length == 0 || length > 255 * 32) {
        return fail(CryptoError::InvalidArgument);
    }
    EVP_KDF* kdf = fetchedHkdf();
    if (kdf == nullptr) {
        return fail(CryptoError::BackendFailure);
    }
    EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
    if (ctx == nullptr) {
        return fail(CryptoError::BackendFailure);
    }
    char digestName[] = "SHA2-256";
    // OSSL_PARAM wants non-const pointers although it does not write through them.
    auto* ikm = const_cast<std::uint8_t*>(keyMaterial.data());
    auto* infoBytes = const_cast<char*>(info.data());
    auto* saltBytes = const_cast<std::uint8_t*>(salt.data());
    OSSL_PARAM params[5];
    std::size_t n = 0;
    params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digestName, 0);
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, ikm, keyMaterial.size());
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, infoBytes, info.size());
    if (!salt.empty()) {
        params[n++] =
            OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, saltBytes, salt.size());
    }
    params[n] = OSSL_PARAM_construct_end();

    SecureBuffer out(length);
    const int rc = EVP_KDF_derive(ctx, out.data(), out.size(), params);
    EVP_KDF_CTX_free(ctx);
    if (rc != 1) {
        return fail(CryptoError::BackendFailure);
    }
    return out;
}

bool scryptCostInBounds(const ScryptCost& cost) {
    if (cost.log2N < kScryptMinLog2N || cost.log2N > kScryptMaxLog2N || cost.r < 1 ||
        cost.r > kScryptMaxR || cost.p < 1 || cost.p > kScryptMaxP) {
        return false;
    }
    return std::uint64_t{128} * cost.r * (std::uint64_t{1} << cost.log2N) <= kScryptMaxMemoryBytes;
}

Result<SecureBuffer, CryptoError> scrypt(ByteView passphrase, ByteView salt, const ScryptCost& cost,
                                         std::size_t length) {
    if (!scryptCostInBounds(cost) || salt.empty() || length == 0) {
        return fail(CryptoError::InvalidArgument);
    }
    SecureBuffer out(length);
    const int rc =
        libscrypt_scrypt(passphrase.data(), passphrase.size(), salt.data(), salt.size(),
                         std::uint64_t{1} << cost.log2N, cost.r, cost.p, out.data(), out.size());
    if (rc != 0) {
        return fail(CryptoError::BackendFailure);
    }
    return out;
}

} // namespace cinder::crypto
