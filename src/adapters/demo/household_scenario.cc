#include "adapters/demo/household_scenario.h"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>

#include "adapters/storage/custodian_positions_store.h"
#include "adapters/storage/household_store.h"
#include "adapters/storage/ledger_loader.h"
#include "adapters/storage/model_store.h"
#include "core/models/asset_class_template.h"
#include "core/models/security_model.h"

namespace arbor {
namespace {

using models::ProductKind;

const PriceHistory* Find(const std::vector<PriceHistory>& prices, const std::string& symbol) {
  for (const PriceHistory& h : prices) {
    if (h.symbol == symbol) return &h;
  }
  return nullptr;
}

std::optional<Price> CloseOn(const PriceHistory& history, Date date) {
  auto bar = std::lower_bound(history.bars.begin(), history.bars.end(), date,
                              [](const DailyBar& b, Date d) { return b.date < d; });
  if (bar == history.bars.end() || bar->date != date) return std::nullopt;
  return bar->close;
}

// Shares after the splits with ex-dates in (from, to], per share held on `from`.
double SplitFactor(const PriceHistory& history, Date from, Date to) {
  double factor = 1;
  for (const DailyBar& bar : history.bars) {
    if (bar.date > from && bar.date <= to) {
      factor *= static_cast<double>(bar.split_numerator) / static_cast<double>(bar.split_denominator);
    }
  }
  return factor;
}

// Thousandths of a share worth about `dollars` at `price`.
Shares SharesWorth(double dollars, Price price) {
  return Shares::FromMicros(static_cast<int64_t>(dollars / price.ToDouble() * 1000) * 1000);
}

// 60/40 or 70/30: equity in large caps (the direct index), small caps and REITs; bonds core and
// Treasuries. Bands are wide: the household's advisers may tilt as far as they like.
models::Template HouseholdTemplate(const HouseholdScenario& s, int version, Date effective,
                                   double equity) {
  models::Template t{.name = s.template_name, .version = version, .effective = effective,
                     .description = version == 1 ? "household 60/40" : "household 70/30 (tactical shift)"};
  t.classes.push_back({.name = "Equity", .weight = equity});
  t.classes.push_back({.name = "Fixed Income", .weight = 1 - equity});
  const std::vector<std::tuple<const char*, const char*, double, models::ProductOption>> leaves = {
      {"US Large Cap", "Equity", 0.85, {"SLICE-DI", ProductKind::kDirectIndex, s.model_name}},
      {"US Small Cap", "Equity", 0.10, {"IWM", ProductKind::kEtf, "IWM"}},
      {"Real Estate", "Equity", 0.05, {"VNQ", ProductKind::kEtf, "VNQ"}},
      {"Core Bonds", "Fixed Income", 0.60, {"AGG", ProductKind::kEtf, "AGG"}},
      {"Treasuries", "Fixed Income", 0.40, {"TLT", ProductKind::kEtf, "TLT"}}};
  for (const auto& [name, parent, weight, product] : leaves) {
    t.classes.push_back({.name = name, .parent = parent, .weight = weight, .min_weight = 0,
                         .max_weight = 1, .products = {product}, .default_product = product.id});
  }
  return t;
}

// Every k-th classified stock priced on each of the dates, about `names` of them.
std::vector<const PriceHistory*> DirectIndexNames(const SecurityMaster& master,
                                                  const std::vector<PriceHistory>& prices,
                                                  const HouseholdScenario& s) {
  std::vector<const PriceHistory*> eligible;
  for (const PriceHistory& h : prices) {
    const Security* security = master.Find(h.symbol);
    if (security == nullptr || security->type != SecurityType::kStock || security->gics.sector.empty())
      continue;
    if (CloseOn(h, s.funded) && CloseOn(h, s.rollover) && CloseOn(h, s.shift) && CloseOn(h, s.review)) {
      eligible.push_back(&h);
    }
  }
  std::sort(eligible.begin(), eligible.end(),
            [](const PriceHistory* a, const PriceHistory* b) { return a->symbol < b->symbol; });
  const size_t step = std::max<size_t>(1, eligible.size() / static_cast<size_t>(s.names));
  std::vector<const PriceHistory*> chosen;
  for (size_t k = 0; k < eligible.size() && chosen.size() < static_cast<size_t>(s.names); k += step) {
    chosen.push_back(eligible[k]);
  }
  return chosen;
}

Event Deposit(Date date, const std::string& account, double dollars) {
  return {.date = date, .account = account, .action = EventAction::kDeposit,
          .amount = Money::FromDouble(dollars).RoundedToCents()};
}

// The custodian's report of `account` on `date`: what its lots hold, so the daily review's
// reconciliation finds nothing to suspend it for.
Status ReportCustodianPositions(Store& store, const std::string& account, Date date) {
  Result<LedgerInput> input = store.LoadLedgerInput(account, date);
  if (!input.ok()) return input.status();
  Result<Ledger> ledger = BuildLedger(*input);
  if (!ledger.ok()) return ledger.status();
  std::map<std::string, Shares> held;
  for (const OpenLot& open : ledger->OpenLots(account)) held[open.symbol] += open.lot.shares;
  std::vector<CustodianPosition> positions;
  for (const auto& [symbol, shares] : held) positions.push_back({account, symbol, shares});
  return PutCustodianPositions(store.database(), date, positions);
}

Event Buy(Date date, const std::string& account, const std::string& symbol, Shares shares, Price price) {
  return {.date = date, .account = account, .action = EventAction::kBuy, .symbol = symbol,
          .shares = shares, .price = price};
}

}  // namespace

Result<StoredHouseholdScenario> StoreHouseholdScenario(Store& store, const SecurityMaster& master,
                                                       const std::vector<PriceHistory>& prices,
                                                       const HouseholdScenario& s) {
  std::map<std::string, Price> etf_price;  // on the rollover day
  for (const char* etf : {"AGG", "TLT", "VNQ", "IWM"}) {
    const PriceHistory* history = Find(prices, etf);
    std::optional<Price> close = history ? CloseOn(*history, s.rollover) : std::nullopt;
    if (!close) {
      return Status::FailedPrecondition(std::string("household scenario: no close of ") + etf +
                                        " on " + s.rollover.ToString());
    }
    etf_price[etf] = *close;
  }
  const std::vector<const PriceHistory*> names = DirectIndexNames(master, prices, s);
  if (names.size() < 20) {
    return Status::FailedPrecondition("household scenario: only " + std::to_string(names.size()) +
                                      " stocks priced on its dates; load more price files");
  }

  // The taxable account buys the names equal-weighted and holds them: its weights drift as a
  // cap-weighted index's do, which the model's second version records.
  StoredHouseholdScenario stored{.accounts = {s.taxable, s.ira, s.roth}};
  std::vector<Event> events = {Deposit(s.funded, s.taxable, s.taxable_deposit.ToDouble())};
  const double per_name = 0.99 * s.taxable_deposit.ToDouble() / static_cast<double>(names.size());
  models::SecurityModel first{.name = s.model_name, .version = 1, .effective = s.funded,
                              .description = "S&P 500 slice, equal-weighted"};
  models::SecurityModel second{.name = s.model_name, .version = 2, .effective = s.shift,
                               .description = "S&P 500 slice, drifted with the market"};
  double held_value = 0, shift_value = 0;  // on the rollover and shift days
  std::vector<double> shift_values;
  for (const PriceHistory* h : names) {
    const Price price = *CloseOn(*h, s.funded);
    const Shares shares = SharesWorth(per_name, price);
    events.push_back(Buy(s.funded, s.taxable, h->symbol, shares, price));
    stored.names.push_back(h->symbol);
    first.weights.push_back({h->symbol, 1.0 / static_cast<double>(names.size())});
    held_value += shares.ToDouble() * SplitFactor(*h, s.funded, s.rollover) *
                  CloseOn(*h, s.rollover)->ToDouble();
    shift_values.push_back(shares.ToDouble() * SplitFactor(*h, s.funded, s.shift) *
                           CloseOn(*h, s.shift)->ToDouble());
    shift_value += shift_values.back();
  }
  for (size_t k = 0; k < names.size(); ++k) {
    second.weights.push_back({names[k]->symbol, shift_values[k] / shift_value});
  }

  // The IRA and Roth make the household 60/40 on the rollover day: the direct index is the
  // template's 51% in large caps.
  const double household = held_value / 0.51;
  const std::vector<std::pair<std::string, double>> ira = {
      {"AGG", 0.24 * household}, {"TLT", 0.16 * household}, {"VNQ", 0.03 * household}};
  events.push_back(Deposit(s.rollover, s.ira, 1.005 * 0.43 * household));
  for (const auto& [etf, dollars] : ira) {
    events.push_back(Buy(s.rollover, s.ira, etf, SharesWorth(dollars, etf_price[etf]), etf_price[etf]));
  }
  events.push_back(Deposit(s.rollover, s.roth, 1.005 * 0.06 * household));
  events.push_back(Buy(s.rollover, s.roth, "IWM", SharesWorth(0.06 * household, etf_price["IWM"]),
                       etf_price["IWM"]));

  ARBOR_RETURN_IF_ERROR(SaveSecurityModel(store, first).status());
  ARBOR_RETURN_IF_ERROR(SaveSecurityModel(store, second).status());
  ARBOR_RETURN_IF_ERROR(SaveTemplate(store, HouseholdTemplate(s, 1, s.funded, 0.60)).status());
  ARBOR_RETURN_IF_ERROR(SaveTemplate(store, HouseholdTemplate(s, 2, s.shift, 0.70)).status());
  const std::vector<Account> accounts = {
      {.id = s.taxable, .type = AccountType::kTaxable, .taxpayers = {"park-ann", "park-ben"},
       .name = "Ann & Ben Park joint"},
      {.id = s.ira, .type = AccountType::kTraditionalIra, .taxpayers = {"park-ann"},
       .name = "Ann Park IRA"},
      {.id = s.roth, .type = AccountType::kRothIra, .taxpayers = {"park-ben"},
       .name = "Ben Park Roth IRA"}};
  ARBOR_RETURN_IF_ERROR(store.PutAccounts(accounts));
  ARBOR_RETURN_IF_ERROR(store.AppendTransactions(events, "household-scenario"));
  for (const Account& account : accounts) {
    ARBOR_RETURN_IF_ERROR(ReportCustodianPositions(store, account.id, s.review));
  }
  household::Household park{.id = s.household, .name = "Ann & Ben Park", .members = accounts,
                            .target = {.account = s.household, .template_name = s.template_name}};
  const HouseholdChange by{.user = "demo", .at = s.rollover.ToString() + "T21:00:00Z"};
  ARBOR_RETURN_IF_ERROR(SaveHousehold(store, park, by).status());
  return stored;
}

std::pair<double, double> HouseholdWeightOf(const review::HouseholdRebalanceInput& input,
                                            const review::HouseholdProposal& proposal,
                                            const std::vector<std::string>& symbols) {
  auto wanted = [&](const std::string& symbol) {
    return std::find(symbols.begin(), symbols.end(), symbol) != symbols.end();
  };
  double before = 0, traded = 0;
  for (const review::RebalanceInput& account : input.accounts) {
    std::map<std::string, Price> price;
    for (const review::RebalanceSecurity& s : account.securities) price[s.symbol] = s.price;
    for (const review::RebalanceLot& lot : account.lots) {
      if (wanted(lot.symbol)) before += Value(lot.shares, price[lot.symbol]).ToDouble();
    }
  }
  for (const review::Proposal& account : proposal.accounts) {
    for (const review::Trade& trade : account.trades) {
      if (!wanted(trade.symbol)) continue;
      traded += (trade.side == review::TradeSide::kBuy ? 1 : -1) * trade.amount.ToDouble();
    }
  }
  if (proposal.value <= 0) return {0, 0};
  return {before / proposal.value, (before + traded) / proposal.value};
}

Money UnrealizedGain(const review::RebalanceInput& account) {
  std::map<std::string, Price> price;
  for (const review::RebalanceSecurity& s : account.securities) price[s.symbol] = s.price;
  Money gain;
  for (const review::RebalanceLot& lot : account.lots) {
    gain += Value(lot.shares, price[lot.symbol]) - lot.basis;
  }
  return gain;
}

}  // namespace arbor
