#include "clipsim/plots/gnuplot.hpp"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

namespace clipsim::plots {
namespace {

// Single-quoted for /bin/sh.
std::string ShellQuote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string Capture(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  std::array<char, 4096> buf{};
  std::size_t got = 0;
  while ((got = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), got);
  ::pclose(pipe);
  return out;
}

std::string FindOnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return "";
  std::stringstream dirs(path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    const std::filesystem::path candidate = std::filesystem::path(dir) / name;
    std::error_code ec;
    if (std::filesystem::is_regular_file(candidate, ec) &&
        (std::filesystem::status(candidate, ec).permissions() &
         std::filesystem::perms::owner_exec) != std::filesystem::perms::none) {
      return candidate.string();
    }
  }
  return "";
}

bool HasTerminal(const std::string& list, const std::string& name) {
  std::stringstream lines(list);
  std::string line;
  while (std::getline(lines, line)) {
    std::stringstream words(line);
    std::string first;
    words >> first;
    if (first == name) return true;
  }
  return false;
}

}  // namespace

const GnuplotInfo& FindGnuplot() {
  static GnuplotInfo info;
  static std::once_flag once;
  std::call_once(once, [] {
    info.path = FindOnPath("gnuplot");
    if (info.path.empty()) return;
    info.found = true;
    std::string version = Capture(ShellQuote(info.path) + " --version 2>/dev/null");
    while (!version.empty() && (version.back() == '\n' || version.back() == '\r')) {
      version.pop_back();
    }
    info.version = version;
    const std::string terminals =
        Capture("echo 'set terminal' | " + ShellQuote(info.path) + " 2>&1");
    if (HasTerminal(terminals, "pngcairo")) {
      info.png_terminal = "pngcairo";
    } else if (HasTerminal(terminals, "png")) {
      info.png_terminal = "png";
    }
    if (HasTerminal(terminals, "pdfcairo")) info.pdf_terminal = "pdfcairo";
  });
  return info;
}

bool RunGnuplot(const std::string& folder, const std::string& script, std::string* error) {
  const GnuplotInfo& g = FindGnuplot();
  if (!g.found) {
    if (error) *error = "gnuplot not found on PATH";
    return false;
  }
  const std::string log = script + ".log";
  const std::string command = "cd " + ShellQuote(folder) + " && " + ShellQuote(g.path) + " " +
                              ShellQuote(script) + " > " + ShellQuote(log) + " 2>&1";
  const int status = std::system(command.c_str());
  const std::string log_path = folder + "/" + log;
  std::ifstream in(log_path);
  std::stringstream text;
  text << in.rdbuf();
  in.close();
  const bool ok = status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (ok) {
    std::error_code ec;
    std::filesystem::remove(log_path, ec);  // keep logs only of failures
  } else if (error) {
    *error = "gnuplot failed on " + folder + "/" + script + ": " + text.str();
  }
  return ok;
}

std::string GnuplotQuote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

}  // namespace clipsim::plots
