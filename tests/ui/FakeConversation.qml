// SPDX-License-Identifier: Apache-2.0
import QtQuick

// Stands in for ConversationController in the Composer tests: records what was sent.
QtObject {
    property bool canSend: true
    property string blockedReason: ""
    property real uploadProgress: -1
    property int ttlSeconds: 86400
    property bool burnOnRead: false
    property int burnSeconds: 0
    property var sent: []
    property var replies: []
    property var edits: []
    property var files: []
    property var timers: []

    function send(text, replyToId) {
        if (!canSend || text.trim().length === 0)
            return false;
        sent.push(text);
        replies.push(replyToId);
        return true;
    }
    function edit(messageId, text) { edits.push([messageId, text]); }
    function sendFiles(urls) { files.push(urls); return true; }
    function setTimers(ttl, burn, burnAfter) { timers.push([ttl, burn, burnAfter]); }
}
