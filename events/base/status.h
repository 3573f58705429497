// Status and Result: how expected failures travel in Regatta.
//
// Every fallible operation returns one of these, marked [[nodiscard]]. The
// code says what kind of failure it is; the edges map it to an HTTP status,
// a CLI exit code or a reply code between actors, and the code travels
// unchanged from the decide step to every edge. The message is for humans
// and names the thing that was wrong ("revision 17: crc mismatch at offset
// 4096"). A refusal of one field of the caller's input also carries the
// field's path ("cpus", "portDefinitions[2].port"), so that an API can
// report it apart from the reason (Marathon's details, Kubernetes' causes);
// its message is then "<field>: <reason>".
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace regatta {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // the caller's input is wrong
  kNotFound,
  kConflict,            // optimistic concurrency, or a second writer
  kCorruption,          // stored bytes fail their checks
  kUnavailable,         // try again later (a broker is down, a peer is gone)
  kFailedPrecondition,  // the object is in the wrong state for this call
  kIoError,             // the operating system said no
};

const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status Conflict(std::string m) { return {StatusCode::kConflict, std::move(m)}; }
  static Status Corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status FailedPrecondition(std::string m) { return {StatusCode::kFailedPrecondition, std::move(m)}; }
  static Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  // A refusal naming the field at fault: code, field and reason apart, and
  // the message "<field>: <reason>".
  static Status Field(StatusCode code, std::string field, const std::string& reason);
  static Status InvalidField(std::string field, const std::string& reason) {
    return Field(StatusCode::kInvalidArgument, std::move(field), reason);
  }
  // An IoError naming the failed call and errno's text: "open(/x): No such file".
  static Status FromErrno(const std::string& what, int err);

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The field's path for a refusal of one field; empty otherwise.
  const std::string& field() const { return field_; }
  // The message without the "<field>: " prefix.
  std::string reason() const;
  // "Corruption: revision 17: crc mismatch".
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string field_;
};

// A value or the Status that explains its absence.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    assert(!status_.ok() && "a Result made from a Status must carry an error");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { assert(ok()); return *value_; }
  const T& value() const& { assert(ok()); return *value_; }
  T&& value() && { assert(ok()); return std::move(*value_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace regatta

// Returns early from the enclosing function when `expr` is an error.
#define REGATTA_RETURN_IF_ERROR(expr)            \
  do {                                           \
    ::regatta::Status regatta_status_ = (expr);  \
    if (!regatta_status_.ok()) return regatta_status_; \
  } while (0)
