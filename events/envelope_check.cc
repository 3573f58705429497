#include "events/envelope_check.h"

#include <capnp/dynamic.h>
#include <capnp/schema.h>

#include <cmath>
#include <string>

#include "events/domain/app_spec_check.h"
#include "events/domain/resources.h"
#include "events/domain/text.h"
#include "events/event.h"

namespace regatta {
namespace {

Status CheckValue(const std::string& path, capnp::DynamicValue::Reader value);

Status CheckStruct(const std::string& path, capnp::DynamicStruct::Reader s) {
  if (s.getSchema().getProto().getId() == capnp::typeId<schema::Resources>()) {
    REGATTA_RETURN_IF_ERROR(domain::CheckResources(path + ".", s.as<schema::Resources>()));
  }
  for (auto field : s.getSchema().getFields()) {
    if (!s.has(field, capnp::HasMode::NON_DEFAULT)) continue;
    const std::string name = path.empty() ? std::string(field.getProto().getName().cStr())
                                          : path + "." + field.getProto().getName().cStr();
    REGATTA_RETURN_IF_ERROR(CheckValue(name, s.get(field)));
  }
  return Status::Ok();
}

Status CheckValue(const std::string& path, capnp::DynamicValue::Reader value) {
  switch (value.getType()) {
    case capnp::DynamicValue::TEXT: {
      auto text = value.as<capnp::Text>();
      return domain::CheckUtf8(path, std::string_view(text.cStr(), text.size()));
    }
    case capnp::DynamicValue::FLOAT:
      if (std::isfinite(value.as<double>())) return Status::Ok();
      return Status::InvalidField(path, "must be a finite number, not " + std::to_string(value.as<double>()));
    case capnp::DynamicValue::STRUCT:
      return CheckStruct(path, value.as<capnp::DynamicStruct>());
    case capnp::DynamicValue::LIST: {
      auto list = value.as<capnp::DynamicList>();
      for (unsigned i = 0; i < list.size(); ++i) {
        REGATTA_RETURN_IF_ERROR(CheckValue(path + "[" + std::to_string(i) + "]", list[i]));
      }
      return Status::Ok();
    }
    default:
      return Status::Ok();
  }
}

}  // namespace

Status CheckEnvelope(schema::Envelope::Reader envelope) {
  if (envelope.getSchemaVersion() > kSchemaVersion) {
    return Status::InvalidField("schemaVersion", std::to_string(envelope.getSchemaVersion()) +
                                                     " is newer than this Regatta knows (" +
                                                     std::to_string(kSchemaVersion) + ")");
  }
  REGATTA_RETURN_IF_ERROR(CheckStruct("", capnp::toDynamic(envelope)));
  auto event = envelope.getEvent();
  if (event.isAppDefined()) {
    const Status spec = domain::CheckAppSpec(event.getAppDefined().getSpec());
    if (!spec.ok()) return Status::Field(spec.code(), "event.appDefined.spec." + spec.field(), spec.reason());
  }
  return Status::Ok();
}

}  // namespace regatta
