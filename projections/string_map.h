// Hash maps keyed by std::string that can be searched with a string_view,
// so folding an event looks up Cap'n Proto text without allocating.
#pragma once

#include <algorithm>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <capnp/blob.h>

namespace regatta::projections {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

template <class V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

inline std::string_view View(capnp::Text::Reader text) { return {text.cStr(), text.size()}; }
inline std::string Copy(capnp::Text::Reader text) { return {text.cStr(), text.size()}; }

// The keys in sorted order: serialization and rendering must not depend on
// hash-table history, or replay and snapshot+tail would disagree.
template <class V>
std::vector<const typename StringMap<V>::value_type*> Sorted(const StringMap<V>& map) {
  std::vector<const typename StringMap<V>::value_type*> items;
  items.reserve(map.size());
  for (const auto& item : map) items.push_back(&item);
  std::sort(items.begin(), items.end(), [](auto* a, auto* b) { return a->first < b->first; });
  return items;
}

}  // namespace regatta::projections
