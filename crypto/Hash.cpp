// SPDX-License-Identifier: Apache-2.0
#include "crypto/Hash.h"

#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>

namespace cinder::crypto {

namespace {
[[noreturn]] void digestFailed() {
    // Hashing fixed-size inputs with a fetched digest fails only when memory runs out.
    std::fputs("cinder: digest failed; aborting\n", stderr);
    std::abort();
}

const EVP_MD* fetchedSha256() {
    static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
    return md;
}

const EVP_MD* fetchedSha512() {
    static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA2-512", nullptr);
    return md;
}

template <typename Digest>
Digest digest(const EVP_MD* md, ByteView data) {
    Digest out{};
    unsigned int length = 0;
    if (md == nullptr ||
        EVP_Digest(data.data(), data.size(), out.data(), &length, md, nullptr) != 1 ||
        length != out.size()) {
        digestFailed();
    }
    return out;
}
} // namespace

Sha256Digest sha256(ByteView data) {
    return digest<Sha256Digest>(fetchedSha256(), data);
}

Sha512Digest sha512(ByteView data) {
    return digest<Sha512Digest>(fetchedSha512(), data);
}

struct Sha256Stream::State {
    EVP_MD_CTX* ctx = nullptr;
};

Sha256Stream::Sha256Stream() : m_state(new State) {
    m_state->ctx = EVP_MD_CTX_new();
    if (m_state->ctx == nullptr || EVP_DigestInit_ex(m_state->ctx, fetchedSha256(), nullptr) != 1) {
        digestFailed();
    }
}

Sha256Stream::~Sha256Stream() {
    EVP_MD_CTX_free(m_state->ctx);
    delete m_state;
}

void Sha256Stream::update(ByteView data) {
    if (EVP_DigestUpdate(m_state->ctx, data.data(), data.size()) != 1) {
        digestFailed();
    }
}

Sha256Digest Sha256Stream::finish() {
    Sha256Digest out{};
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(m_state->ctx, out.data(), &length) != 1 || length != out.size()) {
        digestFailed();
    }
    return out;
}

} // namespace cinder::crypto
