// SPDX-License-Identifier: Apache-2.0
#pragma once

// The subcommands of cinder-cli, one group per .cpp. Each returns its exit code or throws a
// CliFailure; word(0) is the command, word(1) the subcommand where a group has them.

#include "cli/CliSession.h"

namespace cinder::cli {

// AccountCommands.cpp
ExitCode runInit(Context& context);
ExitCode runLogin(Context& context);
ExitCode runUnlock(Context& context);
ExitCode runWhoami(Context& context);
ExitCode runSync(Context& context);
// ContactCommands.cpp
ExitCode runContacts(Context& context);
ExitCode runVerify(Context& context);
// MessageCommands.cpp
ExitCode runSend(Context& context);
ExitCode runReact(Context& context);
ExitCode runEdit(Context& context);
ExitCode runDelete(Context& context);
ExitCode runListen(Context& context);
ExitCode runMessages(Context& context);
// RoomCommands.cpp
ExitCode runRooms(Context& context);
// FileCommands.cpp
ExitCode runFiles(Context& context);
// DeviceCommands.cpp
ExitCode runDevices(Context& context);
// SettingsCommands.cpp
ExitCode runSettings(Context& context);
// PolicyCommands.cpp
ExitCode runPolicy(Context& context);

// HelpText.cpp
[[nodiscard]] QString helpText();

// A message as one output line (MessageCommands.cpp; listen and messages print the same).
void printMessage(Context& context, const client::Message& message);

} // namespace cinder::cli
