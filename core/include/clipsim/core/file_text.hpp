// Reading a whole file that a command was pointed at (a config, a claims file, a report include):
// a missing or unreadable file is an InputError naming it and what it was meant to be, so the CLI
// exits with 2 and says which file.
#pragma once

#include <string>
#include <string_view>

namespace clipsim {

// Appends the whole file to out, read straight into place (one fstat, one allocation).
// InputError "cannot open the <what> (missing or unreadable)" or "cannot read the <what> (short
// read)" naming the path; out is left as it was.
void AppendFileText(const std::string& path, std::string& out, std::string_view what = "file");

std::string ReadFileText(const std::string& path, std::string_view what = "file");

}  // namespace clipsim
