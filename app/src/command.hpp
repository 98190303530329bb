// The clipsim program's commands. Each command lives in its own cmd_<name>.cpp and registers a
// CLI11 subcommand; when that subcommand is chosen it stores the action that main() then runs,
// so that every command shares one error policy (InputError -> message and exit code 2).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace clipsim::app {

// Returns the process exit code.
using Action = std::function<int()>;

void RegisterSample(CLI::App& root, Action& action);
void RegisterFacts(CLI::App& root, Action& action);
void RegisterRun(CLI::App& root, Action& action);
// command_line: the whole invocation, recorded in manifests and printed in resume hints.
void RegisterSweep(CLI::App& root, Action& action, const std::string& command_line);
void RegisterMerge(CLI::App& root, Action& action, const std::string& command_line);
void RegisterAnalyze(CLI::App& root, Action& action);
void RegisterPlot(CLI::App& root, Action& action);
void RegisterReport(CLI::App& root, Action& action);
void RegisterTune(CLI::App& root, Action& action);
void RegisterOde(CLI::App& root, Action& action);

}  // namespace clipsim::app
