#include "api/marathon/render_cache.h"

namespace regatta::marathon {

void RenderCache::MoveTo(Revision next) {
  if (next == next_) return;
  bodies_.clear();
  next_ = next;
}

const std::string* RenderCache::Find(Revision next, const std::string& key) {
  MoveTo(next);
  auto it = bodies_.find(key);
  return it == bodies_.end() ? nullptr : &it->second;
}

const std::string& RenderCache::Store(Revision next, std::string key, std::string body) {
  MoveTo(next);
  if (bodies_.size() >= capacity_) bodies_.clear();
  return bodies_.insert_or_assign(std::move(key), std::move(body)).first->second;
}

}  // namespace regatta::marathon
