// SPDX-License-Identifier: Apache-2.0
#pragma once

// Secret bytes: move-only, wiped with OPENSSL_cleanse when destroyed, never printed.
// Copying is explicit (clone()) so a secret is never duplicated by accident.

#include "crypto/Bytes.h"

#include <cstddef>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace cinder::crypto {

void secureWipe(void* data, std::size_t size);

// Allocator whose deallocate() wipes the memory first; used for growable secret buffers.
template <typename T>
struct ZeroizingAllocator {
    using value_type = T;
    ZeroizingAllocator() = default;
    template <typename U>
    ZeroizingAllocator(const ZeroizingAllocator<U>&) noexcept {}
    T* allocate(std::size_t n) { return std::allocator<T>{}.allocate(n); }
    void deallocate(T* p, std::size_t n) noexcept {
        secureWipe(p, n * sizeof(T));
        std::allocator<T>{}.deallocate(p, n);
    }
    template <typename U>
    bool operator==(const ZeroizingAllocator<U>&) const noexcept {
        return true;
    }
};

using SecureBytes = std::vector<std::uint8_t, ZeroizingAllocator<std::uint8_t>>;

class SecureBuffer {
public:
    SecureBuffer() = default;
    explicit SecureBuffer(std::size_t size) : m_bytes(size, 0) {}
    explicit SecureBuffer(SecureBytes bytes) : m_bytes(std::move(bytes)) {}
    static SecureBuffer copyOf(ByteView bytes) {
        return SecureBuffer(SecureBytes(bytes.begin(), bytes.end()));
    }

    SecureBuffer(SecureBuffer&&) noexcept = default;
    SecureBuffer& operator=(SecureBuffer&&) noexcept = default;
    SecureBuffer(const SecureBuffer&) = delete;
    SecureBuffer& operator=(const SecureBuffer&) = delete;
    ~SecureBuffer() = default; // the allocator wipes

    [[nodiscard]] SecureBuffer clone() const { return SecureBuffer(SecureBytes(m_bytes)); }

    [[nodiscard]] std::uint8_t* data() { return m_bytes.data(); }
    [[nodiscard]] const std::uint8_t* data() const { return m_bytes.data(); }
    [[nodiscard]] std::size_t size() const { return m_bytes.size(); }
    [[nodiscard]] bool empty() const { return m_bytes.empty(); }
    [[nodiscard]] ByteView view() const { return {m_bytes.data(), m_bytes.size()}; }
    [[nodiscard]] std::span<std::uint8_t> span() { return {m_bytes.data(), m_bytes.size()}; }

    // Wipes and empties the buffer now rather than at destruction.
    void clear();

    // Constant-time.
    [[nodiscard]] bool operator==(const SecureBuffer& other) const;

    // What logging a secret prints: its size only.
    [[nodiscard]] std::string describe() const;

private:
    SecureBytes m_bytes;
};

std::ostream& operator<<(std::ostream& out, const SecureBuffer& secret);

} // namespace cinder::crypto
