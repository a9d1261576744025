// SPDX-License-Identifier: Apache-2.0
//
// File encryption, suite 1 (docs/PROTOCOL.md §11: random per-file key,
// chunked AES-256-GCM (64 KiB chunks, chunk index and a last-chunk flag bound into the
// nonce/AAD, like the STREAM construction) so truncation, reordering and chunk swapping are
// detected; streaming, constant memory). STREAM is from Hoang, Reyhanitabar, Rogaway and
// Vizar, "Online Authenticated-Encryption and its Nonce-Reuse Misuse-Resistance" (2015).
//
//   P        = 7 random bytes, fresh per file
//   H        = FileStreamHeader{version = 1, chunk_size = 65536, nonce_prefix = P}
//   header   = uint16_be(|H|) || H                          (H canonical protobuf, |H| <= 256)
//   K_chunk  = HKDF-SHA-256(IKM  = Transcript(kFileChunkKey, SecretKey: K_file, Nonce: P),
//                           salt = "", info = kFileChunkKey, L = 32)
//   AAD      = kAadFileChunk || header
//   N_i      = P || uint32_be(i) || (0x01 if i = n - 1 else 0x00)
//   chunk_i  = AES-256-GCM-Seal(K_chunk, N_i, AAD, M_i) = ciphertext || tag (16)
//   file     = header || chunk_0 || ... || chunk_{n-1}
// with |M_i| = 65536 for i < n - 1, 0 < |M_{n-1}| <= 65536, except n = 1, |M_0| = 0 for the
// empty file; n <= 2^32.
//
// A reader does not know in advance which chunk is the last: a full-size chunk is opened with
// flag 0 and, only if that fails, with flag 1; a shorter chunk can only be the last. A chunk
// that authenticates with flag 1 ends the stream; anything after it is refused, and a stream
// that ends without one is truncated.

#include "crypto/FileStream.h"

#include "crypto/Kdf.h"
#include "crypto/SecureBuffer.h"
#include "crypto/Transcript.h"
#include "crypto/WireCodec.h"

#include "cinder/packet.pb.h"

#include <cstring>
#include <istream>
#include <ostream>
#include <string>
#include <utility>

namespace cinder::crypto {

std::string_view describe(StreamError error) {
    switch (error) {
    case StreamError::WrongKeyLength:
        return "file key has the wrong length";
    case StreamError::HeaderTruncated:
        return "file header is truncated";
    case StreamError::HeaderOversized:
        return "file header is larger than allowed";
    case StreamError::MalformedHeader:
        return "file header is malformed or not canonical";
    case StreamError::UnsupportedVersion:
        return "file stream version is not supported";
    case StreamError::UnsupportedChunkSize:
        return "file header names an unsupported chunk size";
    case StreamError::BadNoncePrefix:
        return "file header nonce prefix has the wrong length";
    case StreamError::ChunkTruncated:
        return "file chunk is shorter than its tag";
    case StreamError::ChunkTooLarge:
        return "file chunk is larger than the chunk size";
    case StreamError::PartialChunkNotFinal:
        return "only the final file chunk may be shorter than the chunk size";
    case StreamError::EmptyFinalChunk:
        return "empty final chunk after other chunks";
    case StreamError::AuthenticationFailed:
        return "file chunk failed authentication (tampered, reordered or from another file)";
    case StreamError::DataAfterFinalChunk:
        return "data after the final file chunk";
    case StreamError::MissingFinalChunk:
        return "file stream ended before its final chunk (truncated)";
    case StreamError::TooManyChunks:
        return "file has more chunks than the chunk index can count";
    case StreamError::OutputTooSmall:
        return "output buffer is too small";
    case StreamError::CiphertextHashMismatch:
        return "file ciphertext does not match the hash in its descriptor";
    case StreamError::ReadFailed:
        return "reading the input stream failed";
    case StreamError::WriteFailed:
        return "writing the output stream failed";
    case StreamError::BackendFailure:
        return "the cryptographic backend failed";
    }
    return "unknown error";
}

namespace {

using NoncePrefix = std::array<std::uint8_t, kFileNoncePrefixSize>;

constexpr std::uint8_t kNotFinal = 0x00;
constexpr std::uint8_t kFinal = 0x01;

Nonce chunkNonce(const NoncePrefix& prefix, std::uint64_t index, bool last) {
    Nonce nonce{};
    std::memcpy(nonce.data(), prefix.data(), prefix.size());
    nonce[7] = static_cast<std::uint8_t>(index >> 24);
    nonce[8] = static_cast<std::uint8_t>(index >> 16);
    nonce[9] = static_cast<std::uint8_t>(index >> 8);
    nonce[10] = static_cast<std::uint8_t>(index);
    nonce[11] = last ? kFinal : kNotFinal;
    return nonce;
}

// K_chunk = HKDF-SHA-256(Transcript(kFileChunkKey, SecretKey: K_file, Nonce: P), kFileChunkKey)
Result<AeadContext, StreamError> chunkCipher(ByteView fileKey, const NoncePrefix& prefix) {
    Transcript material(label::kFileChunkKey);
    material.add(Field::SecretKey, fileKey).add(Field::Nonce, prefix);
    auto chunkKey = hkdfSha256(material.view(), label::kFileChunkKey, kSymmetricKeySize);
    if (!chunkKey) {
        return fail(StreamError::BackendFailure);
    }
    auto aead = AeadContext::create(chunkKey->view());
    if (!aead) {
        return fail(StreamError::BackendFailure);
    }
    return std::move(aead).value();
}

// AAD = kAadFileChunk || header
Bytes chunkAad(ByteView header) {
    // Sized once and copied with memcpy (vector::insert here trips GCC 12's -Warray-bounds).
    Bytes aad(label::kAadFileChunk.size() + header.size());
    std::memcpy(aad.data(), label::kAadFileChunk.data(), label::kAadFileChunk.size());
    std::memcpy(aad.data() + label::kAadFileChunk.size(), header.data(), header.size());
    return aad;
}

} // namespace

// --- Encryption -----------------------------------------------------------------------------

FileEncryptor::FileEncryptor(AeadContext aead, Bytes header, Bytes aad, const NoncePrefix& prefix)
    : m_aead(std::move(aead)), m_header(std::move(header)), m_aad(std::move(aad)),
      m_prefix(prefix) {}

Result<FileEncryptor, StreamError> FileEncryptor::create(ByteView fileKey, RandomSource& random) {
    if (fileKey.size() != kSymmetricKeySize) {
        return fail(StreamError::WrongKeyLength);
    }
    NoncePrefix prefix{};
    random.fill(prefix);

    wire::FileStreamHeader message;
    message.set_version(kFileStreamVersion);
    message.set_chunk_size(static_cast<std::uint32_t>(kFileChunkSize));
    message.set_nonce_prefix(stringOf(prefix));
    const Bytes body = serialize(message);
    if (body.empty() || body.size() > kMaxFileHeaderSize) {
        return fail(StreamError::BackendFailure);
    }
    Bytes header(kFileHeaderLengthSize + body.size());
    header[0] = static_cast<std::uint8_t>(body.size() >> 8);
    header[1] = static_cast<std::uint8_t>(body.size());
    std::memcpy(header.data() + kFileHeaderLengthSize, body.data(), body.size());

    CINDER_TRY_ASSIGN(auto aead, chunkCipher(fileKey, prefix));
    Bytes aad = chunkAad(header);
    return FileEncryptor(std::move(aead), std::move(header), std::move(aad), prefix);
}

Result<std::size_t, StreamError> FileEncryptor::encryptChunk(ByteView plaintext, bool last,
                                                             std::span<std::uint8_t> out) {
    if (m_finished) {
        return fail(StreamError::DataAfterFinalChunk);
    }
    if (plaintext.size() > kFileChunkSize) {
        return fail(StreamError::ChunkTooLarge);
    }
    if (!last && plaintext.size() != kFileChunkSize) {
        return fail(StreamError::PartialChunkNotFinal);
    }
    if (last && plaintext.empty() && m_index > 0) {
        return fail(StreamError::EmptyFinalChunk);
    }
    if (!last && m_index + 1 >= kMaxFileChunks) {
        return fail(StreamError::TooManyChunks); // index 2^32 - 1 must be the final chunk
    }
    const std::size_t sealedSize = sealedChunkSize(plaintext.size());
    if (out.size() < sealedSize) {
        return fail(StreamError::OutputTooSmall);
    }
    if (!m_aead.seal(chunkNonce(m_prefix, m_index, last), m_aad, plaintext,
                     out.first(sealedSize))) {
        return fail(StreamError::BackendFailure);
    }
    ++m_index;
    m_finished = last;
    return sealedSize;
}

// --- Decryption -----------------------------------------------------------------------------

FileDecryptor::FileDecryptor(AeadContext aead, Bytes aad, const NoncePrefix& prefix)
    : m_aead(std::move(aead)), m_aad(std::move(aad)), m_prefix(prefix) {}

Result<std::size_t, StreamError> FileDecryptor::headerSize(ByteView prefix) {
    if (prefix.size() < kFileHeaderLengthSize) {
        return fail(StreamError::HeaderTruncated);
    }
    const std::size_t bodySize = (std::size_t{prefix[0]} << 8) | std::size_t{prefix[1]};
    if (bodySize == 0) {
        return fail(StreamError::MalformedHeader);
    }
    if (bodySize > kMaxFileHeaderSize) {
        return fail(StreamError::HeaderOversized);
    }
    return kFileHeaderLengthSize + bodySize;
}

Result<FileDecryptor, StreamError> FileDecryptor::create(ByteView fileKey, ByteView header) {
    if (fileKey.size() != kSymmetricKeySize) {
        return fail(StreamError::WrongKeyLength);
    }
    CINDER_TRY_ASSIGN(auto size, headerSize(header));
    if (header.size() < size) {
        return fail(StreamError::HeaderTruncated);
    }
    if (header.size() > size) {
        return fail(StreamError::MalformedHeader);
    }
    const ByteView body = header.subspan(kFileHeaderLengthSize);

    // Version first, so that a later version's header is reported as such rather than as
    // malformed; then the fields; then the one encoding.
    wire::FileStreamHeader message;
    if (!message.ParseFromArray(body.data(), static_cast<int>(body.size()))) {
        return fail(StreamError::MalformedHeader);
    }
    if (message.version() != kFileStreamVersion) {
        return fail(StreamError::UnsupportedVersion);
    }
    if (message.chunk_size() != kFileChunkSize) {
        return fail(StreamError::UnsupportedChunkSize);
    }
    if (message.nonce_prefix().size() != kFileNoncePrefixSize) {
        return fail(StreamError::BadNoncePrefix);
    }
    wire::FileStreamHeader canonical;
    if (!parseCanonical(body, kMaxFileHeaderSize, canonical)) {
        return fail(StreamError::MalformedHeader);
    }
    NoncePrefix prefix{};
    std::memcpy(prefix.data(), canonical.nonce_prefix().data(), prefix.size());

    CINDER_TRY_ASSIGN(auto aead, chunkCipher(fileKey, prefix));
    return FileDecryptor(std::move(aead), chunkAad(header), prefix);
}

Result<DecryptedChunk, StreamError> FileDecryptor::poison(StreamError error) {
    m_failure = error;
    return fail(error);
}

Result<DecryptedChunk, StreamError> FileDecryptor::decryptChunk(ByteView chunk,
                                                                std::span<std::uint8_t> out) {
    if (m_failure) {
        return fail(*m_failure);
    }
    if (m_finished) {
        return poison(StreamError::DataAfterFinalChunk);
    }
    if (chunk.size() < kTagSize) {
        return poison(StreamError::ChunkTruncated);
    }
    if (chunk.size() > kFileSealedChunkSize) {
        return poison(StreamError::ChunkTooLarge);
    }
    const std::size_t size = chunk.size() - kTagSize;
    if (out.size() < size) {
        return fail(StreamError::OutputTooSmall); // the caller's mistake; the stream is intact
    }
    const std::span<std::uint8_t> plaintext = out.first(size);

    // Only a full chunk can have a successor, and index 2^32 - 1 has none.
    if (size == kFileChunkSize && m_index + 1 < kMaxFileChunks) {
        auto opened = m_aead.open(chunkNonce(m_prefix, m_index, false), m_aad, chunk, plaintext);
        if (opened) {
            ++m_index;
            return DecryptedChunk{size, false};
        }
        if (opened.error() != AeadError::AuthenticationFailed) {
            return poison(StreamError::BackendFailure);
        }
    }
    auto opened = m_aead.open(chunkNonce(m_prefix, m_index, true), m_aad, chunk, plaintext);
    if (!opened) {
        return poison(opened.error() == AeadError::AuthenticationFailed
                          ? StreamError::AuthenticationFailed
                          : StreamError::BackendFailure);
    }
    if (size == 0 && m_index > 0) {
        return poison(StreamError::EmptyFinalChunk);
    }
    ++m_index;
    m_finished = true;
    return DecryptedChunk{size, true};
}

Result<void, StreamError> FileDecryptor::finish() const {
    if (m_failure) {
        return fail(*m_failure);
    }
    if (!m_finished) {
        return fail(StreamError::MissingFinalChunk);
    }
    return {};
}

// --- Whole streams --------------------------------------------------------------------------

namespace {

// Reads until out is full or the input ends.
Result<std::size_t, StreamError> readUpTo(std::istream& in, std::span<std::uint8_t> out) {
    in.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(out.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (in.bad() || (in.fail() && !in.eof())) {
        return fail(StreamError::ReadFailed);
    }
    return got;
}

Result<void, StreamError> writeAll(std::ostream& out, ByteView bytes) {
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    if (!out) {
        return fail(StreamError::WriteFailed);
    }
    return {};
}

} // namespace

Result<StreamSummary, StreamError> encryptStream(ByteView fileKey, std::istream& in,
                                                 std::ostream& out, RandomSource& random) {
    CINDER_TRY_ASSIGN(auto encryptor, FileEncryptor::create(fileKey, random));
    StreamSummary summary;
    Sha256Stream hash;
    CINDER_TRY(writeAll(out, encryptor.header()));
    hash.update(encryptor.header());
    summary.ciphertextSize = encryptor.header().size();

    // A full chunk is the final one when nothing follows it, so the reader keeps one chunk
    // of lookahead; the final chunk is then empty only for an empty file.
    SecureBuffer current(kFileChunkSize); // both wiped when done
    SecureBuffer next(kFileChunkSize);
    Bytes sealed(kFileSealedChunkSize);
    CINDER_TRY_ASSIGN(auto got, readUpTo(in, current.span()));
    for (;;) {
        const std::size_t size = got;
        bool last = size < kFileChunkSize;
        if (!last) {
            CINDER_TRY_ASSIGN(got, readUpTo(in, next.span()));
            last = got == 0;
        }
        CINDER_TRY_ASSIGN(auto sealedSize,
                          encryptor.encryptChunk(current.view().first(size), last, sealed));
        const ByteView chunk = ByteView(sealed).first(sealedSize);
        CINDER_TRY(writeAll(out, chunk));
        hash.update(chunk);
        summary.plaintextSize += size;
        summary.ciphertextSize += chunk.size();
        if (last) {
            break;
        }
        std::swap(current, next);
    }
    summary.ciphertextSha256 = hash.finish();
    return summary;
}

Result<StreamSummary, StreamError>
decryptStream(ByteView fileKey, std::istream& in, std::ostream& out,
              const std::optional<Sha256Digest>& expectedCiphertextSha256) {
    std::array<std::uint8_t, kFileHeaderLengthSize + kMaxFileHeaderSize> headerBuffer{};
    CINDER_TRY_ASSIGN(auto got, readUpTo(in, std::span(headerBuffer).first(kFileHeaderLengthSize)));
    if (got < kFileHeaderLengthSize) {
        return fail(StreamError::HeaderTruncated);
    }
    CINDER_TRY_ASSIGN(auto headerSize,
                      FileDecryptor::headerSize(std::span(headerBuffer).first(got)));
    const std::size_t bodySize = headerSize - kFileHeaderLengthSize;
    CINDER_TRY_ASSIGN(
        got, readUpTo(in, std::span(headerBuffer).subspan(kFileHeaderLengthSize, bodySize)));
    if (got < bodySize) {
        return fail(StreamError::HeaderTruncated);
    }
    const ByteView header = ByteView(headerBuffer).first(headerSize);
    CINDER_TRY_ASSIGN(auto decryptor, FileDecryptor::create(fileKey, header));
    StreamSummary summary;
    Sha256Stream hash;
    hash.update(header);
    summary.ciphertextSize = header.size();

    Bytes sealed(kFileSealedChunkSize);
    SecureBuffer plaintext(kFileChunkSize); // wiped when done
    for (;;) {
        CINDER_TRY_ASSIGN(got, readUpTo(in, sealed));
        if (got == 0) {
            break;
        }
        const ByteView chunk = ByteView(sealed).first(got);
        CINDER_TRY_ASSIGN(auto opened, decryptor.decryptChunk(chunk, plaintext.span()));
        CINDER_TRY(writeAll(out, plaintext.view().first(opened.size)));
        hash.update(chunk);
        summary.plaintextSize += opened.size;
        summary.ciphertextSize += chunk.size();
    }
    CINDER_TRY(decryptor.finish());
    summary.ciphertextSha256 = hash.finish();
    if (expectedCiphertextSha256 &&
        !constantTimeEqual(summary.ciphertextSha256, *expectedCiphertextSha256)) {
        return fail(StreamError::CiphertextHashMismatch);
    }
    return summary;
}

} // namespace cinder::crypto
