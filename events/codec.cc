#include "events/codec.h"

#include <cstdint>
#include <cstring>

#include <kj/exception.h>

namespace regatta {
namespace {

using Which = schema::Envelope::Event::Which;

// A reader's traversal limit guards against messages that point at the same
// bytes over and over (amplification). 64 MiB of words is far above any event.
constexpr std::uint64_t kTraversalLimitWords = 8u << 20;

std::string ServiceKey(capnp::Text::Reader ns, capnp::Text::Reader name) {
  if (name.size() == 0) return "";
  std::string key = ns.size() ? std::string(ns.cStr()) : std::string("default");
  key += '/';
  key += name.cStr();
  return key;
}

// "Deployment:default/web": a kind's objects are their own aggregates.
std::string KubeObjectKey(capnp::Text::Reader kind, capnp::Text::Reader ns, capnp::Text::Reader name) {
  if (name.size() == 0) return "";
  return std::string(kind.cStr()) + ":" + std::string(ns.cStr()) + "/" + name.cStr();
}

}  // namespace

std::string EventTypeName(schema::Envelope::Reader envelope) {
  auto event = envelope.getEvent();
  switch (event.which()) {
    case Which::AGENT_REGISTERED: return "AgentRegistered";
    case Which::AGENT_REREGISTERED: return "AgentReregistered";
    case Which::AGENT_RESOURCES_UPDATED: return "AgentResourcesUpdated";
    case Which::AGENT_UNREACHABLE: return "AgentUnreachable";
    case Which::AGENT_GONE: return "AgentGone";
    case Which::FRAMEWORK_REGISTERED: return "FrameworkRegistered";
    case Which::FRAMEWORK_REMOVED: return "FrameworkRemoved";
    case Which::APP_DEFINED: return "AppDefined";
    case Which::APP_SCALED: return "AppScaled";
    case Which::APP_DELETED: return "AppDeleted";
    case Which::APP_LAUNCH_DELAY_RESET: return "AppLaunchDelayReset";
    case Which::GROUP_DEFINED: return "GroupDefined";
    case Which::GROUP_DELETED: return "GroupDeleted";
    case Which::DEPLOYMENT_STARTED: return "DeploymentStarted";
    case Which::DEPLOYMENT_STEP_COMPLETED: return "DeploymentStepCompleted";
    case Which::DEPLOYMENT_SUCCEEDED: return "DeploymentSucceeded";
    case Which::DEPLOYMENT_FAILED: return "DeploymentFailed";
    case Which::DEPLOYMENT_CANCELED: return "DeploymentCanceled";
    case Which::DEPLOYMENT_REVERTED: return "DeploymentReverted";
    case Which::DEPLOYMENT_PAUSED: return "DeploymentPaused";
    case Which::DEPLOYMENT_PROMOTED: return "DeploymentPromoted";
    case Which::TASK_LAUNCHED: return "TaskLaunched";
    case Which::TASK_STATUS_CHANGED: return "TaskStatusChanged";
    case Which::TASK_HEALTH_CHANGED: return "TaskHealthChanged";
    case Which::SERVICE_DEFINED: return "ServiceDefined";
    case Which::SERVICE_DELETED: return "ServiceDeleted";
    case Which::VOLUME_RESERVED: return "VolumeReserved";
    case Which::VOLUME_RELEASED: return "VolumeReleased";
    case Which::KUBE_OBJECT_PUT: return "KubeObjectPut";
    case Which::KUBE_OBJECT_DELETED: return "KubeObjectDeleted";
  }
  return "Unknown(" + std::to_string(static_cast<unsigned>(event.which())) + ")";
}

bool MustStopAt(schema::Envelope::Reader envelope) {
  return envelope.getMustUnderstand() && !IsKnownEventType(envelope);
}

bool IsKnownEventType(schema::Envelope::Reader envelope) {
  return EventTypeName(envelope).rfind("Unknown(", 0) != 0;
}

std::string AggregateKey(schema::Envelope::Reader envelope) {
  auto e = envelope.getEvent();
  switch (e.which()) {
    case Which::AGENT_REGISTERED: return e.getAgentRegistered().getAgentId();
    case Which::AGENT_REREGISTERED: return e.getAgentReregistered().getAgentId();
    case Which::AGENT_RESOURCES_UPDATED: return e.getAgentResourcesUpdated().getAgentId();
    case Which::AGENT_UNREACHABLE: return e.getAgentUnreachable().getAgentId();
    case Which::AGENT_GONE: return e.getAgentGone().getAgentId();
    case Which::FRAMEWORK_REGISTERED: return e.getFrameworkRegistered().getFrameworkId();
    case Which::FRAMEWORK_REMOVED: return e.getFrameworkRemoved().getFrameworkId();
    case Which::APP_DEFINED: return e.getAppDefined().getSpec().getId();
    case Which::APP_SCALED: return e.getAppScaled().getAppId();
    case Which::APP_DELETED: return e.getAppDeleted().getAppId();
    case Which::APP_LAUNCH_DELAY_RESET: return e.getAppLaunchDelayReset().getAppId();
    case Which::GROUP_DEFINED: return e.getGroupDefined().getGroupId();
    case Which::GROUP_DELETED: return e.getGroupDeleted().getGroupId();
    case Which::DEPLOYMENT_STARTED: return e.getDeploymentStarted().getDeploymentId();
    case Which::DEPLOYMENT_STEP_COMPLETED: return e.getDeploymentStepCompleted().getDeploymentId();
    case Which::DEPLOYMENT_SUCCEEDED: return e.getDeploymentSucceeded().getDeploymentId();
    case Which::DEPLOYMENT_FAILED: return e.getDeploymentFailed().getDeploymentId();
    case Which::DEPLOYMENT_CANCELED: return e.getDeploymentCanceled().getDeploymentId();
    case Which::DEPLOYMENT_REVERTED: return e.getDeploymentReverted().getDeploymentId();
    case Which::DEPLOYMENT_PAUSED: return e.getDeploymentPaused().getDeploymentId();
    case Which::DEPLOYMENT_PROMOTED: return e.getDeploymentPromoted().getDeploymentId();
    case Which::TASK_LAUNCHED: return e.getTaskLaunched().getTaskId();
    case Which::TASK_STATUS_CHANGED: return e.getTaskStatusChanged().getTaskId();
    case Which::TASK_HEALTH_CHANGED: return e.getTaskHealthChanged().getTaskId();
    case Which::SERVICE_DEFINED: {
      auto spec = e.getServiceDefined().getSpec();
      return ServiceKey(spec.getNamespace(), spec.getName());
    }
    case Which::SERVICE_DELETED: {
      auto deleted = e.getServiceDeleted();
      return ServiceKey(deleted.getNamespace(), deleted.getName());
    }
    case Which::VOLUME_RESERVED: return e.getVolumeReserved().getVolumeId();
    case Which::VOLUME_RELEASED: return e.getVolumeReleased().getVolumeId();
    case Which::KUBE_OBJECT_PUT: {
      auto put = e.getKubeObjectPut();
      return KubeObjectKey(put.getKind(), put.getNamespace(), put.getName());
    }
    case Which::KUBE_OBJECT_DELETED: {
      auto deleted = e.getKubeObjectDeleted();
      return KubeObjectKey(deleted.getKind(), deleted.getNamespace(), deleted.getName());
    }
  }
  return "";
}

schema::Envelope::Builder InitEnvelope(capnp::MessageBuilder& message,
                                       const EnvelopeStamp& stamp) {
  auto envelope = message.initRoot<schema::Envelope>();
  envelope.setEventId(stamp.event_id);
  envelope.setTimeNanos(stamp.time_nanos);
  envelope.setPrincipal(stamp.principal);
  envelope.setCorrelationId(stamp.correlation_id);
  envelope.setCausationId(stamp.causation_id);
  envelope.setReason(stamp.reason);
  envelope.setSchemaVersion(kSchemaVersion);
  return envelope;
}

EncodedEvent EncodeEnvelope(capnp::MessageBuilder& message) {
  auto envelope = message.getRoot<schema::Envelope>().asReader();
  EncodedEvent encoded;
  encoded.key = AggregateKey(envelope);
  encoded.type = EventTypeName(envelope);
  auto words = capnp::messageToFlatArray(message);
  auto bytes = words.asBytes();
  encoded.bytes.assign(reinterpret_cast<const char*>(bytes.begin()), bytes.size());
  return encoded;
}

Result<Event> EventDecoder::Decode(LoggedEvent stored) {
  const auto* data = stored.bytes.data();
  const std::size_t size = stored.bytes.size();
  if (size == 0 || size % sizeof(capnp::word) != 0) {
    return Status::Corruption("revision " + std::to_string(stored.revision) +
                              ": envelope of " + std::to_string(size) +
                              " bytes is not a whole number of words");
  }
  const capnp::word* words = reinterpret_cast<const capnp::word*>(data);
  if (reinterpret_cast<std::uintptr_t>(data) % alignof(capnp::word) != 0) {
    scratch_.resize(size / sizeof(capnp::word));
    std::memcpy(scratch_.data(), data, size);
    words = reinterpret_cast<const capnp::word*>(scratch_.data());
  }
  capnp::ReaderOptions options;
  options.traversalLimitInWords = kTraversalLimitWords;
  try {
    reader_.reset();
    reader_.emplace(kj::arrayPtr(words, size / sizeof(capnp::word)), options);
    auto envelope = reader_->getRoot<schema::Envelope>();
    // Walks every pointer once: a malformed message fails here, not later
    // inside a projection.
    (void)envelope.totalSize();
    return Event{stored.revision, envelope};
  } catch (const kj::Exception& e) {
    reader_.reset();
    return Status::Corruption("revision " + std::to_string(stored.revision) +
                              ": malformed envelope: " + e.getDescription().cStr());
  }
}

}  // namespace regatta
