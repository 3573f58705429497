// libFuzzer: a Kubernetes request body, YAML or JSON, as the API reads it
// (kube_decode.h), checked as a Deployment and built into its app
// (deployment_model.h), and as a strategic merge patch on itself. A
// Deployment the check accepts must check again, once completed, with no
// cause (what is stored is always writable again) and build an app with
// its id; no input may crash any step. The first byte picks YAML or JSON;
// a NUL splits the object from the patch.
#include <cstddef>
#include <cstdint>
#include <string>

#include <capnp/message.h>

#include "api/kubernetes/deployment_model.h"
#include "api/kubernetes/kube_decode.h"
#include "api/kubernetes/strategic_merge.h"

using namespace regatta;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string type = data[0] % 2 == 0 ? "application/yaml" : "application/json";
  const std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::size_t split = rest.find('\0');
  const std::string body = rest.substr(0, split);
  auto object = kube::DecodeBody(body, type);
  if (!object.ok()) return 0;
  if (split != std::string::npos) {
    auto patch = kube::DecodeBody(rest.substr(split + 1), type);
    if (patch.ok()) (void)kube::StrategicMerge(*object, *patch);
  }
  kube::Json d = *object;
  if (!d.is_object()) return 0;
  if (!kube::CheckDeployment(d).causes.empty()) return 0;
  kube::Json again = d;
  if (!kube::CheckDeployment(again).causes.empty()) __builtin_trap();  // a completed Deployment is refused
  capnp::MallocMessageBuilder message;
  auto spec = message.initRoot<schema::AppSpec>();
  kube::BuildAppSpec(d, "/default/fuzzed", spec);
  if (std::string(spec.getId().cStr()) != "/default/fuzzed") __builtin_trap();
  (void)kube::TemplateHash(kube::CanonicalTemplate(d));
  return 0;
}
