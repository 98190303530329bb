#include "folder.hpp"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "atomic_file.hpp"
#include "clipsim/core/build_info.hpp"
#include "clipsim/core/file_text.hpp"
#include "clipsim/core/input_error.hpp"

namespace clipsim::sweep::detail {
namespace fs = std::filesystem;

std::string BuildId() {
  return std::string("clipsim ") + build_info::kVersion + " " + build_info::kGitCommit + " " +
         build_info::kCompiler + " " + build_info::kBuildType + " simd=" + build_info::kSimd;
}

std::string NowIso8601() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

bool ReadFolderState(const std::string& dir, FolderState& state) {
  const std::string path = dir + "/state.json";
  if (!fs::exists(path)) return false;
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(ReadFileText(path));
    state.fingerprint = j.at("fingerprint").get<std::string>();
    state.build_id = j.at("build").get<std::string>();
    state.created = j.at("created").get<std::string>();
  } catch (const nlohmann::json::exception& e) {
    throw InputError(std::string("not a clipsim sweep state file: ") + e.what(), {path});
  }
  state.config_text = ReadFileText(dir + "/sweep.yaml");
  return true;
}

void CheckFolder(const SweepConfig& config, const std::string& dir, bool create) {
  FolderState state;
  if (ReadFolderState(dir, state)) {
    if (state.fingerprint != config.fingerprint) {
      throw InputError(
          "this folder holds a sweep of another config (fingerprint " + state.fingerprint +
              ", this config " + config.fingerprint +
              "); in an existing folder only 'seeds' and 'budgets' may grow. Use a new --out, or "
              "compare with " +
              dir + "/sweep.yaml",
          {dir});
    }
    if (state.build_id != BuildId()) {
      throw InputError("this folder holds results of another build ('" + state.build_id +
                           "', this is '" + BuildId() +
                           "'); results of two builds may differ in the last bit, so they are not "
                           "mixed. Use a new --out",
                       {dir});
    }
    // Same fingerprint: at most seeds or budgets changed. Keep the folder's copy current.
    std::error_code ec;
    if (create && !fs::equivalent(config.file, dir + "/sweep.yaml", ec)) {
      WriteFileAtomically(dir + "/sweep.yaml", config.text);
    }
    return;
  }
  if (fs::exists(dir) && !fs::is_directory(dir)) {
    throw InputError("--out names a file, not a folder", {dir});
  }
  if (fs::exists(dir) && !fs::is_empty(dir) && !fs::exists(dir + "/chunks")) {
    throw InputError("--out names a folder that is not empty and holds no sweep; refusing to mix",
                     {dir});
  }
  if (!create) return;
  std::error_code ec;
  fs::create_directories(dir + "/chunks", ec);
  if (ec) throw InputError("cannot create the output folder: " + ec.message(), {dir});
  WriteFileAtomically(dir + "/sweep.yaml", config.text);
  // Schema 2: chunks are records in chunks/*.log (schema 1: one chunks/NAME.chunk file each).
  // A folder of another build is refused anyway, so no reader of schema 1 is kept.
  nlohmann::json j = {{"schema_version", 2},
                      {"fingerprint", config.fingerprint},
                      {"build", BuildId()},
                      {"created", NowIso8601()}};
  WriteFileAtomically(dir + "/state.json", j.dump(2) + "\n");
}

}  // namespace clipsim::sweep::detail
