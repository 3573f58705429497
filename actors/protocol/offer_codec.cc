#include "actors/protocol/offer_codec.h"

#include "events/codec.h"

namespace regatta::protocol {
namespace {

using domain::Quantity;

template <class Fill>
Bytes Build(Fill&& fill) {
  capnp::MallocMessageBuilder message;
  fill(message);
  return Flatten(message);
}

void FillTasks(capnp::List<TaskToLaunch>::Builder out, const std::vector<domain::TaskToLaunch>& tasks) {
  for (unsigned i = 0; i < tasks.size(); ++i) {
    const domain::TaskToLaunch& t = tasks[i];
    auto task = out[i];
    task.setTaskId(t.task_id);
    task.setAppId(t.app_id);
    task.setAppVersion(t.app_version);
    domain::ToSchema(task.initResources(), t.resources);
    auto ports = task.initHostPorts(static_cast<unsigned>(t.host_ports.size()));
    for (unsigned p = 0; p < t.host_ports.size(); ++p) ports.set(p, t.host_ports[p]);
    domain::ToSchema(task.initLabels(static_cast<unsigned>(t.labels.size())), t.labels);
  }
}

}  // namespace

Bytes AgentSessionMessage(const std::string& agent_id, bool connected) {
  return Build([&](capnp::MessageBuilder& m) {
    auto s = m.initRoot<AgentSession>();
    s.setAgentId(agent_id);
    s.setConnected(connected);
  });
}

Bytes OffersMessage(const std::vector<domain::NamedOffer>& offers, Revision revision) {
  return Build([&](capnp::MessageBuilder& m) {
    auto root = m.initRoot<OfferEvent>();
    root.setRevision(revision);
    auto list = root.initOffers(static_cast<unsigned>(offers.size()));
    for (unsigned i = 0; i < offers.size(); ++i) {
      list[i].setOfferId(offers[i].offer_id);
      list[i].setAgentId(offers[i].offer.agent_id);
      domain::ToSchema(list[i].initResources(), offers[i].offer.resources, offers[i].offer.ports);
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

std::vector<domain::NamedOffer> ToOffers(capnp::List<Offer>::Reader offers, const std::string& framework_id) {
  std::vector<domain::NamedOffer> out;
  out.reserve(offers.size());
  for (auto o : offers) {
    out.push_back({o.getOfferId(),
                   {framework_id, o.getAgentId(), domain::ResourcesOf(o.getResources()),
                    domain::PortRangesOf(o.getResources())}});
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
                 const std::vector<domain::TaskToLaunch>& tasks) {
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

Bytes LaunchMessage(const std::string& framework_id, const domain::Offer& offer,
                    capnp::List<TaskToLaunch>::Reader tasks) {
  return Build([&](capnp::MessageBuilder& m) {
    auto launch = m.initRoot<Launch>();
    launch.setFrameworkId(framework_id);
    launch.setAgentId(offer.agent_id);
    domain::ToSchema(launch.initOffered(), offer.resources, offer.ports);
    launch.setTasks(tasks);
  });
}

domain::AcceptOffer ToCommand(Launch::Reader launch) {
  domain::AcceptOffer c;
  c.framework_id = launch.getFrameworkId();
  c.agent_id = launch.getAgentId();
  c.offered = domain::ResourcesOf(launch.getOffered());
  c.offered_ports = domain::PortRangesOf(launch.getOffered());
  for (auto t : launch.getTasks()) {
    domain::TaskToLaunch task{t.getTaskId(), t.getAppId(), t.getAppVersion(), domain::ResourcesOf(t.getResources()),
                              {}, domain::PairsOf(t.getLabels())};
    for (auto p : t.getHostPorts()) task.host_ports.push_back(p);
    c.tasks.push_back(std::move(task));
  }
  return c;
}

}  // namespace regatta::protocol
