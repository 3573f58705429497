// Kubernetes' error shape: a meta/v1 Status with reason, details and
// causes, so that kubectl prints the field ("* spec.selector: Required
// value"). Pure.
#pragma once

#include <string>
#include <vector>

#include "api/kubernetes/kube_decode.h"
#include "events/base/status.h"

namespace regatta::kube {

struct Cause {
  std::string field;    // "spec.template.spec.containers[0].image"
  std::string message;  // "Required value"
  std::string reason = "FieldValueInvalid";  // FieldValueRequired, FieldValueNotSupported, ...
};

struct Refusal {
  int code = 500;
  std::string reason;   // NotFound, AlreadyExists, Conflict, Invalid, BadRequest, MethodNotAllowed, ...
  std::string message;
  std::string kind;     // "deployments"
  std::string group;    // "apps"
  std::string name;
  std::vector<Cause> causes;
};

Json StatusJson(const Refusal& refusal);

// 422: `Kind.group "name" is invalid: ` and each cause, in message and
// causes alike (kubectl prints one or the other, by command).
Refusal Invalid(const std::string& kind, const std::string& group, const std::string& name,
                std::vector<Cause> causes);
// 400, for fieldValidation=Strict: `Kind in version "v1" cannot be handled
// as a Kind: strict decoding error: unknown field "spec.x", ...`.
Refusal StrictDecoding(const std::string& kind, const std::string& version, const std::vector<std::string>& unknown);
Refusal BadRequest(const std::string& message);
Refusal NotFound(const std::string& resource, const std::string& group, const std::string& name);
Refusal MethodNotAllowed(const std::string& message);

// A refusal from below (the master, a decode step), as Kubernetes says it:
// NotFound 404, Conflict 409 (AlreadyExists when the name is taken),
// InvalidArgument 422 with the field as its cause, Unavailable 503.
Refusal RefusalOf(const Status& status, const std::string& resource, const std::string& group,
                  const std::string& name);

}  // namespace regatta::kube
