#include "api/http/client.h"

#include <kj/async-io.h>
#include <kj/compat/http.h>

#include <cstdio>

namespace regatta::http {

std::string Endpoint::ToString() const { return "http://" + host + ":" + std::to_string(port) + prefix; }

Result<Endpoint> ParseEndpoint(const std::string& flag, const std::string& url) {
  const Status bad = Status::InvalidArgument(flag + ": '" + url + "' is not http://HOST:PORT");
  std::string rest = url;
  if (rest.rfind("https://", 0) == 0) {
    return Status::InvalidArgument(flag + ": '" + url + "': TLS is not served yet; use http://");
  }
  if (rest.rfind("http://", 0) == 0) rest = rest.substr(7);
  Endpoint endpoint;
  const std::size_t slash = rest.find('/');
  if (slash != std::string::npos) {
    endpoint.prefix = rest.substr(slash);
    while (!endpoint.prefix.empty() && endpoint.prefix.back() == '/') endpoint.prefix.pop_back();
    rest = rest.substr(0, slash);
  }
  const std::size_t colon = rest.rfind(':');
  if (colon == std::string::npos || colon == 0) return bad;
  const std::string port = rest.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return bad;
  const unsigned long value = std::stoul(port);
  if (value == 0 || value > 65535) return bad;
  endpoint.host = rest.substr(0, colon);
  endpoint.port = static_cast<std::uint16_t>(value);
  return endpoint;
}

std::string EscapeComponent(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

namespace {

Response Collect(kj::HttpClient::Response& answer, std::string body) {
  Response response;
  response.status = answer.statusCode;
  response.content_type = "";
  answer.headers->forEach([&](kj::StringPtr name, kj::StringPtr value) {
    std::string lower(name.cStr());
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "content-type") response.content_type = value.cStr();
    response.headers.emplace_back(std::move(lower), value.cStr());
  });
  response.body = std::move(body);
  return response;
}

}  // namespace

Result<Response> Fetch(const Endpoint& endpoint, const Call& call) {
  const std::string where = endpoint.ToString();
  try {
    auto io = kj::setupAsyncIo();
    auto& timer = io.provider->getTimer();
    kj::HttpHeaderTable table;
    auto address = io.provider->getNetwork().parseAddress(endpoint.host, endpoint.port).wait(io.waitScope);
    auto connected = timer.timeoutAfter(call.timeout.count() * kj::MILLISECONDS, address->connect()).wait(io.waitScope);
    auto client = kj::newHttpClient(table, *connected);
    kj::HttpHeaders headers(table);
    headers.set(kj::HttpHeaderId::HOST, kj::str(endpoint.host, ":", endpoint.port));
    if (!call.body.empty()) headers.set(kj::HttpHeaderId::CONTENT_TYPE, "application/json");
    for (const auto& [name, value] : call.headers) headers.add(kj::str(name), kj::str(value));
    auto method = kj::tryParseHttpMethod(call.method);
    KJ_IF_MAYBE(m, method) {
      auto request = client->request(*m, kj::str(endpoint.prefix, call.target), headers, call.body.size());
      if (!call.body.empty()) {
        request.body->write(call.body.data(), call.body.size()).wait(io.waitScope);
      }
      request.body = nullptr;  // the request is complete
      auto answer = timer.timeoutAfter(call.timeout.count() * kj::MILLISECONDS, kj::mv(request.response)).wait(io.waitScope);
      auto text = timer.timeoutAfter(call.timeout.count() * kj::MILLISECONDS, answer.body->readAllText()).wait(io.waitScope);
      return Collect(answer, std::string(text.cStr(), text.size()));
    }
    return Status::InvalidArgument("'" + call.method + "' is not an HTTP method");
  } catch (const kj::Exception& e) {
    std::string why = e.getDescription().cStr();
    if (why.find("ECONNREFUSED") != std::string::npos || why.find("connect()") != std::string::npos) {
      why = "connection refused";
    } else if (why.find("timed out") != std::string::npos) {
      why = "no answer within " + std::to_string(call.timeout.count() / 1000.0).substr(0, 4) + " s";
    }
    return Status::Unavailable("cannot reach the API at " + where + ": " + why);
  }
}

}  // namespace regatta::http
