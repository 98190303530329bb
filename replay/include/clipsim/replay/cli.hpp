// The command line of clipsim-replay: `--key value` or `--key=value`, every option of
// TrainOptions and BenchOptions, parsed strictly (a bad number or name is an InputError naming
// the option, the value and what is allowed).
#pragma once

#include <string>

#include "clipsim/replay/options.hpp"

namespace clipsim::replay {

struct Invocation {
  enum class Mode { kTrain, kBench, kHelp };
  Mode mode = Mode::kTrain;
  TrainOptions train;
  BenchOptions bench;
  std::string command_line;  // the arguments joined by spaces, for the records
};

// Parses and validates. Throws InputError.
Invocation ParseCommandLine(int argc, const char* const* argv);

// The --help text.
std::string UsageText();

}  // namespace clipsim::replay
