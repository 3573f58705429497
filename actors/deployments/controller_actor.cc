#include "actors/deployments/controller_actor.h"

#include <iostream>
#include <set>

#include "actors/deployments/app_rollout.h"
#include "actors/protocol/codec.h"

namespace regatta::deployments {
namespace {

using protocol::Wire;

struct ControllerState {
  ControllerConfig config;
  protocol::master_actor master;
  projections::ProjectionSet view;
  // Verdicts sent and not yet answered: not sent twice meanwhile. The log,
  // not this set, says whether a deployment ended.
  std::set<std::string> in_flight;
  static inline const char* name = "regatta.deployments";
};

using ControllerPointer = protocol::controller_actor::stateful_pointer<ControllerState>;

protocol::EndDeployment::Outcome OutcomeOf(Verdict verdict) {
  switch (verdict) {
    case Verdict::kSucceeded: return protocol::EndDeployment::Outcome::SUCCEEDED;
    case Verdict::kFailed: return protocol::EndDeployment::Outcome::FAILED;
    case Verdict::kCanceled:
    case Verdict::kPromote: break;
  }
  return protocol::EndDeployment::Outcome::CANCELED;
}

Wire EndMessage(const DeploymentVerdict& v) {
  capnp::MallocMessageBuilder message;
  auto command = message.initRoot<protocol::ClientMessage>();
  if (v.verdict == Verdict::kPromote) {
    auto control = command.initControlDeployment();
    control.setDeploymentId(v.deployment_id);
    control.setAction(protocol::ControlDeployment::Action::PROMOTE);
  } else {
    auto end = command.initEndDeployment();
    end.setDeploymentId(v.deployment_id);
    end.setOutcome(OutcomeOf(v.verdict));
    end.setMessage(v.message);
  }
  command.setPrincipal("regatta:deployments");
  command.setReason(v.verdict == Verdict::kSucceeded ? "every instance of the new version is ready"
                                                       : v.message);
  return Wire{protocol::Flatten(message)};
}

void Send(ControllerPointer self, const DeploymentVerdict& v) {
  self->state.in_flight.insert(v.deployment_id);
  const std::string id = v.deployment_id;
  self->request(self->state.master, std::chrono::seconds(30), protocol::client_atom::value, EndMessage(v))
      .then(
          [self, id](Wire& reply) {
            self->state.in_flight.erase(id);
            auto answer = protocol::Received<protocol::MasterReply>::Read(reply.bytes, "master reply");
            const Status taken = answer.ok() ? protocol::StatusOfReply(answer->root()) : answer.status();
            if (!taken.ok()) std::cerr << "regatta deployments: " << id << ": " << taken.ToString() << "\n";
          },
          [self, id](caf::error& e) {
            // Judged again on the next batch or tick.
            self->state.in_flight.erase(id);
            std::cerr << "regatta deployments: " << id << ": " << self->system().render(e) << "\n";
          });
}

void Judge(ControllerPointer self) {
  auto& st = self->state;
  if (st.view.history().running_deployments().empty()) return;
  for (const DeploymentVerdict& v : JudgeDeployments(st.view, st.config.clock->NowNanos())) {
    if (!st.in_flight.count(v.deployment_id)) Send(self, v);
  }
}

void ScheduleTick(ControllerPointer self) {
  if (self->state.config.tick_period.count() > 0) {
    self->delayed_send(self, self->state.config.tick_period, protocol::tick_atom::value);
  }
}

protocol::controller_actor::behavior_type ControllerBehavior(ControllerPointer self) {
  ScheduleTick(self);
  return {
      [=](protocol::events_atom, const CommittedBatchPtr& batch) {
        for (const Event& event : batch->events()) {
          if (Status folded = self->state.view.Apply(event); !folded.ok()) {
            std::cerr << "regatta deployments: " << folded.message() << "\n";
          }
        }
        Judge(self);
      },
      [=](protocol::tick_atom) {
        Judge(self);
        ScheduleTick(self);
      },
  };
}

}  // namespace

protocol::controller_actor SpawnDeploymentController(caf::actor_system& system, ControllerConfig config,
                                                     protocol::master_actor master, projections::ProjectionSet view) {
  // The unused int: see SpawnMaster (CAF 0.17 and an empty argument tuple).
  return system.spawn(
      [config, master, view = std::move(view)](ControllerPointer self, int) mutable {
        self->state.config = config;
        self->state.master = master;
        self->state.view = std::move(view);
        self->state.view.Narrow(projections::kSchedulingProjection | projections::kHistoryProjection);
        return ControllerBehavior(self);
      },
      0);
}

}  // namespace regatta::deployments
