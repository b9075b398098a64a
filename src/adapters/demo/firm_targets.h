// The security targets of every distinct customization of a generated firm, resolved once per
// catalogue epoch (a span of days on which the same template and security-model versions are
// in effect), so a simulation of thousands of accounts over eight years resolves a few hundred
// times instead of a few hundred thousand.
//
//   TargetBook book = TargetBook::Build(catalogue, master, tape, customizations).value();
//   int family = book.FamilyOf(TargetBook::Signature(customization));
//   const ResolvedTargets& t = book.On(family, date);   // weights by tape symbol
//
// Before the catalogue offers a customization its template and models (the demo catalogue
// starts in 2019; the firm's accounts in 2013), the first versions that resolve it stand in.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "adapters/demo/demo_models.h"
#include "adapters/demo/market_tape.h"
#include "core/base/date.h"
#include "core/base/status.h"
#include "core/market/security.h"
#include "core/models/customization.h"

namespace arbor {

struct TargetWeight {
  int symbol = 0;       // tape index
  int asset_class = 0;  // index into ResolvedTargets::class_weight
  double weight = 0;
};

struct ResolvedTargets {
  std::vector<TargetWeight> targets;  // by symbol; only symbols on the tape
  // Each asset class's whole weight, including names without prices on the tape, so that a
  // simulation can hand a missing name's weight to the rest of its class.
  std::vector<double> class_weight;
  std::vector<std::string> class_names;
  double cash_weight = 0;
};

class TargetBook {
 public:
  // `customizations` may repeat: accounts with the same choices share a family.
  static Result<TargetBook> Build(const DemoCatalogue& catalogue, const SecurityMaster& master,
                                  const MarketTape& tape,
                                  const std::vector<models::Customization>& customizations);

  // The customization without its account, as text: equal for accounts that resolve alike.
  static std::string Signature(const models::Customization& customization);
  int FamilyOf(const std::string& signature) const { return family_of_.at(signature); }
  const ResolvedTargets& On(int family, Date date) const;

 private:
  std::vector<Date> epoch_starts_;  // every effective date of the catalogue, ascending
  std::map<std::string, int> family_of_;
  std::vector<std::vector<ResolvedTargets>> by_family_epoch_;
};

}  // namespace arbor
