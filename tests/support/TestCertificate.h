// SPDX-License-Identifier: Apache-2.0
#pragma once

// Throw-away X.509 certificates for TLS tests (P-256, valid for one day): a self-signed
// certificate, a CA, and a leaf issued by that CA, each with DNS/IP subject alternative names.

#include <QByteArray>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <QStringList>

namespace cinder::test {

class TestCertificate {
public:
    // Subject alternative names used when none are given: the loopback names.
    static QStringList loopbackNames();

    // A self-signed certificate (also usable as its own trust anchor).
    static TestCertificate selfSigned(const QString& commonName,
                                      const QStringList& names = loopbackNames());
    // A CA certificate (basicConstraints CA:TRUE) that can issue leaves.
    static TestCertificate authority(const QString& commonName);
    // A leaf certificate for `names` signed by `issuer`.
    static TestCertificate issuedBy(const TestCertificate& issuer, const QString& commonName,
                                    const QStringList& names = loopbackNames());

    [[nodiscard]] bool isNull() const { return m_certificatePem.isEmpty(); }
    [[nodiscard]] QByteArray certificatePem() const { return m_certificatePem; }
    [[nodiscard]] QByteArray privateKeyPem() const { return m_privateKeyPem; }
    [[nodiscard]] QSslCertificate certificate() const;
    [[nodiscard]] QSslKey privateKey() const;
    [[nodiscard]] QByteArray sha256() const; // of the DER certificate, as pinned by clients
    // Writes the certificate (PEM) to `path`; false on I/O failure.
    bool writeCertificate(const QString& path) const;

private:
    QByteArray m_certificatePem;
    QByteArray m_privateKeyPem;
};

} // namespace cinder::test
