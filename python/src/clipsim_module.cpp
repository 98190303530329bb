// clipsim._clipsim: the compiled part of the Python package clipsim (python/clipsim/), over the
// libraries the clipsim program uses, so that Python gets the CLI's draws, facts, runs and
// messages. Every InputError becomes clipsim.InputError, a subclass of ValueError with the CLI's
// text; the long computations (draws, quadrature, runs) release the GIL.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "clipsim/core/input_error.hpp"
#include "clipsim/core/types.hpp"
#include "clipsim/core/yaml_input.hpp"
#include "clipsim/noise/noise_model.hpp"
#include "clipsim/noise/noise_spec.hpp"
#include "clipsim/noise/sample_stream.hpp"
#include "clipsim/noise/stable_distribution.hpp"
#include "clipsim/sim/checkpoint.hpp"
#include "clipsim/sim/run.hpp"
#include "clipsim/sim/run_config.hpp"

namespace py = pybind11;

namespace clipsim::python {
namespace {

constexpr std::int64_t kMaxDim = std::int64_t{1} << 24;  // as `clipsim sample --dim`

std::unique_ptr<noise::NoiseModel> MakeModel(const std::string& spec,
                                             const std::optional<std::string>& shape) {
  const noise::NoiseSpec parsed = noise::ParseNoiseSpec(spec);
  return noise::MakeNoise(shape ? noise::WithShape(parsed, *shape, "shape") : parsed);
}

py::array_t<double> Sample(const std::string& spec, std::int64_t size, std::int64_t dim,
                           const std::optional<std::string>& shape, std::uint64_t seed) {
  if (size < 0) throw InputError("size", std::to_string(size), "must be an integer >= 0");
  if (dim < 1 || dim > kMaxDim) {
    throw InputError("dim", std::to_string(dim),
                     "must be an integer in [1, " + std::to_string(kMaxDim) + "]");
  }
  const std::unique_ptr<noise::NoiseModel> model = MakeModel(spec, shape);
  py::array_t<double> out = dim == 1 ? py::array_t<double>(py::ssize_t{size})
                                     : py::array_t<double>({py::ssize_t{size}, py::ssize_t{dim}});
  double* data = out.mutable_data();
  {
    py::gil_scoped_release release;
    noise::SampleStream(*model, seed, dim).Fill(Eigen::Map<Batch>(data, size, dim));
  }
  return out;
}

noise::MomentValue Moment(const std::string& spec, double p, int dim) {
  const std::unique_ptr<noise::NoiseModel> model = MakeModel(spec, std::nullopt);
  py::gil_scoped_release release;
  return model->Moment(p, dim);
}

// One run: the CSV text that `clipsim run` writes (header and one row per checkpoint, the one
// writer sim::AppendCheckpointCsv) and the run's report. config_file: the YAML file to load, or
// "" to parse `text` (labelled `label` in messages).
py::dict Run(const std::string& config_file, const std::string& text, const std::string& label,
             std::uint64_t seed, std::optional<std::uint64_t> master_seed) {
  std::string csv;
  sim::RunSummary summary;
  {
    py::gil_scoped_release release;
    const sim::RunConfig config = config_file.empty()
                                      ? sim::ParseRunConfig(yaml::Parse(text, label), label)
                                      : sim::LoadRunConfig(config_file);
    const sim::PreparedRun run(config);
    summary = run.Run(master_seed.value_or(config.master_seed), seed);
    for (const std::string& c : sim::CheckpointColumns()) csv += (csv.empty() ? "" : ",") + c;
    csv += '\n';
    for (const sim::Checkpoint& c : summary.checkpoints) {
      sim::AppendCheckpointCsv(csv, c);
      csv += '\n';
    }
  }
  py::dict out;
  out["csv"] = csv;
  out["termination"] = std::string(sim::ToString(summary.termination));
  out["message"] = summary.message;
  out["report"] = summary.BriefReport();
  return out;
}

// f of the stable law at x: a float for a number, else a float64 array of x's shape (evaluated
// with the GIL released).
py::object EvalStable(const py::object& x, const noise::StableLaw& law,
                      double (noise::StableLaw::*f)(double) const) {
  if (py::isinstance<py::float_>(x) || py::isinstance<py::int_>(x)) {
    return py::float_((law.*f)(x.cast<double>()));
  }
  const auto in = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(x);
  if (!in) throw py::type_error("x must be a number or an array of numbers");
  py::array_t<double> out(in.request().shape);
  const double* from = in.data();
  double* to = out.mutable_data();
  const py::ssize_t n = in.size();
  {
    py::gil_scoped_release release;
    for (py::ssize_t i = 0; i < n; ++i) to[i] = (law.*f)(from[i]);
  }
  return out;
}

void DefineNoise(py::module_& m) {
  m.def("sample", &Sample, py::arg("spec"), py::arg("size"), py::arg("dim") = 1,
        py::arg("shape") = py::none(), py::arg("seed") = 1,
        R"(Draws from a noise model, the same numbers as `clipsim sample`.

spec:  a noise spec, e.g. "kind=stable,alpha=1.5,skew=0.3,scale=1" (configs/README.md lists the
       kinds and keys).
size:  number of draws (rows), >= 0.
dim:   coordinates of each draw, in [1, 2^24].
shape: overrides the spec's vector shape: "iid", "isotropic" (stable) or "radial" (pareto); for a
       contaminated law the shape of its `other` part. None keeps the spec's.
seed:  seed of the generator (as `clipsim sample --seed`).

Returns a float64 array of shape (size,) when dim == 1, else (size, dim): bit for bit the
numbers `clipsim sample --noise SPEC --count SIZE --dim DIM [--shape SHAPE] --seed SEED` prints.
Raises clipsim.InputError (a ValueError) naming the key for a bad spec or argument.)");

  m.def(
      "moment",
      [](const std::string& spec, double p, int dim) { return Moment(spec, p, dim).value; },
      py::arg("spec"), py::arg("p"), py::arg("dim") = 1,
      R"(E||xi||^p for a noise vector xi of dimension dim with the spec's law and shape.

The raw moment (loc included); inf where p >= the tail index. Closed forms where they exist,
otherwise numerical integration (10-50 ms; see moment_detail for its error bound).
Raises clipsim.InputError (a ValueError) for a bad spec, p <= 0 or dim < 1.)");

  m.def(
      "moment_detail",
      [](const std::string& spec, double p, int dim) {
        const noise::MomentValue v = Moment(spec, p, dim);
        py::dict out;
        out["value"] = v.value;
        out["error_bound"] = v.error_bound;
        out["exact"] = v.exact;
        return out;
      },
      py::arg("spec"), py::arg("p"), py::arg("dim") = 1,
      R"(E||xi||^p as moment(), with how it was computed: a dict with `value`, `error_bound`
(absolute; 0 for closed forms) and `exact` (True for a closed form, False for quadrature).)");

  m.def(
      "sigma",
      [](const std::string& spec, double p, int dim) {
        const std::unique_ptr<noise::NoiseModel> model = MakeModel(spec, std::nullopt);
        py::gil_scoped_release release;
        return model->Sigma(p, dim);
      },
      py::arg("spec"), py::arg("p"), py::arg("dim") = 1,
      R"(sigma(p) = E||xi||^p ^ (1/p): the sigma of the theory's assumption E||xi||^p <= sigma^p,
which sets the default clipping thresholds and the theory schedule. inf where p >= the tail
index. Raises clipsim.InputError (a ValueError) for a bad spec, p <= 0 or dim < 1.)");

  m.def(
      "tail_index",
      [](const std::string& spec) { return MakeModel(spec, std::nullopt)->TailIndex(); },
      py::arg("spec"),
      R"(The tail index sup{p : E|xi|^p < inf} of the spec's law; inf for light tails.)");

  m.def(
      "stable_cdf",
      [](const py::object& x, double alpha, double skew, double scale, double loc) {
        return EvalStable(x, {alpha, skew, scale, loc}, &noise::StableLaw::Cdf);
      },
      py::arg("x"), py::arg("alpha"), py::arg("skew") = 0.0, py::arg("scale") = 1.0,
      py::arg("loc") = 0.0,
      R"(P(X <= x) for the alpha-stable law in the S1 parameterization (scipy's levy_stable with
parameterization "S1"): alpha in (0, 2], skew in [-1, 1], scale > 0, loc. Nolan's integral with
Boost quadrature, about 1e-12 absolute accuracy and 30-60 us per value.
x: a number (returns a float) or an array-like (returns a float64 array of its shape).
Raises clipsim.InputError (a ValueError) naming a parameter out of its range.)");
  m.def(
      "stable_sf",
      [](const py::object& x, double alpha, double skew, double scale, double loc) {
        return EvalStable(x, {alpha, skew, scale, loc}, &noise::StableLaw::Sf);
      },
      py::arg("x"), py::arg("alpha"), py::arg("skew") = 0.0, py::arg("scale") = 1.0,
      py::arg("loc") = 0.0,
      R"(P(X > x) for the S1 alpha-stable law, computed directly (accurate far in the right
tail). Arguments as stable_cdf.)");
  m.def(
      "stable_pdf",
      [](const py::object& x, double alpha, double skew, double scale, double loc) {
        return EvalStable(x, {alpha, skew, scale, loc}, &noise::StableLaw::Pdf);
      },
      py::arg("x"), py::arg("alpha"), py::arg("skew") = 0.0, py::arg("scale") = 1.0,
      py::arg("loc") = 0.0, R"(The density of the S1 alpha-stable law. Arguments as stable_cdf.)");
}

}  // namespace
}  // namespace clipsim::python

PYBIND11_MODULE(_clipsim, m) {
  using namespace clipsim::python;  // NOLINT(google-build-using-namespace)
  m.doc() = "The compiled part of the clipsim package; use it through `import clipsim`.";
  py::register_exception<clipsim::InputError>(m, "InputError", PyExc_ValueError);

  py::module_ noise = m.def_submodule("noise", "Noise models: draws and exact facts.");
  DefineNoise(noise);

  m.def("_run", &Run, py::arg("config_file"), py::arg("text"), py::arg("label"), py::arg("seed"),
        py::arg("master_seed") = py::none(),
        "One run (use clipsim.run): a dict with the checkpoints' CSV text, termination, message "
        "and report.");
}
