// clipsim facts --noise SPEC [--dim D] [--p P]
// Prints what the theory takes from a noise model: its tail index, the moment E||xi||^p and
// sigma(p) = (E||xi||^p)^(1/p) (the sigma of the assumption E||xi||^p <= sigma^p that sets the
// default clipping thresholds and the theory schedule), each with how it was computed: a closed
// form, or numerical integration with its absolute error bound (noise::MomentValue). One fact a
// line, "name: value (how)", values in shortest round-trip form; "infinite" where the moment does
// not exist (p >= the tail index). Python's clipsim.noise.moment_detail gives the same numbers.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_text.hpp"
#include "clipsim/noise/noise_model.hpp"
#include "clipsim/noise/noise_spec.hpp"
#include "command.hpp"

namespace clipsim::app {
namespace {

// As `clipsim sample --dim`.
constexpr std::int64_t kMaxDim = std::int64_t{1} << 24;

struct FactsArgs {
  std::string noise;
  std::int64_t dim = 1;
  double p = 2.0;
};

std::string Number(double v) {
  return std::isinf(v) ? "infinite" : ShortestText(v);
}

int Facts(const FactsArgs& args) {
  if (args.dim < 1 || args.dim > kMaxDim) {
    throw InputError("--dim", std::to_string(args.dim),
                     "must be an integer in [1, " + std::to_string(kMaxDim) + "]");
  }
  if (!(args.p > 0.0) || std::isinf(args.p)) {
    throw InputError("--p", ShortestText(args.p), "must be a finite number > 0");
  }
  const std::unique_ptr<noise::NoiseModel> model =
      noise::MakeNoise(noise::ParseNoiseSpec(args.noise));
  const int dim = static_cast<int>(args.dim);
  const double tail = model->TailIndex();
  const noise::MomentValue moment = model->Moment(args.p, dim);
  const double sigma = model->Sigma(args.p, dim);

  std::string out;
  out += "noise: " + noise::FormatNoiseSpec(model->spec()) + "\n";
  out += "dim: " + std::to_string(dim) + "\n";
  out += "p: " + ShortestText(args.p) + "\n";
  out += "tail_index: " + Number(tail) +
         (std::isinf(tail) ? " (from the spec: light tails, every moment is finite)\n"
                           : " (from the spec: E||xi||^p is finite exactly for p < " +
                                 ShortestText(tail) + ")\n");
  if (std::isinf(moment.value)) {
    const std::string why = " (p = " + ShortestText(args.p) + " >= the tail index " +
                            ShortestText(tail) + ": the moment does not exist)\n";
    out += "E||xi||^p: infinite" + why;
    out += "sigma(p): infinite" + why;
  } else if (moment.exact) {
    out += "E||xi||^p: " + ShortestText(moment.value) + " (closed form)\n";
    out += "sigma(p): " + ShortestText(sigma) + " (closed form, (E||xi||^p)^(1/p))\n";
  } else {
    // d sigma = sigma / (p E||xi||^p) d E||xi||^p, to first order.
    const double sigma_error = sigma * moment.error_bound / (args.p * moment.value);
    out += "E||xi||^p: " + ShortestText(moment.value) +
           " (quadrature, absolute error <= " + SignificantText(moment.error_bound, 2) + ")\n";
    out += "sigma(p): " + ShortestText(sigma) +
           " ((E||xi||^p)^(1/p) of the quadrature, absolute error <= " +
           SignificantText(sigma_error, 2) + ")\n";
  }
  std::fputs(out.c_str(), stdout);
  return 0;
}

}  // namespace

void RegisterFacts(CLI::App& root, Action& action) {
  auto args = std::make_shared<FactsArgs>();
  CLI::App* cmd = root.add_subcommand(
      "facts",
      "Print a noise model's tail index, E||xi||^p and sigma(p) (the sigma of the theory's "
      "E||xi||^p <= sigma^p), each with how it was computed: closed form, or quadrature with its "
      "error bound");
  cmd->add_option("--noise", args->noise,
                  "noise spec, e.g. \"kind=stable,alpha=1.5,scale=1\" (as `clipsim sample`)")
      ->required();
  cmd->add_option("--dim", args->dim, "dimension of the noise vector xi")->capture_default_str();
  cmd->add_option("--p", args->p,
                  "moment order p > 0; E||xi||^p and sigma(p) are infinite for p >= the tail "
                  "index")
      ->capture_default_str();
  cmd->callback([args, &action] { action = [args] { return Facts(*args); }; });
}

}  // namespace clipsim::app
