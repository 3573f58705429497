#include "api/kubernetes/kube_decode.h"

#include <yaml.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <regex>
#include <vector>

namespace regatta::kube {
namespace {

// Plain scalars are typed as YAML 1.1 / Go's yaml.v2 types them for JSON.
Json PlainScalar(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  static const std::regex kInteger("[-+]?(0|[1-9][0-9]*)");
  static const std::regex kFloat("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");
  if (s.size() > 40) return s;  // no number is this long; and std::regex recurses per character
  if (std::regex_match(s, kInteger)) {
    errno = 0;
    const long long v = std::strtoll(s.c_str(), nullptr, 10);
    if (errno == 0) return v;
  }
  if (std::regex_match(s, kFloat)) {
    const double v = std::strtod(s.c_str(), nullptr);
    if (std::isfinite(v)) return v;
  }
  return s;
}

// Kubernetes' objects are UTF-8 text (JSON's parser checks its own).
bool ValidUtf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
    }
    i += n;
  }
  return true;
}

// Aliases make a small text a huge tree ("billion laughs"): a document
// stops past this many values, far above any object's.
constexpr std::size_t kMaxNodes = 200000;
constexpr std::size_t kMaxDepth = 100;

std::size_t CountNodes(const Json& v) {
  std::size_t n = 1;
  if (v.is_structured()) {
    for (const auto& item : v) n += CountNodes(item);
  }
  return n;
}

std::string Error(std::size_t line, const std::string& why) {
  return "error converting YAML to JSON: yaml: line " + std::to_string(line + 1) + ": " + why;
}

// Builds JSON from libyaml's events: a stack of open maps and lists, the
// anchors seen so far, and the documents finished.
class JsonBuilder {
 public:
  Status Scalar(const yaml_event_t& e) {
    const std::string text(reinterpret_cast<const char*>(e.data.scalar.value), e.data.scalar.length);
    if (!ValidUtf8(text)) return Status::InvalidArgument(Error(e.start_mark.line, "invalid UTF-8"));
    const bool quoted = e.data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
    const std::string tag = e.data.scalar.tag != nullptr ? reinterpret_cast<const char*>(e.data.scalar.tag) : "";
    Json value = quoted || tag == "tag:yaml.org,2002:str" ? Json(text) : PlainScalar(text);
    // A map's key is its text, whatever it looks like.
    if (!stack_.empty() && stack_.back().value.is_object() && !stack_.back().key) value = text;
    return Add(std::move(value), Anchor(e.data.scalar.anchor), e.start_mark.line);
  }
  Status Open(bool map, const yaml_char_t* anchor, std::size_t line) {
    if (!stack_.empty() && stack_.back().value.is_object() && !stack_.back().key) {
      return Status::InvalidArgument(Error(line, "a key must be a scalar"));
    }
    if (stack_.size() >= kMaxDepth) return Status::InvalidArgument(Error(line, "nested too deeply"));
    stack_.push_back({map ? Json::object() : Json::array(), std::nullopt, Anchor(anchor)});
    return Count(1, line);
  }
  Status Close(std::size_t line) {
    Frame done = std::move(stack_.back());
    stack_.pop_back();
    return Add(std::move(done.value), done.anchor, line, /*counted=*/true);
  }
  Status Alias(const yaml_event_t& e) {
    auto it = anchors_.find(Anchor(e.data.alias.anchor));
    if (it == anchors_.end()) return Status::InvalidArgument(Error(e.start_mark.line, "unknown anchor"));
    REGATTA_RETURN_IF_ERROR(Count(it->second.second, e.start_mark.line));
    return Add(it->second.first, "", e.start_mark.line, /*counted=*/true);
  }
  std::vector<Json>& documents() { return documents_; }

 private:
  struct Frame {
    Json value;
    std::optional<std::string> key;  // a map's key awaiting its value
    std::string anchor;
  };

  static std::string Anchor(const yaml_char_t* anchor) {
    return anchor != nullptr ? reinterpret_cast<const char*>(anchor) : "";
  }
  Status Count(std::size_t n, std::size_t line) {
    nodes_ += n;
    if (nodes_ > kMaxNodes) {
      return Status::InvalidArgument(Error(line, "more than " + std::to_string(kMaxNodes) + " values (aliases expanding?)"));
    }
    return Status::Ok();
  }
  Status Add(Json value, const std::string& anchor, std::size_t line, bool counted = false) {
    if (!counted) REGATTA_RETURN_IF_ERROR(Count(1, line));
    if (!anchor.empty()) anchors_[anchor] = {value, CountNodes(value)};
    if (stack_.empty()) {
      documents_.push_back(std::move(value));
      return Status::Ok();
    }
    Frame& top = stack_.back();
    if (top.value.is_array()) {
      top.value.push_back(std::move(value));
    } else if (!top.key) {
      top.key = value.get<std::string>();
    } else {
      top.value[*top.key] = std::move(value);
      top.key.reset();
    }
    return Status::Ok();
  }

  std::vector<Frame> stack_;
  std::map<std::string, std::pair<Json, std::size_t>> anchors_;
  std::vector<Json> documents_;
  std::size_t nodes_ = 0;
};

// Every document of `text`, or the parser's first error as Go's YAML (a
// port of libyaml) words it, so kubectl users read the same words.
Result<std::vector<Json>> ParseDocuments(const std::string& text) {
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) return Status::Unavailable("the YAML parser could not start");
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  JsonBuilder builder;
  Status status = Status::Ok();
  for (bool done = false; !done && status.ok();) {
    yaml_event_t e;
    if (!yaml_parser_parse(&parser, &e)) {
      const std::size_t line = parser.problem_mark.line;
      status = Status::InvalidArgument(Error(line, parser.problem != nullptr ? parser.problem : "malformed"));
      break;
    }
    switch (e.type) {
      case YAML_SCALAR_EVENT: status = builder.Scalar(e); break;
      case YAML_SEQUENCE_START_EVENT: status = builder.Open(false, e.data.sequence_start.anchor, e.start_mark.line); break;
      case YAML_MAPPING_START_EVENT: status = builder.Open(true, e.data.mapping_start.anchor, e.start_mark.line); break;
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: status = builder.Close(e.start_mark.line); break;
      case YAML_ALIAS_EVENT: status = builder.Alias(e); break;
      case YAML_STREAM_END_EVENT: done = true; break;
      default: break;
    }
    yaml_event_delete(&e);
  }
  yaml_parser_delete(&parser);
  if (!status.ok()) return status;
  return std::move(builder.documents());
}

bool IsYaml(const std::string& content_type) {
  return content_type.find("yaml") != std::string::npos;
}

}  // namespace

Result<Json> YamlToJson(const std::string& text) {
  auto documents = ParseDocuments(text);
  if (!documents.ok()) return documents.status();
  if (documents->empty()) return Status::InvalidArgument("the body is empty");
  if (documents->size() > 1) {
    return Status::InvalidArgument("the body holds " + std::to_string(documents->size()) +
                                   " YAML documents; send one object per request");
  }
  return std::move((*documents)[0]);
}

Result<Json> DecodeBody(const std::string& body, const std::string& content_type) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return Status::InvalidArgument("the body is empty");
  if (IsYaml(content_type)) return YamlToJson(body);
  try {
    return Json::parse(body);
  } catch (const Json::parse_error& e) {
    return Status::InvalidArgument("invalid JSON at offset " + std::to_string(e.byte) + ": " + e.what());
  } catch (const Json::exception& e) {  // a number out of range, say
    return Status::InvalidArgument(std::string("invalid JSON: ") + e.what());
  }
}

}  // namespace regatta::kube
