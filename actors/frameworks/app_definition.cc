#include "actors/frameworks/app_definition.h"

#include <capnp/serialize.h>

#include <cstring>

#include "regatta/events.capnp.h"

namespace regatta::frameworks {
namespace {

using projections::AppChange;
using projections::ChangeKind;
using projections::Quantity;

// Fills the fields the spec holds. The bytes are a flat message (history.cc
// FlatCopy); a std::string's buffer need not be word-aligned, so they are
// copied into words first.
void DecodeSpec(const std::string& bytes, AppDefinition& out) {
  if (bytes.empty() || bytes.size() % sizeof(capnp::word) != 0) {
    out.invalid = Status::Corruption("app " + out.id + ": stored spec is not a flat message");
    return;
  }
  std::vector<capnp::word> words(bytes.size() / sizeof(capnp::word));
  std::memcpy(words.data(), bytes.data(), bytes.size());
  try {
    capnp::FlatArrayMessageReader reader(kj::arrayPtr(words.data(), words.size()));
    auto spec = reader.getRoot<schema::AppSpec>();
    out.resources = {Quantity::FromDouble(spec.getCpus()), Quantity::FromDouble(spec.getMemMb()),
                     Quantity::FromDouble(spec.getDiskMb()), Quantity::FromDouble(spec.getGpus())};
    out.kind = spec.getKind();
    out.max_retries = spec.getMaxRetries();
    for (auto port : spec.getPortDefinitions()) {
      out.port_names.push_back(projections::Copy(port.getName()));
      out.host_ports.push_back(spec.getRequirePorts() ? port.getPort() : 0);
    }
    for (auto label : spec.getLabels()) {
      out.labels.emplace_back(projections::Copy(label.getKey()), projections::Copy(label.getValue()));
    }
    auto constraints = scheduling::ParseConstraints(spec.getConstraints());
    if (constraints.ok()) {
      out.constraints = std::move(*constraints);
    } else {
      out.invalid = Status::InvalidArgument("app " + out.id + ": " + constraints.status().message());
    }
  } catch (const kj::Exception& e) {
    out.invalid = Status::Corruption("app " + out.id + ": stored spec does not decode: " +
                                     e.getDescription().cStr());
  }
}

}  // namespace

std::optional<AppDefinition> CurrentDefinition(std::string_view id,
                                               const projections::AppHistory& app) {
  if (app.deleted) return std::nullopt;
  // Walk back to the last definition; the newest scale after it wins.
  std::optional<std::uint32_t> scaled;
  for (auto it = app.changes.rbegin(); it != app.changes.rend(); ++it) {
    const AppChange& change = *it;
    if (change.kind == ChangeKind::kDeleted) return std::nullopt;
    if (change.kind == ChangeKind::kScaled) {
      if (!scaled) scaled = change.instances;
      continue;
    }
    AppDefinition out;
    out.id = std::string(id);
    out.version = change.version;
    out.instances = scaled.value_or(change.instances);
    DecodeSpec(change.spec, out);
    return out;
  }
  return std::nullopt;  // only scales: never defined
}

std::vector<AppDefinition> LiveApps(const projections::HistoryProjection& history) {
  std::vector<AppDefinition> out;
  for (const auto* entry : projections::Sorted(history.apps())) {
    if (auto app = CurrentDefinition(entry->first, entry->second)) out.push_back(std::move(*app));
  }
  return out;
}

}  // namespace regatta::frameworks
