#include "clipsim/replay/cli.hpp"

#include <functional>
#include <limits>
#include <map>
#include <sstream>

#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_parse.hpp"

namespace clipsim::replay {
namespace {

double ParseNumber(const std::string& key, const std::string& text) {
  double value = 0.0;
  if (!ParseDouble(text, value, NumberSyntax::kFinite)) {
    throw InputError(key, text, "must be a finite number");
  }
  return value;
}

int64_t ParseInt(const std::string& key, const std::string& text) {
  std::int64_t value = 0;
  if (!ParseInt64(text, value)) throw InputError(key, text, "must be an integer");
  return value;
}

int ParseSmallInt(const std::string& key, const std::string& text) {
  const int64_t value = ParseInt(key, text);
  if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) {
    throw InputError(key, text,
                     "must be an integer in [" + std::to_string(std::numeric_limits<int>::min()) +
                         ", " + std::to_string(std::numeric_limits<int>::max()) + "]");
  }
  return static_cast<int>(value);
}

AutoValue ParseAuto(const std::string& key, const std::string& text) {
  if (text == "auto") return {};
  return {false, ParseNumber(key, text)};
}

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, ',')) parts.push_back(part);
  return parts;
}

template <typename Enum>
Enum ParseEnum(const std::string& key, const std::string& text,
               std::optional<Enum> (*from_string)(const std::string&), const char* allowed) {
  const std::optional<Enum> value = from_string(text);
  if (!value) throw InputError(key, text, std::string("must be one of ") + allowed);
  return *value;
}

}  // namespace

std::string UsageText() {
  return R"(clipsim-replay: AlexNet on CIFAR-100 with SGD, Clip-SGD and PS-Clip-SGD (LibTorch).

usage: clipsim-replay (--data-dir DIR | --synthetic) [options]   train and compare the methods
       clipsim-replay --bench [options]                           median step time per method
       clipsim-replay --help

data
  --data-dir DIR            folder with CIFAR-100 binary train.bin and test.bin
  --synthetic               a learnable CIFAR-shaped set built in memory instead
  --synthetic-train N       its training size (50000)
  --synthetic-test N        its test size (10000)
methods and optimization (defaults: bearpaw/pytorch-classification's AlexNet CIFAR-100 recipe)
  --methods LIST            comma-separated: sgd, clip-sgd, clip-sgd-micro, ps-clip-sgd,
                            ps-clip-const (sgd,clip-sgd,ps-clip-sgd)
  --epochs N (164)  --batch B (128)  --accum-steps K (1)  --lr X (0.1)  --momentum X (0.9)
  --weight-decay X (5e-4)  --schedule step|cosine (step)  --lr-gamma X (0.1)
  --milestones E1,E2,...    step-schedule epochs (81,122 scaled by epochs/164)
clipping ("auto": estimated in a warm-up on a throwaway SGD run, see README)
  --clip-threshold X|auto   clip-sgd(-micro): threshold on the mean-gradient norm (auto)
  --clip-scale X|auto       ps-clip-sgd alpha (auto: the --scale-quantile of ||g_k||)
  --clip-power X|auto       ps-clip-sgd beta in (1, 2] (auto: Hill tail index, clamped [1.1, 2])
  --ps-threshold X|auto     ps-clip-const threshold (auto: alpha ((B+1)/2)^(1/beta))
  --scale-quantile Q (0.5)  --warmup-steps N (390)  --warmup-samples N (10240)
  --norm-mode auto|ghost|instantiate   convolution per-sample norms (auto: cheaper per layer)
diagnostics
  --diag-every N (10, 0: off)  --tail-window N (10000)  --tail-k K (0: ceil(sqrt(n)))
runtime and output
  --device auto|cpu|cuda (auto)  --threads N (0: LibTorch default)  --seed S (1)
  --eval-batch N (500)  --queue N (4)  --max-steps-per-epoch N (0: whole epochs)
  --out DIR (replay-out)  --no-plots  --no-clip-timing
benchmark
  --bench  --bench-steps N (20)  --bench-warmup N (3)  --bench-accum K (4)  (uses --batch)

Exit codes: 0 done, 2 bad input (option or data file; the message names it).
)";
}

Invocation ParseCommandLine(int argc, const char* const* argv) {
  Invocation inv;
  for (int i = 0; i < argc; ++i) inv.command_line += (i > 0 ? " " : "") + std::string(argv[i]);
  TrainOptions& t = inv.train;
  BenchOptions& b = inv.bench;

  using Setter = std::function<void(const std::string&, const std::string&)>;
  const std::map<std::string, Setter> valued = {
      {"--data-dir", [&](auto&, auto& v) { t.data_dir = v; }},
      {"--synthetic-train", [&](auto& k, auto& v) { t.synthetic_train = ParseInt(k, v); }},
      {"--synthetic-test", [&](auto& k, auto& v) { t.synthetic_test = ParseInt(k, v); }},
      {"--methods",
       [&](auto& k, auto& v) {
         t.methods.clear();
         for (const std::string& name : SplitCommas(v)) {
           t.methods.push_back(
               ParseEnum<Method>(k, name, &MethodFromString,
                                 "sgd, clip-sgd, clip-sgd-micro, ps-clip-sgd, ps-clip-const"));
         }
       }},
      {"--epochs", [&](auto& k, auto& v) { t.epochs = ParseSmallInt(k, v); }},
      {"--batch", [&](auto& k, auto& v) { t.batch_size = b.batch_size = ParseInt(k, v); }},
      {"--accum-steps", [&](auto& k, auto& v) { t.accum_steps = ParseSmallInt(k, v); }},
      {"--lr", [&](auto& k, auto& v) { t.lr = ParseNumber(k, v); }},
      {"--momentum", [&](auto& k, auto& v) { t.momentum = ParseNumber(k, v); }},
      {"--weight-decay", [&](auto& k, auto& v) { t.weight_decay = ParseNumber(k, v); }},
      {"--schedule",
       [&](auto& k, auto& v) {
         t.schedule = ParseEnum<Schedule>(k, v, &ScheduleFromString, "step, cosine");
       }},
      {"--lr-gamma", [&](auto& k, auto& v) { t.lr_gamma = ParseNumber(k, v); }},
      {"--milestones",
       [&](auto& k, auto& v) {
         t.milestones.clear();
         for (const std::string& e : SplitCommas(v)) t.milestones.push_back(ParseSmallInt(k, e));
       }},
      {"--clip-threshold", [&](auto& k, auto& v) { t.clip_threshold = ParseAuto(k, v); }},
      {"--clip-scale", [&](auto& k, auto& v) { t.clip_scale = ParseAuto(k, v); }},
      {"--clip-power", [&](auto& k, auto& v) { t.clip_power = ParseAuto(k, v); }},
      {"--ps-threshold", [&](auto& k, auto& v) { t.ps_threshold = ParseAuto(k, v); }},
      {"--scale-quantile", [&](auto& k, auto& v) { t.scale_quantile = ParseNumber(k, v); }},
      {"--warmup-samples", [&](auto& k, auto& v) { t.warmup_samples = ParseInt(k, v); }},
      {"--warmup-steps", [&](auto& k, auto& v) { t.warmup_steps = ParseInt(k, v); }},
      {"--norm-mode",
       [&](auto& k, auto& v) {
         t.norm_mode = ParseEnum<NormMode>(k, v, &NormModeFromString, "auto, ghost, instantiate");
       }},
      {"--diag-every", [&](auto& k, auto& v) { t.diag_every = ParseSmallInt(k, v); }},
      {"--tail-window", [&](auto& k, auto& v) { t.tail_window = ParseInt(k, v); }},
      {"--tail-k", [&](auto& k, auto& v) { t.tail_k = ParseInt(k, v); }},
      {"--device",
       [&](auto& k, auto& v) {
         t.device = ParseEnum<DeviceChoice>(k, v, &DeviceChoiceFromString, "auto, cpu, cuda");
       }},
      {"--threads", [&](auto& k, auto& v) { t.threads = ParseSmallInt(k, v); }},
      {"--seed",
       [&](auto& k, auto& v) {
         if (!ParseUint64(v, t.seed)) throw InputError(k, v, "must be an integer >= 0");
       }},
      {"--eval-batch", [&](auto& k, auto& v) { t.eval_batch = ParseInt(k, v); }},
      {"--queue", [&](auto& k, auto& v) { t.queue_depth = ParseSmallInt(k, v); }},
      {"--max-steps-per-epoch", [&](auto& k, auto& v) { t.max_steps_per_epoch = ParseInt(k, v); }},
      {"--out", [&](auto&, auto& v) { t.out_dir = v; }},
      {"--bench-steps", [&](auto& k, auto& v) { b.steps = ParseSmallInt(k, v); }},
      {"--bench-warmup", [&](auto& k, auto& v) { b.warmup = ParseSmallInt(k, v); }},
      {"--bench-accum", [&](auto& k, auto& v) { b.accum_steps = ParseSmallInt(k, v); }},
  };

  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      inv.mode = Invocation::Mode::kHelp;
      return inv;
    }
    if (arg == "--synthetic") {
      t.synthetic = true;
      continue;
    }
    if (arg == "--bench") {
      inv.mode = Invocation::Mode::kBench;
      continue;
    }
    if (arg == "--no-plots") {
      t.plots = false;
      continue;
    }
    if (arg == "--no-clip-timing") {
      t.time_clipping = false;
      continue;
    }
    std::string value;
    bool has_value = false;
    if (const std::size_t eq = arg.find('='); eq != std::string::npos && arg.rfind("--", 0) == 0) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      has_value = true;
    }
    const auto it = valued.find(arg);
    if (it == valued.end())
      throw InputError("option", arg, "must be one of those listed by --help");
    if (!has_value) {
      if (i + 1 >= argc) throw InputError(arg, "", "must be followed by a value");
      value = argv[++i];
    }
    it->second(arg, value);
  }
  if (inv.mode == Invocation::Mode::kBench) {
    inv.bench.Validate();
    if (t.threads < 0) throw InputError("--threads", std::to_string(t.threads), "must be >= 0");
  } else {
    t.Validate();
  }
  return inv;
}

}  // namespace clipsim::replay
