// SPDX-License-Identifier: Apache-2.0
#include "server/core/Metrics.h"

#include <QMutexLocker>

namespace cinder::server {

Metrics& Metrics::instance() {
    static Metrics s_instance;
    return s_instance;
}

Metrics::Metrics() {
    using namespace metric;
    describe(kConnections, Type::Gauge, "Open WebSocket connections.");
    describe(kAuthenticatedConnections, Type::Gauge, "Connections with a logged-in device.");
    describe(kInFlightRequests, Type::Gauge, "Requests dispatched and not yet answered.");
    describe(kConnectionsAccepted, Type::Counter, "WebSocket connections accepted.");
    describe(kConnectionsRejected, Type::Counter,
             "Connections refused because the server was full or shutting down.");
    describe(kRequests, Type::Counter, "Requests received, by verb.");
    describe(kResponses, Type::Counter, "Responses sent, by status.");
    describe(kPushes, Type::Counter, "Pushes sent, by kind.");
    describe(kBytesIn, Type::Counter, "WebSocket message bytes received.");
    describe(kBytesOut, Type::Counter, "WebSocket message bytes sent.");
    describe(kMalformedFrames, Type::Counter,
             "Frames that were not a well-formed binary request envelope.");
    describe(kRateLimited, Type::Counter, "Requests refused with STATUS_RATE_LIMITED.");
    describe(kSlowReaderDisconnects, Type::Counter,
             "Connections cut because their outbound queue exceeded max-queued-bytes.");
    describe(kMessagesRelayed, Type::Counter,
             "Deliveries stored for relay (one per recipient device of a packet).");
    describe(kDeliveriesPushed, Type::Counter, "Deliveries pushed to connected devices.");
    describe(kDeliveriesAcknowledged, Type::Counter,
             "Deliveries deleted because their device acknowledged them.");
}

void Metrics::describe(std::string_view name, Type type, std::string_view help) {
    QMutexLocker lock(&m_mutex);
    auto& family = m_families[std::string(name)];
    family.type = type;
    family.help = std::string(help);
}

void Metrics::add(std::string_view name, std::int64_t delta, std::string_view labels) {
    QMutexLocker lock(&m_mutex);
    auto family = m_families.find(name);
    if (family == m_families.end()) {
        family = m_families.emplace(std::string(name), Family{}).first;
    }
    auto series = family->second.series.find(labels);
    if (series == family->second.series.end()) {
        family->second.series.emplace(std::string(labels), delta);
    } else {
        series->second += delta;
    }
}

void Metrics::set(std::string_view name, std::int64_t value, std::string_view labels) {
    QMutexLocker lock(&m_mutex);
    auto family = m_families.find(name);
    if (family == m_families.end()) {
        family = m_families.emplace(std::string(name), Family{Type::Gauge, {}, {}}).first;
    }
    auto series = family->second.series.find(labels);
    if (series == family->second.series.end()) {
        family->second.series.emplace(std::string(labels), value);
    } else {
        series->second = value;
    }
}

std::int64_t Metrics::value(std::string_view name, std::string_view labels) const {
    QMutexLocker lock(&m_mutex);
    const auto family = m_families.find(name);
    if (family == m_families.end()) {
        return 0;
    }
    const auto series = family->second.series.find(labels);
    return series == family->second.series.end() ? 0 : series->second;
}

QByteArray Metrics::exposition() const {
    QMutexLocker lock(&m_mutex);
    QByteArray out;
    for (const auto& [name, family] : m_families) {
        const QByteArray familyName = QByteArray::fromStdString(name);
        if (!family.help.empty()) {
            out += "# HELP " + familyName + ' ' + QByteArray::fromStdString(family.help) + '\n';
        }
        out += "# TYPE " + familyName +
               (family.type == Type::Gauge ? QByteArrayLiteral(" gauge\n")
                                           : QByteArrayLiteral(" counter\n"));
        if (family.series.empty()) {
            out += familyName + " 0\n";
        }
        for (const auto& [labels, value] : family.series) {
            out += familyName;
            if (!labels.empty()) {
                out += '{' + QByteArray::fromStdString(labels) + '}';
            }
            out += ' ' + QByteArray::number(static_cast<qlonglong>(value)) + '\n';
        }
    }
    return out;
}

void Metrics::reset() {
    QMutexLocker lock(&m_mutex);
    for (auto& [name, family] : m_families) {
        for (auto& [labels, value] : family.series) {
            value = 0;
        }
    }
}

} // namespace cinder::server
