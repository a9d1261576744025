// SPDX-License-Identifier: Apache-2.0
#include "crypto/SecureBuffer.h"

#include <openssl/crypto.h>

namespace cinder::crypto {

void secureWipe(void* data, std::size_t size) {
    if (data != nullptr && size > 0) {
        OPENSSL_cleanse(data, size);
    }
}

void SecureBuffer::clear() {
    secureWipe(m_bytes.data(), m_bytes.size());
    SecureBytes().swap(m_bytes);
}

bool SecureBuffer::operator==(const SecureBuffer& other) const {
    return constantTimeEqual(view(), other.view());
}

std::string SecureBuffer::describe() const {
    return "SecureBuffer(" + std::to_string(m_bytes.size()) + " bytes, redacted)";
}

std::ostream& operator<<(std::ostream& out, const SecureBuffer& secret) {
    return out << secret.describe();
}

} // namespace cinder::crypto
