#include "events/domain/app_definition.h"

#include <cmath>
#include <cstring>
#include <limits>

#include <capnp/message.h>

namespace regatta::domain {
namespace {

std::string Copy(capnp::Text::Reader text) { return {text.cStr(), text.size()}; }

Status CheckSeconds(const char* field, double value) {
  if (std::isfinite(value) && value >= 0) return Status::Ok();
  return Status::InvalidField(field, "must be a finite number >= 0, not " + std::to_string(value));
}

// Marathon fields the spec keeps as given that nothing acts on yet: each
// app that sets one says so (Marathon's API shows them as regattaNotes),
// rather than Regatta ignoring it in silence.
std::vector<std::string> StoredButNotActedOn(schema::AppSpec::Reader spec) {
  std::vector<std::string> notes;
  auto note = [&](bool set, const char* what) {
    if (set) notes.emplace_back(what);
  };
  auto container = spec.getContainer();
  note(container.getKind() == schema::ContainerSpec::Kind::OCI,
       "container: stored; this build's agents run processes only, so its launches fail until containers land");
  note(container.getForcePullImage(), "container.docker.forcePullImage: stored, not acted on");
  note(container.getPrivileged(), "container.docker.privileged: stored, not acted on");
  note(container.getParameters().size() > 0, "container.docker.parameters: stored, not acted on");
  note(spec.getFetch().size() > 0, "fetch: stored; agents do not fetch URIs yet");
  note(spec.getAcceptedResourceRoles().size() > 0, "acceptedResourceRoles: stored; the app's role decides placement");
  note(spec.getKillSelection() == schema::KillSelection::OLDEST_FIRST,
       "killSelection: stored; scaling down kills the youngest tasks");
  note(spec.getUnreachableStrategy().getGiven(),
       "unreachableStrategy: stored; the master's --unreachable-inactive applies");
  note(spec.getExecutor().size() > 0, "executor: stored; tasks run under regatta-executor");
  note(spec.getUser().size() > 0, "user: stored; tasks run as the agent's user");
  for (auto check : spec.getHealthChecks()) {
    note(check.getPort() != 0, "healthChecks[].port: stored; checks use portIndex");
    note(check.getIgnoreHttp1xx(), "healthChecks[].ignoreHttp1xx: stored, not acted on");
  }
  return notes;
}

void DecodeFields(schema::AppSpec::Reader spec, AppDefinition& out) {
  out.id = Copy(spec.getId());
  out.instances = spec.getInstances();
  out.resources = {Quantity::FromDouble(spec.getCpus()), Quantity::FromDouble(spec.getMemMb()),
                   Quantity::FromDouble(spec.getDiskMb()), Quantity::FromDouble(spec.getGpus())};
  out.kind = spec.getKind();
  out.max_retries = spec.getMaxRetries();
  out.kill_grace_seconds = spec.getKillGracePeriodSeconds();
  for (auto port : spec.getPortDefinitions()) {
    out.port_names.push_back(Copy(port.getName()));
    out.host_ports.push_back(spec.getRequirePorts() ? port.getPort() : 0);
  }
  out.labels = PairsOf(spec.getLabels());
  out.backoff.backoff_seconds = spec.getBackoffSeconds();
  out.backoff.factor = spec.getBackoffFactor();
  out.backoff.max_delay_seconds = spec.getMaxLaunchDelaySeconds();
  if (Status s = CheckBackoffPolicy(out.backoff); !s.ok()) {
    // Only a log from before specs were checked holds one: the app still
    // runs, with Marathon's defaults, and says so.
    out.backoff = BackoffPolicy{};
    out.notes.push_back(s.message() + "; Marathon's default backoff applies");
  }
  for (std::string& note : StoredButNotActedOn(spec)) out.notes.push_back(std::move(note));
  auto constraints = ParseConstraints(spec.getConstraints());
  if (constraints.ok()) {
    out.constraints = std::move(*constraints);
  } else {
    out.invalid = Status::InvalidArgument("app " + out.id + ": " + constraints.status().message());
  }
}

}  // namespace

std::shared_ptr<const FlatSpec> FlatSpec::Copy(schema::AppSpec::Reader spec) {
  capnp::MallocMessageBuilder message;
  message.setRoot(spec);
  std::shared_ptr<FlatSpec> out(new FlatSpec());
  out->words_ = capnp::messageToFlatArray(message);
  out->Open();  // built here from a reader: well-formed
  return out;
}

Result<std::shared_ptr<const FlatSpec>> FlatSpec::FromBytes(std::string_view flat) {
  if (flat.empty() || flat.size() % sizeof(capnp::word) != 0) {
    return Status::Corruption("stored app spec is not a flat message (" + std::to_string(flat.size()) + " bytes)");
  }
  std::shared_ptr<FlatSpec> out(new FlatSpec());
  out->words_ = kj::heapArray<capnp::word>(flat.size() / sizeof(capnp::word));
  std::memcpy(out->words_.begin(), flat.data(), flat.size());
  try {
    // Checked once under Cap'n Proto's default traversal limit, which stops
    // a hostile message (pointers that amplify or loop), then opened.
    capnp::FlatArrayMessageReader bounded(out->words_.asPtr());
    (void)bounded.getRoot<schema::AppSpec>().totalSize();
    out->Open();
  } catch (const kj::Exception& e) {
    return Status::Corruption(std::string("stored app spec does not decode: ") + e.getDescription().cStr());
  }
  return std::shared_ptr<const FlatSpec>(std::move(out));
}

void FlatSpec::Open() {
  // Read again and again (every launch copies the spec into its order): a
  // traversal limit would run out. REQUIRES: the words were checked.
  capnp::ReaderOptions options;
  options.traversalLimitInWords = std::numeric_limits<std::uint64_t>::max();
  reader_ = std::make_unique<capnp::FlatArrayMessageReader>(words_.asPtr(), options);
  root_ = reader_->getRoot<schema::AppSpec>();
}

std::string_view FlatSpec::bytes() const {
  auto b = words_.asBytes();
  return {reinterpret_cast<const char*>(b.begin()), b.size()};
}

Status CheckBackoffPolicy(const BackoffPolicy& policy) {
  REGATTA_RETURN_IF_ERROR(CheckSeconds("backoffSeconds", policy.backoff_seconds));
  REGATTA_RETURN_IF_ERROR(CheckSeconds("maxLaunchDelaySeconds", policy.max_delay_seconds));
  REGATTA_RETURN_IF_ERROR(CheckSeconds("backoff reset time", policy.reset_after_seconds));
  if (!std::isfinite(policy.factor) || policy.factor < 1.0) {
    return Status::InvalidField("backoffFactor", "must be a finite number >= 1, not " + std::to_string(policy.factor));
  }
  return Status::Ok();
}

AppDefinition DecodeAppDefinition(std::shared_ptr<const FlatSpec> spec, std::string version) {
  AppDefinition out;
  out.version = std::move(version);
  DecodeFields(spec->root(), out);
  out.spec = std::move(spec);
  return out;
}

}  // namespace regatta::domain
