// Finding and running gnuplot. Figures are always written as data + script; rendering to PNG and
// PDF needs gnuplot on PATH (the quick-start scripts install it), with the cairo terminals when
// present (pngcairo, pdfcairo) and the plain `png` terminal as a fallback for PNG.
#pragma once

#include <string>

namespace clipsim::plots {

struct GnuplotInfo {
  bool found = false;
  std::string path;          // the executable
  std::string version;       // "gnuplot 5.4 patchlevel 4"
  std::string png_terminal;  // "pngcairo", "png" or "" (none)
  std::string pdf_terminal;  // "pdfcairo" or "" (none)
};

// Looks for gnuplot on PATH and asks it for its terminals (once per process).
const GnuplotInfo& FindGnuplot();

// Runs `gnuplot script` with the working directory set to folder (scripts name their files
// relative to it). Returns true on exit status 0; otherwise fills error with gnuplot's stderr.
bool RunGnuplot(const std::string& folder, const std::string& script, std::string* error);

// A string literal for a gnuplot script: double-quoted with \ and " escaped.
std::string GnuplotQuote(const std::string& text);

}  // namespace clipsim::plots
