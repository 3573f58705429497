// What the Kubernetes API reads show, from the view: Deployments (the
// stored object, its app's status), Pods (the app's tasks), Namespaces
// (app-id prefixes). Pure: the time comes in.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "api/kubernetes/kube_decode.h"
#include "projections/projection_set.h"

namespace regatta::kube {

// "2026-12-06T01:00:00Z": Kubernetes' timestamps, to the second.
std::string KubeTime(std::int64_t nanos);

// An equality-based label selector: "app=web,tier!=db,canary,!legacy".
// InvalidArgument naming labelSelector for text it cannot read.
struct Selector {
  struct Term {
    std::string key;
    enum class Op { kEquals, kNotEquals, kExists, kAbsent } op = Op::kEquals;
    std::string value;
  };
  std::vector<Term> terms;
  bool Matches(const Json& labels) const;
};
Result<Selector> ParseSelector(const std::string& text);
// fieldSelector: metadata.name=x and metadata.namespace=y (what kubectl
// sends); other fields are refused.
struct FieldSelector {
  std::string name;
  std::string ns;
  bool Matches(const Json& object) const;
};
Result<FieldSelector> ParseFieldSelector(const std::string& text);

// The Deployment as GET shows it.
Json RenderDeployment(const projections::ProjectionSet& view, const projections::KubeObject& object);

// The namespace's pods (every namespace's when `ns` is empty), by name.
std::vector<Json> RenderPods(const projections::ProjectionSet& view, const std::string& ns);
// One pod by name; null when there is none.
Json RenderPod(const projections::ProjectionSet& view, const std::string& ns, const std::string& name);

// The namespaces that exist: "default", and every first segment of a live
// app's id.
std::vector<std::string> NamespaceNames(const projections::ProjectionSet& view);
Json RenderNamespace(const std::string& name);

// A list of `kind` (DeploymentList) at the view's revision.
Json ListOf(const std::string& api_version, const std::string& kind, std::vector<Json> items, Revision revision);

}  // namespace regatta::kube
