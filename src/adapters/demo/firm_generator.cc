#include "adapters/demo/firm_generator.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "adapters/demo/firm_plan.h"
#include "adapters/demo/firm_simulation.h"
#include "adapters/demo/firm_targets.h"
#include "adapters/demo/market_tape.h"
#include "adapters/storage/cash_policy_store.h"
#include "adapters/storage/model_store.h"

namespace arbor {
namespace {

using firm_internal::AccountPlan;
using firm_internal::HouseholdHistory;
using firm_internal::HouseholdPlan;

// Mutual funds a custodian reports that the firm never set up: the unknown security.
constexpr const char* kUnknownFunds[] = {"VFIAX", "FXAIX", "PTTRX", "DODGX"};

Status CheckOptions(const FirmOptions& options) {
  if (options.accounts <= 0) return Status::InvalidArgument("accounts: must be positive");
  if (options.threads <= 0) return Status::InvalidArgument("threads: must be positive");
  if (options.review_months <= 0 || 12 % options.review_months != 0) {
    return Status::InvalidArgument("review_months: must divide 12, got " +
                                   std::to_string(options.review_months));
  }
  if (!(options.direct_index_share >= 0 && options.direct_index_share <= 1)) {
    return Status::InvalidArgument("direct_index_share: must be in [0, 1]");
  }
  if (!(options.problem_share >= 0 && options.problem_share <= 1)) {
    return Status::InvalidArgument("problem_share: must be in [0, 1]");
  }
  if (options.first_account < 0 || options.first_account >= options.accounts) {
    return Status::InvalidArgument("first_account: must be in [0, accounts)");
  }
  if (options.first_funding.AddDays(90) > options.as_of) {
    return Status::InvalidArgument("first_funding: must be at least 90 days before as_of");
  }
  return Status::Ok();
}

// Simulates households [begin, end) on `threads` threads and hands each history to `consume`
// in household order as soon as it and those before it are done: the firm does not depend on
// which thread took which household, and few histories wait in memory.
Status SimulateInOrder(const std::vector<HouseholdPlan>& households, size_t begin, size_t end,
                       const firm_internal::SimulationContext& context, const FirmOptions& options,
                       const std::function<void(size_t, HouseholdHistory)>& consume) {
  std::vector<std::optional<HouseholdHistory>> waiting(end - begin);
  std::mutex mutex;  // guards everything below and the calls to consume and progress
  size_t next = begin, consumed = begin;
  Status failure;
  auto work = [&] {
    while (true) {
      size_t h;
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (!failure.ok() || next == end) return;
        h = next++;
      }
      Result<HouseholdHistory> history = firm_internal::SimulateHousehold(households[h], context);
      std::lock_guard<std::mutex> lock(mutex);
      if (!history.ok()) {
        if (failure.ok()) failure = history.status();
        return;
      }
      waiting[h - begin] = std::move(history).value();
      for (; consumed < end && waiting[consumed - begin]; ++consumed) {
        consume(consumed, std::move(*waiting[consumed - begin]));
        waiting[consumed - begin].reset();
        if (options.progress) {
          options.progress(static_cast<int>(consumed + 1 - begin), static_cast<int>(end - begin));
        }
      }
    }
  };
  std::vector<std::thread> threads;
  for (size_t t = 1; t < std::min<size_t>(options.threads, end - begin); ++t) {
    threads.emplace_back(work);
  }
  work();
  for (std::thread& thread : threads) thread.join();
  return failure;
}

// The households of the slice the options ask for: those whose first account falls in it.
std::pair<size_t, size_t> Slice(const firm_internal::FirmPlan& plan, const FirmOptions& options) {
  const int last =
      options.account_count < 0 ? options.accounts : options.first_account + options.account_count;
  size_t begin = plan.households.size(), end = plan.households.size();
  int first = 0;  // index of the household's first account in the firm
  for (size_t h = 0; h < plan.households.size(); ++h) {
    if (first >= options.first_account && begin == plan.households.size()) begin = h;
    if (first >= last) {
      end = h;
      break;
    }
    first += static_cast<int>(plan.households[h].accounts.size());
  }
  return {begin, std::max(begin, end)};
}

review::CashPolicy PolicyOf(const AccountPlan& plan,
                            const std::vector<review::WithdrawalRequest>& paid, Date as_of) {
  review::CashPolicy policy{.reserve_cap = plan.reserve_cap,
                            .accumulate_target = plan.accumulate_target,
                            .accumulate_reviews = plan.accumulate_reviews,
                            .scheduled = plan.schedules,
                            .requests = paid};
  if (plan.accumulate_reviews > 0) policy.accumulate_from = as_of;
  policy.requests.insert(policy.requests.end(), plan.pending_requests.begin(),
                         plan.pending_requests.end());
  return policy;
}

bool HasPolicy(const review::CashPolicy& p) {
  return p.reserve_cap.is_positive() || p.accumulate_reviews > 0 || !p.scheduled.empty() ||
         !p.requests.empty();
}

// Plants the account's data problem in its custodian report (or only describes it, when the
// history carries it: the stale price and the negative cash).
void PlantProblem(const AccountPlan& plan, review::DataProblemKind kind, Money cash,
                  const MarketTape& tape, const SecurityMaster& master, int as_of_day,
                  std::vector<CustodianPosition>* positions, FirmData* firm) {
  auto plant = [&](std::string detail) {
    firm->problems.push_back({plan.account.id, kind, std::move(detail)});
  };
  switch (kind) {
    case review::DataProblemKind::kPositionMismatch: {
      // The custodian booked a partial transfer out of the largest position that the ledger
      // has not seen.
      CustodianPosition* largest = nullptr;
      Money largest_value;
      for (CustodianPosition& p : *positions) {
        std::optional<int> s = tape.Find(p.symbol);
        const Money value = s ? Value(p.shares, tape.Close(*s, as_of_day)) : Money();
        if (largest == nullptr || value > largest_value) largest = &p, largest_value = value;
      }
      if (largest == nullptr) return;
      const Shares lots = largest->shares;
      largest->shares = Shares::FromMicros(lots.micros() / 1000 * 900);
      plant("custodian reports " + largest->shares.ToShortString() + " " + largest->symbol +
            ", the lots hold " + lots.ToShortString());
      return;
    }
    case review::DataProblemKind::kUnknownSecurity:
      for (const char* fund : kUnknownFunds) {
        if (master.Contains(fund)) continue;
        positions->push_back(
            {.account = plan.account.id, .symbol = fund, .shares = Shares::Units(250)});
        plant(std::string("custodian reports 250 ") + fund + ", unknown to the security master");
        return;
      }
      return;
    case review::DataProblemKind::kStalePrice:
      for (const Event& lot : plan.legacy) {
        std::optional<int> s = tape.Find(lot.symbol);
        if (s && !tape.Close(*s, as_of_day).is_positive()) {
          plant("holds " + lot.symbol + ", whose last close is of " +
                tape.last_bar(*s).date.ToString());
        }
      }
      return;
    case review::DataProblemKind::kNegativeCash:
      plant("cash " + cash.ToString(2) + " after a withdrawal on the review date");
      return;
    default:
      return;
  }
}

// The account's custodian report: its lots' positions, and the planted problem if any.
void ReportPositions(const AccountPlan& plan, const HouseholdHistory& history, Money cash,
                     const MarketTape& tape, const SecurityMaster& master, int as_of_day,
                     FirmData* firm) {
  std::vector<CustodianPosition> positions;
  for (const CustodianPosition& p : history.positions) {
    if (p.account == plan.account.id) positions.push_back(p);
  }
  if (plan.problem) {
    PlantProblem(plan, *plan.problem, cash, tape, master, as_of_day, &positions, firm);
  }
  std::sort(
      positions.begin(), positions.end(),
      [](const CustodianPosition& x, const CustodianPosition& y) { return x.symbol < y.symbol; });
  firm->custodian_positions.insert(firm->custodian_positions.end(), positions.begin(),
                                   positions.end());
}

}  // namespace

Result<FirmData> GenerateFirm(const DemoCatalogue& catalogue, const SecurityMaster& master,
                              const std::vector<PriceHistory>& prices, const FirmOptions& options) {
  ARBOR_RETURN_IF_ERROR(CheckOptions(options));
  Result<MarketTape> tape = MarketTape::Build(prices, "SPY", options.first_funding, options.as_of);
  if (!tape.ok()) return tape.status();
  Result<firm_internal::FirmPlan> plan = firm_internal::PlanFirm(catalogue, master, *tape, options);
  if (!plan.ok()) return plan.status();

  const auto [begin, end] = Slice(*plan, options);
  std::vector<models::Customization> customizations;
  for (size_t h = begin; h < end; ++h) {
    for (const AccountPlan& a : plan->households[h].accounts) {
      customizations.push_back(a.customization);
    }
  }
  Result<TargetBook> targets = TargetBook::Build(catalogue, master, *tape, customizations);
  if (!targets.ok()) return targets.status();
  for (size_t h = begin; h < end; ++h) {
    for (AccountPlan& a : plan->households[h].accounts) {
      a.family = targets->FamilyOf(TargetBook::Signature(a.customization));
    }
  }
  const firm_internal::SimulationContext context =
      firm_internal::MakeSimulationContext(*tape, *targets, master, options);

  FirmData firm{.as_of = options.as_of,
                .advisors = plan->advisors,
                .customizations = std::move(customizations)};
  auto consume = [&](size_t h, HouseholdHistory history) {
    if (h == begin + 32) {
      // Room for all the events at the rate of the first households, so that the list is
      // not copied as it grows.
      firm.events.reserve(firm.events.size() * (end - begin) / 32 * 23 / 20);
    }
    std::move(history.events.begin(), history.events.end(), std::back_inserter(firm.events));
    const HouseholdPlan& household = plan->households[h];
    for (size_t i = 0; i < household.accounts.size(); ++i) {
      const AccountPlan& a = household.accounts[i];
      firm.accounts.push_back(a.account);
      firm.settings.push_back({a.account.id, a.settings});
      if (!a.restrictions.empty()) firm.restrictions.push_back({a.account.id, a.restrictions});
      review::CashPolicy policy = PolicyOf(a, history.paid_requests[i], options.as_of);
      if (HasPolicy(policy)) firm.cash_policies.push_back({a.account.id, std::move(policy)});
      ReportPositions(a, history, history.cash[i], *tape, master, context.as_of_day, &firm);
    }
  };
  ARBOR_RETURN_IF_ERROR(SimulateInOrder(plan->households, begin, end, context, options, consume));
  return firm;
}

Status StoreFirm(Store& store, const FirmData& firm) {
  ARBOR_RETURN_IF_ERROR(store.PutAccounts(firm.accounts));
  // Whole households per call (a wash-sale scope is replayed whole), each call at least a
  // third of what is stored, so that the store takes its bulk path (indexes rebuilt once).
  std::unordered_map<std::string, const std::string*> household_of;
  for (const Account& a : firm.accounts) household_of[a.id] = &a.household;
  Result<StoreCounts> counts = store.Counts();
  if (!counts.ok()) return counts.status();
  int64_t stored = counts->transactions;
  for (size_t begin = 0; begin < firm.events.size();) {
    const size_t wanted = std::max<size_t>(500'000, stored / 3 + 1);
    size_t end = std::min(firm.events.size(), begin + wanted);
    while (end < firm.events.size() &&
           *household_of[firm.events[end].account] == *household_of[firm.events[end - 1].account]) {
      ++end;
    }
    const std::vector<Event> batch(firm.events.begin() + begin, firm.events.begin() + end);
    ARBOR_RETURN_IF_ERROR(store.AppendTransactions(batch, "firm"));
    stored += static_cast<int64_t>(batch.size());
    begin = end;
  }
  Result<size_t> saved = SaveCustomizations(store, firm.customizations);
  if (!saved.ok()) return saved.status();

  Database* db = store.database();
  Result<Transaction> txn = Transaction::Begin(db);
  if (!txn.ok()) return txn.status();
  for (const AccountSettings& s : firm.settings) {
    ARBOR_RETURN_IF_ERROR(SaveRebalanceSettings(db, s.account, s.settings));
  }
  for (const SecurityRestrictionList& r : firm.restrictions) {
    ARBOR_RETURN_IF_ERROR(SaveSecurityRestrictions(db, r.account, r.restrictions));
  }
  for (const AccountCashPolicy& p : firm.cash_policies) {
    ARBOR_RETURN_IF_ERROR(SaveCashPolicy(db, p.account, p.policy));
  }
  ARBOR_RETURN_IF_ERROR(PutCustodianPositions(db, firm.as_of, firm.custodian_positions));
  return txn->Commit();
}

}  // namespace arbor
