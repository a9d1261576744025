// SPDX-License-Identifier: Apache-2.0
#pragma once

// The passphrase, from (in this order) the --passphrase-fd descriptor, $CINDER_PASSPHRASE, or a
// prompt on the terminal with echo off. Read straight into memory that is wiped when it goes
// away (crypto::SecureBuffer, docs/ARCHITECTURE.md "Secrets in memory"); never printed, logged
// or put into an error text.

#include "crypto/SecureBuffer.h"

#include <QString>

#include <optional>
#include <string>
#include <string_view>

namespace cinder::cli {

class Passphrase {
public:
    explicit Passphrase(crypto::SecureBuffer value) : m_value(std::move(value)) {}

    [[nodiscard]] const crypto::SecureBuffer& secret() const { return m_value; }
    // Moves the secret out (to a client::NewAccount), leaving this one empty.
    [[nodiscard]] crypto::SecureBuffer take() { return std::move(m_value); }

    // Reads it from the first source present. `confirm` asks twice on a terminal (a new
    // passphrase). Throws a usage failure when there is none, or the two entries differ.
    [[nodiscard]] static Passphrase obtain(std::optional<int> fd, const QString& prompt,
                                           bool confirm);

private:
    crypto::SecureBuffer m_value;
};

} // namespace cinder::cli
