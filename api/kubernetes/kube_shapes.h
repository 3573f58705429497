// The fields each kind served takes, for fieldValidation=Strict (unknown
// ones refused, 400) and the default (dropped, with a warning). Pure.
#pragma once

#include <string>
#include <vector>

#include "api/kubernetes/kube_decode.h"

namespace regatta::kube {

enum class KindShape { kDeployment, kNamespace };

// The dotted paths of fields the kind does not have, in document order:
// "replicas", "spec.template.spec.containers[0].imag".
std::vector<std::string> UnknownFields(const Json& object, KindShape kind);

// Removes the fields the kind does not have.
void DropUnknownFields(Json& object, KindShape kind);

}  // namespace regatta::kube
