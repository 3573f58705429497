#include "api/cli/api_client.h"

#include <algorithm>
#include <cstdlib>

#include "api/http/client.h"

namespace regatta::cli {
namespace {

StatusCode CodeOfHttp(int status) {
  switch (status) {
    case 400: case 413: case 422: return StatusCode::kInvalidArgument;
    case 404: return StatusCode::kNotFound;
    case 409: return StatusCode::kConflict;
    case 412: return StatusCode::kFailedPrecondition;
    case 503: case 504: return StatusCode::kUnavailable;
    default: return StatusCode::kIoError;
  }
}

// "Object is not valid: /cpus: must be > 0" from Marathon's error shape.
std::string Explain(const http::Response& answer) {
  const Json body = Json::parse(answer.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object() || !body.contains("message") || !body["message"].is_string()) {
    return "HTTP " + std::to_string(answer.status) + (answer.body.empty() ? "" : ": " + answer.body.substr(0, 200));
  }
  std::string text = body["message"].get<std::string>();
  if (body.contains("details") && body["details"].is_array()) {
    for (const Json& detail : body["details"]) {
      if (!detail.is_object()) continue;
      text += "; " + detail.value("path", std::string("/"));
      if (detail.contains("errors") && detail["errors"].is_array()) {
        for (const Json& e : detail["errors"]) {
          if (e.is_string()) text += ": " + e.get<std::string>();
        }
      }
    }
  }
  return text;
}

std::string Principal() {
  const char* user = std::getenv("USER");
  return user != nullptr && *user != '\0' ? user : "cli";
}

}  // namespace

Result<Json> CallApi(const GlobalOptions& global, const std::string& method, const std::string& target,
                     const Json& body, const std::string& reason) {
  auto endpoint = http::ParseEndpoint("--api", global.api);
  if (!endpoint.ok()) return endpoint.status();
  http::Call call;
  call.method = method;
  call.target = target;
  if (!body.is_null()) call.body = body.dump();
  if (method != "GET") {
    call.headers.emplace_back("X-Regatta-Principal", Principal());
    if (!reason.empty()) call.headers.emplace_back("X-Regatta-Reason", reason);
  }
  auto answer = http::Fetch(*endpoint, call);
  if (!answer.ok()) return answer.status();
  if (answer->status < 200 || answer->status >= 300) return Status(CodeOfHttp(answer->status), Explain(*answer));
  if (answer->body.empty()) return Json(nullptr);
  Json parsed = Json::parse(answer->body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return Status::IoError("the API at " + global.api + " answered something not JSON");
  return parsed;
}

std::string AppPath(const std::string& id) {
  std::string path = "/v2/apps";
  std::size_t start = id.empty() || id[0] != '/' ? 0 : 1;
  while (start <= id.size()) {
    const std::size_t slash = std::min(id.find('/', start), id.size());
    path += "/" + http::EscapeComponent(id.substr(start, slash - start));
    start = slash + 1;
  }
  return path;
}

}  // namespace regatta::cli
