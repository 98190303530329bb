#include "clipsim/replay/cli.hpp"

#include <CLI/CLI.hpp>
#include <initializer_list>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_parse.hpp"
#include "clipsim/core/number_text.hpp"

namespace clipsim::replay {
namespace {

// Every option's text is converted here, with core's number parser, so that a value refused
// names the option, the text and the rule: "'--lr' = abc: must be a finite number". The ranges
// are checked afterwards, all in one place (TrainOptions::Validate, BenchOptions::Validate).
void Store(const std::string& /*key*/, const std::string& text, std::string& out) {
  out = text;
}

void Store(const std::string& key, const std::string& text, double& out) {
  if (!ParseDouble(text, out, NumberSyntax::kFinite)) {
    throw InputError(key, text, "must be a finite number");
  }
}

void Store(const std::string& key, const std::string& text, int64_t& out) {
  std::int64_t value = 0;
  if (!ParseInt64(text, value)) throw InputError(key, text, "must be an integer");
  out = value;
}

void Store(const std::string& key, const std::string& text, uint64_t& out) {
  std::uint64_t value = 0;
  if (!ParseUint64(text, value)) throw InputError(key, text, "must be an integer >= 0");
  out = value;
}

void Store(const std::string& key, const std::string& text, int& out) {
  int64_t value = 0;
  Store(key, text, value);
  if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) {
    throw InputError(key, text,
                     "must be an integer in [" + std::to_string(std::numeric_limits<int>::min()) +
                         ", " + std::to_string(std::numeric_limits<int>::max()) + "]");
  }
  out = static_cast<int>(value);
}

void Store(const std::string& key, const std::string& text, AutoValue& out) {
  if (text == "auto") {
    out = AutoValue{};
    return;
  }
  out.automatic = false;
  Store(key, text, out.value);
}

template <typename Enum>
void StoreEnum(const std::string& key, const std::string& text, Enum& out,
               std::optional<Enum> (*from_string)(const std::string&),
               std::initializer_list<Enum> all) {
  if (const std::optional<Enum> value = from_string(text)) {
    out = *value;
    return;
  }
  std::string allowed;
  for (Enum e : all) allowed += (allowed.empty() ? "" : ", ") + ToString(e);
  throw InputError(key, text, "must be one of " + allowed);
}

void Store(const std::string& key, const std::string& text, Method& out) {
  StoreEnum(key, text, out, &MethodFromString,
            {Method::kSgd, Method::kClipSgd, Method::kClipSgdMicro, Method::kPsClipSgd,
             Method::kPsClipConst});
}

void Store(const std::string& key, const std::string& text, Schedule& out) {
  StoreEnum(key, text, out, &ScheduleFromString, {Schedule::kStep, Schedule::kCosine});
}

void Store(const std::string& key, const std::string& text, NormMode& out) {
  StoreEnum(key, text, out, &NormModeFromString,
            {NormMode::kAuto, NormMode::kGhost, NormMode::kInstantiate});
}

void Store(const std::string& key, const std::string& text, DeviceChoice& out) {
  StoreEnum(key, text, out, &DeviceChoiceFromString,
            {DeviceChoice::kAuto, DeviceChoice::kCpu, DeviceChoice::kCuda});
}

// A comma-separated list ("a,b,c"; an empty text is an empty list).
template <typename T>
void Store(const std::string& key, const std::string& text, std::vector<T>& out) {
  out.clear();
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, ',')) Store(key, part, out.emplace_back());
}

// The default shown by --help.
std::string Shown(const std::string& value) {
  return value;
}
std::string Shown(double value) {
  return ShortestText(value);
}
template <typename T>
std::enable_if_t<std::is_integral_v<T>, std::string> Shown(T value) {
  return std::to_string(value);
}
template <typename T>
std::enable_if_t<std::is_enum_v<T>, std::string> Shown(T value) {
  return ToString(value);
}
std::string Shown(const AutoValue& value) {
  return ToString(value);
}
std::string Shown(const std::vector<Method>& methods) {
  std::string out;
  for (Method m : methods) out += (out.empty() ? "" : ",") + ToString(m);
  return out;
}
std::string Shown(const std::vector<int>&) {
  return "";
}

// `--name TYPE`: its text goes through Store into `field` (whose value before parsing is the
// default --help shows).
template <typename T>
CLI::Option* Add(CLI::App& app, const std::string& name, T& field, const std::string& type,
                 const std::string& description) {
  CLI::Option* option = app.add_option_function<std::string>(
      name, [name, &field](const std::string& text) { Store(name, text, field); }, description);
  option->type_name(type);
  const std::string shown = Shown(field);
  if (!shown.empty()) option->default_str(shown);
  return option;
}

// The command line over `inv`: parsing stores every value into inv.train and inv.bench.
std::unique_ptr<CLI::App> MakeApp(Invocation& inv) {
  auto app = std::make_unique<CLI::App>(
      "clipsim-replay: AlexNet on CIFAR-100 with SGD, Clip-SGD and PS-Clip-SGD (LibTorch).\n\n"
      "  clipsim-replay (--data-dir DIR | --synthetic) [options]   train and compare the methods\n"
      "  clipsim-replay --bench [options]                           median step time per method\n",
      "clipsim-replay");
  app->footer("Exit codes: 0 done, 2 bad input (option or data file; the message names it).");
  // As before CLI11: an option given twice takes its last value.
  app->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  TrainOptions& t = inv.train;
  BenchOptions& b = inv.bench;

  const std::string data = "Data";
  Add(*app, "--data-dir", t.data_dir, "DIR", "folder with CIFAR-100 binary train.bin and test.bin")
      ->group(data);
  app->add_flag("--synthetic", t.synthetic, "a learnable CIFAR-shaped set built in memory instead")
      ->group(data);
  Add(*app, "--synthetic-train", t.synthetic_train, "N", "its training size")->group(data);
  Add(*app, "--synthetic-test", t.synthetic_test, "N", "its test size")->group(data);

  const std::string optimization =
      "Methods and optimization (defaults: bearpaw/pytorch-classification's AlexNet CIFAR-100 "
      "recipe)";
  Add(*app, "--methods", t.methods, "LIST",
      "comma-separated: sgd, clip-sgd, clip-sgd-micro, ps-clip-sgd, ps-clip-const")
      ->group(optimization);
  Add(*app, "--epochs", t.epochs, "N", "epochs")->group(optimization);
  Add(*app, "--batch", t.batch_size, "B", "samples per step (also the --bench batch)")
      ->group(optimization);
  Add(*app, "--accum-steps", t.accum_steps, "K", "micro-batches per step, a divisor of --batch")
      ->group(optimization);
  Add(*app, "--lr", t.lr, "X", "learning rate")->group(optimization);
  Add(*app, "--momentum", t.momentum, "X", "heavy-ball momentum, in [0, 1)")->group(optimization);
  Add(*app, "--weight-decay", t.weight_decay, "X", "weight decay (added after clipping)")
      ->group(optimization);
  Add(*app, "--schedule", t.schedule, "step|cosine", "learning-rate schedule")->group(optimization);
  Add(*app, "--lr-gamma", t.lr_gamma, "X", "step-schedule factor, in (0, 1]")->group(optimization);
  Add(*app, "--milestones", t.milestones, "E1,E2,...",
      "step-schedule epochs (default: 81,122 scaled by epochs/164)")
      ->group(optimization);

  const std::string clipping =
      "Clipping (\"auto\": estimated in a warm-up on a throwaway SGD run, see README)";
  Add(*app, "--clip-threshold", t.clip_threshold, "X|auto",
      "clip-sgd(-micro): threshold on the mean-gradient norm")
      ->group(clipping);
  Add(*app, "--clip-scale", t.clip_scale, "X|auto",
      "ps-clip-sgd alpha (auto: the --scale-quantile of ||g_k||)")
      ->group(clipping);
  Add(*app, "--clip-power", t.clip_power, "X|auto",
      "ps-clip-sgd beta in (1, 2] (auto: Hill tail index, clamped to [1.1, 2])")
      ->group(clipping);
  Add(*app, "--ps-threshold", t.ps_threshold, "X|auto",
      "ps-clip-const threshold (auto: alpha ((B+1)/2)^(1/beta))")
      ->group(clipping);
  Add(*app, "--scale-quantile", t.scale_quantile, "Q", "quantile used by auto, in (0, 1)")
      ->group(clipping);
  Add(*app, "--warmup-steps", t.warmup_steps, "N", "SGD steps of the warm-up before it measures")
      ->group(clipping);
  Add(*app, "--warmup-samples", t.warmup_samples, "N", "per-sample gradients the warm-up pools")
      ->group(clipping);
  Add(*app, "--norm-mode", t.norm_mode, "auto|ghost|instantiate",
      "convolution per-sample norms (auto: the cheaper per layer)")
      ->group(clipping);

  const std::string diagnostics = "Diagnostics";
  Add(*app, "--diag-every", t.diag_every, "N", "a diagnostic pass every N steps (0: off)")
      ->group(diagnostics);
  Add(*app, "--tail-window", t.tail_window, "N", "noise norms pooled per tail-index estimate")
      ->group(diagnostics);
  Add(*app, "--tail-k", t.tail_k, "K", "upper order statistics used (0: ceil(sqrt(n)))")
      ->group(diagnostics);

  const std::string runtime = "Runtime and output";
  Add(*app, "--device", t.device, "auto|cpu|cuda", "auto: CUDA when LibTorch sees a GPU")
      ->group(runtime);
  Add(*app, "--threads", t.threads, "N", "intra-op CPU threads (0: LibTorch's default)")
      ->group(runtime);
  Add(*app, "--seed", t.seed, "S", "seed of initialization, batches and augmentation")
      ->group(runtime);
  Add(*app, "--eval-batch", t.eval_batch, "N", "evaluation batch size")->group(runtime);
  Add(*app, "--queue", t.queue_depth, "N", "batches prepared ahead by the loader thread")
      ->group(runtime);
  Add(*app, "--max-steps-per-epoch", t.max_steps_per_epoch, "N", "0: whole epochs")->group(runtime);
  Add(*app, "--out", t.out_dir, "DIR", "output folder")->group(runtime);
  app->add_flag_callback(
         "--no-plots", [&t] { t.plots = false; }, "write no gnuplot figures")
      ->group(runtime);
  app->add_flag_callback(
         "--no-clip-timing", [&t] { t.time_clipping = false; },
         "no device syncs around clipping (clip_s is then not measured)")
      ->group(runtime);

  const std::string bench = "Benchmark (uses --batch)";
  app->add_flag_callback(
         "--bench", [&inv] { inv.mode = Invocation::Mode::kBench; },
         "median step time per method instead of training")
      ->group(bench);
  Add(*app, "--bench-steps", b.steps, "N", "timed steps per method")->group(bench);
  Add(*app, "--bench-warmup", b.warmup, "N", "untimed steps first")->group(bench);
  Add(*app, "--bench-accum", b.accum_steps, "K", "micro-batches of the accumulation rows")
      ->group(bench);
  return app;
}

}  // namespace

std::string UsageText() {
  Invocation defaults;
  return MakeApp(defaults)->help();
}

Invocation ParseCommandLine(int argc, const char* const* argv) {
  Invocation inv;
  for (int i = 0; i < argc; ++i) inv.command_line += (i > 0 ? " " : "") + std::string(argv[i]);
  const std::unique_ptr<CLI::App> app = MakeApp(inv);
  try {
    app->parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    inv.mode = Invocation::Mode::kHelp;
    return inv;
  } catch (const CLI::ParseError& e) {
    // An unknown option, a missing value: bad input like any other (exit code 2).
    throw InputError(std::string(e.what()) + " (clipsim-replay --help lists the options)");
  }
  inv.bench.batch_size = inv.train.batch_size;  // --batch serves both
  if (inv.mode == Invocation::Mode::kBench) {
    inv.bench.Validate(inv.train);
  } else {
    inv.train.Validate();
  }
  return inv;
}

}  // namespace clipsim::replay
