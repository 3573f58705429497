// A Deployment (apps/v1) and the app it runs, both ways. Pure: no I/O, no
// clock. docs/kubernetes.md says which fields Regatta acts on.
//
// The app is /<namespace>/<name>. Its template becomes the AppSpec: the
// first container's command and args (exec'd, as Kubernetes runs them),
// env, resources.requests (limits when no request), ports (a host port per
// containerPort, as PORT0.. and PORT_<NAME>), the liveness probe as a
// health check (HTTP, TCP or COMMAND) and the readiness probe (HTTP) as a
// readiness check; the template's labels become the app's labels. A
// container without `command` runs its image, which needs the containers
// of a later issue: its tasks fail, naming the image. The Deployment's
// strategy, minReadySeconds and progressDeadlineSeconds become the app's
// upgradeStrategy, with autoRevert off unless the annotation
// regatta.io/auto-revert is "true" (Kubernetes never reverts by itself).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "api/kubernetes/kube_decode.h"
#include "api/kubernetes/kube_status.h"
#include "regatta/events.capnp.h"

namespace regatta::kube {

// The app id of a namespaced object: "/default/hello-world".
std::string AppIdOf(const std::string& ns, const std::string& name);

struct DeploymentCheck {
  std::vector<Cause> causes;          // empty: valid
  std::vector<std::string> warnings;  // for the Warning header
};

// Checks a Deployment and completes it in place: spec.replicas defaults to
// 1, a missing spec.selector to the template's labels (with a warning: the
// seed's YAML has none, and apps/v1 requires one), the strategy to
// RollingUpdate 25%/25%. The causes name each field that is wrong or that
// Regatta cannot run yet.
DeploymentCheck CheckDeployment(Json& deployment);

// The app `deployment` runs, at `app_id`, into `spec`. REQUIRES: its
// check found no causes.
void BuildAppSpec(const Json& deployment, const std::string& app_id, schema::AppSpec::Builder spec);

// The template in canonical form (nulls and empty values dropped, keys
// sorted): equal templates, equal text. A Deployment's revision changes
// only when this does.
std::string CanonicalTemplate(const Json& deployment);
// Kubernetes' pod-template-hash: 10 characters from the canonical template.
std::string TemplateHash(const std::string& canonical_template);

// "100m" -> 0.1, "2" -> 2: a CPU quantity in cores; nullopt when malformed.
std::optional<double> ParseCpu(const Json& quantity);
// "64Mi" -> 64, "1G" -> 953.67...: a memory quantity in MiB.
std::optional<double> ParseMemoryMb(const Json& quantity);

}  // namespace regatta::kube
