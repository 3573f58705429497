// An app's definition as the scheduler, the frameworks and the agents use
// it, decoded once from its spec: resources, ports, constraints (parsed, with
// their regexes compiled), labels, kind, backoff, kill grace. The history
// projection keeps one per live app (HistoryProjection::Current), so nobody
// walks the history or parses a spec again to learn what an app is now.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <capnp/serialize.h>

#include "events/base/status.h"
#include "events/domain/constraint.h"
#include "events/domain/labels.h"
#include "events/domain/resources.h"
#include "regatta/events.capnp.h"

namespace regatta::domain {

// A stored AppSpec: one aligned flat message and a reader over it, checked
// once when made. Immutable, so it is shared (shared_ptr<const FlatSpec>)
// between the projections of several actors: reading a Cap'n Proto message
// from several threads is safe.
class FlatSpec {
 public:
  // A copy of `spec` as one flat message. Never fails.
  static std::shared_ptr<const FlatSpec> Copy(schema::AppSpec::Reader spec);
  // From flat message bytes (history's stored copy, at any alignment).
  // Corruption when they are not a well-formed AppSpec.
  static Result<std::shared_ptr<const FlatSpec>> FromBytes(std::string_view flat);

  FlatSpec(const FlatSpec&) = delete;
  FlatSpec& operator=(const FlatSpec&) = delete;

  schema::AppSpec::Reader root() const { return root_; }
  // The flat message, a multiple of 8 bytes.
  std::string_view bytes() const;

 private:
  FlatSpec() = default;
  void Open();

  kj::Array<capnp::word> words_;
  std::unique_ptr<capnp::FlatArrayMessageReader> reader_;
  schema::AppSpec::Reader root_;
};

// Marathon's launch backoff parameters (actors/placement/backoff.h applies them).
struct BackoffPolicy {
  double backoff_seconds = 1.0;       // the first failure's delay
  double factor = 1.15;               // each further failure multiplies it
  double max_delay_seconds = 300.0;   // the ceiling
  // How long a task launched after the last failure must run before the app
  // counts as recovered and the failures are forgotten. Ten minutes, as the
  // kubelet resets CrashLoopBackOff: twice the longest default delay, so a
  // task that dies within one delay period of starting never earns a reset.
  double reset_after_seconds = 600.0;
};

// InvalidArgument naming the field when a value is negative, not finite, or
// the factor is below 1 (a shrinking delay would reward a crash loop).
[[nodiscard]] Status CheckBackoffPolicy(const BackoffPolicy& policy);

struct AppDefinition {
  std::string id;
  std::string version;                      // the defining event's version
  std::uint32_t instances = 0;              // after scaling
  ResourceVector resources;                 // per task
  std::vector<std::string> port_names;      // one host port per entry, in order
  // One per port_names entry: the host port it must get (Marathon's
  // requirePorts with a nonzero port), or 0 for any free port.
  std::vector<std::uint32_t> host_ports;
  std::vector<Constraint> constraints;
  Attributes labels;                        // as the spec writes them
  schema::WorkloadKind kind = schema::WorkloadKind::SERVICE;
  std::uint32_t max_retries = 3;            // jobs only: failures survived
  BackoffPolicy backoff;
  double kill_grace_seconds = 3.0;
  // Not ok: the app cannot be placed, and the message says why (a
  // constraint that does not parse, spec bytes that do not decode: only a
  // log written before specs were checked can hold one). The planner
  // reports it as the app's waiting reason.
  Status invalid;
  // What Regatta stores but does not act on as written, one line each
  // (Marathon's API shows them as the app's regattaNotes).
  std::vector<std::string> notes;
  // The whole spec, for what the fields above leave out (the agent's
  // command and environment, the APIs' views). Never null.
  std::shared_ptr<const FlatSpec> spec;
};

// The definition `spec` gives at `version`, with its own instance count.
AppDefinition DecodeAppDefinition(std::shared_ptr<const FlatSpec> spec, std::string version);

}  // namespace regatta::domain
