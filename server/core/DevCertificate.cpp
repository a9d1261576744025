// SPDX-License-Identifier: Apache-2.0
#include "server/core/DevCertificate.h"

#include <QDir>
#include <QFile>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace cinder::server {

namespace {

template <auto Free>
struct Deleter {
    template <typename T>
    void operator()(T* pointer) const {
        Free(pointer);
    }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;

QByteArray drain(BIO* bio) {
    QByteArray out(static_cast<qsizetype>(BIO_ctrl_pending(bio)), Qt::Uninitialized);
    const int read = BIO_read(bio, out.data(), static_cast<int>(out.size()));
    out.resize(read < 0 ? 0 : read);
    return out;
}

bool addExtension(X509* certificate, X509V3_CTX* context, int nid, const char* value) {
    const ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, context, nid, value));
    return extension && X509_add_ext(certificate, extension.get(), -1) == 1;
}

bool writeFile(const QString& path, const QByteArray& data, QFileDevice::Permissions permissions) {
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        return false;
    }
    // Restrict before any secret byte is written.
    return file.setPermissions(permissions) && file.write(data) == data.size() && file.flush();
}

} // namespace

QString generateDevCertificate(const QString& directory) {
    if (!QDir().mkpath(directory)) {
        return QStringLiteral("cannot create directory %1").arg(directory);
    }
    const PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    const X509Ptr certificate(X509_new());
    const BignumPtr serial(BN_new());
    if (!key || !certificate || !serial) {
        return QStringLiteral("key generation failed");
    }
    X509* x = certificate.get();
    bool ok = X509_set_version(x, X509_VERSION_3) == 1 &&
              BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1 &&
              BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(x)) != nullptr &&
              X509_gmtime_adj(X509_getm_notBefore(x), -3600) != nullptr &&
              X509_gmtime_adj(X509_getm_notAfter(x), 60L * 60 * 24 * kDevCertificateValidityDays) !=
                  nullptr &&
              X509_set_pubkey(x, key.get()) == 1;
    X509_NAME* name = X509_get_subject_name(x);
    const auto text = [](const char* value) {
        return reinterpret_cast<const unsigned char*>(value);
    };
    ok = ok &&
         X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, text("Cinder development"), -1, -1,
                                    0) == 1 &&
         X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, text("localhost"), -1, -1, 0) == 1 &&
         X509_set_issuer_name(x, name) == 1;
    X509V3_CTX context;
    X509V3_set_ctx(&context, x, x, nullptr, nullptr, 0);
    // No keyUsage: the certificate is its own trust anchor for pinning clients.
    ok = ok && addExtension(x, &context, NID_basic_constraints, "critical,CA:FALSE") &&
         addExtension(x, &context, NID_subject_key_identifier, "hash") &&
         addExtension(x, &context, NID_ext_key_usage, "serverAuth") &&
         addExtension(x, &context, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1") &&
         X509_sign(x, key.get(), EVP_sha256()) > 0;
    if (!ok) {
        return QStringLiteral("building the certificate failed");
    }
    const BioPtr certBio(BIO_new(BIO_s_mem()));
    const BioPtr keyBio(BIO_new(BIO_s_mem()));
    if (!certBio || !keyBio || PEM_write_bio_X509(certBio.get(), x) != 1 ||
        PEM_write_bio_PrivateKey(keyBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) !=
            1) {
        return QStringLiteral("encoding the certificate failed");
    }
    const QDir dir(directory);
    if (!writeFile(dir.filePath(QStringLiteral("key.pem")), drain(keyBio.get()),
                   QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        return QStringLiteral("cannot write %1").arg(dir.filePath(QStringLiteral("key.pem")));
    }
    if (!writeFile(dir.filePath(QStringLiteral("cert.pem")), drain(certBio.get()),
                   QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup |
                       QFileDevice::ReadOther)) {
        return QStringLiteral("cannot write %1").arg(dir.filePath(QStringLiteral("cert.pem")));
    }
    return {};
}

} // namespace cinder::server
