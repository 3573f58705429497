#include "api/kubernetes/kube_decode.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <regex>

namespace regatta::kube {
namespace {

// Plain scalars are typed as YAML 1.1 / Go's yaml.v2 types them for JSON.
Json PlainScalar(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  static const std::regex kInteger("[-+]?(0|[1-9][0-9]*)");
  static const std::regex kFloat("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");
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

Result<Json> Convert(const YAML::Node& node, int depth) {
  if (depth > 100) return Status::InvalidArgument("error converting YAML to JSON: nested too deeply");
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null: return Json(nullptr);
    case YAML::NodeType::Scalar:
      // "!" is the tag of a quoted scalar: a string whatever it looks like.
      if (node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str") return Json(node.Scalar());
      return PlainScalar(node.Scalar());
    case YAML::NodeType::Sequence: {
      Json out = Json::array();
      for (const auto& item : node) {
        auto converted = Convert(item, depth + 1);
        if (!converted.ok()) return converted;
        out.push_back(std::move(*converted));
      }
      return out;
    }
    case YAML::NodeType::Map: {
      Json out = Json::object();
      for (const auto& item : node) {
        if (!item.first.IsScalar()) {
          return Status::InvalidArgument("error converting YAML to JSON: yaml: line " +
                                         std::to_string(item.first.Mark().line + 1) + ": a key must be a scalar");
        }
        auto converted = Convert(item.second, depth + 1);
        if (!converted.ok()) return converted;
        out[item.first.Scalar()] = std::move(*converted);
      }
      return out;
    }
  }
  return Json(nullptr);
}

bool IsYaml(const std::string& content_type) {
  return content_type.find("yaml") != std::string::npos;
}

}  // namespace

Result<Json> YamlToJson(const std::string& text) {
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument("error converting YAML to JSON: yaml: line " + std::to_string(e.mark.line + 1) +
                                   ": " + e.msg);
  }
  if (documents.empty()) return Status::InvalidArgument("the body is empty");
  if (documents.size() > 1) {
    return Status::InvalidArgument("the body holds " + std::to_string(documents.size()) +
                                   " YAML documents; send one object per request");
  }
  return Convert(documents[0], 0);
}

Result<Json> DecodeBody(const std::string& body, const std::string& content_type) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return Status::InvalidArgument("the body is empty");
  if (IsYaml(content_type)) return YamlToJson(body);
  try {
    return Json::parse(body);
  } catch (const Json::parse_error& e) {
    return Status::InvalidArgument("invalid JSON at offset " + std::to_string(e.byte) + ": " + e.what());
  }
}

}  // namespace regatta::kube
