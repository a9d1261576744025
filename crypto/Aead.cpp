// SPDX-License-Identifier: Apache-2.0
#include "crypto/Aead.h"

#include <openssl/evp.h>

#include <climits>
#include <cstring>
#include <utility>

namespace cinder::crypto {

namespace {
EVP_CIPHER* fetchedAes256Gcm() {
    static EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
    return cipher;
}

bool fitsInt(std::size_t n) {
    return n <= static_cast<std::size_t>(INT_MAX);
}
} // namespace

struct AeadContext::Contexts {
    EVP_CIPHER_CTX* encrypt = nullptr;
    EVP_CIPHER_CTX* decrypt = nullptr;
    ~Contexts() {
        EVP_CIPHER_CTX_free(encrypt);
        EVP_CIPHER_CTX_free(decrypt);
    }
};

Result<AeadContext, AeadError> AeadContext::create(ByteView key) {
    if (key.size() != kSymmetricKeySize) {
        return fail(AeadError::WrongKeyLength);
    }
    EVP_CIPHER* cipher = fetchedAes256Gcm();
    if (cipher == nullptr) {
        return fail(AeadError::BackendFailure);
    }
    auto* contexts = new Contexts;
    contexts->encrypt = EVP_CIPHER_CTX_new();
    contexts->decrypt = EVP_CIPHER_CTX_new();
    // The key schedule is computed once here; each seal/open only sets the nonce.
    if (contexts->encrypt == nullptr || contexts->decrypt == nullptr ||
        EVP_EncryptInit_ex2(contexts->encrypt, cipher, key.data(), nullptr, nullptr) != 1 ||
        EVP_DecryptInit_ex2(contexts->decrypt, cipher, key.data(), nullptr, nullptr) != 1) {
        delete contexts;
        return fail(AeadError::BackendFailure);
    }
    return AeadContext(contexts);
}

AeadContext::AeadContext(AeadContext&& other) noexcept
    : m_contexts(std::exchange(other.m_contexts, nullptr)) {}

AeadContext& AeadContext::operator=(AeadContext&& other) noexcept {
    if (this != &other) {
        delete m_contexts;
        m_contexts = std::exchange(other.m_contexts, nullptr);
    }
    return *this;
}

AeadContext::~AeadContext() {
    delete m_contexts; // EVP_CIPHER_CTX_free wipes the key schedule
}

Result<void, AeadError> AeadContext::seal(const Nonce& nonce, ByteView aad, ByteView plaintext,
                                          std::span<std::uint8_t> out) {
    if (out.size() != plaintext.size() + kTagSize || !fitsInt(plaintext.size()) ||
        !fitsInt(aad.size())) {
        return fail(AeadError::BackendFailure);
    }
    EVP_CIPHER_CTX* ctx = m_contexts->encrypt;
    int length = 0;
    if (EVP_EncryptInit_ex2(ctx, nullptr, nullptr, nonce.data(), nullptr) != 1) {
        return fail(AeadError::BackendFailure);
    }
    if (!aad.empty() &&
        EVP_EncryptUpdate(ctx, nullptr, &length, aad.data(), static_cast<int>(aad.size())) != 1) {
        return fail(AeadError::BackendFailure);
    }
    if (!plaintext.empty() && EVP_EncryptUpdate(ctx, out.data(), &length, plaintext.data(),
                                                static_cast<int>(plaintext.size())) != 1) {
        return fail(AeadError::BackendFailure);
    }
    if (EVP_EncryptFinal_ex(ctx, out.data() + plaintext.size(), &length) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagSize),
                            out.data() + plaintext.size()) != 1) {
        return fail(AeadError::BackendFailure);
    }
    return {};
}

Result<void, AeadError> AeadContext::open(const Nonce& nonce, ByteView aad, ByteView input,
                                          std::span<std::uint8_t> out) {
    if (input.size() < kTagSize) {
        return fail(AeadError::Truncated);
    }
    const std::size_t ciphertextSize = input.size() - kTagSize;
    if (out.size() != ciphertextSize || !fitsInt(ciphertextSize) || !fitsInt(aad.size())) {
        return fail(AeadError::BackendFailure);
    }
    EVP_CIPHER_CTX* ctx = m_contexts->decrypt;
    int length = 0;
    std::array<std::uint8_t, kTagSize> tag{};
    std::memcpy(tag.data(), input.data() + ciphertextSize, kTagSize);
    if (EVP_DecryptInit_ex2(ctx, nullptr, nullptr, nonce.data(), nullptr) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagSize), tag.data()) !=
            1) {
        return fail(AeadError::BackendFailure);
    }
    if (!aad.empty() &&
        EVP_DecryptUpdate(ctx, nullptr, &length, aad.data(), static_cast<int>(aad.size())) != 1) {
        return fail(AeadError::BackendFailure);
    }
    if (ciphertextSize > 0 && EVP_DecryptUpdate(ctx, out.data(), &length, input.data(),
                                                static_cast<int>(ciphertextSize)) != 1) {
        return fail(AeadError::BackendFailure);
    }
    if (EVP_DecryptFinal_ex(ctx, out.data() + ciphertextSize, &length) != 1) {
        secureWipe(out.data(), out.size()); // never hand out unauthenticated plaintext
        return fail(AeadError::AuthenticationFailed);
    }
    return {};
}

Result<Bytes, AeadError> aeadSeal(ByteView key, ByteView aad, ByteView plaintext,
                                  RandomSource& random) {
    CINDER_TRY_ASSIGN(auto context, AeadContext::create(key));
    Nonce nonce{};
    random.fill(nonce);
    Bytes out(kNonceSize + plaintext.size() + kTagSize);
    std::memcpy(out.data(), nonce.data(), kNonceSize);
    CINDER_TRY(context.seal(nonce, aad, plaintext, std::span(out).subspan(kNonceSize)));
    return out;
}

namespace {
template <typename Buffer>
Result<Buffer, AeadError> openInto(ByteView key, ByteView aad, ByteView sealed) {
    if (sealed.size() < kSealOverhead) {
        return fail(AeadError::Truncated);
    }
    CINDER_TRY_ASSIGN(auto context, AeadContext::create(key));
    Nonce nonce{};
    std::memcpy(nonce.data(), sealed.data(), kNonceSize);
    Buffer out(sealed.size() - kSealOverhead);
    CINDER_TRY(context.open(nonce, aad, sealed.subspan(kNonceSize),
                            std::span<std::uint8_t>(out.data(), out.size())));
    return out;
}
} // namespace

Result<Bytes, AeadError> aeadOpen(ByteView key, ByteView aad, ByteView sealed) {
    return openInto<Bytes>(key, aad, sealed);
}

Result<SecureBuffer, AeadError> aeadOpenSecret(ByteView key, ByteView aad, ByteView sealed) {
    return openInto<SecureBuffer>(key, aad, sealed);
}

} // namespace cinder::crypto
