#include "actors/protocol/offer_codec.h"

#include "events/codec.h"

namespace regatta::protocol {
namespace {

using projections::Quantity;

template <class Fill>
Bytes Build(Fill&& fill) {
  capnp::MallocMessageBuilder message;
  fill(message);
  return Flatten(message);
}

projections::ResourceVector ResourcesOf(schema::Resources::Reader r) {
  return {Quantity::FromDouble(r.getCpus()), Quantity::FromDouble(r.getMemMb()),
          Quantity::FromDouble(r.getDiskMb()), Quantity::FromDouble(r.getGpus())};
}

std::vector<master::PortRange> ToMaster(const std::vector<allocator::PortRange>& ports) {
  std::vector<master::PortRange> out;
  for (const auto& r : ports) out.push_back({r.begin, r.end});
  return out;
}

void FillTasks(capnp::List<TaskToLaunch>::Builder out, const std::vector<master::TaskToLaunch>& tasks) {
  for (unsigned i = 0; i < tasks.size(); ++i) {
    const master::TaskToLaunch& t = tasks[i];
    auto task = out[i];
    task.setTaskId(t.task_id);
    task.setAppId(t.app_id);
    task.setAppVersion(t.app_version);
    master::ToSchema(task.initResources(), t.resources, {});
    auto ports = task.initHostPorts(static_cast<unsigned>(t.host_ports.size()));
    for (unsigned p = 0; p < t.host_ports.size(); ++p) ports.set(p, t.host_ports[p]);
    master::ToSchema(task.initLabels(static_cast<unsigned>(t.labels.size())), t.labels);
  }
}

}  // namespace

Bytes EventBatchMessage(const std::vector<EncodedEvent>& events, const std::vector<Revision>& revisions) {
  return Build([&](capnp::MessageBuilder& m) {
    auto list = m.initRoot<EventBatch>().initEvents(static_cast<unsigned>(events.size()));
    for (unsigned i = 0; i < events.size(); ++i) {
      list[i].setRevision(revisions[i]);
      list[i].setEnvelope(kj::arrayPtr(reinterpret_cast<const capnp::byte*>(events[i].bytes.data()),
                                       events[i].bytes.size()));
    }
  });
}

Status ForEachCommitted(const Bytes& batch, const std::function<void(const Event&)>& fold) {
  auto message = Received<EventBatch>::Read(batch, "event batch");
  if (!message.ok()) return message.status();
  EventDecoder decoder;
  for (auto committed : message->root().getEvents()) {
    auto bytes = committed.getEnvelope();
    auto event = decoder.Decode(LoggedEvent{
        committed.getRevision(), std::string_view(reinterpret_cast<const char*>(bytes.begin()), bytes.size())});
    if (!event.ok()) return event.status();
    fold(*event);
  }
  return Status::Ok();
}

Bytes AgentSessionMessage(const std::string& agent_id, bool connected) {
  return Build([&](capnp::MessageBuilder& m) {
    auto s = m.initRoot<AgentSession>();
    s.setAgentId(agent_id);
    s.setConnected(connected);
  });
}

Bytes OffersMessage(const std::vector<allocator::OutstandingOffer>& offers, Revision revision) {
  return Build([&](capnp::MessageBuilder& m) {
    auto root = m.initRoot<OfferEvent>();
    root.setRevision(revision);
    auto list = root.initOffers(static_cast<unsigned>(offers.size()));
    for (unsigned i = 0; i < offers.size(); ++i) {
      list[i].setOfferId(offers[i].offer_id);
      list[i].setAgentId(offers[i].offer.agent_id);
      master::ToSchema(list[i].initResources(), offers[i].offer.resources, ToMaster(offers[i].offer.ports));
    }
  });
}

Bytes RescindedMessage(const std::vector<std::string>& offer_ids, Revision revision) {
  return Build([&](capnp::MessageBuilder& m) {
    auto root = m.initRoot<OfferEvent>();
    root.setRevision(revision);
    auto list = root.initRescinded(static_cast<unsigned>(offer_ids.size()));
    for (unsigned i = 0; i < offer_ids.size(); ++i) list.set(i, offer_ids[i]);
  });
}

Bytes LaunchFailedMessage(capnp::List<TaskToLaunch>::Reader tasks, Revision revision) {
  return Build([&](capnp::MessageBuilder& m) {
    auto root = m.initRoot<OfferEvent>();
    root.setRevision(revision);
    auto list = root.initLaunchFailed(tasks.size());
    for (unsigned i = 0; i < tasks.size(); ++i) list.set(i, tasks[i].getTaskId());
  });
}

std::vector<ReceivedOffer> ToOffers(capnp::List<Offer>::Reader offers, const std::string& framework_id) {
  std::vector<ReceivedOffer> out;
  out.reserve(offers.size());
  for (auto o : offers) {
    ReceivedOffer r{o.getOfferId(), {framework_id, o.getAgentId(), ResourcesOf(o.getResources()), {}}};
    for (auto range : o.getResources().getPorts()) r.offer.ports.push_back({range.getBegin(), range.getEnd()});
    out.push_back(std::move(r));
  }
  return out;
}

Bytes SubscribeCall(const std::string& framework_id, const std::string& role) {
  return Build([&](capnp::MessageBuilder& m) {
    auto call = m.initRoot<FrameworkCall>();
    call.setFrameworkId(framework_id);
    call.setSubscribe(role);
  });
}

Bytes AcceptCall(const std::string& framework_id, const std::string& offer_id,
                 const std::vector<master::TaskToLaunch>& tasks) {
  return Build([&](capnp::MessageBuilder& m) {
    auto call = m.initRoot<FrameworkCall>();
    call.setFrameworkId(framework_id);
    auto accept = call.initAccept();
    accept.setOfferId(offer_id);
    FillTasks(accept.initTasks(static_cast<unsigned>(tasks.size())), tasks);
  });
}

Bytes DeclineCall(const std::string& framework_id, const std::vector<std::string>& offer_ids,
                  double refuse_seconds) {
  return Build([&](capnp::MessageBuilder& m) {
    auto call = m.initRoot<FrameworkCall>();
    call.setFrameworkId(framework_id);
    auto decline = call.initDecline();
    decline.setRefuseSeconds(refuse_seconds);
    auto ids = decline.initOfferIds(static_cast<unsigned>(offer_ids.size()));
    for (unsigned i = 0; i < offer_ids.size(); ++i) ids.set(i, offer_ids[i]);
  });
}

Bytes ReviveCall(const std::string& framework_id) {
  return Build([&](capnp::MessageBuilder& m) {
    auto call = m.initRoot<FrameworkCall>();
    call.setFrameworkId(framework_id);
    call.setRevive();
  });
}

Bytes SuppressCall(const std::string& framework_id) {
  return Build([&](capnp::MessageBuilder& m) {
    auto call = m.initRoot<FrameworkCall>();
    call.setFrameworkId(framework_id);
    call.setSuppress();
  });
}

Bytes LaunchMessage(const std::string& framework_id, const allocator::Offer& offer,
                    capnp::List<TaskToLaunch>::Reader tasks) {
  return Build([&](capnp::MessageBuilder& m) {
    auto launch = m.initRoot<Launch>();
    launch.setFrameworkId(framework_id);
    launch.setAgentId(offer.agent_id);
    master::ToSchema(launch.initOffered(), offer.resources, ToMaster(offer.ports));
    launch.setTasks(tasks);
  });
}

master::AcceptOffer ToCommand(Launch::Reader launch) {
  master::AcceptOffer c;
  c.framework_id = launch.getFrameworkId();
  c.agent_id = launch.getAgentId();
  c.offered = ResourcesOf(launch.getOffered());
  for (auto r : launch.getOffered().getPorts()) c.offered_ports.push_back({r.getBegin(), r.getEnd()});
  for (auto t : launch.getTasks()) {
    master::TaskToLaunch task{t.getTaskId(), t.getAppId(), t.getAppVersion(), ResourcesOf(t.getResources()), {}, {}};
    for (auto p : t.getHostPorts()) task.host_ports.push_back(p);
    for (auto kv : t.getLabels()) task.labels.emplace_back(kv.getKey(), kv.getValue());
    c.tasks.push_back(std::move(task));
  }
  return c;
}

}  // namespace regatta::protocol
