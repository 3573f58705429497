// The allocator actor: a thin shell around the DRF core (drf.h) and the
// offer book (offer_book.h).
//
// It folds the master's committed events into its own projections, hears
// which agents hold a session, and in batched cycles offers every free,
// connected agent to a framework chosen by DRF. Frameworks answer with
// calls: accept (forwarded to the master, which checks it against the log's
// state and launches), decline with a refuse timeout, or revive. Offers on
// an agent that goes away, and offers left unanswered, are rescinded.
// CAF: include only from actor code.
#pragma once

#include "actors/allocator/allocator_options.h"
#include "actors/protocol/wire.h"
#include "projections/projection_set.h"

namespace regatta::allocator {

// `view` is the master's state at the revision from which it will send
// this actor every committed event.
protocol::allocator_actor SpawnAllocator(caf::actor_system& system, protocol::master_actor master,
                                         projections::ProjectionSet view, AllocatorOptions options);

}  // namespace regatta::allocator
