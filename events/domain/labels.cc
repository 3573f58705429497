#include "events/domain/labels.h"

namespace regatta::domain {

Attributes PairsOf(capnp::List<schema::KeyValue>::Reader pairs) {
  Attributes out;
  out.reserve(pairs.size());
  for (auto kv : pairs) {
    out.emplace_back(std::string(kv.getKey().cStr(), kv.getKey().size()),
                     std::string(kv.getValue().cStr(), kv.getValue().size()));
  }
  return out;
}

void ToSchema(capnp::List<schema::KeyValue>::Builder out, const Attributes& pairs) {
  for (unsigned i = 0; i < pairs.size(); ++i) {
    out[i].setKey(pairs[i].first);
    out[i].setValue(pairs[i].second);
  }
}

}  // namespace regatta::domain
