// What an envelope from outside the master must be before it may go into
// the log (`regatta events append`, a development tool): what the master's
// own decide steps guarantee for the events they write, checked after the
// fact, so that what append accepts, every reader can fold and print.
//   - every text field is UTF-8 (no stray bytes, no lone surrogates);
//   - every number with a fraction is finite;
//   - every Resources holds amounts (domain/resources.h) and port ranges;
//   - an AppDefined's spec passes the one spec check (domain/app_spec_check.h);
//   - schemaVersion is one this build knows.
// InvalidArgument names the field by its path in the JSON form:
// "event.appDefined.spec.cpus", "event.agentRegistered.attributes[1].value".
#pragma once

#include "events/base/status.h"
#include "regatta/events.capnp.h"

namespace regatta {

[[nodiscard]] Status CheckEnvelope(schema::Envelope::Reader envelope);

}  // namespace regatta
