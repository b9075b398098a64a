// Status and Result<T>: expected failures (bad input, not found, a rule broken) as values.
//
//   Result<Date> d = Date::Parse("2024-02-30");
//   if (!d.ok()) return d.status();   // "invalid date '2024-02-30': day out of range"
//
// Exceptions are kept for programmer errors only; every message is written for the user who
// has to fix the input, naming the field and the value.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace arbor {

enum class StatusCode { kOk, kInvalidArgument, kNotFound, kAlreadyExists, kFailedPrecondition, kInternal };

class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status FailedPrecondition(std::string m) {
    return {StatusCode::kFailedPrecondition, std::move(m)};
  }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message starts with `context: ` (e.g. a file:line or an event index).
  Status WithContext(const std::string& context) const {
    if (ok()) return *this;
    return Status(code_, context + ": " + message_);
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : value_(std::move(status)) { assert(!std::get<Status>(value_).ok()); }

  bool ok() const { return std::holds_alternative<T>(value_); }
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(value_); }
  const T& value() const& { return std::get<T>(value_); }
  T& value() & { return std::get<T>(value_); }
  T&& value() && { return std::get<T>(std::move(value_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<T, Status> value_;
};

}  // namespace arbor

#define ARBOR_RETURN_IF_ERROR(expr)         \
  do {                                      \
    ::arbor::Status arbor_status_ = (expr); \
    if (!arbor_status_.ok()) return arbor_status_; \
  } while (0)
