// Synthetic sweep folders with planted rates, for the analysis tests and its benchmark: the same
// files `clipsim sweep` writes (results.csv[.gz], cells.csv, noise_norms.csv, manifest.json,
// timings.csv), with the final theorem quantity of seed s at budget N equal to
//   grad_norm_at_R = scale * N^slope * Z,
// Z drawn from a chosen law (so every statistic of it - mean, median-of-means, quantiles - has
// slope exactly `slope` in N). Z is the product of a factor shared by every cell with the same
// noise_group (common random numbers, as the sweep gives methods) and a per-cell factor
// exp(cell_jitter * G), G standard normal, so paired ratios are known: the median of a/b at equal
// budget is (scale_a / scale_b) N^(slope_a - slope_b) exactly when the shared law is the same.
#pragma once

#include <zlib.h>

#include <algorithm>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "clipsim/core/resolved_table.hpp"
#include "clipsim/core/results_folder.hpp"
#include "clipsim/core/rng.hpp"
#include "clipsim/theory/registry.hpp"

namespace clipsim::analysis::testing {

enum class Law {
  kLogNormal,  // exp(sigma G)
  kPareto,     // U^(-1/alpha): tail index alpha (infinite variance for alpha < 2)
  kGaussian,   // |mean + sigma G| (light-tailed)
};

struct SyntheticCell {
  std::string method = "ps_clip_sgd";  // optimizer.method column
  // resolved.csv (when SyntheticSweep::facts.write): the registry entry of the cell's theory
  // schedule ("" = not a theory cell; "same" = the method), its step factor, and the steps T
  // each budget leaves (0: the prescription's floor(N / n)).
  std::string prescription = "same";
  double step_factor = 1.0;
  std::int64_t iterations = 0;
  double clipped_fraction = 0.25;   // written at every checkpoint
  double seconds_per_sample = 0.0;  // timings.csv: 1 ms + this x N per run
  std::string extra_param;          // an optional optimizer.lambda column value ("" = none)
  double p = 1.5;                   // p column
  double slope = -0.2;
  double scale = 1.0;
  double diverge_probability = 0.0;  // per run, independent of Z
  int noise_group = 0;               // cells of one group share the noise factor of Z
  double cell_jitter = 0.1;
};

// The problem and noise facts of resolved.csv (core/resolved_table.hpp), shared by every cell.
struct SyntheticFacts {
  bool write = false;
  double L = 2.0;
  double delta = 0.5;
  double sigma = 0.3857;
  double gradient_bound = 0.6495;
  double start_grad_norm = 0.5;
};

struct SyntheticSweep {
  std::vector<SyntheticCell> cells;
  SyntheticFacts facts;
  std::vector<std::int64_t> budgets = {1000, 3000, 10000, 30000};
  int seeds = 200;
  int checkpoints = 3;  // rows per run; the last one (samples = N) holds the planted value
  Law law = Law::kLogNormal;
  double law_param = 0.5;  // sigma (log-normal), alpha (Pareto), sigma (Gaussian)
  double gaussian_mean = 10.0;
  bool gzip = false;
  int noise_norms = 0;       // rows per noise group in noise_norms.csv (0: no file)
  double noise_alpha = 1.5;  // Pareto tail index of the saved noise norms
  std::uint64_t seed = 1;
};

inline std::string Num(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

inline std::string CellId(std::size_t c) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(Mix64(0xce11 + c)));
  return buf;
}

inline double DrawLaw(Law law, double param, double gaussian_mean, Rng& rng) {
  boost::random::uniform_01<double> u01;
  boost::random::normal_distribution<double> normal;
  switch (law) {
    case Law::kLogNormal:
      return std::exp(param * normal(rng));
    case Law::kPareto:
      return std::pow(1.0 - u01(rng), -1.0 / param);
    case Law::kGaussian:
      return std::abs(gaussian_mean + param * normal(rng));
  }
  return 1.0;
}

// Writes the folder (created when missing). Columns are deliberately not in the order the real
// sweep uses for the checkpoint part, so that readers must go by name.
inline void WriteSyntheticSweep(const SyntheticSweep& sweep, const std::string& dir) {
  std::filesystem::create_directories(dir);
  bool have_extra = false;
  for (const SyntheticCell& c : sweep.cells) have_extra |= !c.extra_param.empty();
  std::string header = "cell,optimizer.method";
  if (have_extra) header += ",optimizer.lambda";
  header +=
      ",p,budget,seed,target,samples,iterations,grad_norm_at_R,grad_norm,value_gap,"
      "mean_grad_norm,mean_sq_grad_norm,min_grad_norm,clipped_fraction,diverged\n";
  std::string results = header;
  std::string timings = "cell,budget,seed,seconds,termination\n";
  std::string cells = "cell,optimizer.method";
  if (have_extra) cells += ",optimizer.lambda";
  cells += ",p,noise_stream,config,problem,dim,noise,method,schedule\n";
  boost::random::uniform_01<double> u01;
  boost::random::normal_distribution<double> normal;
  for (std::size_t c = 0; c < sweep.cells.size(); ++c) {
    const SyntheticCell& cell = sweep.cells[c];
    const std::string id = CellId(c);
    std::string params = cell.method;
    if (have_extra) params += "," + cell.extra_param;
    params += "," + Num(cell.p);
    const std::string stream = CellId(1000 + static_cast<std::size_t>(cell.noise_group));
    // The config in the canonical "key=value;..." form of cells.csv.
    cells += id + "," + params + "," + stream + ",\"optimizer.method=" + cell.method +
             (cell.extra_param.empty() ? "" : ";optimizer.lambda=" + cell.extra_param) +
             ";p=" + Num(cell.p) + "\",quadratic,10,\"kind=stable,alpha=1.5,scale=1\"," +
             cell.method + ",theory\n";
    for (std::int64_t budget : sweep.budgets) {
      for (int s = 0; s < sweep.seeds; ++s) {
        // Shared factor: keyed by noise group, budget and seed only.
        Rng shared = MakeRng({sweep.seed, static_cast<std::uint64_t>(cell.noise_group),
                              static_cast<std::uint64_t>(budget), static_cast<std::uint64_t>(s)});
        const double z_shared = DrawLaw(sweep.law, sweep.law_param, sweep.gaussian_mean, shared);
        Rng own = MakeRng(
            {sweep.seed, 77, c, static_cast<std::uint64_t>(budget), static_cast<std::uint64_t>(s)});
        const double z = z_shared * std::exp(cell.cell_jitter * normal(own));
        const bool diverged = u01(own) < cell.diverge_probability;
        const double final_value =
            cell.scale * std::pow(static_cast<double>(budget), cell.slope) * z;
        const std::string prefix =
            id + "," + params + "," + std::to_string(budget) + "," + std::to_string(s) + ",";
        for (int k = 1; k <= sweep.checkpoints; ++k) {
          const std::int64_t samples = budget * k / sweep.checkpoints;
          // Earlier checkpoints are worse, so a reader taking the wrong row is caught.
          const double v = diverged ? std::numeric_limits<double>::infinity()
                                    : final_value * (1.0 + 3.0 * (sweep.checkpoints - k));
          results += prefix + std::to_string(samples) + "," + std::to_string(samples) + "," +
                     std::to_string(samples / 10) + "," + Num(v) + "," + Num(2 * v) + "," +
                     Num(v * v) + "," + Num(1.5 * v) + "," + Num(2.25 * v * v) + "," +
                     Num(0.5 * v) + "," + Num(cell.clipped_fraction) + "," +
                     (diverged ? "1" : "0") + "\n";
        }
        // Run time: 1 ms, plus seconds_per_sample x N with a 5% log-normal spread per run.
        const double seconds = 0.001 + cell.seconds_per_sample * static_cast<double>(budget) *
                                           std::exp(0.05 * normal(own));
        timings += id + "," + std::to_string(budget) + "," + std::to_string(s) + "," +
                   Num(seconds) + "," + (diverged ? "diverged" : "finished") + "\n";
      }
    }
  }
  if (sweep.gzip) {
    gzFile f = gzopen((dir + "/results.csv.gz").c_str(), "wb6");
    gzwrite(f, results.data(), static_cast<unsigned>(results.size()));
    gzclose(f);
  } else {
    std::ofstream(dir + "/results.csv", std::ios::binary) << results;
  }
  std::ofstream(dir + "/timings.csv", std::ios::binary) << timings;
  if (sweep.facts.write) {
    // The batch a cell "ran" is the prescription's n for its entry (so that the regime's
    // prescription and the file agree), unless the cell plants its own T.
    std::string resolved;
    for (std::string_view c : resolved_table::kColumns) {
      resolved += (resolved.empty() ? "" : ",") + std::string(c);
    }
    resolved += "\n";
    for (std::size_t c = 0; c < sweep.cells.size(); ++c) {
      const SyntheticCell& cell = sweep.cells[c];
      const std::string entry = cell.prescription == "same" ? cell.method : cell.prescription;
      for (std::int64_t budget : sweep.budgets) {
        std::int64_t n = 1, t = budget;
        double eta = 1.0 / sweep.facts.L;
        if (const theory::TheoryEntry* e = entry.empty() ? nullptr : theory::FindTheory(entry)) {
          theory::TheoryInputs in;
          in.L = sweep.facts.L;
          in.delta = sweep.facts.delta;
          in.sigma = sweep.facts.sigma;
          in.p = cell.p;
          in.budget = budget;
          const theory::Prescription pr = e->Prescribe(in);
          n = pr.batch_size;
          t = pr.iterations;
          eta = pr.eta;
        }
        if (cell.iterations > 0) {
          t = cell.iterations;
          n = std::max<std::int64_t>(1, budget / t);
        }
        resolved += CellId(c) + "," + std::to_string(budget) + "," + cell.method + "," + entry +
                    "," + std::to_string(n) + ",1," + std::to_string(t) + "," +
                    std::to_string(n * t) + "," + Num(eta * cell.step_factor) + "," +
                    Num(cell.step_factor) + ",1,1,inf," + Num(sweep.facts.sigma) + "," +
                    Num(cell.p) + "," + Num(sweep.facts.sigma) + "," + Num(cell.p) + "," +
                    Num(sweep.facts.L) + "," + Num(sweep.facts.delta) + "," +
                    Num(sweep.facts.gradient_bound) + "," + Num(sweep.facts.start_grad_norm) + "\n";
      }
    }
    std::ofstream(dir + "/resolved.csv", std::ios::binary) << resolved;
  }
  std::ofstream(dir + "/cells.csv", std::ios::binary) << cells;
  if (sweep.noise_norms > 0) {
    std::string norms = "noise_stream,noise,dim,norm\n";
    std::vector<int> groups;
    for (const SyntheticCell& c : sweep.cells) {
      if (std::find(groups.begin(), groups.end(), c.noise_group) == groups.end()) {
        groups.push_back(c.noise_group);
      }
    }
    for (int g : groups) {
      Rng rng = MakeRng({sweep.seed, 99, static_cast<std::uint64_t>(g)});
      const std::string stream = CellId(1000 + static_cast<std::size_t>(g));
      for (int i = 0; i < sweep.noise_norms; ++i) {
        norms += stream + ",\"kind=stable,alpha=1.5,scale=1\",10," +
                 Num(std::pow(1.0 - u01(rng), -1.0 / sweep.noise_alpha)) + "\n";
      }
    }
    std::ofstream(dir + "/noise_norms.csv", std::ios::binary) << norms;
  }
  std::ofstream(dir + "/manifest.json", std::ios::binary)
      << "{\"schema_version\": " << results_folder::kSchemaVersion
      << ", \"program\": {\"version\": \"synthetic\", \"git_commit\": "
         "\"none\"}, \"config_file\": \"synthetic\", \"counts\": {\"cells\": "
      << sweep.cells.size() << "}}\n";
}

}  // namespace clipsim::analysis::testing
