<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>AccountHeader</name>
    <message>
        <location filename="../../ui/components/AccountHeader.qml" line="49"/>
        <source>Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/AccountHeader.qml" line="49"/>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/AccountHeader.qml" line="57"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AppDialog</name>
    <message>
        <location filename="../../ui/dialogs/AppDialog.qml" line="74"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BurnCover</name>
    <message>
        <location filename="../../ui/components/BurnCover.qml" line="18"/>
        <source>Tap to reveal. The message burns after it is shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/BurnCover.qml" line="40"/>
        <source>Tap to reveal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/BurnCover.qml" line="45"/>
        <source>Burns after reading</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CameraScanView</name>
    <message>
        <location filename="../../ui/verification/CameraScanView.qml" line="47"/>
        <source>Camera picture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/verification/CameraScanView.qml" line="53"/>
        <source>Hold their QR code in front of the camera.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/verification/CameraScanView.qml" line="61"/>
        <source>No camera found. Connect a camera, or open a picture of their code instead.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChatHeader</name>
    <message>
        <location filename="../../ui/components/ChatHeader.qml" line="62"/>
        <location filename="../../ui/components/ChatHeader.qml" line="76"/>
        <source>Verified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/ChatHeader.qml" line="75"/>
        <source>Room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/ChatHeader.qml" line="76"/>
        <source>Not verified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/ChatHeader.qml" line="87"/>
        <source>Members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/ChatHeader.qml" line="94"/>
        <source>Verify security key</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChatPage</name>
    <message>
        <location filename="../../ui/pages/ChatPage.qml" line="29"/>
        <source>Saved to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/ChatPage.qml" line="76"/>
        <source>No messages yet. Messages you send here disappear when their timer runs out.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CompareDigitsStep</name>
    <message>
        <location filename="../../ui/verification/CompareDigitsStep.qml" line="13"/>
        <source>Compare the safety code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/verification/CompareDigitsStep.qml" line="17"/>
        <source>Ask %1 to open this page too. If both of you see the same numbers, your conversation is private.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/verification/CompareDigitsStep.qml" line="29"/>
        <source>Their key fingerprint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/verification/CompareDigitsStep.qml" line="44"/>
        <source>Mark as verified</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../../ui/components/Composer.qml" line="104"/>
        <source>Editing message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/Composer.qml" line="104"/>
        <source>Replying to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/Composer.qml" line="113"/>
        <source>Upload progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/Composer.qml" line="125"/>
        <location filename="../../ui/components/Composer.qml" line="226"/>
        <source>Attach files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/Composer.qml" line="150"/>
        <location filename="../../ui/components/Composer.qml" line="159"/>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/Composer.qml" line="197"/>
        <source>Save edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/Composer.qml" line="197"/>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/Composer.qml" line="200"/>
        <source>Send (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ComposerContextBar</name>
    <message>
        <location filename="../../ui/components/ComposerContextBar.qml" line="55"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConversationDelegate</name>
    <message>
        <location filename="../../ui/delegates/ConversationDelegate.qml" line="39"/>
        <source>%1, security key changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/delegates/ConversationDelegate.qml" line="40"/>
        <source>%1, %n unread</source>
        <translation>
            <numerusform>%1, %n unread</numerusform>
            <numerusform>%1, %n unread</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/delegates/ConversationDelegate.qml" line="92"/>
        <source>Security key changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/delegates/ConversationDelegate.qml" line="94"/>
        <source>No messages</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConversationListPane</name>
    <message>
        <location filename="../../ui/components/ConversationListPane.qml" line="60"/>
        <source>New chat (Ctrl+N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/ConversationListPane.qml" line="66"/>
        <source>New room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/ConversationListPane.qml" line="81"/>
        <source>Conversations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/ConversationListPane.qml" line="97"/>
        <source>No conversation matches.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/ConversationListPane.qml" line="98"/>
        <source>No conversations yet.
Start one with the pencil button.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CreateAccountPage</name>
    <message>
        <location filename="../../ui/onboarding/CreateAccountPage.qml" line="16"/>
        <source>Create your account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/CreateAccountPage.qml" line="17"/>
        <source>Your passphrase unlocks the keys on this device. It cannot be recovered, so choose one you will remember.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/CreateAccountPage.qml" line="36"/>
        <source>Username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/CreateAccountPage.qml" line="37"/>
        <source>e.g. alice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/CreateAccountPage.qml" line="48"/>
        <source>Passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/onboarding/CreateAccountPage.qml" line="50"/>
        <source>At least %n characters</source>
        <translation>
            <numerusform>At least %n character</numerusform>
            <numerusform>At least %n characters</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/CreateAccountPage.qml" line="63"/>
        <source>Confirm passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/CreateAccountPage.qml" line="65"/>
        <source>The passphrases do not match.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/CreateAccountPage.qml" line="82"/>
        <source>Creating account…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/CreateAccountPage.qml" line="82"/>
        <source>Create account</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DefaultTimersSection</name>
    <message>
        <location filename="../../ui/components/DefaultTimersSection.qml" line="14"/>
        <source>Disappearing messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/DefaultTimersSection.qml" line="18"/>
        <location filename="../../ui/components/DefaultTimersSection.qml" line="26"/>
        <source>Default timer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/DefaultTimersSection.qml" line="19"/>
        <source>New conversations start with this. You can change it in each conversation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/DefaultTimersSection.qml" line="40"/>
        <source>Burn after reading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/DefaultTimersSection.qml" line="41"/>
        <source>Messages are hidden until opened, then burn shortly after.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/DefaultTimersSection.qml" line="44"/>
        <source>Burn after reading by default</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DeviceDelegate</name>
    <message>
        <location filename="../../ui/delegates/DeviceDelegate.qml" line="20"/>
        <source>Device %1, this device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/delegates/DeviceDelegate.qml" line="20"/>
        <source>Device %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/delegates/DeviceDelegate.qml" line="45"/>
        <source>%1 (this device)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/delegates/DeviceDelegate.qml" line="51"/>
        <source>Added %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/delegates/DeviceDelegate.qml" line="60"/>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/delegates/DeviceDelegate.qml" line="61"/>
        <source>Remove device %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DevicesPage</name>
    <message>
        <location filename="../../ui/pages/DevicesPage.qml" line="22"/>
        <source>Devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/DevicesPage.qml" line="46"/>
        <source>Your devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/DevicesPage.qml" line="49"/>
        <source>Every device below can read new messages sent to you. Remove any you do not recognise.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/DevicesPage.qml" line="72"/>
        <source>Remove this device?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/DevicesPage.qml" line="73"/>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/DevicesPage.qml" line="80"/>
        <source>Device %1 will no longer receive your messages. To use it again, sign in on it anew.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DropOverlay</name>
    <message>
        <location filename="../../ui/components/DropOverlay.qml" line="31"/>
        <source>Drop files to send them</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EmptyChatPage</name>
    <message>
        <location filename="../../ui/pages/EmptyChatPage.qml" line="36"/>
        <source>No conversation open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/EmptyChatPage.qml" line="44"/>
        <source>Pick a conversation on the left, or start a new one. Press Ctrl+K to jump to a conversation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/EmptyChatPage.qml" line="52"/>
        <source>New chat</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EphemeralityPolicyPage</name>
    <message>
        <location filename="../../ui/onboarding/EphemeralityPolicyPage.qml" line="12"/>
        <source>Messages in Cinder burn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/EphemeralityPolicyPage.qml" line="13"/>
        <source>Before you start, please read how Cinder treats what you send.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/EphemeralityPolicyPage.qml" line="18"/>
        <source>Every message expires</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/EphemeralityPolicyPage.qml" line="19"/>
        <source>Each conversation has a timer. When it runs out, the message is deleted from every device, yours included.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/EphemeralityPolicyPage.qml" line="24"/>
        <source>Burn on read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/EphemeralityPolicyPage.qml" line="25"/>
        <source>Messages can burn a short time after they are opened. Until then they stay hidden behind a cover.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/EphemeralityPolicyPage.qml" line="30"/>
        <source>No history on new devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/EphemeralityPolicyPage.qml" line="31"/>
        <source>Signing in on another device does not bring old messages along. The server only relays encrypted packets.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/EphemeralityPolicyPage.qml" line="36"/>
        <source>People can still copy what they see</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/EphemeralityPolicyPage.qml" line="37"/>
        <source>Cinder cannot stop screenshots or cameras. Only send what you would trust the other person with.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/EphemeralityPolicyPage.qml" line="44"/>
        <source>I understand that my messages expire</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/EphemeralityPolicyPage.qml" line="56"/>
        <source>Continue</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ErrorBanner</name>
    <message>
        <location filename="../../ui/components/ErrorBanner.qml" line="48"/>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FileAttachment</name>
    <message>
        <location filename="../../ui/components/FileAttachment.qml" line="62"/>
        <source>Save to a folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/FileAttachment.qml" line="62"/>
        <source>Download</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/FileAttachment.qml" line="71"/>
        <source>Transfer progress</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IdentityChangedBanner</name>
    <message>
        <location filename="../../ui/components/IdentityChangedBanner.qml" line="21"/>
        <source>Warning: the security key of %1 changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/IdentityChangedBanner.qml" line="41"/>
        <source>%1&apos;s security key changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/IdentityChangedBanner.qml" line="48"/>
        <source>This can mean a new device, or someone in the middle. Sending is blocked until you accept the new key. Verify it with them first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/IdentityChangedBanner.qml" line="55"/>
        <source>Verify</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/IdentityChangedBanner.qml" line="59"/>
        <source>Verify the new key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/IdentityChangedBanner.qml" line="64"/>
        <source>Accept new key</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <location filename="../../ui/Main.qml" line="16"/>
        <source>Cinder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MemberDelegate</name>
    <message>
        <location filename="../../ui/delegates/MemberDelegate.qml" line="22"/>
        <source>manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/delegates/MemberDelegate.qml" line="22"/>
        <source>you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/delegates/MemberDelegate.qml" line="36"/>
        <source>%1 (you)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/delegates/MemberDelegate.qml" line="50"/>
        <source>Manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/delegates/MemberDelegate.qml" line="60"/>
        <source>Make %1 a manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/delegates/MemberDelegate.qml" line="68"/>
        <source>Remove %1 from the room</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessageBubble</name>
    <message>
        <location filename="../../ui/components/MessageBubble.qml" line="70"/>
        <source>This message was deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/MessageBubble.qml" line="97"/>
        <source>edited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/MessageBubble.qml" line="115"/>
        <source>Disappears in %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessageContextMenu</name>
    <message>
        <location filename="../../ui/components/MessageContextMenu.qml" line="47"/>
        <source>React with %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/MessageContextMenu.qml" line="59"/>
        <source>Reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/MessageContextMenu.qml" line="64"/>
        <source>Copy text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/MessageContextMenu.qml" line="69"/>
        <source>Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/MessageContextMenu.qml" line="75"/>
        <source>Delete for everyone</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessageDelegate</name>
    <message>
        <location filename="../../ui/delegates/MessageDelegate.qml" line="48"/>
        <source>You</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/delegates/MessageDelegate.qml" line="49"/>
        <source>deleted message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/delegates/MessageDelegate.qml" line="49"/>
        <source>hidden message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/delegates/MessageDelegate.qml" line="50"/>
        <source>file %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/delegates/MessageDelegate.qml" line="94"/>
        <source>Message actions</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessageList</name>
    <message>
        <location filename="../../ui/components/MessageList.qml" line="47"/>
        <source>Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/MessageList.qml" line="120"/>
        <source>Save the file to…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NewChatDialog</name>
    <message>
        <location filename="../../ui/dialogs/NewChatDialog.qml" line="21"/>
        <source>New chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/NewChatDialog.qml" line="22"/>
        <source>Start chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/NewChatDialog.qml" line="44"/>
        <source>Enter the username of the person you want to talk to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/NewChatDialog.qml" line="52"/>
        <source>Username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/NewChatDialog.qml" line="53"/>
        <source>e.g. bob</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NewRoomDialog</name>
    <message>
        <location filename="../../ui/dialogs/NewRoomDialog.qml" line="21"/>
        <source>New room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/NewRoomDialog.qml" line="22"/>
        <source>Create room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/NewRoomDialog.qml" line="47"/>
        <source>Room name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/NewRoomDialog.qml" line="48"/>
        <source>e.g. Weekend trip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/NewRoomDialog.qml" line="55"/>
        <source>Members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/NewRoomDialog.qml" line="56"/>
        <source>alice, bob</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/NewRoomDialog.qml" line="57"/>
        <source>Usernames separated by commas or spaces. You can add more later.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OnboardingCard</name>
    <message>
        <location filename="../../ui/onboarding/OnboardingCard.qml" line="77"/>
        <source>Back</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OutcomeBanner</name>
    <message>
        <location filename="../../ui/verification/OutcomeBanner.qml" line="43"/>
        <source>The codes do not match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/verification/OutcomeBanner.qml" line="44"/>
        <source>No code found in that picture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/verification/OutcomeBanner.qml" line="45"/>
        <source>Verified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/verification/OutcomeBanner.qml" line="55"/>
        <source>That code is not %1&apos;s current key. Nothing was changed. Do not trust this conversation until you find out why.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/verification/OutcomeBanner.qml" line="57"/>
        <source>Try a sharper picture with the whole code in it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/verification/OutcomeBanner.qml" line="58"/>
        <source>You have verified %1&apos;s security key. You will be warned if it changes.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PageHeader</name>
    <message>
        <location filename="../../ui/components/PageHeader.qml" line="29"/>
        <source>Back</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReadTicks</name>
    <message>
        <location filename="../../ui/components/ReadTicks.qml" line="25"/>
        <source>Seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/ReadTicks.qml" line="26"/>
        <source>Waiting to be sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/ReadTicks.qml" line="27"/>
        <source>Not sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/ReadTicks.qml" line="27"/>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReplyQuote</name>
    <message>
        <location filename="../../ui/components/ReplyQuote.qml" line="19"/>
        <source>In reply to: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RoomMembersPage</name>
    <message>
        <location filename="../../ui/pages/RoomMembersPage.qml" line="26"/>
        <source>Room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/RoomMembersPage.qml" line="51"/>
        <source>Room name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/RoomMembersPage.qml" line="65"/>
        <source>Rename</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/pages/RoomMembersPage.qml" line="74"/>
        <source>%n member(s)</source>
        <translation>
            <numerusform>%n member</numerusform>
            <numerusform>%n members</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/pages/RoomMembersPage.qml" line="84"/>
        <source>Add a member by username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/RoomMembersPage.qml" line="91"/>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/RoomMembersPage.qml" line="113"/>
        <source>Only managers can change who is in this room.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/RoomMembersPage.qml" line="124"/>
        <source>Leave room</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScanQrStep</name>
    <message>
        <location filename="../../ui/verification/ScanQrStep.qml" line="14"/>
        <source>Or scan QR codes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/verification/ScanQrStep.qml" line="35"/>
        <source>Your verification QR code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/verification/ScanQrStep.qml" line="43"/>
        <source>This is your code. Let your contact scan it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/verification/ScanQrStep.qml" line="49"/>
        <source>To check theirs, hold it in front of your camera, or open a picture or screenshot of it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/verification/ScanQrStep.qml" line="59"/>
        <source>Stop camera</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/verification/ScanQrStep.qml" line="59"/>
        <source>Scan with camera</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/verification/ScanQrStep.qml" line="65"/>
        <source>Scan QR image…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/verification/ScanQrStep.qml" line="85"/>
        <source>Choose a picture of their QR code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/verification/ScanQrStep.qml" line="86"/>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.gif)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SearchField</name>
    <message>
        <location filename="../../ui/components/SearchField.qml" line="18"/>
        <source>Search (Ctrl+K)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/SearchField.qml" line="23"/>
        <source>Search conversations</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ServerFields</name>
    <message>
        <location filename="../../ui/onboarding/ServerFields.qml" line="49"/>
        <source>Server %1, certificate pinned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/ServerFields.qml" line="50"/>
        <source>Server %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/ServerFields.qml" line="58"/>
        <source>Change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/ServerFields.qml" line="59"/>
        <source>Change server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/ServerFields.qml" line="70"/>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/ServerFields.qml" line="71"/>
        <source>host:port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/ServerFields.qml" line="79"/>
        <source>Server certificate fingerprint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/ServerFields.qml" line="80"/>
        <source>SHA-256, hex</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../ui/pages/SettingsPage.qml" line="20"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/SettingsPage.qml" line="39"/>
        <source>Appearance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/SettingsPage.qml" line="42"/>
        <source>Theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/SettingsPage.qml" line="50"/>
        <source>Notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/SettingsPage.qml" line="53"/>
        <location filename="../../ui/pages/SettingsPage.qml" line="57"/>
        <source>Show notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/SettingsPage.qml" line="54"/>
        <source>When a message arrives while Cinder is in the background.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/SettingsPage.qml" line="63"/>
        <source>Show message text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/SettingsPage.qml" line="64"/>
        <source>Off: notifications only say who wrote. The text never leaves Cinder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/SettingsPage.qml" line="68"/>
        <source>Show message text in notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/SettingsPage.qml" line="80"/>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/SettingsPage.qml" line="83"/>
        <source>Devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/SettingsPage.qml" line="84"/>
        <source>See and remove the devices signed in to your account.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/SettingsPage.qml" line="87"/>
        <source>Manage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/SettingsPage.qml" line="88"/>
        <source>Manage devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/SettingsPage.qml" line="94"/>
        <location filename="../../ui/pages/SettingsPage.qml" line="100"/>
        <source>Lock Cinder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/SettingsPage.qml" line="95"/>
        <source>Signs out of this session and removes the keys from memory. Your passphrase unlocks it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/SettingsPage.qml" line="99"/>
        <source>Lock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/SettingsPage.qml" line="107"/>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/SettingsPage.qml" line="110"/>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/SettingsPage.qml" line="116"/>
        <source>Certificate fingerprint (SHA-256)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <location filename="../../ui/onboarding/SignInPage.qml" line="16"/>
        <source>Sign in on this device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/SignInPage.qml" line="17"/>
        <source>This device becomes one of your account&apos;s devices. Messages sent before now are not copied here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/SignInPage.qml" line="31"/>
        <source>Username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/SignInPage.qml" line="39"/>
        <source>Passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/SignInPage.qml" line="56"/>
        <source>Signing in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/SignInPage.qml" line="56"/>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StrengthMeter</name>
    <message>
        <location filename="../../ui/components/StrengthMeter.qml" line="18"/>
        <source>Passphrase strength: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ThemeChoice</name>
    <message>
        <location filename="../../ui/components/ThemeChoice.qml" line="13"/>
        <source>System</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/ThemeChoice.qml" line="14"/>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/ThemeChoice.qml" line="15"/>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/ThemeChoice.qml" line="35"/>
        <source>%1 theme</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TimerHint</name>
    <message>
        <location filename="../../ui/components/TimerHint.qml" line="20"/>
        <source>%1w</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/TimerHint.qml" line="22"/>
        <source>%1d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/TimerHint.qml" line="24"/>
        <source>%1h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/TimerHint.qml" line="26"/>
        <source>%1m</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/TimerHint.qml" line="27"/>
        <source>%1s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/TimerHint.qml" line="35"/>
        <source>Burn on read, expires after %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/TimerHint.qml" line="36"/>
        <source>Messages expire after %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TimerSelector</name>
    <message>
        <location filename="../../ui/components/TimerSelector.qml" line="32"/>
        <source>Disappearing messages: %1%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/TimerSelector.qml" line="33"/>
        <source>, burn on read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/TimerSelector.qml" line="36"/>
        <location filename="../../ui/components/TimerSelector.qml" line="65"/>
        <source>Disappearing messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/components/TimerSelector.qml" line="82"/>
        <source>Burn after reading</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UnlockPage</name>
    <message>
        <location filename="../../ui/pages/UnlockPage.qml" line="18"/>
        <source>Welcome back, %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/UnlockPage.qml" line="19"/>
        <source>Welcome back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/UnlockPage.qml" line="20"/>
        <source>Enter your passphrase to unlock Cinder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/UnlockPage.qml" line="26"/>
        <source>Passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/UnlockPage.qml" line="39"/>
        <source>Unlocking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/pages/UnlockPage.qml" line="39"/>
        <source>Unlock</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UnreadBadge</name>
    <message numerus="yes">
        <location filename="../../ui/components/UnreadBadge.qml" line="18"/>
        <source>%n unread</source>
        <translation>
            <numerusform>%n unread</numerusform>
            <numerusform>%n unread</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>VerificationPage</name>
    <message>
        <location filename="../../ui/verification/VerificationPage.qml" line="25"/>
        <source>Verify %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <location filename="../../ui/onboarding/WelcomePage.qml" line="14"/>
        <source>Welcome to Cinder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/WelcomePage.qml" line="15"/>
        <source>End-to-end encrypted messages that burn. Every message expires, and nothing stays on a server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/WelcomePage.qml" line="21"/>
        <source>Create account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/WelcomePage.qml" line="29"/>
        <source>Sign in on this device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/onboarding/WelcomePage.qml" line="35"/>
        <source>Signing in on a new device does not copy your message history.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cinder::app::AppController</name>
    <message>
        <location filename="../../app/AppController.cpp" line="29"/>
        <source>That is not valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/AppController.cpp" line="31"/>
        <source>This device already has an account.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/AppController.cpp" line="33"/>
        <source>There is no account on this device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/AppController.cpp" line="35"/>
        <source>Wrong passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/AppController.cpp" line="37"/>
        <source>This username is taken.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/AppController.cpp" line="39"/>
        <source>No user with that name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/AppController.cpp" line="41"/>
        <source>The server cannot be reached.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/AppController.cpp" line="43"/>
        <source>The server refused the request.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/AppController.cpp" line="45"/>
        <source>Too many attempts. Try again later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/AppController.cpp" line="47"/>
        <source>The server sent data that does not verify.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/AppController.cpp" line="49"/>
        <source>This contact&apos;s identity key changed. Review and accept it first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/AppController.cpp" line="52"/>
        <source>This conversation no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/AppController.cpp" line="54"/>
        <source>This message no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/AppController.cpp" line="56"/>
        <source>You are not a member of this room.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/AppController.cpp" line="58"/>
        <source>Only room managers can do this.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/AppController.cpp" line="60"/>
        <source>Only the sender can change this message.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/AppController.cpp" line="62"/>
        <source>The recipient has no device to receive this.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/AppController.cpp" line="64"/>
        <source>The file could not be read or written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/AppController.cpp" line="66"/>
        <source>The transfer was interrupted; it will resume.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/AppController.cpp" line="68"/>
        <source>The file does not match what was sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/AppController.cpp" line="70"/>
        <source>The local store failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/AppController.cpp" line="72"/>
        <source>A cryptographic operation failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/AppController.cpp" line="74"/>
        <source>Signed out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/AppController.cpp" line="76"/>
        <source>Something went wrong.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/AppController.cpp" line="222"/>
        <source>Enter the server address and its certificate fingerprint.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cinder::app::ConversationController</name>
    <message>
        <location filename="../../app/ConversationController.cpp" line="133"/>
        <source>No conversation selected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ConversationController.cpp" line="136"/>
        <source>Acknowledge the ephemerality policy before sending.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ConversationController.cpp" line="139"/>
        <source>%1&apos;s identity key changed. Accept the new key to send again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ConversationController.cpp" line="143"/>
        <source>You are no longer a member of this room.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ConversationController.cpp" line="336"/>
        <source>5 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ConversationController.cpp" line="336"/>
        <source>1 hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ConversationController.cpp" line="337"/>
        <source>1 day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ConversationController.cpp" line="337"/>
        <source>1 week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ConversationController.cpp" line="338"/>
        <source>30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ConversationController.cpp" line="338"/>
        <source>1 year</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cinder::app::ConversationListModel</name>
    <message>
        <location filename="../../app/ConversationListModel.cpp" line="11"/>
        <source>Message deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ConversationListModel.cpp" line="17"/>
        <source>Burns after reading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ConversationListModel.cpp" line="24"/>
        <source>File: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ConversationListModel.cpp" line="27"/>
        <source>Reacted %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cinder::app::DesktopIntegration</name>
    <message>
        <location filename="../../app/DesktopIntegration.cpp" line="56"/>
        <source>Show Cinder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/DesktopIntegration.cpp" line="57"/>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/DesktopIntegration.cpp" line="121"/>
        <source>New message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/DesktopIntegration.cpp" line="121"/>
        <source>New message from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/DesktopIntegration.cpp" line="132"/>
        <source>Cinder: %n unread</source>
        <translation>
            <numerusform>Cinder: %n unread</numerusform>
            <numerusform>Cinder: %n unread</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cinder::app::MessageListModel</name>
    <message>
        <location filename="../../app/MessageListModel.cpp" line="388"/>
        <source>%1s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/MessageListModel.cpp" line="391"/>
        <source>%1m</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/MessageListModel.cpp" line="394"/>
        <source>%1h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/MessageListModel.cpp" line="396"/>
        <source>%1d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/MessageListModel.cpp" line="401"/>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/MessageListModel.cpp" line="404"/>
        <source>Yesterday</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cinder::app::PassphraseStrength</name>
    <message>
        <location filename="../../app/PassphraseStrength.cpp" line="85"/>
        <source>Too short</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/PassphraseStrength.cpp" line="89"/>
        <source>Weak</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/PassphraseStrength.cpp" line="91"/>
        <source>Fair</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/PassphraseStrength.cpp" line="93"/>
        <source>Good</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/PassphraseStrength.cpp" line="95"/>
        <source>Strong</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
