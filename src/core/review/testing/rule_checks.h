// An independent check of a proposal against the rules of docs/rebalance-problem.md section 3,
// recomputed from the input alone (none of the rebalance's own bookkeeping is trusted):
//
//   std::vector<std::string> broken = RuleViolations(input, proposal);
//   EXPECT_TRUE(broken.empty()) << broken.front();
//
// Checked: wash-sale exclusivity per group (no buy while a lot of the group is sold at a loss,
// IRC 1091), no buy within 30 days after a loss sale of the taxpayer, no loss sale washed for
// good by a recent IRA purchase (Rev. Rul. 2008-5), no lot sold beyond its shares, share
// increments, the minimum trade, restrictions and must-sell lots, and the cash minimum. A rule
// the proposal says it relaxed (Proposal::relaxations) is not held against it.
#pragma once

#include <string>
#include <vector>

#include "core/review/proposal.h"
#include "core/review/rebalance_input.h"

namespace arbor::review::testing {

std::vector<std::string> RuleViolations(const RebalanceInput& input, const Proposal& proposal);

}  // namespace arbor::review::testing
