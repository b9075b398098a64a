// A realistic firm for the daily review, on the real prices: households of one to four
// accounts (taxable, traditional IRA, Roth; $50k to $20M), about one named advisor per 40
// accounts, funded on dates since 2013 with customizations drawn from the demo catalogue, and
// carried forward to `as_of` by simulated past reviews, so that their lots, gains, losses,
// cash and drift are what years of management leave behind. Some accounts come with what the
// daily review must catch: data problems, withdrawals due, cash policies.
//
//   DemoCatalogue catalogue =
//       BuildDemoCatalogue(data_dir, master, prices, risk, {.first_year = 2013}).value();
//   FirmData firm = GenerateFirm(catalogue, master, prices, {.accounts = 300}).value();
//   Status stored = StoreFirm(*store, firm);   // after the securities, prices and catalogue
//
// Each past review (every `review_months`, per household, on its own day of the month) credits
// the dividends since the last one as cash, charges the advisory fee, pays contributions and
// withdrawals, harvests lots 12% under their cost in taxable accounts into a same-sector stock
// (or a fund of the same class), sells what left the targets (a name whose prices ended was
// acquired: its last price is paid in cash), trims asset classes and names beyond their bands,
// raises the cash the next withdrawals need and invests the rest in what is furthest under
// target. The targets are the account's customization resolved with the template and
// security-model versions in effect that day (before the catalogue's first versions, its first
// ones stand in: a catalogue from 2013 covers every account). The wash-sale rule is respected
// across every account of the household (IRS Pub. 550): no loss sale of a security bought in
// the 30 days before, no purchase in the 30 days after one. Every event goes through a core
// Ledger, so the history replays exactly as stored. Lots transferred in (legacy positions,
// some restricted) are left for Arbor's own tax-aware transition.
//
// Deterministic for a seed, the data and the catalogue, whatever the thread count.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/demo/demo_models.h"
#include "adapters/io/market_data.h"
#include "adapters/storage/custodian_positions_store.h"
#include "adapters/storage/rebalance_settings_store.h"
#include "adapters/storage/store.h"
#include "core/base/date.h"
#include "core/base/status.h"
#include "core/ledger/account.h"
#include "core/ledger/event.h"
#include "core/market/security.h"
#include "core/models/customization.h"
#include "core/review/cash_policy.h"
#include "core/review/data_checks.h"

namespace arbor {

// How dividends enter the history.
enum class DividendEntries {
  kEachPayment,  // one event per account, security and ex-date, as a custodian reports them
  // One event per account and review for all its dividends since the last one, booked under
  // the security that paid the most: the same cash, a fraction of the rows (the 10,000-account
  // benchmark would otherwise store tens of millions of them).
  kPerReview,
};

struct FirmOptions {
  int accounts = 300;
  uint64_t seed = 2021;
  Date first_funding = Date::FromYmd(2013, 1, 2).value();
  Date as_of = Date::FromYmd(2021, 4, 21).value();  // the last day of the price data
  // Share of the accounts whose US large caps are the 500-name direct index, taxable accounts
  // first (that is where it pays). 1.0: every account, for the review benchmark.
  double direct_index_share = 0.3;
  int review_months = 3;  // months between simulated past reviews: 1, 2, 3, 4, 6 or 12
  DividendEntries dividends = DividendEntries::kEachPayment;
  // Accounts with a data problem (at least one of each kind); 0 for none.
  double problem_share = 0.015;
  int threads = 2;
  // A slice of the firm, for a firm too large to hold in memory at once (10,000 direct-index
  // accounts take about 2 GB): only the households whose first account is in
  // [first_account, first_account + account_count) of the firm of `accounts` (-1: to its
  // end). The slices of one firm make it up exactly.
  int first_account = 0;
  int account_count = -1;
  // Called as households are done, in order, from the worker threads (one at a time).
  std::function<void(int households_done, int households)> progress;
};

// A data problem the generator planted, for tests and the demo's narrative.
struct PlantedProblem {
  std::string account;
  review::DataProblemKind kind;
  std::string detail;  // e.g. "custodian reports 877.0032 AGG, the lots hold 974.4487"
};

struct SecurityRestrictionList {
  std::string account;
  std::vector<SecurityRestriction> restrictions;
};

struct AccountSettings {
  std::string account;
  RebalanceSettings settings;  // the client's tax rates and cash minimum
};

struct AccountCashPolicy {
  std::string account;
  review::CashPolicy policy;
};

struct FirmData {
  Date as_of;
  std::vector<Account> accounts;      // by household, each with its advisor
  std::vector<std::string> advisors;  // the whole firm's, in a slice too
  // Account events only (splits come from the prices), household by household, each in date
  // order: ready for Store::AppendTransactions, or for a Ledger once merged by date with the
  // splits.
  std::vector<Event> events;
  std::vector<models::Customization> customizations;   // one per account
  std::vector<SecurityRestrictionList> restrictions;   // accounts that have any
  std::vector<AccountSettings> settings;               // one per account
  std::vector<AccountCashPolicy> cash_policies;        // accounts that have one
  std::vector<CustodianPosition> custodian_positions;  // every account's, as of `as_of`
  std::vector<PlantedProblem> problems;
};

// `prices` must hold SPY (the calendar) and the catalogue's products; a stock whose prices end
// months before `as_of` (say AET from sp500-prices-removed-2013-2018, read with
// LoadEtfPriceFile) lets the generator plant a stale price, which is otherwise left out.
Result<FirmData> GenerateFirm(const DemoCatalogue& catalogue, const SecurityMaster& master,
                              const std::vector<PriceHistory>& prices, const FirmOptions& options);

// Stores the firm into a database that already holds its securities, prices and catalogue:
// accounts, transactions (checked by the store's ledger replay, in large batches of whole
// households), customizations, rebalance settings, restrictions, custodian positions and cash
// policies.
Status StoreFirm(Store& store, const FirmData& firm);

}  // namespace arbor
