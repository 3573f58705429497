// The inside of KubeApi: replies, the way to the master, and one handler
// per resource, spread over kube_api.cc (routing, replies, writes),
// discovery_routes.cc, deployment_routes.cc and pod_routes.cc.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <capnp/message.h>

#include "api/kubernetes/kube_api.h"
#include "api/kubernetes/kube_decode.h"
#include "api/kubernetes/kube_status.h"
#include "api/kubernetes/kube_tables.h"
#include "api/kubernetes/kube_views.h"
#include "regatta/messages.capnp.h"

namespace regatta::kube {

using ExchangePtr = std::shared_ptr<http::Exchange>;
using projections::ProjectionSet;

// What a request names: /apis/apps/v1/namespaces/default/deployments/web/scale
struct ResourcePath {
  std::string group;     // "" for the core group, "apps"
  std::string version;   // "v1"
  std::string ns;        // "" when not namespaced or across namespaces
  std::string resource;  // "deployments"
  std::string name;      // "" for the collection
  std::string sub;       // "scale", "status", "log"; "" for the object
};

// A write's request-level choices.
struct WriteOptions {
  bool dry_run = false;        // dryRun=All
  std::string validation;      // Strict, Warn (the default), Ignore
  std::string field_manager;
  std::string principal;
};

struct KubeApi::Impl {
  Impl(api::ReadModel& m, api::Commander& c, http::Loop& l, KubeOptions o)
      : model(m), commander(c), loop(l), options(std::move(o)) {}

  api::ReadModel& model;
  api::Commander& commander;
  http::Loop& loop;
  KubeOptions options;

  const ProjectionSet& view() const { return model.view(); }
  std::int64_t Now() const { return options.clock->NowNanos(); }

  // ---------------------------------------------------------------- replies
  void Reply(const ExchangePtr& ex, int status, const Json& body, const std::vector<std::string>& warnings = {},
             const std::string& content_type = "application/json") const;
  void Refuse(const ExchangePtr& ex, const Refusal& refusal) const;
  // A list, or the Table of it when the request asks for one (kubectl get).
  void ReplyList(const http::Request& r, const ExchangePtr& ex, TableKind kind, const std::string& api_version,
                 const std::string& list_kind, std::vector<Json> items) const;
  // One object, or a one-row Table.
  void ReplyObject(const http::Request& r, const ExchangePtr& ex, TableKind kind, Json object) const;

  // ---------------------------------------------------------------- writes
  WriteOptions OptionsOf(const http::Request& r) const;
  // Sends a KubeWrite built by `build`; once the view has its revision,
  // runs `done` with it. Refusals are answered as Status objects for
  // `path`.
  void Write(const ExchangePtr& ex, const ResourcePath& path, const WriteOptions& options,
             std::optional<Revision> if_revision, bool create_only,
             const std::function<void(protocol::KubeWrite::Builder)>& build, std::function<void(Revision)> done);

  // A list's labelSelector and fieldSelector. False, having answered, for
  // a selector it cannot read or a watch (`what`: "pods").
  struct ListFilter {
    Selector labels;
    FieldSelector fields;
    bool Matches(const Json& object) const {
      return labels.Matches(object["metadata"].value("labels", Json::object())) && fields.Matches(object);
    }
  };
  bool ListFilterOf(const http::Request& r, const ExchangePtr& ex, const std::string& what, ListFilter& filter) const;

  // ---------------------------------------------------------------- routes
  void Route(const http::Request& r, const ExchangePtr& ex);
  bool Discovery(const http::Request& r, const ExchangePtr& ex);  // false: not a discovery path
  void Namespaces(const http::Request& r, const ExchangePtr& ex, const ResourcePath& path);
  void Pods(const http::Request& r, const ExchangePtr& ex, const ResourcePath& path);
  void Deployments(const http::Request& r, const ExchangePtr& ex, const ResourcePath& path);
  void ListDeployments(const http::Request& r, const ExchangePtr& ex, const ResourcePath& path);
  void GetDeployment(const http::Request& r, const ExchangePtr& ex, const ResourcePath& path);
  // POST (create), PUT (replace), PATCH (every patch type); `body` is the
  // object to write, already patched.
  void WriteDeployment(const http::Request& r, const ExchangePtr& ex, const ResourcePath& path, Json body,
                       bool create);
  void PatchDeployment(const http::Request& r, const ExchangePtr& ex, const ResourcePath& path);
  void DeleteDeployment(const http::Request& r, const ExchangePtr& ex, const ResourcePath& path);
  void Scale(const http::Request& r, const ExchangePtr& ex, const ResourcePath& path);
};

// Parses /api/v1/... and /apis/{group}/{version}/...; nullopt otherwise.
std::optional<ResourcePath> ParseResourcePath(const std::vector<std::string>& segments);

// `original` with `patch` applied as the Content-Type says: JSON merge
// patch, JSON patch, strategic merge patch, or server-side apply (the
// applied object merged as a strategic merge patch).
Result<Json> ApplyPatch(const Json& original, const std::string& body, const std::string& content_type);

}  // namespace regatta::kube
