// Kubernetes' strategic merge patch (application/strategic-merge-patch+
// json), as kubectl apply and kubectl edit send it: maps merge, null
// deletes, and lists of the built-in kinds merge by their merge key
// (containers and env by name, container ports by containerPort, a
// Service's ports by port, volumes by name, volumeMounts by mountPath);
// other lists are replaced whole. Directives: `$patch: replace` and
// `$patch: delete` on a map or a list item, `$deleteFromPrimitiveList/x`,
// and `$setElementOrder/x` and `$retainKeys`, which order and prune but
// change no value here (the list's items are kept in the patch's order).
// Pure.
#pragma once

#include <string>

#include "api/kubernetes/kube_decode.h"
#include "events/base/status.h"

namespace regatta::kube {

// `original` with `patch` applied. InvalidArgument for a directive that is
// not one of the above or a merge-keyed item without its key.
Result<Json> StrategicMerge(const Json& original, const Json& patch);

// The merge key of the list at `path` (dotted, without indexes: "spec.
// template.spec.containers"); empty when the list is replaced whole.
std::string MergeKeyOf(const std::string& path);

}  // namespace regatta::kube
