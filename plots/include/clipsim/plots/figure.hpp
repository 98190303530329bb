// One figure: its data files and a gnuplot script that renders it to PNG and PDF, kept next to
// the images so that a user can restyle the figure (edit NAME.gp, run `gnuplot NAME.gp` in the
// folder).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace clipsim::plots {

struct Figure {
  std::string name;     // file stem: NAME.gp, NAME.png, NAME.pdf
  std::string caption;  // one sentence for plots/index.md: what is shown, from which data
  // Data files (name, content) the script reads, written next to it.
  std::vector<std::pair<std::string, std::string>> data;
  // gnuplot commands after the terminal is set: settings, then one `plot` command. The script
  // runs the same commands again for the PDF.
  std::string body;
  int width_px = 1200;  // PNG size; the PDF keeps the aspect ratio at 100 px per inch
  int height_px = 720;
};

struct FigureFiles {
  std::string name;
  std::string caption;
  std::string script;             // path of NAME.gp
  std::vector<std::string> data;  // paths of the data files
  std::string png;                // path, "" when not rendered
  std::string pdf;                // path, "" when not rendered
  std::string error;              // why rendering failed or was skipped ("" when rendered)
};

// Writes the data files and NAME.gp into folder, then renders them with gnuplot when `render`
// and gnuplot is there. Rendering failures are reported in FigureFiles::error, never thrown
// (the data and script stay); an unwritable folder throws InputError.
FigureFiles WriteFigure(const Figure& figure, const std::string& folder, bool render);

}  // namespace clipsim::plots
