// meta.k8s.io/v1 Tables: what `kubectl get` prints when it asks for one
// (Accept: ...;as=Table;...): the columns of each kind as kubectl shows
// them for Kubernetes, the wide ones at priority 1, and each row's object
// as PartialObjectMetadata. Pure: the time comes in.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "api/kubernetes/kube_decode.h"
#include "events/event.h"

namespace regatta::kube {

inline constexpr const char* kTableContentType = "application/json;as=Table;v=v1;g=meta.k8s.io";

// Whether the Accept header asks for a Table.
bool WantsTable(const std::string& accept);

// Kubernetes' human durations: "45s", "3m12s", "2h", "5d3h".
std::string HumanAge(std::int64_t seconds);

enum class TableKind { kDeployments, kPods, kNamespaces };

// `objects` as rendered for GET, in a Table at `revision`; ages from now.
Json TableOf(TableKind kind, const std::vector<Json>& objects, Revision revision, std::int64_t now_nanos);

}  // namespace regatta::kube
