// SPDX-License-Identifier: Apache-2.0
#include "cli/Commands.h"

namespace cinder::cli {

QString helpText() {
    return QStringLiteral(R"(cinder-cli - the headless Cinder client, for scripts, bots and tests

Usage: cinder-cli [GLOBAL OPTIONS] COMMAND [ARGUMENTS] [OPTIONS]

Global options:
  --home DIR            account directory (default $CINDER_HOME, else ~/.local/share/cinder-cli)
  --json                one JSON object per result line on stdout; errors as
                        {"error": "...", "code": N} on stderr
  --passphrase-fd N     read the passphrase (first line) from file descriptor N
                        (otherwise $CINDER_PASSPHRASE, otherwise a prompt on the terminal)
  --timeout SECONDS     how long to wait for the server (default 30)
  --verbose             library log lines on stderr
  --help, -h            this text
  --                    end of options (for a text that starts with a dash)

Accounts:
  init --server HOST:PORT (--fingerprint HEX | --ca FILE) --username NAME
       [--vault-cost LOG2N] [--recovery-cost LOG2N]
                        create an account with this device as its first one
                        (cost options: scrypt N = 2^LOG2N, r=8, p=1; for slow machines and tests)
  login --server HOST:PORT (--fingerprint HEX | --ca FILE) --username NAME
       [--vault-cost LOG2N] [--recovery-cost LOG2N]
                        sign in on this device as a new device (history is not copied);
                        --recovery-cost must not exceed the one the account was made with
  unlock                check that the passphrase opens the store; prints the username
  whoami                username, root id, node id and own fingerprint digits
  sync                  go online, send the queued messages and take in received ones

The ephemerality policy (nothing you write is sent before it is acknowledged on this device):
  policy show           the policy, and whether it is acknowledged here
  policy acknowledge    acknowledge it: messages expire, and recipients can still copy them

Contacts and verification:
  contacts add NAME     look NAME up on the server and pin their identity key
  contacts list         every contact, verified or not, identity changed or not
  contacts show NAME    one contact
  contacts refresh NAME fetch NAME's devices again (shows a changed identity)
  contacts accept NAME  accept NAME's changed identity key; sending is allowed again
  verify show NAME      safety code, NAME's fingerprint digits, verified flag
  verify mark NAME      mark NAME verified after comparing the safety code
  verify my-qr --out FILE.png
                        write this account's verification QR code as a PNG image
  verify qr NAME --image FILE.png
                        read NAME's QR code from an image; marks NAME verified when it
                        matches the pinned key, refuses it (exit 7) otherwise

Messages (MSGID, ROOMID: hex as printed):
  send NAME TEXT | send --room ROOMID TEXT [--reply MSGID]
  react MSGID EMOJI [--remove]     react to a message (or take the reaction back)
  edit MSGID TEXT                  change the text of an own message
  delete MSGID                     delete an own message for everyone
  listen [--count N] [--mark-read] print received messages as they arrive: conversation id,
                        sender, message id, type, text or file name; ends after N messages or
                        --timeout (without either it runs until interrupted); marks nothing
                        read unless --mark-read
  messages NAME | messages --room ROOMID [--limit N]
                        the newest N (default 50) messages, newest last

Rooms:
  rooms create TITLE [MEMBER...]   prints the new room id
  rooms list
  rooms members ROOMID
  rooms add ROOMID NAME...         (managers only)
  rooms remove ROOMID NAME...      (managers only)
  rooms promote ROOMID NAME...     (managers only)
  rooms leave ROOMID
  rooms rename ROOMID TITLE        (managers only)

Files:
  files send NAME PATH | files send --room ROOMID PATH
                        encrypt and send a file (progress on stderr on a terminal)
  files list NAME | files list --room ROOMID
                        attachments: id, name, size, downloaded or not
  files get ATTACHMENT_ID --out DIR
                        download and decrypt into DIR under a safe name; prints the path

Devices and settings:
  devices list                     this account's devices
  devices remove NODEID            remove another device of this account
  settings show NAME | settings show --room ROOMID
  settings timers NAME|--room ROOMID --ttl SECONDS [--burn SECONDS]
                        expiry of new messages, and burn-on-read after first shown

Every command that sends or changes something waits until the server has it. If it cannot
(exit 3) the message stays queued and goes out the next time cinder-cli runs online
(e.g. "cinder-cli sync").

Exit codes:
  0  ok
  1  usage: bad arguments, no account in --home, or an account already there
  2  wrong passphrase (nothing was changed)
  3  server unreachable or timed out (queued messages stay queued)
  4  rejected by the server, or not found (user, conversation, message, attachment)
  5  identity changed: the contact's key changed, sending is blocked until "contacts accept"
  6  permission: not a room manager, not a member, not the sender, or the ephemerality
     policy not acknowledged on this device ("policy acknowledge")
  7  file or integrity error: a local file, a download or a QR code that does not verify
  8  other error (local store, cryptography)
)");
}

} // namespace cinder::cli
