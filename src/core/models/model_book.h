// The firm's investment catalogue in memory: every version of every template and security
// model, and the screens. Lookups are "as of a date": the latest version effective on or before
// it, which is how an IPC change cascades to every account at its next review.
//
//   ModelBook book;
//   book.AddTemplate(balanced_v1);  book.AddTemplate(balanced_v2);   // validated on add
//   const Template* t = book.FindTemplate("Balanced 60/40", as_of);   // v2 once effective
//
// Versions of one name must take effect in version order (v2 after v1), so "the latest version
// effective on a date" is one version. Fund holdings are kept by date the same way.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/base/date.h"
#include "core/base/status.h"
#include "core/models/asset_class_template.h"
#include "core/models/fund_holdings.h"
#include "core/models/screen.h"
#include "core/models/security_model.h"

namespace arbor::models {

class ModelBook {
 public:
  // Validates; a (name, version) already present is AlreadyExists; a version whose effective
  // date is not after the previous version's (and before the next one's) is InvalidArgument.
  Status AddTemplate(Template tmpl);
  Status AddSecurityModel(SecurityModel model);
  Status AddScreen(Screen screen);  // replaces a screen of the same name
  // Replaces holdings of the same fund and date.
  Status AddFundHoldings(FundHoldings holdings);

  // nullptr when there is no version effective on or before `as_of`.
  const Template* FindTemplate(const std::string& name, Date as_of) const;
  const SecurityModel* FindSecurityModel(const std::string& name, Date as_of) const;
  const Screen* FindScreen(const std::string& name) const;
  const FundHoldings* FindFundHoldings(const std::string& fund, Date as_of) const;
  // For risk look-through: FindFundHoldings, else the fund's earliest snapshot (holdings drift
  // slowly, and pricing a fund without them is the worse approximation). Callers say which
  // date they used.
  const FundHoldings* NearestFundHoldings(const std::string& fund, Date as_of) const;

  // Every version, oldest first.
  const std::vector<Template>* TemplateHistory(const std::string& name) const;
  const std::vector<SecurityModel>* SecurityModelHistory(const std::string& name) const;
  const std::vector<Screen>& screens() const { return screens_; }

 private:
  std::map<std::string, std::vector<Template>> templates_;     // by name, by version
  std::map<std::string, std::vector<SecurityModel>> models_;   // by name, by version
  std::vector<Screen> screens_;
  std::map<std::string, std::map<Date, FundHoldings>> holdings_;  // by fund, by date
};

}  // namespace arbor::models
