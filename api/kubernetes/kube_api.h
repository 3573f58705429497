// The Kubernetes API over the HTTP tier, for an unmodified kubectl: reads
// from the API's own view, writes through the master as KubeWrite
// commands (an object and its app in one batch), errors as Status
// objects. docs/kubernetes.md lists what is served and what is not yet.
//
// Loop thread only.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "api/http/http.h"
#include "api/server/commander.h"
#include "api/server/read_model.h"
#include "events/base/clock.h"

namespace regatta::kube {

struct KubeOptions {
  std::string advertised = "127.0.0.1:6443";  // host:port, as discovery names it
  std::chrono::milliseconds catch_up_wait{10000};
  std::shared_ptr<const Clock> clock = SystemClock();
};

class KubeApi {
 public:
  KubeApi(api::ReadModel& model, api::Commander& commander, http::Loop& loop, KubeOptions options);
  ~KubeApi();

  void Handle(http::Request request, std::shared_ptr<http::Exchange> exchange);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace regatta::kube
