// SPDX-License-Identifier: Apache-2.0
#pragma once

// Why a connection to cinder-server could not be made or ended, and why a request got no response.

#include <QMetaType>
#include <QObject>

namespace cinder::net {
Q_NAMESPACE

enum class ConnectionError {
    None,                 // no transport error: the reply came from the server
    InvalidEndpoint,      // no usable pin (missing, unreadable CA file, fingerprint not 32 bytes)
    NotConnected,         // the request was made while no connection was open or being opened
    HostUnreachable,      // name lookup, refused or unreachable TCP connection
    Timeout,              // the connection or a blocking request did not finish in time
    TlsHandshakeFailed,   // TLS failed for a reason other than the certificate (e.g. not TLS 1.3)
    UntrustedCertificate, // CA pin: the chain does not lead to the pinned CA (or is invalid)
    HostnameMismatch,     // CA pin: the certificate does not name the host
    FingerprintMismatch,  // fingerprint pin: the server presented another certificate
    ServerKeyMismatch,    // the server's public key is not the one the account enrolled with
    MalformedFrame,       // the server sent a frame that is not a valid Envelope for a client
    ClosedByServer,       // the server closed or reset an established connection
    ClosedLocally,        // close() was called or the connection object was destroyed
    SocketError,          // any other socket failure
};
Q_ENUM_NS(ConnectionError)

} // namespace cinder::net
