// SPDX-License-Identifier: Apache-2.0
#include "app/SecretText.h"

#include <QStringEncoder>

namespace cinder::app {

crypto::SecureBuffer secretUtf8(QStringView text) {
    QStringEncoder encoder(QStringEncoder::Utf8);
    crypto::SecureBytes bytes(static_cast<std::size_t>(encoder.requiredSpace(text.size())), 0);
    char* const begin = reinterpret_cast<char*>(bytes.data());
    const char* const end = encoder.appendToBuffer(begin, text);
    bytes.resize(static_cast<std::size_t>(end - begin)); // shrinking keeps the same memory
    return crypto::SecureBuffer(std::move(bytes));
}

} // namespace cinder::app
