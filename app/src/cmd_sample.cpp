// clipsim sample --noise SPEC --count N [--dim D] [--shape iid|isotropic|radial] [--seed S]
// Writes N draws of the noise model, one per line, the D coordinates separated by single spaces,
// each number in the shortest form that reads back to the same double (std::to_chars).
//
// Draws come from noise::SampleStream (the generator MakeRng({Stream::kNoise, S}), NoiseModel::
// SampleBatch in chunks of max(1, 65536 / D) rows), which Python's clipsim.noise.sample shares, so
// the same arguments give the same bytes on the same build.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <system_error>

#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_text.hpp"
#include "clipsim/core/types.hpp"
#include "clipsim/noise/noise_model.hpp"
#include "clipsim/noise/noise_spec.hpp"
#include "clipsim/noise/sample_stream.hpp"
#include "command.hpp"

namespace clipsim::app {
namespace {

struct SampleArgs {
  std::string noise;
  std::int64_t count = 0;
  std::int64_t dim = 1;
  std::string shape;  // empty: the spec's own shape
  std::uint64_t seed = 1;
};

// Output is built in a buffer and written in large pieces: printing a million lines through
// iostreams one number at a time would dominate the run time.
class Writer {
 public:
  explicit Writer(std::FILE* file) : file_(file) { buffer_.reserve(kFlushAt + 4096); }
  ~Writer() { Flush(); }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void Number(double v) { AppendShortest(buffer_, v); }
  void Char(char c) {
    buffer_.push_back(c);
    if (buffer_.size() >= kFlushAt) Flush();
  }
  void Flush() {
    if (!buffer_.empty()) std::fwrite(buffer_.data(), 1, buffer_.size(), file_);
    buffer_.clear();
  }

 private:
  static constexpr std::size_t kFlushAt = 1 << 20;
  std::FILE* file_;
  std::string buffer_;
};

noise::NoiseSpec ResolveSpec(const SampleArgs& args) {
  const noise::NoiseSpec spec = noise::ParseNoiseSpec(args.noise);
  return args.shape.empty() ? spec : noise::WithShape(spec, args.shape, "--shape");
}

int Sample(const SampleArgs& args) {
  if (args.count < 1) {
    throw InputError("--count", std::to_string(args.count), "must be an integer >= 1");
  }
  constexpr std::int64_t kMaxDim = 1 << 24;
  if (args.dim < 1 || args.dim > kMaxDim) {
    throw InputError("--dim", std::to_string(args.dim),
                     "must be an integer in [1, " + std::to_string(kMaxDim) + "]");
  }
  const std::unique_ptr<noise::NoiseModel> model = noise::MakeNoise(ResolveSpec(args));
  noise::SampleStream stream(*model, args.seed, args.dim);
  const std::int64_t chunk_rows = noise::SampleStream::ChunkRows(args.dim);
  Batch chunk;
  Writer out(stdout);
  for (std::int64_t done = 0; done < args.count; done += chunk_rows) {
    const std::int64_t rows = std::min(chunk_rows, args.count - done);
    chunk.resize(rows, args.dim);
    stream.Fill(chunk);
    for (Eigen::Index i = 0; i < chunk.rows(); ++i) {
      for (Eigen::Index j = 0; j < chunk.cols(); ++j) {
        if (j > 0) out.Char(' ');
        out.Number(chunk(i, j));
      }
      out.Char('\n');
    }
  }
  out.Flush();
  std::fflush(stdout);
  return 0;
}

}  // namespace

void RegisterSample(CLI::App& root, Action& action) {
  auto args = std::make_shared<SampleArgs>();
  CLI::App* cmd = root.add_subcommand(
      "sample", "Draw from a noise model: one draw per line, coordinates separated by spaces");
  cmd->add_option("--noise", args->noise,
                  "noise spec, e.g. \"kind=stable,alpha=1.5,skew=0.3,scale=1\"; kinds stable "
                  "(alpha, skew, scale, loc, shape), pareto (tail, scale, loc, shape), student_t "
                  "(dof, scale, loc, shape), gaussian (scale, loc), contaminated (eps, scale, "
                  "other=[spec]), lomax (tail, scale, loc), uniform (scale, loc)")
      ->required();
  cmd->add_option("--count", args->count, "number of draws (lines), >= 1")->required();
  cmd->add_option("--dim", args->dim, "dimension of each draw (coordinates per line)")
      ->capture_default_str();
  cmd->add_option("--shape", args->shape,
                  "vector shape, overriding the spec's: iid, isotropic (stable), radial (pareto)");
  cmd->add_option("--seed", args->seed, "seed of the generator")->capture_default_str();
  cmd->callback([args, &action] { action = [args] { return Sample(*args); }; });
}

}  // namespace clipsim::app
