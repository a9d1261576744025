// SPDX-License-Identifier: Apache-2.0
#include "crypto/EcKeys.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <cstring>

namespace cinder::crypto {

namespace {

constexpr char kGroupName[] = "P-521";
constexpr unsigned char kUncompressedPoint = 0x04;

struct BnDeleter {
    void operator()(BIGNUM* bn) const { BN_clear_free(bn); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnDeleter>;

struct CtxDeleter {
    void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, CtxDeleter>;

struct MdCtxDeleter {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

struct ParamBldDeleter {
    void operator()(OSSL_PARAM_BLD* bld) const { OSSL_PARAM_BLD_free(bld); }
};
struct ParamDeleter {
    void operator()(OSSL_PARAM* params) const { OSSL_PARAM_free(params); }
};
struct SigDeleter {
    void operator()(ECDSA_SIG* sig) const { ECDSA_SIG_free(sig); }
};

std::shared_ptr<EVP_PKEY> sharedKey(EVP_PKEY* key) {
    return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

// The order n of P-521 and n/2, for the range and low-s checks (SEC 2, section 2.6.1).
struct GroupOrder {
    BnPtr n;
    BnPtr half;
    GroupOrder() {
        BIGNUM* order = nullptr;
        BN_hex2bn(&order, "01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
                          "FA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409");
        n.reset(order);
        half.reset(BN_new());
        BN_rshift1(half.get(), n.get());
    }
};

const GroupOrder& groupOrder() {
    static const GroupOrder order;
    return order;
}

EVP_PKEY* keyFromParams(int selection, ByteView publicKey, const BIGNUM* scalar) {
    std::unique_ptr<OSSL_PARAM_BLD, ParamBldDeleter> builder(OSSL_PARAM_BLD_new());
    if (!builder ||
        OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, kGroupName, 0) !=
            1 ||
        OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, publicKey.data(),
                                         publicKey.size()) != 1) {
        return nullptr;
    }
    if (scalar != nullptr &&
        OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_PRIV_KEY, scalar) != 1) {
        return nullptr;
    }
    std::unique_ptr<OSSL_PARAM, ParamDeleter> params(OSSL_PARAM_BLD_to_param(builder.get()));
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) {
        return nullptr;
    }
    EVP_PKEY* key = nullptr;
    if (EVP_PKEY_fromdata(ctx.get(), &key, selection, params.get()) != 1) {
        return nullptr;
    }
    return key;
}

} // namespace

Result<PublicKey, KeyError> PublicKey::fromBytes(ByteView encoded) {
    if (encoded.size() != kPublicKeySize) {
        return fail(KeyError::WrongLength);
    }
    if (encoded[0] != kUncompressedPoint) {
        return fail(KeyError::BadEncoding);
    }
    // fromdata rejects coordinates >= p and points off the curve; the quick check rejects
    // the point at infinity. With cofactor 1 every other point has prime order n.
    auto key = sharedKey(keyFromParams(EVP_PKEY_PUBLIC_KEY, encoded, nullptr));
    if (!key) {
        return fail(KeyError::NotOnCurve);
    }
    PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
    if (!check) {
        return fail(KeyError::BackendFailure);
    }
    if (EVP_PKEY_public_check_quick(check.get()) != 1) {
        return fail(KeyError::NotOnCurve);
    }
    return PublicKey(std::move(key), toBytes(encoded));
}

Result<void, SignatureError> PublicKey::verify(const Transcript& signedData,
                                               ByteView signature) const {
    if (signature.size() != kSignatureSize) {
        return fail(SignatureError::WrongLength);
    }
    const GroupOrder& order = groupOrder();
    BnPtr r(BN_bin2bn(signature.data(), static_cast<int>(kFieldElementSize), nullptr));
    BnPtr s(BN_bin2bn(signature.data() + kFieldElementSize, static_cast<int>(kFieldElementSize),
                      nullptr));
    if (!r || !s) {
        return fail(SignatureError::BackendFailure);
    }
    if (BN_is_zero(r.get()) || BN_is_zero(s.get()) || BN_cmp(r.get(), order.n.get()) >= 0 ||
        BN_cmp(s.get(), order.n.get()) >= 0) {
        return fail(SignatureError::OutOfRange);
    }
    if (BN_cmp(s.get(), order.half.get()) > 0) {
        return fail(SignatureError::HighS);
    }
    std::unique_ptr<ECDSA_SIG, SigDeleter> sig(ECDSA_SIG_new());
    if (!sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) {
        return fail(SignatureError::BackendFailure);
    }
    r.release(); // owned by sig now
    s.release();
    unsigned char* der = nullptr;
    const int derLength = i2d_ECDSA_SIG(sig.get(), &der);
    if (derLength <= 0) {
        return fail(SignatureError::BackendFailure);
    }
    MdCtxPtr md(EVP_MD_CTX_new());
    int rc = -1;
    if (md && EVP_DigestVerifyInit_ex(md.get(), nullptr, "SHA2-512", nullptr, nullptr, m_key.get(),
                                      nullptr) == 1) {
        const ByteView data = signedData.view();
        rc = EVP_DigestVerify(md.get(), der, static_cast<std::size_t>(derLength), data.data(),
                              data.size());
    }
    OPENSSL_free(der);
    if (rc == 1) {
        return {};
    }
    return fail(rc == 0 ? SignatureError::Invalid : SignatureError::Invalid);
}

Result<KeyPair, KeyError> KeyPair::generate() {
    auto key = sharedKey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", kGroupName));
    if (!key) {
        return fail(KeyError::BackendFailure);
    }
    std::array<unsigned char, kPublicKeySize> encoded{};
    std::size_t length = 0;
    if (EVP_PKEY_get_octet_string_param(key.get(), OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                        encoded.data(), encoded.size(), &length) != 1 ||
        length != kPublicKeySize) {
        return fail(KeyError::BackendFailure);
    }
    CINDER_TRY_ASSIGN(auto publicKey, PublicKey::fromBytes(encoded));
    return KeyPair(std::move(key), std::move(publicKey));
}

Result<KeyPair, KeyError> KeyPair::fromPrivate(ByteView scalar, ByteView publicKey) {
    if (scalar.size() != kPrivateKeySize) {
        return fail(KeyError::WrongLength);
    }
    CINDER_TRY_ASSIGN(auto parsedPublic, PublicKey::fromBytes(publicKey));
    BnPtr d(BN_secure_new());
    if (!d || BN_bin2bn(scalar.data(), static_cast<int>(scalar.size()), d.get()) == nullptr) {
        return fail(KeyError::BackendFailure);
    }
    if (BN_is_zero(d.get()) || BN_cmp(d.get(), groupOrder().n.get()) >= 0) {
        return fail(KeyError::InvalidScalar);
    }
    auto key = sharedKey(keyFromParams(EVP_PKEY_KEYPAIR, publicKey, d.get()));
    if (!key) {
        return fail(KeyError::BackendFailure);
    }
    PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
    if (!check) {
        return fail(KeyError::BackendFailure);
    }
    if (EVP_PKEY_pairwise_check(check.get()) != 1) {
        return fail(KeyError::KeyMismatch);
    }
    return KeyPair(std::move(key), std::move(parsedPublic));
}

Result<SecureBuffer, KeyError> KeyPair::exportPrivate() const {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(m_private.get(), OSSL_PKEY_PARAM_PRIV_KEY, &raw) != 1) {
        return fail(KeyError::BackendFailure);
    }
    BnPtr d(raw);
    SecureBuffer out(kPrivateKeySize);
    if (BN_bn2binpad(d.get(), out.data(), static_cast<int>(out.size())) !=
        static_cast<int>(kPrivateKeySize)) {
        return fail(KeyError::BackendFailure);
    }
    return out;
}

Result<Signature, CryptoError> KeyPair::sign(const Transcript& signedData) const {
    MdCtxPtr md(EVP_MD_CTX_new());
    if (!md || EVP_DigestSignInit_ex(md.get(), nullptr, "SHA2-512", nullptr, nullptr,
                                     m_private.get(), nullptr) != 1) {
        return fail(CryptoError::BackendFailure);
    }
    const ByteView data = signedData.view();
    std::array<unsigned char, 160> der{}; // max DER size of a P-521 ECDSA signature is 139
    std::size_t derLength = der.size();
    if (EVP_DigestSign(md.get(), der.data(), &derLength, data.data(), data.size()) != 1) {
        return fail(CryptoError::BackendFailure);
    }
    const unsigned char* cursor = der.data();
    std::unique_ptr<ECDSA_SIG, SigDeleter> sig(
        d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(derLength)));
    if (!sig) {
        return fail(CryptoError::BackendFailure);
    }
    const BIGNUM* r = ECDSA_SIG_get0_r(sig.get());
    const BIGNUM* s = ECDSA_SIG_get0_s(sig.get());
    BnPtr lowS(BN_dup(s));
    if (!lowS) {
        return fail(CryptoError::BackendFailure);
    }
    const GroupOrder& order = groupOrder();
    if (BN_cmp(lowS.get(), order.half.get()) > 0 &&
        BN_sub(lowS.get(), order.n.get(), s) != 1) { // (r, n - s) verifies too
        return fail(CryptoError::BackendFailure);
    }
    Signature out{};
    if (BN_bn2binpad(r, out.data(), static_cast<int>(kFieldElementSize)) !=
            static_cast<int>(kFieldElementSize) ||
        BN_bn2binpad(lowS.get(), out.data() + kFieldElementSize,
                     static_cast<int>(kFieldElementSize)) != static_cast<int>(kFieldElementSize)) {
        return fail(CryptoError::BackendFailure);
    }
    return out;
}

Result<SecureBuffer, CryptoError> KeyPair::agree(const PublicKey& peer) const {
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, m_private.get(), nullptr));
    if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 ||
        EVP_PKEY_derive_set_peer_ex(ctx.get(), peer.handle(), /*validate_peer=*/0) != 1) {
        return fail(CryptoError::BackendFailure);
    }
    SecureBuffer secret(kSharedSecretSize);
    std::size_t length = secret.size();
    if (EVP_PKEY_derive(ctx.get(), secret.data(), &length) != 1 || length != kSharedSecretSize) {
        return fail(CryptoError::BackendFailure);
    }
    return secret;
}

std::string KeyPair::describe() const {
    return "KeyPair(P-521, public " + toHex(ByteView(m_public.bytes()).subspan(1, 8)) +
           "…, private redacted)";
}

} // namespace cinder::crypto
