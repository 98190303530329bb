#include "clipsim/core/results_folder.hpp"

#include <algorithm>

namespace clipsim::results_folder {

bool IsBookkeepingColumn(std::string_view column) {
  return std::find(kBookkeepingColumns.begin(), kBookkeepingColumns.end(), column) !=
         kBookkeepingColumns.end();
}

ConfigEntries SplitConfigText(std::string_view text) {
  ConfigEntries entries;
  if (text.empty()) return entries;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = std::min(text.find(';', start), text.size());
    const std::string_view item = text.substr(start, end - start);
    // The key ends at the first '=': a value may hold '=' (a problem's own k=v list).
    const std::size_t eq = item.find('=');
    if (eq != std::string_view::npos) {
      entries.emplace_back(std::string(item.substr(0, eq)), std::string(item.substr(eq + 1)));
    }
    if (end == text.size()) break;
    start = end + 1;
  }
  return entries;
}

std::string JoinConfigText(ConfigEntries entries) {
  std::sort(entries.begin(), entries.end());
  std::string text;
  for (const auto& [key, value] : entries) {
    if (!text.empty()) text += ';';
    text += key;
    text += '=';
    text += value;
  }
  return text;
}

std::optional<std::string> ConfigValue(std::string_view text, std::string_view key) {
  for (auto& [k, v] : SplitConfigText(text)) {
    if (k == key) return std::move(v);
  }
  return std::nullopt;
}

}  // namespace clipsim::results_folder
