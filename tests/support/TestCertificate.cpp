// SPDX-License-Identifier: Apache-2.0
#include "tests/support/TestCertificate.h"

#include <QCryptographicHash>
#include <QFile>
#include <QHostAddress>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace cinder::test {

namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

QByteArray drain(BIO* bio) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return size > 0 ? QByteArray(data, static_cast<qsizetype>(size)) : QByteArray();
}

bool addExtension(X509* certificate, X509* issuer, int nid, const QByteArray& value) {
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.constData());
    if (!extension)
        return false;
    const bool ok = X509_add_ext(certificate, extension, -1) == 1;
    X509_EXTENSION_free(extension);
    return ok;
}

QByteArray subjectAltNames(const QStringList& names) {
    QStringList parts;
    for (const QString& name : names)
        parts << (QHostAddress(name).isNull() ? QStringLiteral("DNS:") : QStringLiteral("IP:")) +
                     name;
    return parts.join(u',').toLatin1();
}

// Builds and signs a certificate; `issuer`/`issuerKey` null means self-signed.
bool build(const QString& commonName, const QStringList& names, bool isCa, X509* issuer,
           EVP_PKEY* issuerKey, KeyPtr& keyOut, CertPtr& certOut) {
    KeyPtr key(EVP_EC_gen("P-256"));
    CertPtr certificate(X509_new());
    if (!key || !certificate)
        return false;
    X509_set_version(certificate.get(), 2);
    // A random positive 120-bit serial, so two runs never reuse one.
    BIGNUM* serial = BN_new();
    BN_rand(serial, 120, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY);
    BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(certificate.get()));
    BN_free(serial);
    X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 24 * 3600);
    X509_set_pubkey(certificate.get(), key.get());
    X509_NAME* subject = X509_get_subject_name(certificate.get());
    const QByteArray cn = commonName.toUtf8();
    X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(cn.constData()), -1, -1, 0);
    X509* signer = issuer ? issuer : certificate.get();
    EVP_PKEY* signerKey = issuerKey ? issuerKey : key.get();
    X509_set_issuer_name(certificate.get(), X509_get_subject_name(signer));
    bool ok = true;
    if (isCa) {
        ok = ok &&
             addExtension(certificate.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
        ok = ok &&
             addExtension(certificate.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        ok = ok && addExtension(certificate.get(), signer, NID_basic_constraints, "CA:FALSE");
        ok = ok && addExtension(certificate.get(), signer, NID_ext_key_usage, "serverAuth");
        if (!names.isEmpty())
            ok = ok && addExtension(certificate.get(), signer, NID_subject_alt_name,
                                    subjectAltNames(names));
    }
    ok = ok && addExtension(certificate.get(), signer, NID_subject_key_identifier, "hash");
    ok = ok && X509_sign(certificate.get(), signerKey, EVP_sha256()) > 0;
    if (!ok)
        return false;
    keyOut = std::move(key);
    certOut = std::move(certificate);
    return true;
}

} // namespace

namespace {

void fromObjects(EVP_PKEY* key, X509* certificate, QByteArray& certPem, QByteArray& keyPem) {
    BioPtr certBio(BIO_new(BIO_s_mem()));
    BioPtr keyBio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(certBio.get(), certificate);
    PEM_write_bio_PrivateKey(keyBio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    certPem = drain(certBio.get());
    keyPem = drain(keyBio.get());
}

} // namespace

QStringList TestCertificate::loopbackNames() {
    return {QStringLiteral("localhost"), QStringLiteral("127.0.0.1"), QStringLiteral("::1")};
}

TestCertificate TestCertificate::selfSigned(const QString& commonName, const QStringList& names) {
    TestCertificate result;
    KeyPtr key;
    CertPtr certificate;
    if (build(commonName, names, false, nullptr, nullptr, key, certificate))
        fromObjects(key.get(), certificate.get(), result.m_certificatePem, result.m_privateKeyPem);
    return result;
}

TestCertificate TestCertificate::authority(const QString& commonName) {
    TestCertificate result;
    KeyPtr key;
    CertPtr certificate;
    if (build(commonName, {}, true, nullptr, nullptr, key, certificate))
        fromObjects(key.get(), certificate.get(), result.m_certificatePem, result.m_privateKeyPem);
    return result;
}

TestCertificate TestCertificate::issuedBy(const TestCertificate& issuer, const QString& commonName,
                                          const QStringList& names) {
    TestCertificate result;
    BioPtr certBio(BIO_new_mem_buf(issuer.m_certificatePem.constData(),
                                   static_cast<int>(issuer.m_certificatePem.size())));
    BioPtr keyBio(BIO_new_mem_buf(issuer.m_privateKeyPem.constData(),
                                  static_cast<int>(issuer.m_privateKeyPem.size())));
    CertPtr issuerCertificate(PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr));
    KeyPtr issuerKey(PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr));
    if (!issuerCertificate || !issuerKey)
        return result;
    KeyPtr key;
    CertPtr certificate;
    if (build(commonName, names, false, issuerCertificate.get(), issuerKey.get(), key, certificate))
        fromObjects(key.get(), certificate.get(), result.m_certificatePem, result.m_privateKeyPem);
    return result;
}

QSslCertificate TestCertificate::certificate() const {
    return QSslCertificate(m_certificatePem, QSsl::Pem);
}

QSslKey TestCertificate::privateKey() const {
    return QSslKey(m_privateKeyPem, QSsl::Ec, QSsl::Pem);
}

QByteArray TestCertificate::sha256() const {
    return certificate().digest(QCryptographicHash::Sha256);
}

bool TestCertificate::writeCertificate(const QString& path) const {
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
           file.write(m_certificatePem) == m_certificatePem.size();
}

} // namespace cinder::test
