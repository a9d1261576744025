// SPDX-License-Identifier: Apache-2.0
#pragma once

// What the user does in a conversation: open a 1:1 conversation, write (text, reactions,
// edits, deletions, files), mark messages read (which starts their burn timers and tells the
// senders), and read the messages back. Each change is stored here and handed to the Outbox.

#include "client/SessionError.h"
#include "client/SessionTypes.h"

#include "crypto/Identifiers.h"
#include "storage/ConversationTable.h"
#include "storage/MessageTable.h"

#include <QObject>
#include <QString>

#include <optional>
#include <string_view>
#include <vector>

namespace cinder::client {

class DeviceDirectory;
class Expiry;
class FileTransfer;
class Outbox;
struct SessionContext;

class Conversations : public QObject {
    Q_OBJECT
public:
    Conversations(storage::MessageTable& messages, storage::ConversationTable& conversations,
                  const SessionContext& context, DeviceDirectory& directory, Outbox& outbox,
                  FileTransfer& files, Expiry& expiry);

    [[nodiscard]] SessionResult<crypto::ConversationId> openDirect(std::string_view username);
    [[nodiscard]] SessionResult<crypto::MessageId>
    sendText(const crypto::ConversationId& conversation, std::string_view text,
             std::optional<crypto::MessageId> replyTo);
    [[nodiscard]] SessionResult<crypto::MessageId> react(const crypto::ConversationId& conversation,
                                                         const crypto::MessageId& target,
                                                         std::string_view emoji, bool remove);
    [[nodiscard]] SessionResult<crypto::MessageId> edit(const crypto::ConversationId& conversation,
                                                        const crypto::MessageId& target,
                                                        std::string_view text);
    [[nodiscard]] SessionResult<crypto::MessageId>
    deleteForEveryone(const crypto::ConversationId& conversation, const crypto::MessageId& target);
    [[nodiscard]] SessionResult<void> markRead(const crypto::ConversationId& conversation,
                                               const std::vector<crypto::MessageId>& ids);
    // Encrypts the file into the attachment store, queues the upload and the message.
    [[nodiscard]] SessionResult<crypto::MessageId>
    sendFile(const crypto::ConversationId& conversation, const QString& path);

Q_SIGNALS:
    void messageChanged(const cinder::crypto::MessageId& id);
    void conversationChanged(const cinder::crypto::ConversationId& id);

private:
    // The message `target` of `conversation`, or UnknownMessage.
    SessionResult<storage::MessageRecord> messageIn(const crypto::ConversationId& conversation,
                                                    const crypto::MessageId& target);

    storage::MessageTable& m_messages;
    storage::ConversationTable& m_conversations;
    const SessionContext& m_context;
    DeviceDirectory& m_directory;
    Outbox& m_outbox;
    FileTransfer& m_files;
    Expiry& m_expiry;
};

} // namespace cinder::client
