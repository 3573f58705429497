// Small, readable event builders for tests: one line per event.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "events/codec.h"

namespace regatta::testing {

EnvelopeStamp StampAt(std::int64_t time_nanos, const std::string& principal = "tester");

EncodedEvent AgentRegistered(const std::string& agent, double cpus, double mem,
                             std::int64_t t = 1, const std::string& zone = "z1");
EncodedEvent AgentUnreachable(const std::string& agent, std::int64_t t = 1);
EncodedEvent AgentGone(const std::string& agent, std::int64_t t = 1);
EncodedEvent FrameworkRegistered(const std::string& framework, const std::string& role,
                                 std::int64_t t = 1);
EncodedEvent AppDefined(const std::string& app, std::uint32_t instances, const std::string& version,
                        std::int64_t t = 1, const std::string& principal = "tester",
                        const std::string& cmd = "sleep 1000");
// An AppDefined of a service as AppDefined makes it, then changed by `edit`.
EncodedEvent AppDefinedWith(const std::string& app, std::uint32_t instances, const std::string& version,
                            const std::function<void(schema::AppSpec::Builder)>& edit, std::int64_t t = 1);
// An AppDefined of kind job: `instances` completions, `max_retries` failures survived.
EncodedEvent JobDefined(const std::string& app, std::uint32_t instances, std::uint32_t max_retries,
                        const std::string& version = "v1", std::int64_t t = 1);
EncodedEvent AppScaled(const std::string& app, std::uint32_t instances, std::uint32_t previous,
                       std::int64_t t = 1);
EncodedEvent AppDeleted(const std::string& app, std::int64_t t = 1);
EncodedEvent AppLaunchDelayReset(const std::string& app, std::int64_t t = 1);
EncodedEvent TaskLaunched(const std::string& task, const std::string& app,
                          const std::string& agent, double cpus, double mem,
                          std::uint32_t port = 0, std::int64_t t = 1,
                          const std::string& framework = "services",
                          const std::string& role = "*", const std::string& version = "v1");
EncodedEvent TaskStatus(const std::string& task, schema::TaskState state, std::int64_t t = 1);
EncodedEvent TaskHealth(const std::string& task, bool healthy, std::int64_t t = 1);
EncodedEvent ServiceDefined(const std::string& name, const std::string& selector_key,
                            const std::string& selector_value, std::uint32_t port,
                            std::int64_t t = 1);
EncodedEvent ServiceDeleted(const std::string& name, std::int64_t t = 1);
EncodedEvent DeploymentStarted(const std::string& deployment, const std::string& app,
                               const std::string& from, const std::string& to,
                               std::int64_t t = 1);
EncodedEvent DeploymentStepCompleted(const std::string& deployment, std::uint32_t step,
                                     std::int64_t t = 1);
EncodedEvent DeploymentSucceeded(const std::string& deployment, std::int64_t t = 1);
EncodedEvent DeploymentFailed(const std::string& deployment, const std::string& why,
                              std::int64_t t = 1);
EncodedEvent DeploymentReverted(const std::string& deployment, const std::string& to,
                                std::int64_t t = 1);

}  // namespace regatta::testing
