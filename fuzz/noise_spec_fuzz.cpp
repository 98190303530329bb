// Noise spec strings (`clipsim sample --noise SPEC`, and every config's noise map in text form):
// parsed or refused with an InputError; an accepted spec formats to text that parses back to the
// same spec (the canonical text is part of every cell id), builds its sampler, and draws.
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "clipsim/core/input_error.hpp"
#include "clipsim/core/rng.hpp"
#include "clipsim/noise/noise_model.hpp"
#include "clipsim/noise/noise_spec.hpp"
#include "fuzz_files.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace noise = clipsim::noise;
  noise::NoiseSpec spec;
  try {
    spec = noise::ParseNoiseSpec(clipsim::fuzz::AsText(data, size));
  } catch (const clipsim::InputError&) {
    return 0;
  }
  // Accepted: the canonical text must round-trip, or cell ids would not identify the noise.
  const std::string text = noise::FormatNoiseSpec(spec);
  if (!(noise::ParseNoiseSpec(text) == spec)) std::abort();
  const auto model = noise::MakeNoise(spec);
  clipsim::Rng rng = clipsim::MakeRng({1, 2});
  std::vector<double> draws(16);
  model->Fill(rng, draws);
  (void)model->Sample(rng);
  (void)model->TailIndex();
  return 0;
}
