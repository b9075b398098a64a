// The demo firm's investment catalogue and its client book: what an investment policy committee
// would set up on the real data, and a few hundred accounts customized by their advisors.
//
//   DemoCatalogue catalogue = BuildDemoCatalogue(data_dir, master, prices, risk_2020).value();
//   DemoClients clients = BuildDemoClients(catalogue, master, prices, {.accounts = 300}).value();
//   clients.customizations[0];   // template, removals, overrides, product switches, screens
//
// The catalogue: three templates (Conservative 30/70, Balanced 60/40, Growth 80/20) over nine
// asset classes with ETF products and, for US Large Cap, two direct-index alternates: the cap-
// weighted S&P 500 (a version each January, from IVV's float-adjusted shares and the day's
// prices) and a sampled 100-name version of it; the data set's five GICS screens plus a faith-
// based one built from them; and a tactical shift of Balanced 60/40 (v2, effective 2021-04-01).
// The accounts are funded on dates in 2019-2020 with the targets their customization resolved
// to on that day, so at the end of the data they carry real gains, losses and drift.
//
// Deterministic for a given seed and data.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "adapters/io/market_data.h"
#include "core/base/status.h"
#include "core/ledger/account.h"
#include "core/ledger/event.h"
#include "core/market/risk_model.h"
#include "core/market/security.h"
#include "core/models/customization.h"
#include "core/models/fund_holdings.h"
#include "core/models/model_book.h"

namespace arbor {

struct DemoCatalogue {
  std::vector<models::Template> templates;  // every version
  std::vector<models::SecurityModel> security_models;
  std::vector<models::Screen> screens;
  std::vector<models::FundHoldings> fund_holdings;  // IVV's, also used for SPY (same index)
  double sampled_tracking_error = 0;                // of SP500-100 against SP500, ex ante
  models::ModelBook book;                           // all of the above
};

struct DemoCatalogueOptions {
  // The catalogue's first year (2020 at the latest): its templates take effect on the first
  // trading day of it, and the S&P 500 gets a version every January from it. 2013 gives the
  // firm generator's accounts (firm_generator.h) the versions of their whole history; models
  // before 2020 miss the members that have no price file (docs/index-models.md).
  int first_year = 2019;
};

// `sampling_risk` prices the sampled model; it should be a model of a date before the
// accounts that use it are funded. `prices` must hold SPY (its calendar dates the versions).
Result<DemoCatalogue> BuildDemoCatalogue(const std::string& data_dir, const SecurityMaster& master,
                                         const std::vector<PriceHistory>& prices,
                                         const RiskModel& sampling_risk,
                                         const DemoCatalogueOptions& options = {});

struct DemoClientOptions {
  int accounts = 300;
  uint64_t seed = 11;
};

struct DemoClients {
  std::vector<Account> accounts;
  std::vector<Event> events;  // deposits and the funding buys, in date order
  std::vector<models::Customization> customizations;
};

Result<DemoClients> BuildDemoClients(const DemoCatalogue& catalogue, const SecurityMaster& master,
                                     const std::vector<PriceHistory>& prices,
                                     const DemoClientOptions& options);

}  // namespace arbor
