#include "projections/scheduling.h"

namespace regatta::projections {

using Which = schema::Envelope::Event::Which;

const char* AgentStatusName(AgentStatus s) {
  switch (s) {
    case AgentStatus::kActive: return "active";
    case AgentStatus::kUnreachable: return "unreachable";
    case AgentStatus::kGone: return "gone";
  }
  return "?";
}

void SchedulingProjection::Apply(const Event& event) {
  const auto e = event.envelope.getEvent();
  const std::int64_t t = event.envelope.getTimeNanos();
  switch (e.which()) {
    case Which::AGENT_REGISTERED: {
      auto a = e.getAgentRegistered();
      UpsertAgent(View(a.getAgentId()), View(a.getHostname()), View(a.getAddress()),
                  a.getResources(), a.getAttributes(), t);
      break;
    }
    case Which::AGENT_REREGISTERED: {
      auto a = e.getAgentReregistered();
      UpsertAgent(View(a.getAgentId()), View(a.getHostname()), View(a.getAddress()),
                  a.getResources(), a.getAttributes(), t);
      break;
    }
    case Which::AGENT_RESOURCES_UPDATED: {
      auto u = e.getAgentResourcesUpdated();
      if (auto it = agents_.find(View(u.getAgentId())); it != agents_.end()) {
        it->second.total = domain::ResourcesOf(u.getResources());
        it->second.updated_nanos = t;
      }
      break;
    }
    case Which::AGENT_UNREACHABLE:
      if (auto it = agents_.find(View(e.getAgentUnreachable().getAgentId())); it != agents_.end()) {
        it->second.status = AgentStatus::kUnreachable;
        it->second.updated_nanos = t;
      }
      break;
    case Which::AGENT_GONE:
      if (auto it = agents_.find(View(e.getAgentGone().getAgentId())); it != agents_.end()) {
        it->second.status = AgentStatus::kGone;
        it->second.updated_nanos = t;
      }
      break;
    case Which::FRAMEWORK_REGISTERED: {
      auto f = e.getFrameworkRegistered();
      frameworks_[std::string(View(f.getFrameworkId()))] =
          FrameworkInfo{f.getName(), f.getRole(), true};
      break;
    }
    case Which::FRAMEWORK_REMOVED:
      if (auto it = frameworks_.find(View(e.getFrameworkRemoved().getFrameworkId()));
          it != frameworks_.end()) {
        it->second.active = false;
      }
      break;
    case Which::TASK_LAUNCHED:
      OnTaskLaunched(e.getTaskLaunched(), t);
      break;
    case Which::TASK_STATUS_CHANGED:
      OnTaskStatus(e.getTaskStatusChanged(), t);
      break;
    case Which::TASK_HEALTH_CHANGED: {
      auto h = e.getTaskHealthChanged();
      if (auto it = tasks_.find(View(h.getTaskId())); it != tasks_.end()) {
        TaskInfo& task = it->second;
        if (!h.getReady()) {
          task.ready_since_nanos = 0;
        } else if (!task.ready) {
          task.ready_since_nanos = t;  // a repeated report keeps the first time
        }
        task.healthy = h.getHealthy();
        task.ready = h.getReady();
        task.health_reported = true;
        task.updated_nanos = t;
      }
      break;
    }
    case Which::APP_DEFINED: {
      // A new version owes nothing to the old one's completions.
      auto defined = e.getAppDefined();
      completions_[Copy(defined.getSpec().getId())] = Completions{Copy(defined.getVersion()), 0, 0};
      break;
    }
    case Which::APP_DELETED:
      if (auto it = completions_.find(View(e.getAppDeleted().getAppId())); it != completions_.end()) {
        completions_.erase(it);
      }
      break;
    default:
      break;  // groups, deployments, services: other projections' business
  }
}

void SchedulingProjection::UpsertAgent(std::string_view id, std::string_view hostname,
                                       std::string_view address,
                                       schema::Resources::Reader resources,
                                       capnp::List<schema::KeyValue>::Reader attributes,
                                       std::int64_t t) {
  auto [it, inserted] = agents_.try_emplace(std::string(id));
  AgentInfo& agent = it->second;
  agent.hostname = hostname;
  agent.address = address;
  agent.status = AgentStatus::kActive;
  agent.total = domain::ResourcesOf(resources);
  agent.port_ranges = domain::PortRangesOf(resources);
  agent.attributes = domain::PairsOf(attributes);
  agent.updated_nanos = t;
}

std::vector<std::string> SchedulingProjection::TasksOn(std::string_view agent_id) const {
  auto it = tasks_by_agent_.find(agent_id);
  if (it == tasks_by_agent_.end()) return {};
  return {it->second.begin(), it->second.end()};
}

namespace {

const std::set<std::string>& Indexed(const StringMap<std::set<std::string>>& index, std::string_view key) {
  static const std::set<std::string> kNone;
  auto it = index.find(key);
  return it == index.end() ? kNone : it->second;
}

void Index(StringMap<std::set<std::string>>& index, const std::string& key, const std::string& id, int sign) {
  if (sign > 0) {
    index[key].insert(id);
  } else if (auto it = index.find(key); it != index.end()) {
    it->second.erase(id);
    if (it->second.empty()) index.erase(it);
  }
}

}  // namespace

const std::set<std::string>& SchedulingProjection::TaskIdsOn(std::string_view agent_id) const {
  return Indexed(tasks_by_agent_, agent_id);
}

const std::set<std::string>& SchedulingProjection::TaskIdsOf(std::string_view app_id) const {
  return Indexed(tasks_by_app_, app_id);
}

void SchedulingProjection::Hold(const std::string& id, const TaskInfo& task, int sign) {
  ResourceVector delta = task.resources;
  auto charge = [&](ResourceVector& r) { sign > 0 ? r += delta : r -= delta; };
  if (auto it = agents_.find(task.agent_id); it != agents_.end()) {
    charge(it->second.used);
    it->second.task_count += sign;
  }
  Index(tasks_by_agent_, task.agent_id, id, sign);
  Index(tasks_by_app_, task.app_id, id, sign);
  Usage& framework = by_framework_[task.framework_id];
  charge(framework.allocated);
  framework.tasks += sign;
  Usage& role = by_role_[task.role];
  charge(role.allocated);
  role.tasks += sign;
}

void SchedulingProjection::OnTaskLaunched(schema::TaskLaunched::Reader l, std::int64_t t) {
  auto [it, inserted] = tasks_.try_emplace(std::string(View(l.getTaskId())));
  // A relaunch under the same id (at-least-once delivery upstream) replaces
  // the old placement; release what it held first.
  if (!inserted) Hold(it->first, it->second, -1);
  TaskInfo& task = it->second;
  task = TaskInfo{};
  task.app_id = View(l.getAppId());
  task.app_version = View(l.getAppVersion());
  task.framework_id = View(l.getFrameworkId());
  task.agent_id = View(l.getAgentId());
  task.hostname = View(l.getHostname());
  task.role = View(l.getRole());
  task.resources = domain::ResourcesOf(l.getResources());
  for (auto port : l.getHostPorts()) task.host_ports.push_back(port);
  task.launched_nanos = task.updated_nanos = t;
  Hold(it->first, task, +1);
}

void SchedulingProjection::CountEnding(const TaskInfo& task, schema::TaskState state) {
  if (state == schema::TaskState::KILLED) return;  // a decision, not an outcome
  const bool finished = state == schema::TaskState::FINISHED;
  Completions& counts =
      completions_.try_emplace(task.app_id, Completions{task.app_version, 0, 0}).first->second;
  if (counts.app_version != task.app_version) return;  // a straggler of another version
  ++(finished ? counts.finished : counts.failed);
}

void SchedulingProjection::OnTaskStatus(schema::TaskStatusChanged::Reader s, std::int64_t t) {
  auto it = tasks_.find(View(s.getTaskId()));
  if (it == tasks_.end()) return;  // a late duplicate for a task already gone
  if (domain::IsTerminal(s.getState())) {
    CountEnding(it->second, s.getState());
    Hold(it->first, it->second, -1);
    tasks_.erase(it);
    return;
  }
  it->second.state = s.getState();
  it->second.message = View(s.getMessage());
  it->second.updated_nanos = t;
  if (s.getState() == schema::TaskState::RUNNING && it->second.started_nanos == 0) it->second.started_nanos = t;
}

// ------------------------------------------------------------ serialization

namespace {

void WriteResources(StateWriter& w, const ResourceVector& r) {
  for (Quantity q : {r.cpus, r.mem_mb, r.disk_mb, r.gpus}) w.I64(q.milli());
}

ResourceVector ReadResources(StateReader& r) {
  ResourceVector v;
  for (Quantity* q : {&v.cpus, &v.mem_mb, &v.disk_mb, &v.gpus}) *q = Quantity::FromMilli(r.I64());
  return v;
}

void WriteUsage(StateWriter& w, const StringMap<Usage>& usage) {
  w.U64(usage.size());
  for (const auto* item : Sorted(usage)) {
    w.Str(item->first);
    WriteResources(w, item->second.allocated);
    w.U64(item->second.tasks);
  }
}

void ReadUsage(StateReader& r, StringMap<Usage>& usage) {
  for (std::uint64_t n = r.Count(); n > 0 && !r.failed(); --n) {
    std::string key = r.Str();
    Usage& u = usage[key];
    u.allocated = ReadResources(r);
    u.tasks = r.U64();
  }
}

void WriteCompletions(StateWriter& w, const std::string& app_id, const Completions& c) {
  w.Str(app_id);
  w.Str(c.app_version);
  w.U64(c.finished);
  w.U64(c.failed);
}

void ReadCompletions(StateReader& r, StringMap<Completions>& completions) {
  Completions& c = completions[r.Str()];
  c.app_version = r.Str();
  c.finished = r.U64();
  c.failed = r.U64();
}

}  // namespace

void SchedulingProjection::Serialize(StateWriter& w) const {
  w.U64(agents_.size());
  for (const auto* item : Sorted(agents_)) {
    const AgentInfo& a = item->second;
    w.Str(item->first);
    w.Str(a.hostname);
    w.Str(a.address);
    w.U8(static_cast<std::uint8_t>(a.status));
    WriteResources(w, a.total);
    WriteResources(w, a.used);
    w.List(a.port_ranges, [](StateWriter& w, const auto& p) { w.U64(p.begin); w.U64(p.end); });
    w.List(a.attributes, [](StateWriter& w, const auto& kv) { w.Str(kv.first); w.Str(kv.second); });
    w.U64(a.task_count);
    w.I64(a.updated_nanos);
  }
  w.U64(tasks_.size());
  for (const auto* item : Sorted(tasks_)) {
    const TaskInfo& t = item->second;
    w.Str(item->first);
    for (const std::string* s : {&t.app_id, &t.app_version, &t.framework_id, &t.agent_id,
                                 &t.hostname, &t.role, &t.message}) {
      w.Str(*s);
    }
    w.U8(static_cast<std::uint8_t>(t.state));
    WriteResources(w, t.resources);
    w.List(t.host_ports, [](StateWriter& w, std::uint32_t p) { w.U64(p); });
    w.Bool(t.healthy);
    w.Bool(t.ready);
    w.Bool(t.health_reported);
    w.I64(t.launched_nanos);
    w.I64(t.updated_nanos);
    w.I64(t.started_nanos);
    w.I64(t.ready_since_nanos);
  }
  w.U64(frameworks_.size());
  for (const auto* item : Sorted(frameworks_)) {
    w.Str(item->first);
    w.Str(item->second.name);
    w.Str(item->second.role);
    w.Bool(item->second.active);
  }
  WriteUsage(w, by_framework_);
  WriteUsage(w, by_role_);
  w.U64(completions_.size());
  for (const auto* item : Sorted(completions_)) WriteCompletions(w, item->first, item->second);
}

bool SchedulingProjection::Deserialize(StateReader& r) {
  for (std::uint64_t n = r.Count(); n > 0 && !r.failed(); --n) {
    AgentInfo& a = agents_[r.Str()];
    a.hostname = r.Str();
    a.address = r.Str();
    a.status = static_cast<AgentStatus>(r.U8());
    a.total = ReadResources(r);
    a.used = ReadResources(r);
    for (std::uint64_t k = r.Count(); k > 0 && !r.failed(); --k) {
      const auto begin = static_cast<std::uint32_t>(r.U64());
      a.port_ranges.push_back({begin, static_cast<std::uint32_t>(r.U64())});
    }
    for (std::uint64_t k = r.Count(); k > 0 && !r.failed(); --k) {
      std::string key = r.Str();
      a.attributes.emplace_back(std::move(key), r.Str());
    }
    a.task_count = r.U64();
    a.updated_nanos = r.I64();
  }
  for (std::uint64_t n = r.Count(); n > 0 && !r.failed(); --n) {
    TaskInfo& t = tasks_[r.Str()];
    for (std::string* s : {&t.app_id, &t.app_version, &t.framework_id, &t.agent_id,
                           &t.hostname, &t.role, &t.message}) {
      *s = r.Str();
    }
    t.state = static_cast<schema::TaskState>(r.U8());
    t.resources = ReadResources(r);
    for (std::uint64_t k = r.Count(); k > 0 && !r.failed(); --k) {
      t.host_ports.push_back(static_cast<std::uint32_t>(r.U64()));
    }
    t.healthy = r.Bool();
    t.ready = r.Bool();
    t.health_reported = r.Bool();
    t.launched_nanos = r.I64();
    t.updated_nanos = r.I64();
    t.started_nanos = r.I64();
    t.ready_since_nanos = r.I64();
  }
  for (std::uint64_t n = r.Count(); n > 0 && !r.failed(); --n) {
    FrameworkInfo& f = frameworks_[r.Str()];
    f.name = r.Str();
    f.role = r.Str();
    f.active = r.Bool();
  }
  ReadUsage(r, by_framework_);
  ReadUsage(r, by_role_);
  for (std::uint64_t n = r.Count(); n > 0 && !r.failed(); --n) ReadCompletions(r, completions_);
  for (const auto& [id, task] : tasks_) {
    tasks_by_agent_[task.agent_id].insert(id);
    tasks_by_app_[task.app_id].insert(id);
  }
  return !r.failed();
}

}  // namespace regatta::projections
