// clipsim-replay: the AlexNet / CIFAR-100 replay of PS-Clip-SGD on LibTorch (see replay/README.md).
#include <exception>
#include <iostream>

#include "clipsim/core/input_error.hpp"
#include "clipsim/replay/bench.hpp"
#include "clipsim/replay/cli.hpp"
#include "clipsim/replay/trainer.hpp"

int main(int argc, char** argv) {
  using namespace clipsim::replay;
  try {
    const Invocation inv = ParseCommandLine(argc, argv);
    switch (inv.mode) {
      case Invocation::Mode::kHelp:
        std::cout << UsageText();
        return 0;
      case Invocation::Mode::kBench:
        RunBench(inv.bench, inv.train, std::cout);
        return 0;
      case Invocation::Mode::kTrain:
        return RunReplay(inv.train, inv.command_line, std::cout);
    }
  } catch (const clipsim::InputError& error) {
    std::cerr << "clipsim-replay: error: " << error.what() << "\n";
    return 2;
  }
  return 0;
}
