#include "api/http/http.h"

#include <algorithm>
#include <cctype>

namespace regatta::http {
namespace {

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

std::string Decode(std::string_view text, bool query) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      const int hi = Hex(text[i + 1]);
      const int lo = Hex(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += (query && c == '+') ? ' ' : c;
  }
  return out;
}

void ParseTarget(Request& request) {
  const std::string& target = request.target;
  const std::size_t question = target.find('?');
  const std::string_view raw_path = std::string_view(target).substr(0, question);
  request.path.clear();
  request.segments.clear();
  // Segments are split before decoding, so an escaped "/" stays inside its segment.
  std::size_t start = 0;
  while (start <= raw_path.size()) {
    const std::size_t slash = std::min(raw_path.find('/', start), raw_path.size());
    if (slash > start) request.segments.push_back(Decode(raw_path.substr(start, slash - start), false));
    start = slash + 1;
  }
  for (const std::string& s : request.segments) {
    request.path += '/';
    request.path += s;
  }
  if (request.path.empty()) request.path.push_back('/');
  request.query.clear();
  if (question == std::string::npos) return;
  std::string_view rest = std::string_view(target).substr(question + 1);
  while (!rest.empty()) {
    const std::size_t amp = std::min(rest.find('&'), rest.size());
    const std::string_view pair = rest.substr(0, amp);
    if (!pair.empty()) {
      const std::size_t eq = pair.find('=');
      request.query.emplace_back(Decode(pair.substr(0, eq), true),
                                 eq == std::string_view::npos ? "" : Decode(pair.substr(eq + 1), true));
    }
    rest = amp < rest.size() ? rest.substr(amp + 1) : std::string_view();
  }
}

std::optional<std::string> Request::Query(const std::string& name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::vector<std::string> Request::QueryAll(const std::string& name) const {
  std::vector<std::string> out;
  for (const auto& [key, value] : query) {
    if (key == name) out.push_back(value);
  }
  return out;
}

bool Request::Flag(const std::string& name, bool absent) const {
  auto value = Query(name);
  if (!value) return absent;
  return Lower(*value) == "true" || value->empty();
}

std::string Request::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

const char* StatusText(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 409: return "Conflict";
    case 412: return "Precondition Failed";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
  }
  return "Status";
}

}  // namespace regatta::http
