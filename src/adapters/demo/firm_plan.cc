#include "adapters/demo/firm_plan.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "adapters/demo/advisor_choices.h"

namespace arbor::firm_internal {
namespace {

constexpr const char* kFirstNames[] = {
    "Avery",  "Jordan",  "Morgan", "Riley",   "Casey",   "Taylor", "Quinn",  "Harper",
    "Rowan",  "Emerson", "Dana",   "Jamie",   "Kendall", "Logan",  "Parker", "Reese",
    "Sawyer", "Skyler",  "Blake",  "Cameron", "Drew",    "Elliot", "Finley", "Hayden",
    "Jesse",  "Kai",     "Lennox", "Marlowe", "Noel",    "Oakley"};
constexpr const char* kLastNames[] = {
    "Chen",    "Patel",    "Okafor",    "Garcia", "Novak",   "Rossi",    "Kim",     "Nguyen",
    "Schmidt", "Dubois",   "Haddad",    "Larsen", "Moreau",  "Silva",    "Tanaka",  "Walsh",
    "Ibrahim", "Kowalski", "Lindqvist", "Mendes", "Brennan", "Castillo", "Fischer", "Hughes",
    "Iyer",    "Jensen",   "Kaur",      "Lopez",  "Murphy",  "Olsen",    "Petrov",  "Reyes",
    "Sato",    "Varga",    "Weber",     "Yilmaz", "Zhou",    "Abbott"};
// Blue chips a client might bring in from an old brokerage account, bought 2007-2012.
constexpr const char* kLegacyNames[] = {"AAPL", "MSFT", "JNJ", "XOM", "KO",  "PG",  "IBM", "GE",
                                        "INTC", "CSCO", "WMT", "T",   "PFE", "MRK", "JPM", "DIS"};

template <size_t N>
const char* Pick(const char* const (&names)[N], std::mt19937_64& rng) {
  return names[rng() % N];
}

double Uniform(std::mt19937_64& rng, double lo, double hi) {
  return std::uniform_real_distribution<double>(lo, hi)(rng);
}

bool Chance(std::mt19937_64& rng, double p) { return Uniform(rng, 0, 1) < p; }

Money RoundedTo(double dollars, double unit) {
  return Money::FromDouble(std::max(unit, std::round(dollars / unit) * unit));
}

// An account's value at as_of, log-uniform over what its type usually holds.
double DrawTargetValue(AccountType type, std::mt19937_64& rng) {
  const double high = type == AccountType::kTaxable          ? 20e6
                      : type == AccountType::kTraditionalIra ? 5e6
                                                             : 2e6;
  return std::exp(Uniform(rng, std::log(50e3), std::log(high)));
}

// The client's marginal rates; richer clients sit in higher brackets.
review::TaxRates DrawTaxRates(double household_value, std::mt19937_64& rng) {
  struct Bracket {
    double short_term, long_term;
  };
  static const Bracket kBrackets[] = {{0.24, 0.15}, {0.32, 0.15}, {0.35, 0.15}, {0.37, 0.20}};
  const int richest = household_value > 5e6 ? 3 : household_value > 1e6 ? 2 : 1;
  const Bracket b = kBrackets[std::max(0, richest - static_cast<int>(rng() % 2))];
  struct State {
    double rate;  // the same on short- and long-term gains, as most states tax them
  };
  static const State kStates[] = {{0.133}, {0.0685}, {0.05},   {0},
                                  {0},     {0.0495}, {0.1075}, {0.0307}};
  const double state = kStates[rng() % std::size(kStates)].rate;
  return {.federal_short_term = b.short_term,
          .federal_long_term = b.long_term,
          .state_short_term = state,
          .state_long_term = state,
          .net_investment_income = b.short_term >= 0.32 ? 0.038 : 0};
}

struct AccountDraft {
  AccountType type;
  std::vector<std::string> taxpayers;
  std::string tag;  // JNT, TAX, IRA, ROTH, TRUST
  std::string name;
};

// One to four accounts: a couple's joint account with their IRAs and Roths, an individual's,
// a couple without a joint account (two wash-sale scopes in one household), or a trust.
std::vector<AccountDraft> DrawHousehold(const std::string& id, std::mt19937_64& rng) {
  const std::string last = Pick(kLastNames, rng);
  const std::string first1 = Pick(kFirstNames, rng), first2 = Pick(kFirstNames, rng);
  const std::string t1 = id + "-1", t2 = id + "-2";
  std::vector<AccountDraft> drafts;
  auto add = [&](AccountType type, std::vector<std::string> taxpayers, const char* tag,
                 std::string name) {
    drafts.push_back({type, std::move(taxpayers), tag, name});
  };
  const double kind = Uniform(rng, 0, 1);
  if (kind < 0.38) {
    add(AccountType::kTaxable, {t1, t2}, "JNT", first1 + " & " + first2 + " " + last + ", joint");
    if (Chance(rng, 0.5))
      add(AccountType::kTraditionalIra, {t1}, "IRA", first1 + " " + last + ", IRA");
    if (Chance(rng, 0.3)) {
      add(AccountType::kTraditionalIra, {t2}, "IRA", first2 + " " + last + ", IRA");
    } else if (Chance(rng, 0.3)) {
      add(AccountType::kRothIra, {t2}, "ROTH", first2 + " " + last + ", Roth IRA");
    }
    if (Chance(rng, 0.1))
      add(AccountType::kRothIra, {t1}, "ROTH", first1 + " " + last + ", Roth IRA");
  } else if (kind < 0.78) {
    if (Chance(rng, 0.85))
      add(AccountType::kTaxable, {t1}, "TAX", first1 + " " + last + ", individual");
    if (drafts.empty() || Chance(rng, 0.45)) {
      add(AccountType::kTraditionalIra, {t1}, "IRA", first1 + " " + last + ", IRA");
    }
    if (Chance(rng, 0.2))
      add(AccountType::kRothIra, {t1}, "ROTH", first1 + " " + last + ", Roth IRA");
  } else if (kind < 0.90) {
    add(AccountType::kTaxable, {t1}, "TAX", first1 + " " + last + ", individual");
    if (Chance(rng, 0.4))
      add(AccountType::kTaxable, {t2}, "TAX", first2 + " " + last + ", individual");
    if (Chance(rng, 0.5))
      add(AccountType::kTraditionalIra, {t2}, "IRA", first2 + " " + last + ", IRA");
    if (Chance(rng, 0.2))
      add(AccountType::kRothIra, {t1}, "ROTH", first1 + " " + last + ", Roth IRA");
  } else {
    add(AccountType::kTaxable, {id + "-TRUST"}, "TRUST", last + " Family Trust");
  }
  return drafts;
}

// The k-th trading day of every `every`-th month (January first) from `first` to before `end`.
std::vector<int> ReviewDays(const MarketTape& tape, int first, int end, int every, int k) {
  std::vector<int> days;
  int d = 0;
  while (d < end) {
    const int month_start = d;
    const Date start = tape.day(month_start);
    while (d < tape.day_count() && tape.day(d).month() == start.month()) ++d;
    const int month_end = d;  // one past the month's last trading day
    if ((start.month() - 1) % every != 0) continue;
    const int day = std::min(month_start + k, month_end - 1);
    if (day > first && day < end) days.push_back(day);
  }
  return days;
}

// A lot bought at `bought` and transferred in on `funded`, `shares` as of then; its cost is
// the shares it was before the splits since, at the price it was bought at.
Event TransferredLot(const std::string& account, const MarketTape& tape, int symbol, double shares,
                     const DailyBar& bought, Date funded) {
  const double original = shares / tape.SplitFactor(symbol, bought.date, funded);
  return {.date = funded,
          .account = account,
          .action = EventAction::kTransferIn,
          .symbol = tape.symbol(symbol),
          .shares = Shares::FromDouble(shares),
          .lot_id = tape.symbol(symbol) + "-LEGACY",
          .basis = Money::FromDouble(std::round(original * bought.close.ToDouble() * 100) / 100),
          .acquired = bought.date};
}

// Lots a client brings from elsewhere, valued `share` of `deposit` on the funding day, with
// their original cost: bought between 2007 and two years before funding.
std::vector<Event> DrawLegacyLots(const AccountPlan& plan, const MarketTape& tape,
                                  const SecurityMaster& master, double share,
                                  std::mt19937_64& rng) {
  std::vector<Event> lots;
  const Date funded = tape.day(plan.funding_day);
  const int count = 1 + static_cast<int>(rng() % 3);
  for (int i = 0; i < count; ++i) {
    const char* name = Pick(kLegacyNames, rng);
    std::optional<int> symbol = tape.Find(name);
    if (!symbol || !master.Contains(name)) continue;
    if (std::any_of(lots.begin(), lots.end(), [&](const Event& e) { return e.symbol == name; })) {
      continue;
    }
    const Date earliest = *Date::FromYmd(2007, 1, 3);
    const int span = std::max(1, (funded.AddDays(-730) - earliest));
    const DailyBar* bought =
        tape.BarOnOrBefore(*symbol, earliest.AddDays(static_cast<int>(rng() % span)));
    const Price now = tape.Close(*symbol, plan.funding_day);
    if (bought == nullptr || !now.is_positive() || bought->date >= funded) continue;
    const double value = plan.deposit.ToDouble() * share / count;
    const double shares = std::max(1.0, std::floor(value / now.ToDouble()));
    lots.push_back(TransferredLot(plan.account.id, tape, *symbol, shares, *bought, funded));
  }
  return lots;
}

// Lots from an old brokerage account, 15-35% of the account, some of them not to be sold.
void DrawLegacy(const MarketTape& tape, const SecurityMaster& master, std::mt19937_64& rng,
                AccountPlan* a) {
  const double share = Uniform(rng, 0.15, 0.35);
  a->legacy = DrawLegacyLots(*a, tape, master, share, rng);
  for (const Event& lot : a->legacy) {
    a->deposit -= Value(lot.shares, tape.Close(*tape.Find(lot.symbol), a->funding_day));
    if (Chance(rng, 0.4)) {
      a->restrictions.push_back({lot.symbol, review::Restriction::kNoSell});
    }
  }
  a->deposit = std::max(a->deposit, Money::Units(10'000)).RoundedToCents();
}

// "Don't buy my employer's stock", now and then, for the accounts that own stocks: a name of
// the index the account will then not hold.
void DrawRestrictions(const SecurityMaster& master, std::mt19937_64& rng, AccountPlan* a) {
  if (!a->customization.products.empty() && Chance(rng, 0.05)) {
    const char* name = Pick(kLegacyNames, rng);
    if (master.Contains(name) &&
        std::none_of(a->restrictions.begin(), a->restrictions.end(),
                     [&](const SecurityRestriction& r) { return r.symbol == name; })) {
      a->restrictions.push_back({name, review::Restriction::kNoBuy});
    }
  }
  std::sort(a->restrictions.begin(), a->restrictions.end(),
            [](const SecurityRestriction& x, const SecurityRestriction& y) {
              return x.symbol < y.symbol;
            });
}

// Fees, contributions, withdrawals (scheduled, past and pending), the cash reserve and
// minimum, and now and then "accumulate cash": what the account's cash has to serve.
void DrawCashNeeds(double target, Date funded, Date as_of, bool first_of_firm, std::mt19937_64& rng,
                   AccountPlan* a) {
  a->fee_rate = target < 1e6 ? 0.01 : target < 5e6 ? 0.0075 : 0.005;
  if (!a->taxable && Chance(rng, 0.5)) {
    a->yearly_contribution = Money::Units(6'000);
  } else if (a->taxable && Chance(rng, 0.2)) {
    a->yearly_contribution = RoundedTo(a->deposit.ToDouble() * Uniform(rng, 0.03, 0.10), 1000);
  }
  const double withdraws = a->account.type == AccountType::kTraditionalIra ? 0.3
                           : a->taxable                                    ? 0.15
                                                                           : 0.05;
  if (Chance(rng, withdraws)) {
    const int every = Chance(rng, 0.6) ? 1 : 3;
    const int day = Chance(rng, 0.5) ? 1 : 1 + static_cast<int>(rng() % 28);
    Date start = funded.AddDays(90 + static_cast<int>(rng() % 1400));
    start = *Date::FromYmd(start.year(), start.month(), day);
    a->schedules.push_back(
        {.id = "SW1",
         .amount = RoundedTo(target * Uniform(rng, 0.035, 0.05) / (12 / every), 100),
         .day_of_month = day,
         .every_months = every,
         .first_date = start});
  }
  const int requests = Chance(rng, 0.15) ? 1 + static_cast<int>(rng() % 2) : 0;
  for (int r = 0; r < requests; ++r) {
    a->past_requests.push_back({.review = static_cast<int>(rng() % 1000),
                                .share = Uniform(rng, 0.02, 0.10),
                                .entered_days_before = 2 + static_cast<int>(rng() % 19)});
  }
  // About 3% of the accounts have a request waiting; the firm's first has one in any case,
  // so that even a small firm shows the daily review a withdrawal to raise.
  if (Chance(rng, 0.03) || first_of_firm) {
    const Date due = as_of.AddDays(1 + static_cast<int>(rng() % 14));
    a->pending_requests.push_back({.id = "WR-PENDING",
                                   .amount = RoundedTo(target * Uniform(rng, 0.02, 0.15), 1000),
                                   .due = due,
                                   .entered_at = as_of.AddDays(-static_cast<int>(rng() % 8))});
  }
  if (Chance(rng, 0.12)) a->reserve_cap = RoundedTo(Uniform(rng, 5e3, 25e3), 1000);
  if (Chance(rng, 0.01)) {
    a->accumulate_target = RoundedTo(target * 0.05, 1000);
    a->accumulate_reviews = 4 + static_cast<int>(rng() % 5);
  }
  if (Chance(rng, 0.2)) {
    a->settings.cash_min = RoundedTo(std::min(Uniform(rng, 1e3, 10e3), 0.01 * target), 500);
  }
}

// The first stock whose prices end more than two months before as_of, after a year of them.
std::optional<int> FindStaleSymbol(const MarketTape& tape, const SecurityMaster& master,
                                   Date as_of) {
  std::optional<int> best;
  for (int s = 0; s < tape.symbol_count(); ++s) {
    const Security* security = master.Find(tape.symbol(s));
    if (security == nullptr || security->type != SecurityType::kStock) continue;
    const Date last = tape.last_bar(s).date;
    if (last > as_of.AddDays(-60) || last < tape.day(0).AddDays(120) ||
        last - tape.first_bar(s) < 365) {
      continue;
    }
    if (!best || last > tape.last_bar(*best).date) best = s;
  }
  return best;
}

// The household's review days from its first funding to as_of, and each past withdrawal
// request (drawn as a raw number) placed at one of the reviews after its account's funding.
void ScheduleReviews(const MarketTape& tape, int as_of_day, int review_months, int day_of_month,
                     HouseholdPlan* household) {
  int first = as_of_day;
  for (const AccountPlan& a : household->accounts) first = std::min(first, a.funding_day);
  household->review_days = ReviewDays(tape, first, as_of_day, review_months, day_of_month);
  for (AccountPlan& a : household->accounts) {
    const auto after = std::upper_bound(household->review_days.begin(),
                                        household->review_days.end(), a.funding_day);
    const int reviews = static_cast<int>(household->review_days.end() - after);
    const int offset = static_cast<int>(after - household->review_days.begin());
    if (reviews == 0) a.past_requests.clear();
    for (PastRequest& r : a.past_requests) r.review = offset + r.review % std::max(1, reviews);
    std::sort(a.past_requests.begin(), a.past_requests.end(),
              [](const PastRequest& x, const PastRequest& y) { return x.review < y.review; });
    // One request per review at most.
    a.past_requests.erase(std::unique(a.past_requests.begin(), a.past_requests.end(),
                                      [](const PastRequest& x, const PastRequest& y) {
                                        return x.review == y.review;
                                      }),
                          a.past_requests.end());
  }
}

// About one advisor per 40 accounts, each serving whole households, the book shared evenly.
void AssignAdvisors(int accounts, std::mt19937_64& rng, FirmPlan* plan) {
  const int count = std::max(1, static_cast<int>(std::lround(accounts / 40.0)));
  for (int i = 0; i < count; ++i) {
    std::string name = std::string(Pick(kFirstNames, rng)) + " " + Pick(kLastNames, rng);
    if (std::find(plan->advisors.begin(), plan->advisors.end(), name) != plan->advisors.end()) {
      name += " " + std::to_string(i + 1);  // two advisors of one name: tell them apart
    }
    plan->advisors.push_back(std::move(name));
  }
  std::vector<size_t> order(plan->households.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<size_t> load(count, 0);
  for (size_t h : order) {
    const size_t advisor = std::min_element(load.begin(), load.end()) - load.begin();
    load[advisor] += plan->households[h].accounts.size();
    for (AccountPlan& a : plan->households[h].accounts) {
      a.account.advisor = plan->advisors[advisor];
      for (review::WithdrawalRequest& r : a.pending_requests) r.entered_by = a.account.advisor;
    }
  }
}

// About `problem_share` of the accounts, at least one of each kind, get a data problem: the
// custodian disagrees with the lots, a held name's prices stopped (when the data has one),
// the cash went negative, the custodian reports a security nobody set up.
void PlantProblems(const FirmOptions& options, const MarketTape& tape, const SecurityMaster& master,
                   std::mt19937_64& rng, FirmPlan* plan) {
  std::vector<review::DataProblemKind> kinds = {review::DataProblemKind::kPositionMismatch,
                                                review::DataProblemKind::kNegativeCash,
                                                review::DataProblemKind::kUnknownSecurity};
  if (plan->stale_symbol) kinds.insert(kinds.begin() + 1, review::DataProblemKind::kStalePrice);
  std::vector<AccountPlan*> accounts;
  for (HouseholdPlan& h : plan->households) {
    for (AccountPlan& a : h.accounts) accounts.push_back(&a);
  }
  std::shuffle(accounts.begin(), accounts.end(), rng);
  const size_t wanted =
      std::min(accounts.size(),
               std::max(kinds.size(),
                        static_cast<size_t>(std::lround(options.problem_share * accounts.size()))));
  size_t planted = 0;
  for (AccountPlan* a : accounts) {
    if (planted == wanted) break;
    const review::DataProblemKind kind = kinds[planted % kinds.size()];
    if (kind == review::DataProblemKind::kStalePrice) {
      // Bought before the name's prices stop, transferred in from elsewhere (legacy lots are
      // never traded by the simulated reviews), and so still held, unpriced, at as_of.
      const int stale = *plan->stale_symbol;
      const int last_day = tape.DayOnOrBefore(tape.last_bar(stale).date.AddDays(-60));
      if (!a->taxable || !a->legacy.empty() || last_day <= 0) continue;
      a->funding_day = std::min(a->funding_day, last_day);
      const Date funded = tape.day(a->funding_day);
      const DailyBar* bought =
          tape.BarOnOrBefore(stale, std::max(tape.first_bar(stale), funded.AddDays(-730)));
      const Price now = tape.Close(stale, a->funding_day);
      if (bought == nullptr || !now.is_positive() || !master.Contains(tape.symbol(stale))) {
        continue;
      }
      const double shares =
          std::max(1.0, std::floor(a->deposit.ToDouble() * 0.04 / now.ToDouble()));
      a->legacy.push_back(TransferredLot(a->account.id, tape, stale, shares, *bought, funded));
    }
    a->problem = kind;
    ++planted;
  }
}

}  // namespace

Result<FirmPlan> PlanFirm(const DemoCatalogue& catalogue, const SecurityMaster& master,
                          const MarketTape& tape, const FirmOptions& options) {
  std::mt19937_64 rng(options.seed);
  const int as_of_day = tape.DayOnOrBefore(options.as_of);
  const int last_funding = tape.DayOnOrBefore(options.as_of.AddDays(-45));
  if (last_funding <= 0) return Status::InvalidArgument("as_of: too close to first_funding");
  const std::optional<int> spy = tape.Find("SPY"), agg = tape.Find("AGG");
  const std::vector<models::SecurityModel>* sampled =
      catalogue.book.SecurityModelHistory("SP500-100");
  const Date sampled_from =
      sampled != nullptr ? sampled->front().effective : Date::FromDays(1 << 30);

  // Direct indexes go to taxable accounts first; about 55% of the accounts are taxable.
  constexpr double kTaxableShare = 0.55;
  const double di_taxable = std::min(1.0, options.direct_index_share / kTaxableShare);
  const double di_deferred =
      std::clamp((options.direct_index_share - kTaxableShare) / (1 - kTaxableShare), 0.0, 1.0);

  FirmPlan plan;
  plan.stale_symbol = FindStaleSymbol(tape, master, options.as_of);
  std::vector<int> review_offsets;  // per household: the trading day of the month it reviews on
  int planned = 0;
  while (planned < options.accounts) {
    char id[16];
    std::snprintf(id, sizeof id, "HH%06d", static_cast<int>(plan.households.size()) + 1);
    HouseholdPlan household{.id = id};
    std::vector<AccountDraft> drafts = DrawHousehold(household.id, rng);
    drafts.resize(std::min<size_t>(drafts.size(), options.accounts - planned));
    const int first_day = static_cast<int>(rng() % last_funding);
    double household_value = 0;
    for (size_t i = 0; i < drafts.size(); ++i) {
      AccountDraft& draft = drafts[i];
      AccountPlan a;
      char account_id[24];
      std::snprintf(account_id, sizeof account_id, "F%06d-%s", ++planned, draft.tag.c_str());
      a.account = {.id = account_id,
                   .type = draft.type,
                   .taxpayers = draft.taxpayers,
                   .household = household.id,
                   .name = draft.name};
      a.taxable = draft.type == AccountType::kTaxable;
      // The first account opens the relationship; the others follow within two years.
      a.funding_day =
          i == 0 ? first_day : std::min(last_funding, first_day + static_cast<int>(rng() % 500));
      const Date funded = tape.day(a.funding_day);
      a.customization = DrawCustomization(a.account.id, rng,
                                          {.direct_index = a.taxable ? di_taxable : di_deferred,
                                           .sampled_index = a.taxable ? 0.15 : 0,
                                           .can_sample = funded >= sampled_from});

      // Funded so as to be worth about the target at as_of: grown by the template's mix.
      const double target = DrawTargetValue(draft.type, rng);
      household_value += target;
      double equity = 0.6;
      if (const auto* history = catalogue.book.TemplateHistory(a.customization.template_name)) {
        for (const models::AssetClass& c : history->front().classes) {
          if (c.name == "Equity") equity = c.weight;
        }
      }
      auto growth = [&](std::optional<int> s) {
        if (!s) return 1.0;
        const Price then = tape.Close(*s, a.funding_day), now = tape.Close(*s, as_of_day);
        return then.is_positive() && now.is_positive() ? now.ToDouble() / then.ToDouble() : 1.0;
      };
      const double grown = equity * growth(spy) + (1 - equity) * growth(agg);
      a.deposit = RoundedTo(target / grown, 1000);

      if (a.taxable && Chance(rng, 0.12)) DrawLegacy(tape, master, rng, &a);
      DrawRestrictions(master, rng, &a);
      DrawCashNeeds(target, funded, options.as_of, /*first_of_firm=*/planned == 1, rng, &a);
      household.accounts.push_back(std::move(a));
    }
    const review::TaxRates rates = DrawTaxRates(household_value, rng);
    for (AccountPlan& a : household.accounts) a.settings.tax_rates = rates;
    review_offsets.push_back(static_cast<int>(rng() % 15));
    plan.households.push_back(std::move(household));
  }
  AssignAdvisors(options.accounts, rng, &plan);
  if (options.problem_share > 0) PlantProblems(options, tape, master, rng, &plan);
  for (size_t h = 0; h < plan.households.size(); ++h) {
    ScheduleReviews(tape, as_of_day, options.review_months, review_offsets[h], &plan.households[h]);
  }
  return plan;
}

}  // namespace arbor::firm_internal
