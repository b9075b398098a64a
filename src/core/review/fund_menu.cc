#include "core/review/fund_menu.h"

namespace arbor::review {

Restriction WithoutBuying(Restriction restriction) {
  switch (restriction) {
    case Restriction::kNone:
      return Restriction::kNoBuy;
    case Restriction::kNoSell:
      return Restriction::kHold;
    case Restriction::kNoBuy:
    case Restriction::kHold:
    case Restriction::kMustSell:
      return restriction;
  }
  return restriction;
}

void ApplyFundMenu(const std::set<std::string>& menu, std::vector<RebalanceSecurity>& securities) {
  for (RebalanceSecurity& security : securities) {
    if (!menu.contains(security.symbol)) security.restriction = WithoutBuying(security.restriction);
  }
}

}  // namespace arbor::review
