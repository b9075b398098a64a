// A proposal's trades as ledger events on its as-of date: each sell "versus" its lots
// (LotMethod::kSpecific, one selection per lot label), then the buys. Applying them to the
// account's ledger shows exactly what the proposal realizes, wash sales included, which is how
// the tests check that a proposal never washes a loss.
//
//   for (const Event& event : ProposalEvents(proposal)) ARBOR_RETURN_IF_ERROR(ledger.Apply(event));
//
// The estimated trading cost is not a broker fee, so the events carry none.
#pragma once

#include <vector>

#include "core/ledger/event.h"
#include "core/review/proposal.h"

namespace arbor::review {

std::vector<Event> ProposalEvents(const Proposal& proposal);

}  // namespace arbor::review
