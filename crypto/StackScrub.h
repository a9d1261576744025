// SPDX-License-Identifier: Apache-2.0
#pragma once

// Wiping a thread's stack after it has used a key (docs/ARCHITECTURE.md, "Secrets in memory").
// Our own secrets live in SecureBuffer, which wipes itself; code we do not own may still leave
// key bytes in stack temporaries. The SQLCipher engine expands Klds into an AES key schedule in a
// stack temporary for every page it reads or writes, and leaves it there; later calls may never
// reach that depth again. A thread that has used a key calls scrubStack() once the key objects
// are gone.

#include <cstddef>

namespace cinder::crypto {

// How much of the stack scrubStack() overwrites: far more than the frames that handle a key (the
// copy the engine leaves sits about 4 KiB below a session thread's idle event loop), and small
// beside any thread's stack.
inline constexpr std::size_t kStackScrubBytes = 64 * 1024;

// Overwrites the kStackScrubBytes of the calling thread's stack below the caller's frame.
void scrubStack();

} // namespace cinder::crypto
