// Shared by the test programs that run the `clipsim` binary: a command's exit status and output.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace clipsim::testing {

// Runs a shell command; returns its exit status (-1 when it did not exit normally) and appends
// its stdout, then its stderr, to *output.
inline int RunCommand(const std::string& command, std::string* output) {
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  char buf[4096];
  std::size_t got = 0;
  while ((got = std::fread(buf, 1, sizeof buf, pipe)) > 0) output->append(buf, got);
  const int status = ::pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace clipsim::testing
