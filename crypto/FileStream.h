// SPDX-License-Identifier: Apache-2.0
#pragma once

// Streaming file encryption in constant memory (docs/PROTOCOL.md §11,
// "File streams"). An encrypted file is
//     header || chunk_0 || chunk_1 || ... || chunk_{n-1}
// where header = length (2 bytes, big-endian) || FileStreamHeader (canonical protobuf) and
// chunk_i = AES-256-GCM ciphertext || tag of kFileChunkSize plaintext bytes; only the final
// chunk may be shorter, and it is empty only when the whole file is. The chunk index and a
// final-chunk flag are bound into each nonce (the STREAM construction), so truncation,
// reordering, duplication, appending and chunks taken from another file are all detected.
//
// The file key is random per file and travels inside the signed, encrypted message payload
// together with the SHA-256 of the whole ciphertext (header included).

#include "crypto/Aead.h"
#include "crypto/Bytes.h"
#include "crypto/Constants.h"
#include "crypto/Hash.h"
#include "crypto/Random.h"
#include "crypto/Result.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <span>
#include <string_view>

namespace cinder::crypto {

enum class StreamError {
    WrongKeyLength,         // the file key is not kSymmetricKeySize bytes
    HeaderTruncated,        // fewer bytes than the header's length prefix announces
    HeaderOversized,        // the length prefix exceeds kMaxFileHeaderSize
    MalformedHeader,        // not the canonical encoding of a FileStreamHeader
    UnsupportedVersion,     // header version is not kFileStreamVersion
    UnsupportedChunkSize,   // header chunk size is not kFileChunkSize
    BadNoncePrefix,         // header nonce prefix is not kFileNoncePrefixSize bytes
    ChunkTruncated,         // a sealed chunk shorter than its tag
    ChunkTooLarge,          // more than kFileChunkSize plaintext bytes in one chunk
    PartialChunkNotFinal,   // encrypting: only the final chunk may be shorter than a full one
    EmptyFinalChunk,        // an empty final chunk after other chunks (not the one encoding)
    AuthenticationFailed,   // tampered, reordered, from another file, or cut inside a chunk
    DataAfterFinalChunk,    // a chunk after the one flagged final (appended data)
    MissingFinalChunk,      // the stream ended before its final chunk (truncation)
    TooManyChunks,          // the 4-byte chunk index would overflow
    OutputTooSmall,         // the caller's output buffer cannot hold the result
    CiphertextHashMismatch, // the ciphertext is not the one the file descriptor names
    ReadFailed,             // the input stream reported an error
    WriteFailed,            // the output stream reported an error
    BackendFailure,         // OpenSSL failed
};

[[nodiscard]] std::string_view describe(StreamError error);

// Sealed size of a chunk of plaintextSize bytes.
[[nodiscard]] constexpr std::size_t sealedChunkSize(std::size_t plaintextSize) {
    return plaintextSize + kTagSize;
}

// Encrypts one file. Write header() first, then each chunk encryptChunk() produces, in order.
// Not thread-safe; one instance per file.
class FileEncryptor {
public:
    // fileKey must be kSymmetricKeySize bytes; random draws the nonce prefix.
    static Result<FileEncryptor, StreamError> create(ByteView fileKey,
                                                     RandomSource& random = systemRandom());

    // The bytes that precede the first chunk (length prefix included).
    [[nodiscard]] ByteView header() const { return m_header; }

    // Seals one chunk into out and returns the number of bytes written
    // (sealedChunkSize(plaintext.size())). plaintext holds exactly kFileChunkSize bytes unless
    // last is true; the final chunk holds 0..kFileChunkSize bytes and may be empty only when it
    // is the first. Nothing is written and no state changes when an error is returned.
    [[nodiscard]] Result<std::size_t, StreamError> encryptChunk(ByteView plaintext, bool last,
                                                                std::span<std::uint8_t> out);

    [[nodiscard]] bool finished() const { return m_finished; }
    [[nodiscard]] std::uint64_t chunkCount() const { return m_index; }

private:
    FileEncryptor(AeadContext aead, Bytes header, Bytes aad,
                  const std::array<std::uint8_t, kFileNoncePrefixSize>& prefix);

    AeadContext m_aead;
    Bytes m_header;
    Bytes m_aad;
    std::array<std::uint8_t, kFileNoncePrefixSize> m_prefix{};
    std::uint64_t m_index = 0;
    bool m_finished = false;
};

struct DecryptedChunk {
    std::size_t size = 0; // plaintext bytes written
    bool last = false;    // this was the final chunk; finish() will succeed
};

// Decrypts one file chunk by chunk. After the first error every call returns that error
// again: a damaged stream never yields more plaintext. Not thread-safe.
class FileDecryptor {
public:
    // Total size of the header (length prefix included) that begins with prefix, which must
    // hold at least kFileHeaderLengthSize bytes. Lets a reader know how much to read first.
    static Result<std::size_t, StreamError> headerSize(ByteView prefix);

    // header is exactly the bytes FileEncryptor::header() returned.
    static Result<FileDecryptor, StreamError> create(ByteView fileKey, ByteView header);

    // Opens the next sealed chunk (kFileSealedChunkSize bytes, or fewer for the final one)
    // into out, which must hold chunk.size() - kTagSize bytes. Plaintext is written only when
    // the chunk authenticates.
    [[nodiscard]] Result<DecryptedChunk, StreamError> decryptChunk(ByteView chunk,
                                                                   std::span<std::uint8_t> out);

    // Succeeds only when the final chunk has been decrypted: call it when the input ends.
    [[nodiscard]] Result<void, StreamError> finish() const;

    [[nodiscard]] std::uint64_t chunkCount() const { return m_index; }

private:
    FileDecryptor(AeadContext aead, Bytes aad,
                  const std::array<std::uint8_t, kFileNoncePrefixSize>& prefix);
    Result<DecryptedChunk, StreamError> poison(StreamError error);

    AeadContext m_aead;
    Bytes m_aad;
    std::array<std::uint8_t, kFileNoncePrefixSize> m_prefix{};
    std::uint64_t m_index = 0;
    bool m_finished = false;
    std::optional<StreamError> m_failure;
};

// What a whole-stream operation saw; ciphertextSha256 covers header and chunks, as the file
// descriptor in the message payload does.
struct StreamSummary {
    std::uint64_t plaintextSize = 0;
    std::uint64_t ciphertextSize = 0;
    Sha256Digest ciphertextSha256{};
};

// Encrypts all of in to out with three chunk-sized buffers, whatever the file size.
[[nodiscard]] Result<StreamSummary, StreamError>
encryptStream(ByteView fileKey, std::istream& in, std::ostream& out,
              RandomSource& random = systemRandom());

// Decrypts all of in to out in bounded memory. Plaintext of each authenticated chunk is
// written as it is opened, so on any error the caller must discard everything written to
// out. With expectedCiphertextSha256 (from the file descriptor), a stream whose ciphertext
// hash differs fails with CiphertextHashMismatch once it ends.
[[nodiscard]] Result<StreamSummary, StreamError>
decryptStream(ByteView fileKey, std::istream& in, std::ostream& out,
              const std::optional<Sha256Digest>& expectedCiphertextSha256 = std::nullopt);

} // namespace cinder::crypto
