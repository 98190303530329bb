// The command line of clipsim-replay (CLI11, as the clipsim program's): `--key value` or
// `--key=value`, every option of TrainOptions and BenchOptions. Values are read with core's number
// parser (number_parse.hpp), and a bad number or name is an InputError naming the option, the
// value and what is allowed; an unknown option or a missing value is an InputError too. The ranges
// are checked once, by TrainOptions::Validate (or BenchOptions::Validate for --bench).
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

// Parses and validates. Throws InputError (main() prints it and exits with code 2).
Invocation ParseCommandLine(int argc, const char* const* argv);

// The --help text (CLI11's, from the options' descriptions, groups and defaults).
std::string UsageText();

}  // namespace clipsim::replay
