// Status and StatusOr<T>: how Dyad's libraries report failure across module boundaries.
// Exceptions from Xapian, ICU and Protobuf are caught at the edge and turned into a Status whose
// message says what went wrong and, where possible, what to do about it.
#ifndef DYAD_CORE_STATUS_H_
#define DYAD_CORE_STATUS_H_

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace dyad {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // The caller's input is wrong (bad query, bad flag, bad article).
  kNotFound,            // A file, article or index does not exist.
  kFailedPrecondition,  // The world is not in a state to do this (e.g. unknown schema version).
  kDataLoss,            // Stored data is corrupt or truncated.
  kIoError,             // The operating system refused a read or write.
  kUnavailable,         // Try again later (database being replaced, server busy).
  kInternal,            // A bug in Dyad.
  kUnauthenticated,     // A server needs a valid token and did not get one.
};

const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK.
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "NOT_FOUND: no index at /x" or "OK".
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) {
  return {StatusCode::kInvalidArgument, std::move(m)};
}
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status FailedPrecondition(std::string m) {
  return {StatusCode::kFailedPrecondition, std::move(m)};
}
inline Status DataLoss(std::string m) { return {StatusCode::kDataLoss, std::move(m)}; }
inline Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
inline Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
inline Status Unauthenticated(std::string m) {
  return {StatusCode::kUnauthenticated, std::move(m)};
}

// Holds either a value or a non-OK Status. Accessing the value of an error is a bug (asserted).
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : data_(std::move(value)) {}        // NOLINT: implicit by design.
  StatusOr(Status status) : data_(std::move(status)) {  // NOLINT: implicit by design.
    assert(!std::get<Status>(data_).ok() && "StatusOr needs a value or an error");
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(data_);
  }
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<Status, T> data_;
};

}  // namespace dyad

#endif  // DYAD_CORE_STATUS_H_
