// SPDX-License-Identifier: Apache-2.0
#pragma once

// File names that come from the network are display text, never paths. Attachments are kept
// under random names (AttachmentStore); sanitizeFileName() is for "save as" only: it turns a
// sender's name into one plain file name that stays inside the folder the user picked.

#include <QString>

namespace cinder::storage {

// Longest result, in UTF-8 bytes (the common file-system limit for one name).
inline constexpr qsizetype kMaxFileNameBytes = 255;

// Keeps the last path component (after any '/' or '\'), removes control and invisible format
// characters (such as U+202E, which can disguise an extension) and the characters Windows
// forbids (<>:"|?*), trims leading and trailing dots and spaces (so "." and ".." become empty,
// and no hidden or trailing-dot names remain), prefixes reserved Windows device names
// (CON, PRN, AUX, NUL, COM1-9, LPT1-9, with or without extension) with '_', and shortens the
// name to kMaxFileNameBytes keeping its extension. An empty result becomes "attachment".
[[nodiscard]] QString sanitizeFileName(const QString& name);

} // namespace cinder::storage
