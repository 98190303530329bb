// clipsim: command-line front end. It parses arguments and wires the libraries; all computation
// lives in noise/, dynamics/, sim/, analysis/ and plots/.
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>

#include "clipsim/core/build_info.hpp"
#include "clipsim/core/input_error.hpp"
#include "command.hpp"

namespace {

// Exit code for every kind of user error (bad config, bad argument, unreadable file).
constexpr int kUserError = 2;

}  // namespace

int main(int argc, char** argv) {
  CLI::App root{
      "clipsim: clipped stochastic gradient methods under heavy-tailed noise, by simulation"};
  root.require_subcommand(1);
  root.set_version_flag("--version", std::string("clipsim ") + clipsim::build_info::kVersion +
                                         " (" + clipsim::build_info::kGitCommit +
                                         ", simd=" + clipsim::build_info::kSimd + ")");
  clipsim::app::Action action;
  std::string command_line;
  for (int i = 0; i < argc; ++i) {
    // Quoted where needed, so the resume hint can be pasted back into a shell.
    std::string arg = argv[i];
    if (arg.find_first_of(" \t'\"$") != std::string::npos) {
      std::string q = "'";
      for (char c : arg) q += (c == '\'') ? std::string("'\\''") : std::string(1, c);
      arg = q + "'";
    }
    command_line += (i ? " " : "") + arg;
  }
  clipsim::app::RegisterSample(root, action);
  clipsim::app::RegisterFacts(root, action);
  clipsim::app::RegisterRun(root, action);
  clipsim::app::RegisterSweep(root, action, command_line);
  clipsim::app::RegisterMerge(root, action, command_line);
  clipsim::app::RegisterAnalyze(root, action);
  clipsim::app::RegisterPlot(root, action);
  clipsim::app::RegisterReport(root, action);
  clipsim::app::RegisterTune(root, action);
  clipsim::app::RegisterOde(root, action);

  try {
    root.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return root.exit(e);
  } catch (const CLI::ParseError& e) {
    root.exit(e);
    return kUserError;
  } catch (const clipsim::InputError& e) {
    std::cerr << "clipsim: error: " << e.what() << "\n";
    return kUserError;
  }
  try {
    return action ? action() : 0;
  } catch (const clipsim::InputError& e) {
    std::cout.flush();
    std::cerr << "clipsim: error: " << e.what() << "\n";
    return kUserError;
  } catch (const std::filesystem::filesystem_error& e) {
    // A path the user named that cannot be read, written or created (permissions, a file where
    // a folder is needed, a full disk): bad input, not a crash.
    std::cout.flush();
    std::cerr << "clipsim: error: " << e.what() << "\n";
    return kUserError;
  }
}
