// SPDX-License-Identifier: Apache-2.0
#pragma once

// A value or a typed error, returned by every operation of libcindercrypto (and of storage/ and
// client/ above it) in place of exceptions (C++20 has no std::expected yet).
//
// Propagating an error is one helper, not a hand-written `if (!x) return fail(x.error())`:
//
//     CINDER_TRY(store.contacts().save(contact));              // returns the error, if any
//     CINDER_TRY_ASSIGN(auto contact, store.contacts().find(id));  // or takes the value
//
// When the caller's error type differs (a StoreError inside a function returning a
// SessionError), the upper layer says once how one becomes the other, in its own namespace:
//
//     SessionError translateError(std::type_identity<SessionError>, storage::StoreError);
//
// and a Failure of the lower error then converts to a Result of the upper one.

#include <cassert>
#include <concepts>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

namespace cinder::crypto {

template <typename E>
struct Failure {
    E error;
};

template <typename E>
[[nodiscard]] constexpr Failure<E> fail(E error) {
    return Failure<E>{error};
}

// A layer that declares translateError(std::type_identity<To>, From) accepts From's failures.
template <typename To, typename From>
concept TranslatableError = !std::same_as<To, From> && requires(From error) {
    { translateError(std::type_identity<To>{}, error) } -> std::same_as<To>;
};

template <typename T, typename E>
class [[nodiscard]] Result {
public:
    Result(T value) : m_state(std::in_place_index<0>, std::move(value)) {}
    Result(Failure<E> failure) : m_state(std::in_place_index<1>, failure.error) {}
    template <typename From>
    requires TranslatableError<E, From> Result(Failure<From> failure)
        : m_state(std::in_place_index<1>, translateError(std::type_identity<E>{}, failure.error)) {}

    [[nodiscard]] bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    [[nodiscard]] T& value() & {
        assert(ok());
        return std::get<0>(m_state);
    }
    [[nodiscard]] const T& value() const& {
        assert(ok());
        return std::get<0>(m_state);
    }
    [[nodiscard]] T&& value() && {
        assert(ok());
        return std::get<0>(std::move(m_state));
    }
    [[nodiscard]] E error() const {
        assert(!ok());
        return std::get<1>(m_state);
    }

    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

private:
    std::variant<T, E> m_state;
};

template <typename E>
class [[nodiscard]] Result<void, E> {
public:
    Result() = default;
    Result(Failure<E> failure) : m_error(failure.error) {}
    template <typename From>
    requires TranslatableError<E, From> Result(Failure<From> failure)
        : m_error(translateError(std::type_identity<E>{}, failure.error)) {}

    [[nodiscard]] bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    [[nodiscard]] E error() const {
        assert(!ok());
        return *m_error;
    }

private:
    std::optional<E> m_error;
};

} // namespace cinder::crypto

// Returns the error of `expr` (a Result) from the enclosing function when it failed.
#define CINDER_TRY(...)                                                                            \
    do {                                                                                           \
        auto&& cinderTryResult_ = (__VA_ARGS__);                                                   \
        if (!cinderTryResult_) {                                                                   \
            return ::cinder::crypto::fail(cinderTryResult_.error());                               \
        }                                                                                          \
    } while (false)

// Declares `declaration` from the value of `expr` (a Result returned by value), or returns its
// error from the enclosing function.
#define CINDER_TRY_ASSIGN(declaration, ...)                                                        \
    CINDER_TRY_ASSIGN_IMPL_(CINDER_TRY_CONCAT_(cinderTryResult_, __LINE__), declaration,           \
                            __VA_ARGS__)
#define CINDER_TRY_CONCAT_INNER_(a, b) a##b
#define CINDER_TRY_CONCAT_(a, b) CINDER_TRY_CONCAT_INNER_(a, b)
#define CINDER_TRY_ASSIGN_IMPL_(result, declaration, ...)                                          \
    auto&& result = (__VA_ARGS__);                                                                 \
    if (!result) {                                                                                 \
        return ::cinder::crypto::fail(result.error());                                             \
    }                                                                                              \
    declaration = std::move(result).value()
