// SPDX-License-Identifier: Apache-2.0
#pragma once

// The passphrase, from (in this order) the --passphrase-fd descriptor, $CINDER_PASSPHRASE, or a
// prompt on the terminal with echo off. Held in memory that is wiped when it goes away; never
// printed, logged or put into an error text.

#include <QString>

#include <optional>
#include <string>
#include <string_view>

namespace cinder::cli {

class Passphrase {
public:
    explicit Passphrase(std::string value) : m_value(std::move(value)) {}
    ~Passphrase();
    Passphrase(const Passphrase&) = delete;
    Passphrase& operator=(const Passphrase&) = delete;
    Passphrase(Passphrase&& other) noexcept;
    Passphrase& operator=(Passphrase&&) = delete;

    [[nodiscard]] std::string_view view() const { return m_value; }
    [[nodiscard]] const std::string& value() const { return m_value; }

    // Reads it from the first source present. `confirm` asks twice on a terminal (a new
    // passphrase). Throws a usage failure when there is none, or the two entries differ.
    [[nodiscard]] static Passphrase obtain(std::optional<int> fd, const QString& prompt,
                                           bool confirm);

private:
    std::string m_value;
};

} // namespace cinder::cli
