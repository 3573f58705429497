#include "events/base/status.h"

#include <cstring>

namespace regatta {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "OK";
    case StatusCode::kInvalidArgument: return "InvalidArgument";
    case StatusCode::kNotFound: return "NotFound";
    case StatusCode::kConflict: return "Conflict";
    case StatusCode::kCorruption: return "Corruption";
    case StatusCode::kUnavailable: return "Unavailable";
    case StatusCode::kFailedPrecondition: return "FailedPrecondition";
    case StatusCode::kIoError: return "IoError";
  }
  return "Unknown";
}

Status Status::FromErrno(const std::string& what, int err) {
  return IoError(what + ": " + std::strerror(err));
}

Status Status::Field(StatusCode code, std::string field, const std::string& reason) {
  Status s(code, field + ": " + reason);
  s.field_ = std::move(field);
  return s;
}

std::string Status::reason() const {
  if (!field_.empty() && message_.size() > field_.size() + 2 && message_.compare(0, field_.size(), field_) == 0) {
    return message_.substr(field_.size() + 2);
  }
  return message_;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  return std::string(StatusCodeName(code_)) + ": " + message_;
}

}  // namespace regatta
