// Cash management (docs/cash.md):
//   arbor withdrawal request ACCOUNT --amount 25000 --due 2021-05-03 [--id ID] [--by NAME]
//       [--entered DATE]
//   arbor withdrawal schedule ACCOUNT --id W1 --amount 5000 --day 1 [--every-months 1]
//       --from DATE [--to DATE]
//   arbor withdrawal list [ACCOUNT] | cancel ACCOUNT ID | paid ACCOUNT ID
//   arbor cash show ACCOUNT [--as-of DATE]
//   arbor import cash-policies|scheduled-withdrawals FILE...
// Dates are arguments, never the clock: a request's entry date defaults to the last price date.
#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>
#include <tuple>

#include "adapters/storage/account_targets.h"
#include "adapters/storage/cash_plan_loader.h"
#include "adapters/storage/cash_policy_store.h"
#include "adapters/storage/rebalance_settings_store.h"
#include "adapters/storage/store.h"
#include "apps/arbor/commands.h"
#include "apps/arbor/csv_import_command.h"
#include "apps/arbor/output.h"
#include "core/review/dollars.h"

namespace arbor::cli {
namespace {

using review::Dollars;

Money ParseAmount(const std::string& text) {
  Result<Money> amount = Money::Parse(text);
  if (!amount.ok()) Fail(amount.status().WithContext("--amount"));
  return *amount;
}

Date ParseDateOption(const std::string& text, const char* option) {
  Result<Date> date = Date::Parse(text);
  if (!date.ok()) Fail(date.status().WithContext(option));
  return *date;
}

// `text`, or the default review date (the last price date) when it is empty.
Date DateOrDefault(Store& store, const std::string& text, const char* option) {
  return text.empty() ? OrFail(DefaultReviewDate(store)) : ParseDateOption(text, option);
}

// Loads the account's policy, lets `change` edit it and saves it, in one write transaction so
// that two advisors entering requests at once both keep theirs.
template <typename Change>
void EditPolicy(Store& store, const std::string& account, Change change) {
  Transaction txn = OrFail(Transaction::Begin(store.database()));
  review::CashPolicy policy = OrFail(LoadCashPolicy(store.database(), account));
  change(policy);
  OrFail(SaveCashPolicy(store.database(), account, policy));
  OrFail(txn.Commit());
}

// R1, R2, ...: the first free one after the requests the account already has.
std::string NextRequestId(const review::CashPolicy& policy) {
  for (size_t n = policy.requests.size() + 1;; ++n) {
    const std::string id = "R" + std::to_string(n);
    if (std::none_of(policy.requests.begin(), policy.requests.end(),
                     [&](const review::WithdrawalRequest& r) { return r.id == id; })) {
      return id;
    }
  }
}

struct RequestCommand {
  std::string account, amount, due, id, by, entered;
};

void RunRequest(const GlobalOptions& global, const RequestCommand& options) {
  std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
  review::WithdrawalRequest request{
      .id = options.id,
      .amount = ParseAmount(options.amount),
      .due = ParseDateOption(options.due, "--due"),
      .entered_by = options.by,
      .entered_at = DateOrDefault(*store, options.entered, "--entered")};
  EditPolicy(*store, options.account, [&](review::CashPolicy& policy) {
    if (request.id.empty()) request.id = NextRequestId(policy);
    for (const review::WithdrawalRequest& r : policy.requests) {
      if (r.id == request.id) {
        Fail(Status::AlreadyExists("account " + options.account + " already has a request " + r.id +
                                   "; give another --id"));
      }
    }
    policy.requests.push_back(request);
  });
  std::cout << "withdrawal request " << request.id << " of " << Dollars(request.amount) << " from "
            << options.account << " due " << request.due.ToString() << " (entered "
            << request.entered_at.ToString() << ")\n";
}

struct ScheduleCommand {
  std::string account, id, amount, from, to;
  int day = 1;
  int every_months = 1;
};

void RunSchedule(const GlobalOptions& global, const ScheduleCommand& options) {
  std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
  review::ScheduledWithdrawal withdrawal{.id = options.id,
                                         .amount = ParseAmount(options.amount),
                                         .day_of_month = options.day,
                                         .every_months = options.every_months,
                                         .first_date = ParseDateOption(options.from, "--from")};
  if (!options.to.empty()) withdrawal.last_date = ParseDateOption(options.to, "--to");
  bool replaced = false;
  EditPolicy(*store, options.account, [&](review::CashPolicy& policy) {
    for (review::ScheduledWithdrawal& w : policy.scheduled) {
      if (w.id == withdrawal.id) {
        w = withdrawal;
        replaced = true;
      }
    }
    if (!replaced) policy.scheduled.push_back(withdrawal);
  });
  std::cout << (replaced ? "replaced" : "scheduled") << " withdrawal " << withdrawal.id << " of "
            << Dollars(withdrawal.amount) << " from " << options.account << " on day "
            << withdrawal.day_of_month << " every " << withdrawal.every_months << " month(s) from "
            << withdrawal.first_date.ToString()
            << (withdrawal.last_date ? " to " + withdrawal.last_date->ToString() : "") << "\n";
}

void RunSetStatus(const GlobalOptions& global, const std::string& account, const std::string& id,
                  review::WithdrawalRequestStatus status) {
  std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
  EditPolicy(*store, account, [&](review::CashPolicy& policy) {
    for (review::WithdrawalRequest& r : policy.requests) {
      if (r.id != id) continue;
      if (r.status != review::WithdrawalRequestStatus::kPending) {
        Fail(Status::FailedPrecondition("withdrawal request " + id + " of " + account +
                                        " is already " + std::string(ToString(r.status))));
      }
      r.status = status;
      return;
    }
    Fail(Status::NotFound("account " + account + " has no withdrawal request " + id +
                          " (`arbor withdrawal list " + account + "`)"));
  });
  std::cout << "withdrawal request " << id << " of " << account << " is now " << ToString(status)
            << "\n";
}

std::string OptionalDate(const std::optional<Date>& date) { return date ? date->ToString() : ""; }

void PrintWithdrawals(const std::string& account, const review::CashPolicy& policy, Date after) {
  if (!policy.scheduled.empty()) {
    TextTable table({"account", "scheduled", "amount", "day", "every", "from", "to", "next due"},
                    {Align::kLeft, Align::kLeft, Align::kRight, Align::kRight, Align::kRight,
                     Align::kLeft, Align::kLeft, Align::kLeft});
    for (const review::ScheduledWithdrawal& w : policy.scheduled) {
      table.AddRow({account, w.id, Dollars(w.amount), std::to_string(w.day_of_month),
                    std::to_string(w.every_months) + " mo", w.first_date.ToString(),
                    OptionalDate(w.last_date), OptionalDate(review::NextOccurrence(w, after))});
    }
    table.Print(std::cout);
  }
  if (!policy.requests.empty()) {
    TextTable table({"account", "request", "amount", "due", "status", "entered by", "entered"},
                    {Align::kLeft, Align::kLeft, Align::kRight, Align::kLeft, Align::kLeft,
                     Align::kLeft, Align::kLeft});
    for (const review::WithdrawalRequest& r : policy.requests) {
      table.AddRow({account, r.id, Dollars(r.amount), r.due.ToString(),
                    std::string(ToString(r.status)), r.entered_by, r.entered_at.ToString()});
    }
    table.Print(std::cout);
  }
}

void RunList(const GlobalOptions& global, const std::string& account) {
  std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
  const Date as_of = OrFail(DefaultReviewDate(*store));
  const std::vector<std::string> accounts = account.empty()
                                                ? OrFail(AccountsWithWithdrawals(store->database()))
                                                : std::vector<std::string>{account};
  bool any = false;
  for (const std::string& id : accounts) {
    const review::CashPolicy policy = OrFail(LoadCashPolicy(store->database(), id));
    if (policy.scheduled.empty() && policy.requests.empty()) continue;
    if (any) std::cout << "\n";
    PrintWithdrawals(id, policy, as_of);
    any = true;
  }
  if (!any) std::cout << "no withdrawals" << (account.empty() ? "" : " for " + account) << "\n";
}

void RunShow(const GlobalOptions& global, const std::string& account,
             const std::string& as_of_text) {
  std::unique_ptr<Store> store = OrFail(Store::Open(global.db_path));
  const Date as_of = DateOrDefault(*store, as_of_text, "--as-of");
  Database* db = store->database();
  const Ledger ledger = OrFail(BuildLedger(OrFail(store->LoadLedgerInput(account, as_of))));
  const RebalanceSettings settings = OrFail(LoadRebalanceSettings(db, account));
  const review::CashSettings cash{.balance = OrFail(ledger.Cash(account)),
                                  .withdrawal = settings.withdrawal,
                                  .min = settings.cash_min,
                                  .max = settings.cash_max};
  const review::CashPolicy policy = OrFail(LoadCashPolicy(db, account));
  const review::CashPlan plan = OrFail(LoadCashPlan(db, account, as_of, cash));

  auto optional_dollars = [](const std::optional<Money>& m) { return m ? Dollars(*m) : "none"; };
  std::cout << "cash policy of " << account << " (docs/cash.md)\n";
  TextTable rules({"rule", "value"}, {Align::kLeft, Align::kRight});
  rules.AddRow({"minimum cash (rebalance settings)", Dollars(settings.cash_min)});
  rules.AddRow({"maximum cash (rebalance settings)", optional_dollars(settings.cash_max)});
  rules.AddRow({"reserve cap (dividends and interest held back)", Dollars(policy.reserve_cap)});
  rules.AddRow({"withdrawal lead days", std::to_string(policy.withdrawal_lead_days)});
  rules.AddRow({"accumulate cash", policy.accumulate_reviews == 0
                                       ? "no"
                                       : Dollars(policy.accumulate_target) + " over " +
                                             std::to_string(policy.accumulate_reviews) +
                                             " reviews from " +
                                             OptionalDate(policy.accumulate_from)});
  rules.Print(std::cout);
  if (!policy.scheduled.empty() || !policy.requests.empty()) {
    std::cout << "\n";
    PrintWithdrawals(account, policy, as_of);
  }

  std::cout << "\ncash plan as of " << as_of.ToString() << "\n";
  TextTable table({"", "amount"}, {Align::kLeft, Align::kRight});
  table.AddRow({"cash now", Dollars(cash.balance)});
  table.AddRow({"withdrawals raised now", Dollars(plan.withdrawal)});
  table.AddRow({"reserve", Dollars(plan.reserve)});
  table.AddRow({"accumulation", Dollars(plan.accumulation)});
  table.AddRow({"minimum after trading and withdrawals", Dollars(plan.minimum)});
  table.AddRow({"maximum", optional_dollars(plan.maximum)});
  table.AddRule();
  table.AddRow({"cash the proposal must hold", Dollars(plan.withdrawal + plan.minimum)});
  table.Print(std::cout);
  std::cout << "must trade: "
            << (plan.must_trade() ? "yes: " + plan.must_trade_reason : std::string("no")) << "\n";
  for (const std::string& reason : plan.reasons) std::cout << "  " << reason << "\n";
}


}  // namespace

void AddCashCommands(CLI::App& app, const GlobalOptions& global) {
  auto* withdrawal = app.add_subcommand(
      "withdrawal",
      "Withdrawal requests and schedules, raised by the reviews ahead of their due "
      "date (docs/cash.md)");
  withdrawal->require_subcommand(1);

  auto request = std::make_shared<RequestCommand>();
  auto* add = withdrawal->add_subcommand("request", "Enter a one-off withdrawal request");
  add->add_option("account", request->account, "account id")->required();
  add->add_option("--amount", request->amount, "dollars, e.g. 25000")->required();
  add->add_option("--due", request->due, "date the custodian pays it, YYYY-MM-DD")->required();
  add->add_option("--id", request->id, "request id (default R1, R2, ...)");
  add->add_option("--by", request->by, "who entered it");
  add->add_option("--entered", request->entered,
                  "entry date YYYY-MM-DD (default: the last price date)");
  add->callback([&global, request] { RunRequest(global, *request); });

  auto schedule = std::make_shared<ScheduleCommand>();
  auto* sched = withdrawal->add_subcommand(
      "schedule", "Add or replace (by id) a regularly scheduled withdrawal");
  sched->add_option("account", schedule->account, "account id")->required();
  sched->add_option("--id", schedule->id, "schedule id, e.g. W1")->required();
  sched->add_option("--amount", schedule->amount, "dollars per payment")->required();
  sched->add_option("--day", schedule->day, "day of the month, 1..28")->required();
  sched->add_option("--every-months", schedule->every_months, "1, 3, 6 or 12")
      ->capture_default_str();
  sched->add_option("--from", schedule->from, "first date YYYY-MM-DD")->required();
  sched->add_option("--to", schedule->to, "last date YYYY-MM-DD (default: open-ended)");
  sched->callback([&global, schedule] { RunSchedule(global, *schedule); });

  auto list_account = std::make_shared<std::string>();
  auto* list = withdrawal->add_subcommand("list", "Scheduled withdrawals and requests");
  list->add_option("account", *list_account, "account id (default: every account with any)");
  list->callback([&global, list_account] { RunList(global, *list_account); });

  for (const auto& [name, status, what] :
       {std::tuple{"cancel", review::WithdrawalRequestStatus::kCancelled, "Cancel"},
        std::tuple{"paid", review::WithdrawalRequestStatus::kPaid, "Mark as paid"}}) {
    auto ids = std::make_shared<std::pair<std::string, std::string>>();
    auto* cmd = withdrawal->add_subcommand(
        name, std::string(what) + " a pending withdrawal request; the reviews stop raising it");
    cmd->add_option("account", ids->first, "account id")->required();
    cmd->add_option("id", ids->second, "request id")->required();
    cmd->callback(
        [&global, ids, status] { RunSetStatus(global, ids->first, ids->second, status); });
  }

  auto* cash = app.add_subcommand("cash", "An account's cash policy and plan");
  cash->require_subcommand(1);
  auto show_account = std::make_shared<std::string>();
  auto show_as_of = std::make_shared<std::string>();
  auto* show = cash->add_subcommand(
      "show", "The cash policy and what the review as of a date must raise and keep");
  show->add_option("account", *show_account, "account id")->required();
  show->add_option("--as-of", *show_as_of, "review date YYYY-MM-DD (default: the last price date)");
  show->callback(
      [&global, show_account, show_as_of] { RunShow(global, *show_account, *show_as_of); });

  // AddStoreCommands, called before this in main(), created `import`.
  CLI::App* import = app.get_subcommand("import");
  AddCsvImport(import, global, "cash-policies",
            "account,reserve_cap,withdrawal_lead_days,accumulate_target,accumulate_reviews,"
            "accumulate_from",
            &ImportCashPolicies);
  AddCsvImport(import, global, "scheduled-withdrawals",
            "account,id,amount,day_of_month,every_months,first_date,last_date: each account's "
            "whole schedule",
            &ImportScheduledWithdrawals);
}

}  // namespace arbor::cli
