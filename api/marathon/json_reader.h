// Reading a JSON request body field by field, with the JSON pointer of each
// value at hand for errors, and a record of the keys read, so that a key
// nobody read is refused by name (Marathon 1.5+ refuses unknown fields).
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "events/base/status.h"

namespace regatta::marathon {

using Json = nlohmann::ordered_json;

// A value in the body and where it is.
struct Field {
  std::string path;  // "" for the root, "/container/docker/image" below it
  const Json* json = nullptr;

  Field Child(const std::string& key, const Json& value) const { return {path + "/" + Escape(key), &value}; }
  Field At(unsigned i) const { return {path + "/" + std::to_string(i), &(*json)[i]}; }
  std::string Where() const { return path.empty() ? "/" : path; }

  Status Expect(Json::value_t type, const char* what) const {
    if (json->type() == type) return Status::Ok();
    return Status::InvalidField(Where(), std::string("expected ") + what);
  }
  Status ExpectUInt(std::uint64_t min, std::uint64_t max) const {
    if (!json->is_number_integer() || (json->is_number_integer() && !json->is_number_unsigned() && json->get<std::int64_t>() < 0)) {
      return Status::InvalidField(Where(), "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    }
    const std::uint64_t v = json->get<std::uint64_t>();
    if (v < min || v > max) {
      return Status::InvalidField(Where(), std::to_string(v) + " is not from " + std::to_string(min) + " to " + std::to_string(max));
    }
    return Status::Ok();
  }

  // JSON pointer escaping: "~" -> "~0", "/" -> "~1".
  static std::string Escape(const std::string& key) {
    std::string out;
    for (char c : key) {
      if (c == '~') out += "~0";
      else if (c == '/') out += "~1";
      else out += c;
    }
    return out;
  }
};

// An object's keys, each read at most once; Finish refuses any left over.
// A key whose value is null counts as absent, as Marathon reads them.
class ObjectReader {
 public:
  explicit ObjectReader(Field object) : object_(object) {
    if (!object_.json->is_object()) status_ = Status::InvalidField(object_.Where(), "expected an object");
  }
  Status status() const { return status_; }
  std::string Path(const std::string& key) const { return object_.path + "/" + Field::Escape(key); }

  Status String(const std::string& key, const std::function<void(const std::string&)>& set) {
    return Read(key, [&](const Field& f) -> Status {
      REGATTA_RETURN_IF_ERROR(f.Expect(Json::value_t::string, "a string"));
      set(f.json->get<std::string>());
      return Status::Ok();
    });
  }
  Status Bool(const std::string& key, const std::function<void(bool)>& set) {
    return Read(key, [&](const Field& f) -> Status {
      REGATTA_RETURN_IF_ERROR(f.Expect(Json::value_t::boolean, "true or false"));
      set(f.json->get<bool>());
      return Status::Ok();
    });
  }
  Status Number(const std::string& key, double min, double max, const std::function<void(double)>& set) {
    return Read(key, [&](const Field& f) -> Status {
      if (!f.json->is_number()) return Status::InvalidField(f.Where(), "expected a number");
      const double v = f.json->get<double>();
      if (!std::isfinite(v) || v < min || v > max) {
        return Status::InvalidField(f.Where(), f.json->dump() + " is not a number from " + Short(min) + " to " + Short(max));
      }
      set(v);
      return Status::Ok();
    });
  }
  Status UInt(const std::string& key, std::uint64_t min, std::uint64_t max, const std::function<void(std::uint64_t)>& set) {
    return Read(key, [&](const Field& f) -> Status {
      REGATTA_RETURN_IF_ERROR(f.ExpectUInt(min, max));
      set(f.json->get<std::uint64_t>());
      return Status::Ok();
    });
  }
  Status Any(const std::string& key, const std::function<Status(const Field&)>& read) { return Read(key, read); }
  Status Ignore(const std::string& key) {
    seen_.insert(key);
    return Status::Ok();
  }

  Status Finish() const {
    if (!status_.ok()) return status_;
    for (const auto& [key, value] : object_.json->items()) {
      if (!seen_.count(key)) return Status::InvalidField(Path(key), "is not a field Marathon defines here");
    }
    return Status::Ok();
  }

 private:
  static std::string Short(double v) {
    std::string s = std::to_string(v);
    s.erase(s.find_last_not_of('0') + 1);
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  }

  Status Read(const std::string& key, const std::function<Status(const Field&)>& read) {
    seen_.insert(key);
    if (!status_.ok()) return status_;
    auto it = object_.json->find(key);
    if (it == object_.json->end() || it->is_null()) return Status::Ok();
    return read(Field{Path(key), &*it});
  }

  Field object_;
  Status status_;
  std::set<std::string> seen_;
};

}  // namespace regatta::marathon
