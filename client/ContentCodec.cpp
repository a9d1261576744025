// SPDX-License-Identifier: Apache-2.0
#include "client/ContentCodec.h"

#include "crypto/Constants.h"
#include "crypto/WireCodec.h"

namespace cinder::client {

namespace {

bool isId(const std::string& bytes, std::size_t size) {
    return bytes.size() == size;
}

bool fieldsInRange(const content::Content& body) {
    using content::Content;
    if (!body.direct_peer().empty() && !isId(body.direct_peer(), crypto::kRootIdSize)) {
        return false;
    }
    switch (body.body_case()) {
    case Content::kText:
        return !body.text().text().empty() && body.text().text().size() <= kMaxTextBytes &&
               (body.text().reply_to().empty() ||
                isId(body.text().reply_to(), crypto::kMessageIdSize));
    case Content::kReaction:
        return isId(body.reaction().target(), crypto::kMessageIdSize) &&
               !body.reaction().emoji().empty() && body.reaction().emoji().size() <= 64;
    case Content::kEdit:
        return isId(body.edit().target(), crypto::kMessageIdSize) && !body.edit().text().empty() &&
               body.edit().text().size() <= kMaxTextBytes;
    case Content::kDelete:
        return isId(body.delete_().target(), crypto::kMessageIdSize);
    case Content::kReadReceipt: {
        if (body.read_receipt().message_ids_size() == 0 ||
            body.read_receipt().message_ids_size() > 1000) {
            return false;
        }
        for (const std::string& id : body.read_receipt().message_ids()) {
            if (!isId(id, crypto::kMessageIdSize)) {
                return false;
            }
        }
        return true;
    }
    case Content::kFile: {
        const content::FileDescriptor& file = body.file();
        return !file.blob_id().empty() && file.blob_id().size() <= 64 &&
               isId(file.file_key(), crypto::kSymmetricKeySize) &&
               isId(file.ciphertext_sha256(), 32) && file.ciphertext_size() > 0 &&
               file.file_name().size() <= kMaxFileNameBytes && file.mime_type().size() <= 255;
    }
    case Content::kGroupControl:
        return true; // RoomState checks the membership itself
    case Content::BODY_NOT_SET:
        return false;
    }
    return false;
}

} // namespace

crypto::Bytes encodeContent(const content::Content& body) {
    const std::string bytes = body.SerializeAsString();
    return crypto::Bytes(bytes.begin(), bytes.end());
}

std::optional<crypto::ContentType> contentTypeOf(const content::Content& body) {
    using content::Content;
    using crypto::ContentType;
    switch (body.body_case()) {
    case Content::kText:
        return ContentType::Text;
    case Content::kReaction:
        return ContentType::Reaction;
    case Content::kEdit:
        return ContentType::Edit;
    case Content::kDelete:
        return ContentType::Delete;
    case Content::kReadReceipt:
        return ContentType::ReadReceipt;
    case Content::kFile:
        return ContentType::File;
    case Content::kGroupControl:
        return ContentType::GroupControl;
    case Content::BODY_NOT_SET:
        break;
    }
    return std::nullopt;
}

std::optional<content::Content> decodeContent(crypto::ByteView bytes, crypto::ContentType type) {
    content::Content body;
    if (!crypto::parseCanonical(bytes, crypto::kMaxContentSize, body)) {
        return std::nullopt;
    }
    if (contentTypeOf(body) != type || !fieldsInRange(body)) {
        return std::nullopt;
    }
    return body;
}

} // namespace cinder::client
