// SPDX-License-Identifier: Apache-2.0
#pragma once

// A process-wide registry of counters and gauges, rendered in the Prometheus text exposition
// format by HealthEndpoint (GET /metrics). Thread-safe: any thread may add or set.
//
//     Metrics::instance().add(metric::kMessagesRelayed);            // counter += 1
//     Metrics::instance().add(metric::kRequests, 1, "verb=\"PING\""); // a labelled series
//     Metrics::instance().set(metric::kConnections, 12);            // gauge
//
// Label values must never hold identities or addresses; verbs and statuses only.

#include <QByteArray>
#include <QMutex>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace cinder::server {

namespace metric {
// Gauges.
inline constexpr std::string_view kConnections = "cinder_connections";
inline constexpr std::string_view kAuthenticatedConnections = "cinder_authenticated_connections";
inline constexpr std::string_view kInFlightRequests = "cinder_in_flight_requests";
// Counters.
inline constexpr std::string_view kConnectionsAccepted = "cinder_connections_accepted_total";
inline constexpr std::string_view kConnectionsRejected = "cinder_connections_rejected_total";
inline constexpr std::string_view kRequests = "cinder_requests_total";   // label verb
inline constexpr std::string_view kResponses = "cinder_responses_total"; // label status
inline constexpr std::string_view kPushes = "cinder_pushes_total";       // label kind
inline constexpr std::string_view kBytesIn = "cinder_bytes_in_total";
inline constexpr std::string_view kBytesOut = "cinder_bytes_out_total";
inline constexpr std::string_view kMalformedFrames = "cinder_malformed_frames_total";
inline constexpr std::string_view kRateLimited = "cinder_rate_limited_total";
inline constexpr std::string_view kSlowReaderDisconnects = "cinder_slow_reader_disconnects_total";
inline constexpr std::string_view kMessagesRelayed = "cinder_messages_relayed_total";
inline constexpr std::string_view kDeliveriesPushed = "cinder_deliveries_pushed_total";
inline constexpr std::string_view kDeliveriesAcknowledged = "cinder_deliveries_acknowledged_total";
} // namespace metric

class Metrics {
public:
    enum class Type { Counter, Gauge };

    static Metrics& instance();

    // Declares a family's type and help text (optional: an undeclared name is an untyped
    // counter). The names in `metric` above are declared by the constructor.
    void describe(std::string_view name, Type type, std::string_view help);

    void add(std::string_view name, std::int64_t delta = 1, std::string_view labels = {});
    void set(std::string_view name, std::int64_t value, std::string_view labels = {});
    [[nodiscard]] std::int64_t value(std::string_view name, std::string_view labels = {}) const;

    // The Prometheus text format (version 0.0.4), families sorted by name.
    [[nodiscard]] QByteArray exposition() const;

    // Sets every series back to zero (tests).
    void reset();

private:
    Metrics();

    struct Family {
        Type type = Type::Counter;
        std::string help;
        std::map<std::string, std::int64_t, std::less<>> series; // labels -> value
    };

    mutable QMutex m_mutex;
    std::map<std::string, Family, std::less<>> m_families;
};

} // namespace cinder::server
