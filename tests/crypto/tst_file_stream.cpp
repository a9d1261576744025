// SPDX-License-Identifier: Apache-2.0
// Streaming file encryption (crypto/FileStream.h): round trips at every chunk boundary, the
// wire layout against the equations of FileStream.cpp, and one test per attack the STREAM
// construction must stop (truncation, reordering, duplication, swapping, appending, flipped
// bytes, lying headers).

#include "crypto/FileStream.h"
#include "crypto/Kdf.h"
#include "crypto/Transcript.h"
#include "crypto/WireCodec.h"

#include "cinder/packet.pb.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <streambuf>

using namespace cinder::crypto;

Q_DECLARE_METATYPE(cinder::crypto::StreamError)

namespace {

// Deterministic "random" bytes: first, first + 1, first + 2, ...
class CountingRandom final : public RandomSource {
public:
    explicit CountingRandom(std::uint8_t first) : m_next(first) {}
    void fill(std::span<std::uint8_t> out) override {
        for (auto& byte : out) {
            byte = m_next++;
        }
    }

private:
    std::uint8_t m_next;
};

Bytes pattern(std::size_t size, std::uint32_t seed = 1) {
    Bytes out(size);
    std::uint32_t state = seed * 2654435761U + 1;
    for (auto& byte : out) {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        byte = static_cast<std::uint8_t>(state);
    }
    return out;
}

struct Encrypted {
    Bytes header;
    std::vector<Bytes> chunks;

    [[nodiscard]] Bytes joined() const {
        Bytes out = header;
        for (const Bytes& chunk : chunks) {
            out.insert(out.end(), chunk.begin(), chunk.end());
        }
        return out;
    }
};

// Encrypts through the chunk API, one Bytes per sealed chunk.
Encrypted encryptChunks(ByteView key, ByteView plaintext, RandomSource& random = systemRandom()) {
    auto encryptor = FileEncryptor::create(key, random).value();
    Encrypted result;
    result.header = toBytes(encryptor.header());
    std::size_t offset = 0;
    do {
        const std::size_t take = std::min(kFileChunkSize, plaintext.size() - offset);
        const bool last = offset + take == plaintext.size();
        Bytes sealed(sealedChunkSize(take));
        auto written = encryptor.encryptChunk(plaintext.subspan(offset, take), last, sealed);
        if (!written || *written != sealed.size()) {
            throw std::runtime_error("encryptChunk failed");
        }
        result.chunks.push_back(std::move(sealed));
        offset += take;
    } while (!encryptor.finished());
    return result;
}

Result<Bytes, StreamError> decryptAll(ByteView key, ByteView ciphertext,
                                      const std::optional<Sha256Digest>& expected = {}) {
    std::istringstream in(toStdString(ciphertext));
    std::ostringstream out;
    auto summary = decryptStream(key, in, out, expected);
    if (!summary) {
        return fail(summary.error());
    }
    return toBytes(out.str());
}

// The equations at the top of FileStream.cpp, assembled here independently of FileEncryptor.
struct SpecFile {
    SpecFile(ByteView fileKey, ByteView noncePrefix, std::uint32_t chunkSize = 65536,
             std::uint32_t version = 1)
        : prefix(toBytes(noncePrefix)) {
        cinder::wire::FileStreamHeader message;
        message.set_version(version);
        message.set_chunk_size(chunkSize);
        message.set_nonce_prefix(toStdString(noncePrefix));
        const Bytes body = serialize(message);
        header = {static_cast<std::uint8_t>(body.size() >> 8),
                  static_cast<std::uint8_t>(body.size())};
        header.insert(header.end(), body.begin(), body.end());
        Transcript material(label::kFileChunkKey);
        material.add(Field::SecretKey, fileKey).add(Field::Nonce, noncePrefix);
        const SecureBuffer key = hkdfSha256(material.view(), label::kFileChunkKey).value();
        aead.emplace(AeadContext::create(key.view()).value());
        aad = toBytes(label::kAadFileChunk);
        aad.insert(aad.end(), header.begin(), header.end());
    }

    Bytes seal(std::uint32_t index, bool last, ByteView plaintext) {
        Nonce nonce{};
        std::copy(prefix.begin(), prefix.end(), nonce.begin());
        nonce[7] = static_cast<std::uint8_t>(index >> 24);
        nonce[8] = static_cast<std::uint8_t>(index >> 16);
        nonce[9] = static_cast<std::uint8_t>(index >> 8);
        nonce[10] = static_cast<std::uint8_t>(index);
        nonce[11] = last ? 1 : 0;
        Bytes out(plaintext.size() + kTagSize);
        if (!aead->seal(nonce, aad, plaintext, out)) {
            throw std::runtime_error("seal failed");
        }
        return out;
    }

    Bytes prefix;
    Bytes header;
    Bytes aad;
    std::optional<AeadContext> aead;
};

// An input stream of `size` pseudo-random bytes made on demand, hashing what it hands out.
class PatternSource final : public std::streambuf {
public:
    explicit PatternSource(std::uint64_t size) : m_remaining(size) {}
    Sha256Digest digest() { return m_hash.finish(); }

protected:
    int_type underflow() override {
        if (m_remaining == 0) {
            return traits_type::eof();
        }
        const std::size_t n =
            static_cast<std::size_t>(std::min<std::uint64_t>(m_remaining, m_buffer.size()));
        for (std::size_t i = 0; i < n; ++i) {
            m_state ^= m_state << 13;
            m_state ^= m_state >> 7;
            m_state ^= m_state << 17;
            m_buffer[i] = static_cast<char>(m_state);
        }
        m_hash.update({reinterpret_cast<const std::uint8_t*>(m_buffer.data()), n});
        m_remaining -= n;
        setg(m_buffer.data(), m_buffer.data(), m_buffer.data() + n);
        return traits_type::to_int_type(m_buffer[0]);
    }

private:
    std::uint64_t m_remaining;
    std::uint64_t m_state = 0x9e3779b97f4a7c15ULL;
    std::array<char, 8192> m_buffer{};
    Sha256Stream m_hash;
};

// An output stream that keeps only the SHA-256 and the count of what is written to it.
class HashSink final : public std::streambuf {
public:
    Sha256Digest digest() { return m_hash.finish(); }
    std::uint64_t count() const { return m_count; }

protected:
    std::streamsize xsputn(const char* data, std::streamsize n) override {
        m_hash.update({reinterpret_cast<const std::uint8_t*>(data), static_cast<std::size_t>(n)});
        m_count += static_cast<std::uint64_t>(n);
        return n;
    }
    int_type overflow(int_type c) override {
        if (!traits_type::eq_int_type(c, traits_type::eof())) {
            const char byte = traits_type::to_char_type(c);
            xsputn(&byte, 1);
        }
        return traits_type::not_eof(c);
    }

private:
    Sha256Stream m_hash;
    std::uint64_t m_count = 0;
};

// A stream buffer whose reads fail, as a disk error would.
class FailingSource final : public std::streambuf {
protected:
    int_type underflow() override { throw std::runtime_error("disk error"); }
};

std::size_t expectedChunks(std::size_t size) {
    return size == 0 ? 1 : (size + kFileChunkSize - 1) / kFileChunkSize;
}

} // namespace

class TestFileStream : public QObject {
    Q_OBJECT
private slots:
    void roundTrip_data() {
        QTest::addColumn<qsizetype>("size");
        const std::size_t c = kFileChunkSize;
        const std::pair<const char*, std::size_t> sizes[] = {
            {"empty", 0},
            {"one byte", 1},
            {"small", 1000},
            {"one chunk minus one", c - 1},
            {"exactly one chunk", c},
            {"one chunk plus one", c + 1},
            {"two chunks minus one", 2 * c - 1},
            {"exactly two chunks", 2 * c},
            {"two chunks plus one", 2 * c + 1},
            {"many chunks", 7 * c + 12345},
        };
        for (const auto& [name, size] : sizes) {
            QTest::newRow(name) << static_cast<qsizetype>(size);
        }
    }

    void roundTrip() {
        QFETCH(qsizetype, size);
        const auto plainSize = static_cast<std::size_t>(size);
        const SecureBuffer key = systemRandom().secret(kSymmetricKeySize);
        const Bytes plaintext = pattern(plainSize);

        // Whole streams.
        std::istringstream in(toStdString(plaintext));
        std::ostringstream out;
        auto encrypted = encryptStream(key.view(), in, out);
        QVERIFY(encrypted.ok());
        const Bytes ciphertext = toBytes(out.str());
        const std::size_t chunks = expectedChunks(plainSize);
        QCOMPARE(encrypted->plaintextSize, plainSize);
        QCOMPARE(encrypted->ciphertextSize, ciphertext.size());
        QCOMPARE(ciphertext.size(), 17 + plainSize + chunks * kTagSize);
        QCOMPARE(toHex(encrypted->ciphertextSha256), toHex(sha256(ciphertext)));

        auto decrypted = decryptAll(key.view(), ciphertext, encrypted->ciphertextSha256);
        QVERIFY(decrypted.ok());
        QVERIFY(*decrypted == plaintext);

        // Chunk by chunk: the same layout, and the decryptor names the final chunk.
        const Encrypted parts = encryptChunks(key.view(), plaintext);
        QCOMPARE(parts.chunks.size(), chunks);
        const std::size_t finalSize = plainSize - (chunks - 1) * kFileChunkSize;
        auto decryptor = FileDecryptor::create(key.view(), parts.header).value();
        Bytes roundTripped;
        Bytes buffer(kFileChunkSize);
        for (std::size_t i = 0; i < parts.chunks.size(); ++i) {
            QVERIFY(!decryptor.finish().ok());
            QCOMPARE(parts.chunks[i].size(),
                     i + 1 < chunks ? kFileSealedChunkSize : sealedChunkSize(finalSize));
            auto opened = decryptor.decryptChunk(parts.chunks[i], buffer);
            QVERIFY(opened.ok());
            QCOMPARE(opened->last, i + 1 == chunks);
            roundTripped.insert(roundTripped.end(), buffer.begin(),
                                buffer.begin() + static_cast<std::ptrdiff_t>(opened->size));
        }
        QVERIFY(decryptor.finish().ok());
        QCOMPARE(decryptor.chunkCount(), chunks);
        QVERIFY(roundTripped == plaintext);
    }

    void headerLayoutIsPinned() {
        // uint16_be(15) || FileStreamHeader{version 1, chunk_size 65536, nonce_prefix P}
        const SecureBuffer key = systemRandom().secret(kSymmetricKeySize);
        CountingRandom random(0x01);
        auto encryptor = FileEncryptor::create(key.view(), random).value();
        QCOMPARE(toHex(encryptor.header()), std::string("000f"
                                                        "0801"
                                                        "10808004"
                                                        "1a07"
                                                        "01020304050607"));
        QCOMPARE(FileDecryptor::headerSize(encryptor.header()).value(), std::size_t{17});
    }

    void matchesTheSpecEquations() {
        // FileEncryptor's output is exactly what the equations of FileStream.cpp give.
        const SecureBuffer key = systemRandom().secret(kSymmetricKeySize);
        const Bytes plaintext = pattern(2 * kFileChunkSize + 77);
        CountingRandom random(0x40);
        const Encrypted parts = encryptChunks(key.view(), plaintext, random);
        const Bytes prefix = {0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46};
        SpecFile spec(key.view(), prefix);
        QCOMPARE(toHex(parts.header), toHex(spec.header));
        const ByteView all(plaintext);
        QCOMPARE(toHex(parts.chunks.at(0)), toHex(spec.seal(0, false, all.first(kFileChunkSize))));
        QCOMPARE(toHex(parts.chunks.at(1)),
                 toHex(spec.seal(1, false, all.subspan(kFileChunkSize, kFileChunkSize))));
        QCOMPARE(toHex(parts.chunks.at(2)),
                 toHex(spec.seal(2, true, all.subspan(2 * kFileChunkSize))));
    }

    void truncationDetected_data() {
        QTest::addColumn<qsizetype>("plainSize");
        QTest::addColumn<qsizetype>("keep"); // bytes of ciphertext kept; negative: from the end
        QTest::addColumn<StreamError>("error");
        const auto c = static_cast<qsizetype>(kFileChunkSize);
        const auto s = static_cast<qsizetype>(kFileSealedChunkSize);
        QTest::newRow("nothing") << c << qsizetype{0} << StreamError::HeaderTruncated;
        QTest::newRow("inside the length") << c << qsizetype{1} << StreamError::HeaderTruncated;
        QTest::newRow("inside the header") << c << qsizetype{10} << StreamError::HeaderTruncated;
        QTest::newRow("header only") << c << qsizetype{17} << StreamError::MissingFinalChunk;
        QTest::newRow("final chunk dropped (short final)")
            << 2 * c + 5 << 17 + 2 * s << StreamError::MissingFinalChunk;
        QTest::newRow("final chunk dropped (full final)")
            << 3 * c << 17 + 2 * s << StreamError::MissingFinalChunk;
        QTest::newRow("two chunks dropped") << 3 * c << 17 + s << StreamError::MissingFinalChunk;
        QTest::newRow("last byte cut")
            << 2 * c + 5 << qsizetype{-1} << StreamError::AuthenticationFailed;
        QTest::newRow("cut inside a full chunk")
            << 3 * c << 17 + s + 100 << StreamError::AuthenticationFailed;
        QTest::newRow("cut to a stub shorter than a tag")
            << 3 * c << 17 + s + 5 << StreamError::ChunkTruncated;
        QTest::newRow("empty file, final chunk dropped")
            << qsizetype{0} << qsizetype{17} << StreamError::MissingFinalChunk;
    }

    void truncationDetected() {
        QFETCH(qsizetype, plainSize);
        QFETCH(qsizetype, keep);
        QFETCH(StreamError, error);
        const SecureBuffer key = systemRandom().secret(kSymmetricKeySize);
        const Bytes whole =
            encryptChunks(key.view(), pattern(static_cast<std::size_t>(plainSize))).joined();
        const std::size_t kept = keep >= 0 ? static_cast<std::size_t>(keep)
                                           : whole.size() - static_cast<std::size_t>(-keep);
        QVERIFY(kept < whole.size());
        auto result = decryptAll(key.view(), ByteView(whole).first(kept));
        QVERIFY(!result.ok());
        QCOMPARE(result.error(), error);
    }

    void reorderingDetected() {
        const SecureBuffer key = systemRandom().secret(kSymmetricKeySize);
        Encrypted parts = encryptChunks(key.view(), pattern(3 * kFileChunkSize + 9));
        std::swap(parts.chunks[0], parts.chunks[1]);
        QCOMPARE(decryptAll(key.view(), parts.joined()).error(), StreamError::AuthenticationFailed);
    }

    void duplicatedChunkDetected() {
        const SecureBuffer key = systemRandom().secret(kSymmetricKeySize);
        Encrypted parts = encryptChunks(key.view(), pattern(3 * kFileChunkSize + 9));
        parts.chunks[1] = parts.chunks[0];
        QCOMPARE(decryptAll(key.view(), parts.joined()).error(), StreamError::AuthenticationFailed);
    }

    void chunkFromAnotherFileDetected() {
        const SecureBuffer key = systemRandom().secret(kSymmetricKeySize);
        const Bytes plaintext = pattern(3 * kFileChunkSize + 9);
        // Same key, same plaintext, another file (another nonce prefix).
        Encrypted a = encryptChunks(key.view(), plaintext);
        const Encrypted b = encryptChunks(key.view(), plaintext);
        a.chunks[1] = b.chunks[1];
        QCOMPARE(decryptAll(key.view(), a.joined()).error(), StreamError::AuthenticationFailed);
        // Another file under another key.
        const SecureBuffer otherKey = systemRandom().secret(kSymmetricKeySize);
        Encrypted c = encryptChunks(key.view(), plaintext);
        c.chunks[2] = encryptChunks(otherKey.view(), plaintext).chunks[2];
        QCOMPARE(decryptAll(key.view(), c.joined()).error(), StreamError::AuthenticationFailed);
        // Another file's header in front of this file's chunks.
        Encrypted d = encryptChunks(key.view(), plaintext);
        d.header = b.header;
        QCOMPARE(decryptAll(key.view(), d.joined()).error(), StreamError::AuthenticationFailed);
    }

    void wrongKeyDetected() {
        const SecureBuffer key = systemRandom().secret(kSymmetricKeySize);
        const SecureBuffer other = systemRandom().secret(kSymmetricKeySize);
        const Bytes whole = encryptChunks(key.view(), pattern(100)).joined();
        QCOMPARE(decryptAll(other.view(), whole).error(), StreamError::AuthenticationFailed);
        QCOMPARE(decryptAll(ByteView(key.view()).first(16), whole).error(),
                 StreamError::WrongKeyLength);
    }

    void appendingDetected_data() {
        QTest::addColumn<qsizetype>("plainSize");
        QTest::addColumn<bool>("copyFinal"); // append a copy of the final chunk, else one byte
        QTest::addColumn<StreamError>("error");
        const auto c = static_cast<qsizetype>(kFileChunkSize);
        // After a full final chunk the reader sees a further chunk. After a short one, the
        // appended bytes are read as part of the final chunk, which then fails to open.
        QTest::newRow("chunk after full final")
            << 2 * c << true << StreamError::DataAfterFinalChunk;
        QTest::newRow("byte after full final")
            << 2 * c << false << StreamError::DataAfterFinalChunk;
        QTest::newRow("chunk after short final")
            << 2 * c + 5 << true << StreamError::AuthenticationFailed;
        QTest::newRow("byte after short final")
            << c + 1 << false << StreamError::AuthenticationFailed;
        QTest::newRow("chunk after empty file")
            << qsizetype{0} << true << StreamError::AuthenticationFailed;
    }

    void appendingDetected() {
        QFETCH(qsizetype, plainSize);
        QFETCH(bool, copyFinal);
        QFETCH(StreamError, error);
        const SecureBuffer key = systemRandom().secret(kSymmetricKeySize);
        const Encrypted parts =
            encryptChunks(key.view(), pattern(static_cast<std::size_t>(plainSize)));
        Bytes whole = parts.joined();
        if (copyFinal) {
            whole.insert(whole.end(), parts.chunks.back().begin(), parts.chunks.back().end());
        } else {
            whole.push_back(0x00);
        }
        QCOMPARE(decryptAll(key.view(), whole).error(), error);

        // Chunk API: nothing is accepted after the final chunk.
        auto decryptor = FileDecryptor::create(key.view(), parts.header).value();
        Bytes buffer(kFileChunkSize);
        for (const Bytes& chunk : parts.chunks) {
            QVERIFY(decryptor.decryptChunk(chunk, buffer).ok());
        }
        QCOMPARE(decryptor.decryptChunk(parts.chunks.back(), buffer).error(),
                 StreamError::DataAfterFinalChunk);
        QCOMPARE(decryptor.finish().error(), StreamError::DataAfterFinalChunk);
    }

    void everyFlippedByteDetected() {
        const SecureBuffer key = systemRandom().secret(kSymmetricKeySize);
        const Bytes whole = encryptChunks(key.view(), pattern(300)).joined();
        for (std::size_t i = 0; i < whole.size(); ++i) {
            for (const std::uint8_t bit : {0x01, 0x80}) {
                Bytes tampered = whole;
                tampered[i] ^= bit;
                auto result = decryptAll(key.view(), tampered);
                QVERIFY2(!result.ok(), ("flip at " + std::to_string(i)).c_str());
                if (i >= 10) { // from the nonce prefix on, the header still parses
                    QCOMPARE(result.error(), StreamError::AuthenticationFailed);
                }
            }
        }
    }

    void flippedBytesInLargeFileDetected() {
        // Every chunk, including both sides of each chunk boundary, sampled (each trial
        // decrypts up to three chunks).
        const SecureBuffer key = systemRandom().secret(kSymmetricKeySize);
        const Bytes whole = encryptChunks(key.view(), pattern(2 * kFileChunkSize + 3)).joined();
        std::vector<std::size_t> positions;
        for (std::size_t i = 17; i < whole.size(); i += 4099) {
            positions.push_back(i);
        }
        for (std::size_t boundary = 17; boundary < whole.size(); boundary += kFileSealedChunkSize) {
            positions.push_back(boundary);
            positions.push_back(boundary - 1);
            positions.push_back(std::min(boundary + kFileSealedChunkSize - 1, whole.size() - 1));
        }
        positions.push_back(whole.size() - 1);
        for (const std::size_t i : positions) {
            Bytes tampered = whole;
            tampered[i] ^= 0x20;
            auto result = decryptAll(key.view(), tampered);
            QVERIFY(!result.ok());
            QCOMPARE(result.error(), StreamError::AuthenticationFailed);
        }
    }

    void lyingHeaderRefused_data() {
        QTest::addColumn<QByteArray>("headerHex");
        QTest::addColumn<StreamError>("error");
        // Built from "0801 10808004 1a07 P" (version 1, chunk size 65536, 7-byte prefix).
        QTest::newRow("chunk size 32 KiB") << QByteArray("000f"
                                                         "0801"
                                                         "10808002"
                                                         "1a07"
                                                         "01020304050607")
                                           << StreamError::UnsupportedChunkSize;
        QTest::newRow("chunk size 128 KiB") << QByteArray("000f"
                                                          "0801"
                                                          "10808008"
                                                          "1a07"
                                                          "01020304050607")
                                            << StreamError::UnsupportedChunkSize;
        QTest::newRow("chunk size missing") << QByteArray("000b"
                                                          "0801"
                                                          "1a07"
                                                          "01020304050607")
                                            << StreamError::UnsupportedChunkSize;
        QTest::newRow("version 2") << QByteArray("000f"
                                                 "0802"
                                                 "10808004"
                                                 "1a07"
                                                 "01020304050607")
                                   << StreamError::UnsupportedVersion;
        QTest::newRow("version missing") << QByteArray("000d"
                                                       "10808004"
                                                       "1a07"
                                                       "01020304050607")
                                         << StreamError::UnsupportedVersion;
        QTest::newRow("prefix of 6") << QByteArray("000e"
                                                   "0801"
                                                   "10808004"
                                                   "1a06"
                                                   "010203040506")
                                     << StreamError::BadNoncePrefix;
        QTest::newRow("prefix of 12") << QByteArray("0014"
                                                    "0801"
                                                    "10808004"
                                                    "1a0c"
                                                    "0102030405060708090a0b0c")
                                      << StreamError::BadNoncePrefix;
        QTest::newRow("fields out of order") << QByteArray("000f"
                                                           "10808004"
                                                           "0801"
                                                           "1a07"
                                                           "01020304050607")
                                             << StreamError::MalformedHeader;
        QTest::newRow("non-minimal varint") << QByteArray("0010"
                                                          "088100"
                                                          "10808004"
                                                          "1a07"
                                                          "01020304050607")
                                            << StreamError::MalformedHeader;
        QTest::newRow("unknown field") << QByteArray("0011"
                                                     "0801"
                                                     "10808004"
                                                     "1a07"
                                                     "01020304050607"
                                                     "2001")
                                       << StreamError::MalformedHeader;
        QTest::newRow("repeated field") << QByteArray("0011"
                                                      "0801"
                                                      "0801"
                                                      "10808004"
                                                      "1a07"
                                                      "01020304050607")
                                        << StreamError::MalformedHeader;
        QTest::newRow("not protobuf") << QByteArray("0004"
                                                    "ffffffff")
                                      << StreamError::MalformedHeader;
        QTest::newRow("length zero") << QByteArray("0000") << StreamError::MalformedHeader;
        QTest::newRow("length too large") << QByteArray("0101") << StreamError::HeaderOversized;
        QTest::newRow("length larger than the bytes") << QByteArray("0010"
                                                                    "0801"
                                                                    "10808004"
                                                                    "1a07"
                                                                    "01020304050607")
                                                      << StreamError::HeaderTruncated;
        QTest::newRow("one byte") << QByteArray("00") << StreamError::HeaderTruncated;
    }

    void lyingHeaderRefused() {
        QFETCH(QByteArray, headerHex);
        QFETCH(StreamError, error);
        const SecureBuffer key = systemRandom().secret(kSymmetricKeySize);
        const Bytes header = fromHex(headerHex.toStdString()).value();
        auto decryptor = FileDecryptor::create(key.view(), header);
        QVERIFY(!decryptor.ok());
        QCOMPARE(decryptor.error(), error);
        // The stream reader reports the same, whatever follows the header.
        Bytes stream = header;
        const Bytes chunk = pattern(100);
        stream.insert(stream.end(), chunk.begin(), chunk.end());
        auto result = decryptAll(key.view(), stream);
        QVERIFY(!result.ok());
        if (error == StreamError::HeaderTruncated) {
            QVERIFY(result.error() != StreamError::AuthenticationFailed);
        } else {
            QCOMPARE(result.error(), error);
        }
    }

    void chunkSizeIsNotNegotiable() {
        // Only 64 KiB chunks exist; a header naming another size is refused before any chunk
        // is read (and could not be swapped in anyway: the header is in every chunk's AAD).
        const SecureBuffer key = systemRandom().secret(kSymmetricKeySize);
        CountingRandom random(0x01);
        Encrypted parts = encryptChunks(key.view(), pattern(10), random);
        SpecFile lying(key.view(), Bytes{1, 2, 3, 4, 5, 6, 7}, 32768);
        parts.header = lying.header;
        QCOMPARE(decryptAll(key.view(), parts.joined()).error(), StreamError::UnsupportedChunkSize);
        // A chunk longer than the chunk size is refused before any decryption.
        auto decryptor = FileDecryptor::create(key.view(), encryptChunks(key.view(), {}).header);
        Bytes tooLong(kFileSealedChunkSize + 1);
        Bytes out(kFileSealedChunkSize + 1);
        QCOMPARE(decryptor->decryptChunk(tooLong, out).error(), StreamError::ChunkTooLarge);
    }

    void emptyFinalChunkAfterChunksRefused() {
        // Only a non-conforming encoder writes a full chunk then an empty final one; the
        // decoder accepts one encoding per plaintext and refuses this one.
        const SecureBuffer key = systemRandom().secret(kSymmetricKeySize);
        const Bytes prefix = {9, 8, 7, 6, 5, 4, 3};
        SpecFile spec(key.view(), prefix);
        const Bytes plaintext = pattern(kFileChunkSize);
        Bytes whole = spec.header;
        const Bytes c0 = spec.seal(0, false, plaintext);
        const Bytes c1 = spec.seal(1, true, {});
        whole.insert(whole.end(), c0.begin(), c0.end());
        whole.insert(whole.end(), c1.begin(), c1.end());
        QCOMPARE(decryptAll(key.view(), whole).error(), StreamError::EmptyFinalChunk);
        // The conforming encoding of the same plaintext opens.
        Bytes good = spec.header;
        const Bytes only = spec.seal(0, true, plaintext);
        good.insert(good.end(), only.begin(), only.end());
        QVERIFY(decryptAll(key.view(), good).value() == plaintext);
    }

    void encryptorRefusesMisuse() {
        const SecureBuffer key = systemRandom().secret(kSymmetricKeySize);
        QCOMPARE(FileEncryptor::create(ByteView(key.view()).first(31)).error(),
                 StreamError::WrongKeyLength);
        auto encryptor = FileEncryptor::create(key.view()).value();
        const Bytes full = pattern(kFileChunkSize);
        Bytes out(kFileSealedChunkSize + 1);
        QCOMPARE(encryptor.encryptChunk(ByteView(full).first(10), false, out).error(),
                 StreamError::PartialChunkNotFinal);
        QCOMPARE(encryptor.encryptChunk(pattern(kFileChunkSize + 1), true, out).error(),
                 StreamError::ChunkTooLarge);
        QCOMPARE(encryptor.encryptChunk(full, false, std::span(out).first(100)).error(),
                 StreamError::OutputTooSmall);
        QCOMPARE(encryptor.chunkCount(), std::uint64_t{0}); // refusals change nothing
        QCOMPARE(encryptor.encryptChunk(full, false, out).value(), kFileSealedChunkSize);
        QCOMPARE(encryptor.encryptChunk({}, true, out).error(), StreamError::EmptyFinalChunk);
        QCOMPARE(encryptor.encryptChunk(ByteView(full).first(3), true, out).value(),
                 std::size_t{3 + kTagSize});
        QVERIFY(encryptor.finished());
        QCOMPARE(encryptor.encryptChunk(ByteView(full).first(3), true, out).error(),
                 StreamError::DataAfterFinalChunk);
    }

    void decryptorStaysFailed() {
        const SecureBuffer key = systemRandom().secret(kSymmetricKeySize);
        const Encrypted parts = encryptChunks(key.view(), pattern(kFileChunkSize + 1));
        auto decryptor = FileDecryptor::create(key.view(), parts.header).value();
        Bytes out(kFileChunkSize);
        QCOMPARE(decryptor.decryptChunk(ByteView(parts.chunks[0]).first(10), out).error(),
                 StreamError::ChunkTruncated);
        QCOMPARE(decryptor.decryptChunk(parts.chunks[0], out).error(), StreamError::ChunkTruncated);
        QCOMPARE(decryptor.finish().error(), StreamError::ChunkTruncated);

        auto second = FileDecryptor::create(key.view(), parts.header).value();
        Bytes tampered = parts.chunks[0];
        tampered[5] ^= 1;
        std::fill(out.begin(), out.end(), std::uint8_t{0xaa});
        QCOMPARE(second.decryptChunk(tampered, out).error(), StreamError::AuthenticationFailed);
        QCOMPARE(second.decryptChunk(parts.chunks[0], out).error(),
                 StreamError::AuthenticationFailed);
        // A failed chunk leaves no plaintext behind.
        QVERIFY(std::all_of(out.begin(), out.end(), [](std::uint8_t b) { return b == 0; }));

        // Too small an output buffer is the caller's mistake and does not end the stream.
        auto third = FileDecryptor::create(key.view(), parts.header).value();
        QCOMPARE(third.decryptChunk(parts.chunks[0], std::span(out).first(100)).error(),
                 StreamError::OutputTooSmall);
        QVERIFY(third.decryptChunk(parts.chunks[0], out).ok());
        QVERIFY(third.decryptChunk(parts.chunks[1], out).ok());
        QVERIFY(third.finish().ok());
    }

    void ciphertextHashChecked() {
        const SecureBuffer key = systemRandom().secret(kSymmetricKeySize);
        const Bytes whole = encryptChunks(key.view(), pattern(5000)).joined();
        QVERIFY(decryptAll(key.view(), whole, sha256(whole)).ok());
        Sha256Digest wrong = sha256(whole);
        wrong[0] ^= 1;
        QCOMPARE(decryptAll(key.view(), whole, wrong).error(), StreamError::CiphertextHashMismatch);
    }

    void ioErrorsReported() {
        const SecureBuffer key = systemRandom().secret(kSymmetricKeySize);
        FailingSource failing;
        std::istream badIn(&failing);
        std::ostringstream sink;
        QCOMPARE(encryptStream(key.view(), badIn, sink).error(), StreamError::ReadFailed);
        std::istream badIn2(&failing);
        QCOMPARE(decryptStream(key.view(), badIn2, sink).error(), StreamError::ReadFailed);

        std::istringstream in("hello");
        std::ofstream closed; // never opened: every write fails
        QCOMPARE(encryptStream(key.view(), in, closed).error(), StreamError::WriteFailed);
    }

    void describesEveryError() {
        for (int e = 0; e <= static_cast<int>(StreamError::BackendFailure); ++e) {
            QVERIFY(describe(static_cast<StreamError>(e)) != "unknown error");
        }
    }

    void largeStreamInBoundedMemory() {
        // 64 MiB made on the fly -> encrypted to a temporary file -> decrypted into a hash.
        // No step holds more than a few chunks.
        constexpr std::uint64_t size = 64ULL * 1024 * 1024;
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string path = dir.filePath(QStringLiteral("large.cinder")).toStdString();
        const SecureBuffer key = systemRandom().secret(kSymmetricKeySize);

        PatternSource source(size);
        std::istream in(&source);
        std::ofstream file(path, std::ios::binary);
        auto encrypted = encryptStream(key.view(), in, file);
        file.close();
        QVERIFY(encrypted.ok());
        QVERIFY(file.good());
        QCOMPARE(encrypted->plaintextSize, size);
        QCOMPARE(encrypted->ciphertextSize, 17 + size + (size / kFileChunkSize) * kTagSize);
        const Sha256Digest plaintextHash = source.digest();

        std::ifstream cipherIn(path, std::ios::binary);
        HashSink sink;
        std::ostream out(&sink);
        auto decrypted = decryptStream(key.view(), cipherIn, out, encrypted->ciphertextSha256);
        QVERIFY(decrypted.ok());
        QCOMPARE(decrypted->plaintextSize, size);
        QCOMPARE(sink.count(), size);
        QCOMPARE(toHex(sink.digest()), toHex(plaintextHash));
        QCOMPARE(toHex(decrypted->ciphertextSha256), toHex(encrypted->ciphertextSha256));
    }
};

QTEST_APPLESS_MAIN(TestFileStream)
#include "tst_file_stream.moc"
