#include "clipsim/plots/figure.hpp"

#include <filesystem>
#include <fstream>

#include "clipsim/core/input_error.hpp"
#include "clipsim/plots/gnuplot.hpp"

namespace clipsim::plots {
namespace {

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw InputError("cannot write the file", {path});
  out << text;
  if (!out) throw InputError("cannot write the file", {path});
}

}  // namespace

FigureFiles WriteFigure(const Figure& figure, const std::string& folder, bool render) {
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) throw InputError("cannot create the folder: " + ec.message(), {folder});
  FigureFiles out;
  out.name = figure.name;
  out.caption = figure.caption;
  for (const auto& [name, content] : figure.data) {
    const std::string path = folder + "/" + name;
    WriteText(path, content);
    out.data.push_back(path);
  }
  const GnuplotInfo& g = FindGnuplot();
  // Without gnuplot the script still names the usual cairo terminals, for a machine that has it.
  const std::string png_terminal = g.png_terminal.empty() ? "pngcairo" : g.png_terminal;
  const bool pdf = !g.found || !g.pdf_terminal.empty();
  const std::string font = png_terminal == "pngcairo" ? " font \"Sans,11\"" : "";
  std::string script = "# " + figure.caption + "\n" + "# Render: run `gnuplot " + figure.name +
                       ".gp` in this folder (writes " + figure.name + ".png" +
                       (pdf ? " and " + figure.name + ".pdf" : "") + ").\n";
  script += "set terminal " + png_terminal + " size " + std::to_string(figure.width_px) + "," +
            std::to_string(figure.height_px) + " noenhanced" + font + "\n";
  script += "set output " + GnuplotQuote(figure.name + ".png") + "\n";
  script += figure.body;
  if (pdf) {
    script += "set terminal pdfcairo size " + std::to_string(figure.width_px / 100.0) + "in," +
              std::to_string(figure.height_px / 100.0) + "in noenhanced font \"Sans,8\"\n";
    // The body again, not `replot`: after `unset multiplot` (a figure of several panels),
    // gnuplot 5.4's replot redraws only the last panel.
    script += "set output " + GnuplotQuote(figure.name + ".pdf") + "\n" + figure.body;
  }
  script += "unset output\n";
  out.script = folder + "/" + figure.name + ".gp";
  WriteText(out.script, script);
  if (!render) {
    out.error = "rendering not requested";
    return out;
  }
  if (!g.found) {
    out.error = "gnuplot not found on PATH: data and script written, no images";
    return out;
  }
  if (g.png_terminal.empty()) {
    out.error = "gnuplot has no png terminal";
    return out;
  }
  std::string error;
  if (!RunGnuplot(folder, figure.name + ".gp", &error)) {
    out.error = error;
    return out;
  }
  out.png = folder + "/" + figure.name + ".png";
  if (pdf) out.pdf = folder + "/" + figure.name + ".pdf";
  if (!pdf) out.error = "gnuplot has no pdfcairo terminal: PNG only";
  return out;
}

}  // namespace clipsim::plots
