// regatta run | scale | kill | tasks
#include <cstdlib>
#include <cstdio>
#include <iostream>

#include <capnp/message.h>

#include "actors/runtime/client.h"
#include "api/cli/commands.h"
#include "events/log_uri.h"
#include "projections/replay.h"

namespace regatta::cli {
namespace {

// Who asks and why, as the log will record them: $USER, and --reason.
void Stamp(protocol::ClientMessage::Builder message, const std::string& reason) {
  const char* user = std::getenv("USER");
  message.setPrincipal(user != nullptr && *user != '\0' ? user : "cli");
  message.setReason(reason);
}

int Send(const std::string& master, capnp::MallocMessageBuilder& message) {
  auto address = ParseHostPort("--master", master);
  if (!address.ok()) return Fail(address.status());
  Status sent = runtime::SendToMaster(address->first, address->second, protocol::Flatten(message));
  if (!sent.ok()) return Fail(sent);
  return 0;
}

// "/sleep" for `sleep 100`: a readable default id.
std::string DefaultAppId(const std::string& command) {
  std::string word = command.substr(0, command.find(' '));
  word = word.substr(word.rfind('/') + 1);
  std::string id = "/";
  for (char c : word) id += (std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '-');
  return id.size() > 1 ? id : "/app";
}

Status FillConstraints(schema::AppSpec::Builder spec, const std::vector<std::string>& constraints) {
  auto list = spec.initConstraints(static_cast<unsigned>(constraints.size()));
  for (unsigned i = 0; i < constraints.size(); ++i) {
    const std::string& c = constraints[i];
    const std::size_t first = c.find(':');
    if (first == std::string::npos || first == 0) {
      return Status::InvalidArgument("--constraint: '" + c + "' is not FIELD:OPERATOR[:VALUE]");
    }
    const std::size_t second = c.find(':', first + 1);
    list[i].setField(c.substr(0, first));
    list[i].setOperator(c.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1));
    if (second != std::string::npos) list[i].setValue(c.substr(second + 1));
  }
  return Status::Ok();
}

}  // namespace

int Run(const RunOptions& options) {
  if (options.command.empty()) return Fail(Status::InvalidArgument("run: give the command after --"));
  if (options.id_given && options.id.empty()) return Fail(Status::InvalidField("--id", "must not be empty"));
  capnp::MallocMessageBuilder message;
  auto client = message.initRoot<protocol::ClientMessage>();
  Stamp(client, options.reason);
  auto spec = client.initDefineApp();
  std::string joined;
  for (const auto& word : options.command) joined += (joined.empty() ? "" : " ") + word;
  spec.setId(options.id.empty() ? DefaultAppId(joined) : options.id);
  if (options.command.size() == 1) {
    spec.setCmd(options.command[0]);
  } else {
    auto args = spec.initArgs(static_cast<unsigned>(options.command.size()));
    for (unsigned i = 0; i < options.command.size(); ++i) args.set(i, options.command[i]);
  }
  spec.setInstances(options.instances);
  spec.setCpus(options.cpus);
  spec.setMemMb(options.mem);
  const bool required = !options.host_ports.empty();
  const unsigned count = required ? static_cast<unsigned>(options.host_ports.size()) : options.ports;
  auto ports = spec.initPortDefinitions(count);
  for (unsigned i = 0; i < count; ++i) {
    ports[i].setProtocol("tcp");
    if (required) ports[i].setPort(options.host_ports[i]);
  }
  spec.setRequirePorts(required);
  if (Status s = FillConstraints(spec, options.constraints); !s.ok()) return Fail(s);
  if (options.job) {
    spec.setKind(schema::WorkloadKind::JOB);
    spec.setMaxRetries(options.max_retries);
  }
  const int code = Send(options.master, message);
  if (code == 0) {
    std::cout << (options.job ? "job " : "app ") << spec.getId().cStr() << " defined: " << options.instances
              << (options.job ? " completion(s)\n" : " instance(s)\n");
  }
  return code;
}

int Scale(const std::string& master, const std::string& app_id, std::uint32_t instances, const std::string& reason) {
  capnp::MallocMessageBuilder message;
  auto client = message.initRoot<protocol::ClientMessage>();
  Stamp(client, reason);
  auto scale = client.initScaleApp();
  scale.setAppId(app_id);
  scale.setInstances(instances);
  return Send(master, message);
}

int Kill(const std::string& master, const std::string& task_id, const std::string& reason) {
  capnp::MallocMessageBuilder message;
  auto client = message.initRoot<protocol::ClientMessage>();
  Stamp(client, reason);
  client.setKillTask(task_id);
  return Send(master, message);
}

int Tasks(const GlobalOptions& global) {
  auto log = OpenEventLog(global.LogUri(), LogMode::kReader);
  if (!log.ok()) return Fail(log.status());
  auto set = projections::Replay(**log, nullptr, {}, {}, nullptr);
  if (!set.ok()) return Fail(set.status());
  std::printf("%-44s %-16s %-16s %-18s %s\n", "TASK", "APP", "HOST", "STATE", "PORTS");
  for (const auto* item : projections::Sorted(set->scheduling().tasks())) {
    const auto& t = item->second;
    std::string ports;
    for (auto p : t.host_ports) ports += (ports.empty() ? "" : ",") + std::to_string(p);
    std::printf("%-44s %-16s %-16s %-18s %s\n", item->first.c_str(), t.app_id.c_str(), t.hostname.c_str(),
                domain::TaskStateName(t.state), ports.c_str());
  }
  return 0;
}

}  // namespace regatta::cli
