#include "adapters/demo/demo_models.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "adapters/demo/advisor_choices.h"
#include "adapters/io/cap_weight_inputs.h"
#include "adapters/io/index_sources.h"
#include "adapters/io/screen_csv.h"
#include "core/models/index_construction.h"
#include "core/models/resolution.h"

namespace arbor {
namespace {

using models::AssetClass;
using models::ProductKind;
using models::ProductOption;

Date D(const char* text) { return *Date::Parse(text); }

// One ETF per class, and for US Large Cap the two direct indexes as alternates.
std::vector<ProductOption> ProductsOf(const std::string& asset_class) {
  static const std::map<std::string, std::string> kEtfOf = {
      {"US Mid Cap", "IJH"},  {"US Small Cap", "IWM"}, {"International Developed", "EFA"},
      {"Emerging Markets", "VWO"}, {"Core Bonds", "AGG"}, {"Treasuries", "TLT"},
      {"Real Estate", "VNQ"}};
  if (asset_class == kUsLargeCap) {
    return {{"SPY", ProductKind::kEtf, "SPY"},
            {"SP500-DI", ProductKind::kDirectIndex, "SP500"},
            {"SP500-100-DI", ProductKind::kDirectIndex, "SP500-100"}};
  }
  if (asset_class == "Cash") return {{"CASH", ProductKind::kCash, ""}};
  const std::string& etf = kEtfOf.at(asset_class);
  return {{etf, ProductKind::kEtf, etf}};
}

// A template from its two top-level mixes; the sub-allocations are the IPC's house view. Bands
// are the IPC's latitude for advisors: 10 points either way on US large caps, 5 elsewhere.
models::Template MakeTemplate(const std::string& name, int version, Date effective, double equity,
                              double fixed_income, double real_estate, double cash) {
  models::Template t{.name = name, .version = version, .effective = effective,
                     .description = "equity " + std::to_string(std::lround(equity * 100)) +
                                    "%, fixed income " +
                                    std::to_string(std::lround(fixed_income * 100)) + "%"};
  t.classes.push_back({.name = "Equity", .weight = equity});
  t.classes.push_back({.name = "Fixed Income", .weight = fixed_income});
  const std::vector<std::tuple<std::string, std::string, double>> leaves = {
      {kUsLargeCap, "Equity", 0.60},
      {"US Mid Cap", "Equity", 0.10},
      {"US Small Cap", "Equity", 0.10},
      {"International Developed", "Equity", 0.15},
      {"Emerging Markets", "Equity", 0.05},
      {"Core Bonds", "Fixed Income", 0.75},
      {"Treasuries", "Fixed Income", 0.25},
      {"Real Estate", "", real_estate},
      {"Cash", "", cash}};
  for (const auto& [leaf, parent, weight] : leaves) {
    const double absolute = weight * (parent == "Equity" ? equity : parent.empty() ? 1 : fixed_income);
    const double latitude = leaf == kUsLargeCap ? 0.10 : 0.05;
    AssetClass c{.name = leaf, .parent = parent, .weight = weight,
                 .min_weight = std::max(0.0, absolute - latitude),
                 .max_weight = std::min(1.0, absolute + latitude),
                 // The IPC keeps every client in core bonds and some cash.
                 .removable = leaf != "Core Bonds" && leaf != "Cash",
                 .products = ProductsOf(leaf)};
    c.default_product = c.products.front().id;
    t.classes.push_back(std::move(c));
  }
  return t;
}

PriceHistory const* Find(const std::vector<PriceHistory>& prices, const std::string& symbol) {
  for (const PriceHistory& h : prices) {
    if (h.symbol == symbol) return &h;
  }
  return nullptr;
}

// The last close on or before `date`; zero when there is none.
Price CloseOn(const PriceHistory& history, Date date) {
  auto bar = std::upper_bound(history.bars.begin(), history.bars.end(), date,
                              [](Date d, const DailyBar& b) { return d < b.date; });
  return bar == history.bars.begin() ? Price() : std::prev(bar)->close;
}

}  // namespace

Result<DemoCatalogue> BuildDemoCatalogue(const std::string& data_dir, const SecurityMaster& master,
                                         const std::vector<PriceHistory>& prices,
                                         const RiskModel& sampling_risk,
                                         const DemoCatalogueOptions& options) {
  // The first trading day of each January from the first year to 2021, the last of the stock
  // prices, by SPY's calendar.
  const PriceHistory* spy = Find(prices, "SPY");
  if (spy == nullptr) return Status::FailedPrecondition("the demo catalogue needs SPY's prices");
  std::vector<Date> januaries;
  for (const DailyBar& bar : spy->bars) {
    if (bar.date.year() >= options.first_year && bar.date.year() <= 2021 &&
        (januaries.empty() || januaries.back().year() != bar.date.year())) {
      januaries.push_back(bar.date);
    }
  }
  if (std::none_of(januaries.begin(), januaries.end(), [](Date d) { return d.year() == 2020; })) {
    return Status::InvalidArgument("first_year: must be 2020 or earlier, with SPY's prices from "
                                   "then to 2020 (the sampled model is of 2020's index)");
  }
  const Date first = januaries.front();
  DemoCatalogue catalogue;
  catalogue.templates = {
      MakeTemplate("Conservative 30/70", 1, first, 0.30, 0.64, 0.03, 0.03),
      MakeTemplate("Balanced 60/40", 1, first, 0.60, 0.36, 0.02, 0.02),
      MakeTemplate("Growth 80/20", 1, first, 0.80, 0.15, 0.03, 0.02),
      // The IPC's tactical shift toward equities: every Balanced account follows at its next
      // review, with its own customizations kept.
      MakeTemplate("Balanced 60/40", 2, D("2021-04-01"), 0.66, 0.30, 0.02, 0.02)};
  catalogue.templates.back().description += " (tactical shift: +6 points of equity)";

  // The S&P 500 reconstituted each January, and a sampled 100-name version priced with a risk
  // model of its own date (no look-ahead).
  int version = 0;
  for (Date day : januaries) {
    Result<models::CapWeightInputs> inputs = LoadSp500CapWeightInputs(data_dir, day, prices);
    if (!inputs.ok()) return inputs.status();
    Result<models::CapWeightedIndex> index = models::BuildCapWeightedIndex(*inputs, "SP500");
    if (!index.ok()) return index.status();
    index->model.version = ++version;
    index->model.effective = day;
    catalogue.security_models.push_back(std::move(index->model));
  }
  const models::SecurityModel& index_2020 = *std::find_if(
      catalogue.security_models.begin(), catalogue.security_models.end(),
      [](const models::SecurityModel& m) { return m.effective.year() == 2020; });
  Result<std::vector<models::SampledModel>> sampled =
      models::SampleIndex(index_2020, sampling_risk, master, {.sizes = {100}});
  if (!sampled.ok()) return sampled.status();
  models::SecurityModel sp100 = std::move(sampled->front().model);
  sp100.version = 1;
  sp100.effective = sampling_risk.as_of.AddDays(3);
  catalogue.sampled_tracking_error = sampled->front().tracking_error;
  catalogue.security_models.push_back(std::move(sp100));

  Result<std::vector<models::Screen>> screens = LoadGicsScreens(data_dir);
  if (!screens.ok()) return screens.status();
  catalogue.screens = std::move(*screens);
  catalogue.screens.push_back({.name = "faith_based",
                               .description = "tobacco, alcohol, gambling and defense",
                               .includes = {"tobacco", "alcohol", "gambling",
                                            "weapons_defense_proxy"}});

  // IVV's holdings look through SPY too: both hold the S&P 500.
  Result<models::FundPositions> ivv = LoadIsharesHoldings(IvvHoldingsPath(data_dir), "IVV",
                                                          kIvvHoldingsDate);
  if (!ivv.ok()) return ivv.status();
  Result<models::SecurityModel> ivv_weights = models::ModelFromFundPositions(*ivv, "IVV");
  if (!ivv_weights.ok()) return ivv_weights.status();
  for (const char* fund : {"IVV", "SPY"}) {
    models::FundHoldings holdings{.fund = fund, .as_of = kIvvHoldingsDate};
    for (const models::ModelWeight& w : ivv_weights->weights) {
      if (master.Contains(w.symbol)) holdings.weights.push_back(w);
    }
    catalogue.fund_holdings.push_back(std::move(holdings));
  }

  for (const models::Template& t : catalogue.templates) {
    ARBOR_RETURN_IF_ERROR(catalogue.book.AddTemplate(t));
  }
  for (const models::SecurityModel& m : catalogue.security_models) {
    ARBOR_RETURN_IF_ERROR(catalogue.book.AddSecurityModel(m));
  }
  for (const models::Screen& s : catalogue.screens) {
    ARBOR_RETURN_IF_ERROR(catalogue.book.AddScreen(s));
  }
  for (const models::FundHoldings& h : catalogue.fund_holdings) {
    ARBOR_RETURN_IF_ERROR(catalogue.book.AddFundHoldings(h));
  }
  return catalogue;
}

namespace {

AccountType RandomType(std::mt19937_64& rng) {
  const uint64_t roll = rng() % 10;
  return roll < 6 ? AccountType::kTaxable : roll < 9 ? AccountType::kTraditionalIra
                                                     : AccountType::kRothIra;
}

}  // namespace

Result<DemoClients> BuildDemoClients(const DemoCatalogue& catalogue, const SecurityMaster& master,
                                     const std::vector<PriceHistory>& prices,
                                     const DemoClientOptions& options) {
  std::mt19937_64 rng(options.seed);
  std::lognormal_distribution<double> size(std::log(600'000.0), 1.1);
  models::Resolver resolver(catalogue.book, master);
  const PriceHistory* calendar = Find(prices, "SPY");
  if (calendar == nullptr) return Status::FailedPrecondition("the demo needs SPY's prices");
  std::vector<Date> funding_days;
  for (const DailyBar& bar : calendar->bars) {
    if (bar.date >= D("2019-01-02") && bar.date <= D("2020-12-31")) funding_days.push_back(bar.date);
  }
  const Date sampled_from =
      catalogue.book.SecurityModelHistory("SP500-100")->front().effective;

  DemoClients clients;
  std::map<std::string, const PriceHistory*> by_symbol;
  for (const PriceHistory& h : prices) by_symbol[h.symbol] = &h;
  for (int a = 0; a < options.accounts; ++a) {
    // Two or three accounts per household: the client's own, and an IRA or a Roth.
    const int household = a * 2 / 5;
    Account account{.type = a % 5 == 0 || a % 5 == 2 ? AccountType::kTaxable : RandomType(rng),
                    .taxpayers = {"CLIENT-" + std::to_string(household + 1)},
                    .household = "HH-" + std::to_string(household + 1)};
    char id[32];
    std::snprintf(id, sizeof id, "C%04d-%s", a + 1,
                  account.type == AccountType::kTaxable         ? "TAX"
                  : account.type == AccountType::kTraditionalIra ? "IRA"
                                                                 : "ROTH");
    account.id = id;
    account.name = "Client " + std::to_string(household + 1) + " " + std::string(ToString(account.type));
    const Date funded = funding_days[rng() % funding_days.size()];
    // Direct indexing pays in taxable accounts; that is where advisors switch to it.
    const bool taxable = account.type == AccountType::kTaxable;
    models::Customization customization =
        DrawCustomization(account.id, rng, {.direct_index = taxable ? 0.45 : 0,
                                            .sampled_index = taxable ? 0.15 : 0,
                                            .can_sample = funded >= sampled_from});
    Result<models::Resolution> targets = resolver.Resolve(customization, funded);
    if (!targets.ok()) return targets.status();

    const double value = std::clamp(size(rng), 50'000.0, 20'000'000.0);
    const Money deposit = Money::FromDouble(std::round(value / 1000) * 1000);
    clients.events.push_back({.date = funded, .account = account.id,
                              .action = EventAction::kDeposit, .amount = deposit});
    for (const models::ResolvedTarget& target : targets->targets) {
      auto history = by_symbol.find(target.symbol);
      if (history == by_symbol.end()) continue;
      const Price price = CloseOn(*history->second, funded);
      if (!price.is_positive()) continue;
      // Fractional shares to 1/10,000, rounded down so the cost never exceeds the target.
      const int64_t ten_thousandths =
          static_cast<int64_t>(deposit.ToDouble() * target.weight / price.ToDouble() * 1e4);
      if (ten_thousandths <= 0) continue;
      clients.events.push_back({.date = funded, .account = account.id,
                                .action = EventAction::kBuy, .symbol = target.symbol,
                                .shares = Shares::FromMicros(ten_thousandths * 100),
                                .price = price});
    }
    clients.accounts.push_back(std::move(account));
    clients.customizations.push_back(std::move(customization));
  }
  std::stable_sort(clients.events.begin(), clients.events.end(),
                   [](const Event& a, const Event& b) { return a.date < b.date; });
  return clients;
}

}  // namespace arbor
