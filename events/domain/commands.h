// The commands the master decides, and the offers that lead to launches:
// the vocabulary that agents, frameworks, the allocator, the wire protocol
// and the master share. Plain values; the master's rules about them live in
// actors/master/master_core.h, the wire forms in actors/protocol/.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "events/domain/labels.h"
#include "events/domain/resources.h"
#include "events/domain/task_state.h"

namespace regatta::domain {

// ------------------------------------------------------------ agents

struct TaskReport {
  std::string task_id;
  TaskState state = TaskState::RUNNING;
};

struct RegisterAgent {
  std::string agent_id;  // empty: a new agent; set: one coming back
  std::string hostname;
  std::string address;
  ResourceVector resources;
  std::vector<PortRange> ports;
  Attributes attributes;
  std::vector<TaskReport> running;  // what it runs now (reregistration)
};

struct StatusUpdate {
  std::string task_id;
  std::string agent_id;
  TaskState state = TaskState::RUNNING;
  std::string reason;
  std::string message;
  std::int32_t exit_code = 0;
};

// A task's health as its agent's checks judge it, sent only when it changed.
struct HealthUpdate {
  std::string task_id;
  std::string agent_id;
  bool healthy = false;
  bool ready = false;
  std::uint32_t check_index = 0;  // the check whose result changed it
  std::string message;
};

// ------------------------------------------------------------ frameworks

struct RegisterFramework {
  std::string framework_id;
  std::string name;
  std::string role = "*";
};

// What the allocator offers a framework: all of one agent's free resources.
struct Offer {
  std::string framework_id;
  std::string agent_id;
  ResourceVector resources;
  std::vector<PortRange> ports;
};

// An offer under the id the allocator gave it, as a framework receives it.
struct NamedOffer {
  std::string offer_id;
  Offer offer;
};

struct TaskToLaunch {
  std::string task_id;
  std::string app_id;
  std::string app_version;
  ResourceVector resources;
  std::vector<std::uint32_t> host_ports;
  Attributes labels;
};

// A framework's answer to an offer: launch these tasks with its resources.
struct AcceptOffer {
  std::string framework_id;
  std::string agent_id;
  ResourceVector offered;
  std::vector<PortRange> offered_ports;
  std::vector<TaskToLaunch> tasks;
};

// ------------------------------------------------------------ operators

// Kill one task: an operator's request, or a framework's (its excess after
// a scale-down). Who and why go into the log with the task's KILLING.
struct KillTask {
  std::string task_id;
};

}  // namespace regatta::domain
