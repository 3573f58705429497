// regatta: one binary, many subcommands. This file only parses arguments;
// each subcommand lives in its own file and returns the exit code.
#include <CLI/CLI.hpp>

#include <iostream>

#include "api/cli/commands.h"
#include "api/cli/flags.h"
#include "events/domain/resources.h"

namespace regatta::cli {
namespace {

constexpr const char* kVersion = "0.1.0";
// The bounds the flags show in --help (and domain/resources.h's for amounts).
constexpr double kMaxAmount = domain::kMaxResourceAmount;
constexpr double kMaxSeconds = 365.0 * 24 * 3600;  // a year
constexpr std::uint64_t kMaxCount = 1'000'000'000'000;
constexpr std::uint64_t kMaxInstances = 1'000'000;

// CLI11 prints multi-line errors; a user gets one line and an exit code.
// The master's role flags, on `master` and on `up` (which hands them on).
void AddRoleFlags(CLI::App* command, RoleFlags& roles) {
  command->add_option("--framework-role", roles.framework_roles,
                      "FRAMEWORK=ROLE: the role services or jobs runs in (default *)");
  command->add_option("--role-weight", roles.weights,
                      "ROLE=WEIGHT: the role's weight in Dominant Resource Fairness (default 1)");
  command->add_option("--role-quota", roles.quotas,
                      "ROLE=RESOURCE:AMOUNT[,...]: resources the role is offered first, e.g. web=cpus:8,mem:16384");
}

// What the deploy and rollback commands parse into; lives as long as Main.
struct DeployFlags {
  std::string target;  // a deployment id, or an app id for its running deployment
  std::string reason;
  bool force = false;
  double interval_seconds = 0.5;
  RollbackOptions rollback;
};

void AddDeployCommands(CLI::App& app, const GlobalOptions& global, int& exit_code, DeployFlags& f) {
  auto* deploy = app.add_subcommand("deploy", "Deployments: list, show, watch, pause, resume, promote, cancel");
  deploy->require_subcommand(1);
  deploy->add_subcommand("list", "The running deployments")->callback([&] { exit_code = DeployList(global); });
  const auto target = [&](CLI::App* command) {
    command->add_option("deployment", f.target, "A deployment id, or an app id (/web) for the one running for it")
        ->required();
    return command;
  };
  target(deploy->add_subcommand("show", "One deployment, with its rollout's progress"))->callback([&] {
    exit_code = DeployShow(global, f.target);
  });
  auto* watch = target(deploy->add_subcommand("watch", "A progress bar until it ends; non-zero unless it succeeds"));
  watch->add_option("--interval", f.interval_seconds, "Seconds between looks")->capture_default_str()->check(
      CLI::Range(0.05, 60.0));
  watch->callback([&] { exit_code = DeployWatch(global, f.target, f.interval_seconds); });
  for (const char* action : {"pause", "resume", "promote"}) {
    auto* command = target(deploy->add_subcommand(action, std::string(action) + " a running deployment"));
    command->add_option("--reason", f.reason, "Why, recorded in the log with who asked");
    command->callback([&, action] { exit_code = DeployControl(global, f.target, action, f.reason); });
  }
  auto* cancel = target(deploy->add_subcommand("cancel", "Roll back to the version it started from"));
  cancel->add_flag("--force", f.force, "Stop where it is instead of rolling back");
  cancel->add_option("--reason", f.reason, "Why, recorded in the log with who asked");
  cancel->callback([&] { exit_code = DeployCancel(global, f.target, f.force, f.reason); });

  auto* rollback = app.add_subcommand("rollback", "Make an app's definition that of an earlier version");
  rollback->add_option("app", f.rollback.app_id, "The app's id")->required();
  rollback->add_option("--to", f.rollback.to, "A version (as /v2/apps/APP/versions lists) or a log revision")
      ->required();
  rollback->add_flag("--force", f.rollback.force, "Replace a deployment that holds the app");
  rollback->add_option("--reason", f.rollback.reason, "Why, recorded in the log with who asked");
  rollback->callback([&] { exit_code = Rollback(global, f.rollback); });
}

int UsageError(const CLI::ParseError& e) {
  std::string message = e.what();
  if (const auto nl = message.find('\n'); nl != std::string::npos) message.resize(nl);
  std::cerr << "regatta: " << message << " (see --help)\n";
  return 2;
}

int Main(int argc, char** argv) {
  CLI::App app{"Regatta: an event-sourced workload orchestrator", "regatta"};
  app.require_subcommand(1);
  // The global flags work before or after the subcommand, as kubectl's do:
  // a subcommand hands the options it does not know to its parent. Set
  // before any subcommand is added, which inherits it.
  app.fallthrough();
  GlobalOptions global;
  app.add_option("--data-dir", global.data_dir, "Where Regatta keeps its data")
      ->capture_default_str();
  app.add_option("--log", global.log,
                 "The event log: file:DIR (default <data-dir>/log) or kafka://HOST:PORT/CLUSTER");
  app.add_option("--api", global.api, "The cluster's HTTP API, which run, scale, kill, tasks and agents talk to")
      ->capture_default_str();
  int exit_code = 0;

  auto* events = app.add_subcommand("events", "Read and (for development) write the event log");
  events->require_subcommand(1);

  AppendOptions append;
  auto* append_cmd = events->add_subcommand(
      "append", "DEVELOPMENT TOOL: append JSON envelopes (one per line) as one atomic batch");
  append_cmd->add_option("--json", append.file, "JSON Lines file, or - for stdin")->required();
  append_cmd->add_option("--principal", append.principal, "Who is appending (default $USER)");
  append_cmd->add_option("--reason", append.reason, "Why, recorded in every event");
  append_cmd->callback([&] { exit_code = EventsAppend(global, append); });

  DumpOptions dump;
  auto* dump_cmd = events->add_subcommand("dump", "Print events in log order");
  dump_cmd->add_option("--from", dump.from, "First revision");
  dump_cmd->add_option("--to", dump.to, "Last revision (inclusive)");
  dump_cmd->add_flag("--json", dump.json, "One JSON envelope per line");
  dump_cmd->callback([&] { exit_code = EventsDump(global, dump); });

  TailOptions tail;
  auto* tail_cmd = events->add_subcommand("tail", "Print events as they are appended");
  tail_cmd->add_option("--from", tail.from, "Start at this revision (default: the end)");
  tail_cmd->add_flag("--json", tail.json, "One JSON envelope per line");
  tail_cmd->add_option("--limit", tail.limit, "Exit after this many events")->check(Count(0, kMaxCount));
  tail_cmd->add_option("--idle-exit", tail.idle_exit_seconds, "Exit after this many idle seconds")
      ->check(Amount(0, kMaxSeconds));
  tail_cmd->callback([&] { exit_code = EventsTail(global, tail); });

  std::string audit_app;
  auto* audit_cmd = app.add_subcommand("audit", "Who changed an app, what, when and why, from the log");
  audit_cmd->add_option("app", audit_app, "The app's id, e.g. /prod/web")->required();
  audit_cmd->callback([&] { exit_code = Audit(global, audit_app); });

  ReplayOptions replay;
  auto* replay_cmd = app.add_subcommand("replay", "Print a projection as of a revision or time");
  replay_cmd->add_option("--at", replay.at, "A revision (42) or an RFC 3339 time; default: now");
  replay_cmd->add_option("--projection", replay.projection, "scheduling, discovery or history")
      ->required();
  replay_cmd->add_flag("--no-snapshots", replay.no_snapshots, "Replay from revision 0");
  replay_cmd->callback([&] { exit_code = Replay(global, replay); });

  auto* snapshot_cmd = app.add_subcommand("snapshot", "Write a snapshot of the projections now");
  snapshot_cmd->callback([&] { exit_code = SnapshotCreate(global); });

  auto* log_cmd = app.add_subcommand("log", "Inspect the event log");
  log_cmd->require_subcommand(1);
  auto* verify_cmd = log_cmd->add_subcommand("verify", "Check every record; name the first bad one");
  verify_cmd->callback([&] { exit_code = LogVerify(global); });

  MasterCommandOptions master;
  auto* master_cmd = app.add_subcommand("master", "Run the master: the log's single writer");
  master_cmd->add_option("--listen", master.listen, "HOST:PORT to accept agents on")->capture_default_str();
  master_cmd->add_option("--http", master.http, "HOST:PORT of the HTTP API (Marathon's), or off")
      ->capture_default_str();
  master_cmd->add_option("--kube-http", master.kube_http, "HOST:PORT of the Kubernetes API, or off")
      ->capture_default_str();
  master_cmd->add_option("--heartbeat-timeout", master.heartbeat_timeout_seconds,
                         "Seconds without a heartbeat before an agent is unreachable")
      ->capture_default_str()
      ->check(Amount(0, 3600, /*above_min=*/true));
  master_cmd->add_option("--unreachable-inactive", master.unreachable_inactive_seconds,
                         "Seconds a task may be unreachable before it is replaced")
      ->capture_default_str()
      ->check(Amount(0, kMaxSeconds));
  AddRoleFlags(master_cmd, master.roles);
  master_cmd->callback([&] { exit_code = Master(global, master); });

  ApiCommandOptions api;
  auto* api_cmd = app.add_subcommand("api", "Serve the HTTP API on its own: reads the log, writes through the master");
  api_cmd->add_option("--master", api.master, "The master's HOST:PORT")->capture_default_str();
  api_cmd->add_option("--http", api.http, "HOST:PORT to serve on")->capture_default_str();
  api_cmd->add_option("--kube-http", api.kube_http, "HOST:PORT to serve the Kubernetes API on, or off")
      ->capture_default_str();
  api_cmd->callback([&] { exit_code = Api(global, api); });

  AgentCommandOptions agent;
  auto* agent_cmd = app.add_subcommand("agent", "Run an agent that offers this machine to the master");
  agent_cmd->add_option("--master", agent.master, "The master's HOST:PORT")->capture_default_str();
  agent_cmd->add_option("--work-dir", agent.work_dir, "Sandboxes and the agent's id")->capture_default_str();
  agent_cmd->add_option("--hostname", agent.hostname, "The name to advertise (default: this machine's)");
  agent_cmd->add_option("--cpus", agent.cpus, "Cpus to offer (default or 0: detected)")->check(Amount(0, kMaxAmount));
  agent_cmd->add_option("--mem", agent.mem, "Memory to offer, MB (default or 0: detected)")->check(Amount(0, kMaxAmount));
  agent_cmd->add_option("--disk", agent.disk, "Disk to offer, MB (default or 0: detected)")->check(Amount(0, kMaxAmount));
  agent_cmd->add_option("--ports", agent.ports, "Port ranges to offer")->capture_default_str();
  agent_cmd->add_option("--attribute", agent.attributes, "KEY:VALUE (repeatable), e.g. zone:z1");
  agent_cmd->add_option("--heartbeat", agent.heartbeat_seconds, "Seconds between heartbeats")
      ->capture_default_str()
      ->check(Amount(0, 3600, /*above_min=*/true));
  agent_cmd->add_option("--executor", agent.executor, "The regatta-executor binary")->capture_default_str();
  agent_cmd->add_flag("--no-cgroups", agent.no_cgroups, "Do not limit tasks with cgroups");
  agent_cmd->add_flag("--namespaces", agent.namespaces, "Run each task in new PID, mount, UTS and IPC namespaces");
  agent_cmd->add_option("--simulate", agent.simulate,
                        "Run N simulated agents that start no processes (scale tests)")
      ->check(Count(1, 100000));
  agent_cmd->callback([&] { exit_code = Agent(agent); });

  RunOptions run;
  auto* run_cmd = app.add_subcommand("run", "Run a command as a long-running app (or a --job): regatta run [options] -- CMD ARGS");
  run_cmd->add_option("--id", run.id, "The app's id, e.g. /prod/web (default: from the command)")
      ->check(CLI::Validator([](std::string& id) { return id.empty() ? std::string("must not be empty") : ""; },
                             "not empty"));
  run_cmd->add_option("--instances", run.instances, "How many copies to keep running")
      ->capture_default_str()
      ->check(Count(0, kMaxInstances));
  run_cmd->add_option("--cpus", run.cpus, "Cpus per instance")->capture_default_str()->check(Amount(0, kMaxAmount, true));
  run_cmd->add_option("--mem", run.mem, "Memory per instance, MB")->capture_default_str()->check(Amount(0, kMaxAmount, true));
  auto* ports_opt = run_cmd->add_option("--ports", run.ports, "Host ports per instance ($PORT0, ...)")
                        ->capture_default_str()
                        ->check(Count(0, 100));
  run_cmd
      ->add_option("--host-port", run.host_ports,
                   "A host port every instance must get, as Marathon's requirePorts (repeat for more; one "
                   "instance per agent then)")
      ->check(CLI::Range(1, 65535))
      ->excludes(ports_opt);
  run_cmd->add_option("--constraint", run.constraints, "FIELD:OPERATOR[:VALUE], e.g. hostname:UNIQUE");
  auto* job_flag = run_cmd->add_flag("--job", run.job,
                                     "Run to completion: --instances successful runs, failed ones retried");
  run_cmd->add_option("--max-retries", run.max_retries, "With --job: failures before the job fails")
      ->capture_default_str()
      ->check(Count(0, kMaxInstances))
      ->needs(job_flag);
  run_cmd->add_flag("--force", run.force, "Replace the definition even while a deployment holds the app");
  run_cmd->add_option("--reason", run.reason, "Why, recorded in the log with who asked");
  run_cmd->add_option("command", run.command, "The command and its arguments (after --)");
  run_cmd->callback([&] {
    run.id_given = run_cmd->count("--id") > 0;
    exit_code = Run(global, run);
  });

  ScaleOptions scale;
  auto* scale_cmd = app.add_subcommand("scale", "Change an app's instance count");
  scale_cmd->add_flag("--force", scale.force, "Scale even while a deployment holds the app");
  scale_cmd->add_option("--reason", scale.reason, "Why, recorded in the log with who asked");
  scale_cmd->add_option("app", scale.app_id, "The app's id")->required();
  scale_cmd->add_option("instances", scale.instances, "The new count")->required()->check(Count(0, kMaxInstances));
  scale_cmd->callback([&] { exit_code = Scale(global, scale); });

  KillOptions kill;
  auto* kill_cmd = app.add_subcommand("kill", "Kill a task (its app starts a replacement)");
  kill_cmd->add_option("--reason", kill.reason, "Why, recorded in the log with who asked");
  kill_cmd->add_option("task", kill.task_id, "The task's id")->required();
  kill_cmd->callback([&] { exit_code = Kill(global, kill); });

  DeployFlags deploy_flags;
  AddDeployCommands(app, global, exit_code, deploy_flags);

  auto* tasks_cmd = app.add_subcommand("tasks", "List the live tasks (GET /v2/tasks)");
  tasks_cmd->callback([&] { exit_code = Tasks(global); });

  UpOptions up;
  auto* up_cmd = app.add_subcommand("up", "Run a master and N agents on this machine");
  up_cmd->add_option("--agents", up.agents, "How many agents")->capture_default_str()->check(Count(1, 1000));
  up_cmd->add_option("--listen", up.listen, "The master's HOST:PORT")->capture_default_str();
  up_cmd->add_option("--http", up.http, "HOST:PORT of the HTTP API (Marathon's)")->capture_default_str();
  up_cmd->add_option("--kube-http", up.kube_http, "HOST:PORT of the Kubernetes API")->capture_default_str();
  up_cmd->add_option("--cpus", up.cpus_per_agent, "Cpus each agent offers")
      ->capture_default_str()
      ->check(Amount(0, kMaxAmount, true));
  up_cmd->add_option("--mem", up.mem_per_agent, "Memory each agent offers, MB")
      ->capture_default_str()
      ->check(Amount(0, kMaxAmount, true));
  AddRoleFlags(up_cmd, up.roles);
  up_cmd->callback([&] { exit_code = Up(global, up); });

  auto* agents_cmd = app.add_subcommand("agents", "List the agents (GET /master/slaves)");
  agents_cmd->callback([&] { exit_code = Agents(global); });

  auto* kafka_cmd = app.add_subcommand("kafka", "Kafka integrations");
  kafka_cmd->require_subcommand(1);
  PublishOptions publish;
  auto* publish_cmd = kafka_cmd->add_subcommand(
      "publish-state", "Write the compacted state topics from the history (needs --log kafka://...)");
  publish_cmd->add_flag("--follow", publish.follow, "Keep publishing as events land");
  publish_cmd->add_option("--idle-exit", publish.idle_exit_seconds, "With --follow: stop after this many idle seconds")
      ->check(Amount(0, kMaxSeconds));
  publish_cmd->callback([&] { exit_code = PublishStateTopics(global, publish); });

  auto* version_cmd = app.add_subcommand("version", "Print the version");
  version_cmd->callback([&] { std::cout << "regatta " << kVersion << "\n"; });

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return UsageError(e);
  }
  return exit_code;
}

}  // namespace
}  // namespace regatta::cli

int main(int argc, char** argv) {
  try {
    return regatta::cli::Main(argc, argv);
  } catch (const std::exception& e) {
    // Nothing should get here; if something does, it is still one line.
    std::cerr << "regatta: internal error: " << e.what() << "\n";
    return 1;
  }
}
