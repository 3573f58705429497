// The workload generator's model of a cluster, and how each change to it is
// written as an event. workload.cc decides what happens; this file only
// encodes it, so that the simulation reads as a list of decisions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "events/codec.h"

namespace regatta::testing::workload {

// Resources are counted in integers (millicpus, MB) so that the generator's
// bookkeeping never drifts: a task is placed only where it truly fits.
inline constexpr int kAgentMillicpus = 16'000;
inline constexpr int kAgentMemMb = 65'536;
inline constexpr std::uint32_t kPortBegin = 31'000;  // inclusive
inline constexpr std::uint32_t kPortEnd = 32'000;    // inclusive
inline constexpr const char* kFramework = "services";

struct AgentState {
  std::string id;        // "agent-7"
  std::string zone;      // "z1".."z3"
  std::string address;   // "10.0.0.8:5051"
  bool reachable = true;
  int free_millicpus = kAgentMillicpus;
  int free_mem_mb = kAgentMemMb;
  std::vector<bool> port_used = std::vector<bool>(kPortEnd - kPortBegin + 1);
};

struct AppState {
  std::string id;        // "/team2/app5"
  std::string role;      // "team2": the team owns the role and the namespace
  std::string version;   // an RFC 3339 time, as Marathon's
  std::uint32_t instances = 1;
  int millicpus = 100;
  int mem_mb = 128;
  std::uint32_t live = 0;  // launched and not yet terminal
};

struct TaskModel {
  std::string id;
  std::size_t app = 0;    // index into the apps
  std::size_t agent = 0;  // index into the agents
  std::uint32_t port = 0;
  schema::TaskState state = schema::TaskState::STAGING;
  bool healthy = false;
};

struct ServiceModel {
  std::string ns;
  std::string name;
  std::size_t app = 0;  // selected by its app=<id> label
  bool defined = false;
};

// "2023-11-14T22:13:20.000Z".
std::string Rfc3339(std::int64_t nanos);

EncodedEvent AgentRegisteredEvent(const EnvelopeStamp& stamp, const AgentState& agent,
                                  bool reregistered);
EncodedEvent AgentUnreachableEvent(const EnvelopeStamp& stamp, const AgentState& agent);
EncodedEvent FrameworkRegisteredEvent(const EnvelopeStamp& stamp);
EncodedEvent AppDefinedEvent(const EnvelopeStamp& stamp, const AppState& app);
EncodedEvent AppScaledEvent(const EnvelopeStamp& stamp, const AppState& app,
                            std::uint32_t previous);
EncodedEvent ServiceDefinedEvent(const EnvelopeStamp& stamp, const ServiceModel& service,
                                 const AppState& app);
EncodedEvent ServiceDeletedEvent(const EnvelopeStamp& stamp, const ServiceModel& service);
EncodedEvent TaskLaunchedEvent(const EnvelopeStamp& stamp, const TaskModel& task,
                               const AppState& app, const AgentState& agent);
EncodedEvent TaskStatusEvent(const EnvelopeStamp& stamp, const TaskModel& task,
                             const AgentState& agent, const std::string& reason,
                             std::int32_t exit_code);
EncodedEvent TaskHealthEvent(const EnvelopeStamp& stamp, const TaskModel& task);

struct Rollout {
  std::string id;
  std::string app_id;
  std::string from_version;
  std::string to_version;
};
EncodedEvent DeploymentStartedEvent(const EnvelopeStamp& stamp, const Rollout& rollout,
                                    std::int64_t deadline_nanos);
EncodedEvent DeploymentStepEvent(const EnvelopeStamp& stamp, const Rollout& rollout,
                                 std::uint32_t step);
EncodedEvent DeploymentSucceededEvent(const EnvelopeStamp& stamp, const Rollout& rollout);
EncodedEvent DeploymentFailedEvent(const EnvelopeStamp& stamp, const Rollout& rollout);
EncodedEvent DeploymentRevertedEvent(const EnvelopeStamp& stamp, const Rollout& rollout);

}  // namespace regatta::testing::workload
