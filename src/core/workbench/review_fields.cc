#include "core/workbench/review_fields.h"

#include <string>

namespace arbor::workbench {
namespace {

constexpr FieldType kNumber = FieldType::kNumber;
constexpr FieldType kText = FieldType::kText;
constexpr FieldType kBoolean = FieldType::kBoolean;

// A flag is a whole word of the comma-separated `flags` column: the commas around both sides
// keep `cash` from matching inside another word. instr() is case-sensitive, as the filter's
// text comparisons are, and a comparison is 0 or 1 in SQLite. The concatenation costs an
// allocation per row, so a plain search for the word goes first and settles most rows (CASE
// short-circuits where AND does not): it halves a flag's cost in a query over a large run.
// clang-format off
#define ARBOR_FLAG(word)                                  \
  "CASE WHEN instr(flags, '" word "') = 0 THEN 0 "        \
  "ELSE instr(',' || flags || ',', '," word ",') > 0 END"
// clang-format on

constexpr ReviewField kFields[] = {
    // Who and where.
    {"account", kText, "account", "the account id"},
    {"household", kText, "household", "the account's household"},
    {"advisor", kText, "advisor", "the advisor who owns the client relationship"},
    {"account_type", kText, "account_type", "taxable, ira, roth, ..."},
    // What the review did and where the workbench has it.
    {"outcome", kText, "outcome",
     "what the review produced: proposed, no_trade, suspended (a data check failed) or failed"},
    {"status", kText, "status",
     "where the workbench has the account: pending, suspended, approved, review or released"},
    {"suspended", kBoolean, "status = 'suspended'", "status = 'suspended'"},
    {"reasons", kText, "reasons", "why the review suspended or failed the account"},
    {"warnings", kNumber, "warnings", "how many warnings the review noted"},
    // The account and its cash.
    {"market_value", kNumber, "market_value", "dollars: the account's value before trading"},
    {"cash_before", kNumber, "cash_before", "dollars of cash before the proposal"},
    {"cash_after", kNumber, "cash_after", "dollars of cash after the proposal and its costs"},
    {"cash_required", kNumber, "cash_required",
     "dollars of cash needed: the cash minimum plus what is paid out now"},
    {"withdrawal_usd", kNumber, "withdrawal_usd", "dollars of withdrawals the proposal funds"},
    // The proposal.
    {"trades", kNumber, "trades", "how many trades the proposal has"},
    {"buy_usd", kNumber, "buy_usd", "dollars bought"},
    {"sell_usd", kNumber, "sell_usd", "dollars sold"},
    {"turnover", kNumber, "turnover",
     "the larger of buy_usd and sell_usd over market_value (0.15 is 15%)"},
    {"score_usd", kNumber, "score_usd",
     "cost-benefit score in dollars: the objective before minus after; positive is better"},
    {"score_bps", kNumber, "score_bps", "the cost-benefit score in basis points of market_value"},
    {"tax_usd", kNumber, "tax_usd", "dollars of tax of the proposal (negative: it saves tax)"},
    {"gains_usd", kNumber, "gains_usd", "dollars of gains the proposal realizes"},
    {"harvest_usd", kNumber, "harvest_usd",
     "dollars of losses the proposal realizes and may deduct (washed ones excluded), positive"},
    {"tracking_error_before", kNumber, "tracking_error_before",
     "ex-ante tracking error before the proposal (0.01 is 1%)"},
    {"tracking_error_after", kNumber, "tracking_error_after",
     "ex-ante tracking error after the proposal"},
    {"drift_max", kNumber, "drift_max",
     "largest |group weight - target| before the proposal (0.03 is 3 points)"},
    {"drift_max_after", kNumber, "drift_max_after", "largest drift after the proposal"},
    {"must_trade", kBoolean, "must_trade",
     "the account must trade: cash to raise, or a screened or restricted name to sell"},
    {"must_trade_reasons", kText, "must_trade_reasons", "why it must trade"},
    {"flags", kText, "flags", "every flag below, comma-separated, as one text"},
    {"notes", kText, "notes", "the review's notes on the proposal"},
    {"seconds", kNumber, "seconds", "how long the account's review took"},
    // A household reviewed as one unit: the same figures on every member.
    {"household_joint", kBoolean, "household_joint",
     "the account was rebalanced jointly with its household (batch actions move the household)"},
    {"household_value", kNumber, "household_value", "dollars: the household's value before trading"},
    {"household_score_usd", kNumber, "household_score_usd",
     "the household's cost-benefit score in dollars (location benefit included)"},
    {"household_score_bps", kNumber, "household_score_bps",
     "the household's score in basis points of household_value"},
    {"household_tracking_error_before", kNumber, "household_tracking_error_before",
     "the household's combined holdings against its target, before the proposal"},
    {"household_tracking_error_after", kNumber, "household_tracking_error_after",
     "the household's tracking error after the proposal"},
    {"location_benefit_usd", kNumber, "location_benefit_usd",
     "dollars a year the proposal gains by holding securities in the accounts the firm prefers"},
    // One boolean per word the review writes in `flags` (must_trade is the column above).
    // The thresholds quoted are the review's defaults (core/review/review_summary.h).
    {"drift", kBoolean, ARBOR_FLAG("drift"), "flag: drift_max of 3 points or more"},
    {"harvest", kBoolean, ARBOR_FLAG("harvest"), "flag: harvest_usd of $1,000 or more"},
    {"high_turnover", kBoolean, ARBOR_FLAG("high_turnover"), "flag: turnover of 15% or more"},
    {"large_account", kBoolean, ARBOR_FLAG("large_account"),
     "flag: market_value of $5 million or more"},
    {"withdrawal", kBoolean, ARBOR_FLAG("withdrawal"), "flag: a withdrawal to pay out now"},
    {"model_change", kBoolean, ARBOR_FLAG("model_change"),
     "flag: a trade because a security left or joined the account's targets"},
    {"new_restriction", kBoolean, ARBOR_FLAG("new_restriction"),
     "flag: it holds a screened or restricted name it must sell"},
    {"cash", kBoolean, ARBOR_FLAG("cash"),
     "flag: cash on hand below the minimum plus the withdrawal"},
};

#undef ARBOR_FLAG

constexpr std::string_view kFlags[] = {"must_trade",    "drift",           "harvest",
                                       "high_turnover", "large_account",   "withdrawal",
                                       "model_change",  "new_restriction", "cash"};

}  // namespace

std::span<const ReviewField> ReviewFields() { return kFields; }

FieldSchema ReviewFieldSchema() {
  FieldSchema schema;
  for (const ReviewField& f : kFields) schema.fields.push_back({std::string(f.name), f.type});
  return schema;
}

std::vector<std::string_view> ReviewFieldSql() {
  std::vector<std::string_view> sql;
  for (const ReviewField& f : kFields) sql.push_back(f.sql);
  return sql;
}

const ReviewField* FindReviewField(std::string_view name) {
  for (const ReviewField& f : kFields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::span<const std::string_view> ReviewFlags() { return kFlags; }

}  // namespace arbor::workbench
