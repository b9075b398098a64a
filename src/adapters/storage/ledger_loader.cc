#include "adapters/storage/ledger_loader.h"

namespace arbor {

std::string DescribeEvent(const Event& event) {
  std::string text = event.date.ToString() + " " + std::string(ToString(event.action));
  if (!event.symbol.empty()) text += " " + event.symbol;
  if (event.action != EventAction::kSplit) text += " in account '" + event.account + "'";
  return text;
}

Status ReplayInto(const LedgerInput& input, Ledger* ledger, size_t* failed_event) {
  *failed_event = input.events.size();
  for (const Account& account : input.accounts) {
    ARBOR_RETURN_IF_ERROR(ledger->AddAccount(account));
  }
  for (const auto& [symbol, group] : input.wash_sale_groups) {
    ARBOR_RETURN_IF_ERROR(ledger->SetWashSaleGroup(symbol, group));
  }
  for (size_t i = 0; i < input.events.size(); ++i) {
    Status status = ledger->Apply(input.events[i]);
    if (!status.ok()) {
      *failed_event = i;
      return status;
    }
  }
  return Status::Ok();
}

Result<Ledger> BuildLedger(const LedgerInput& input, LedgerOptions options, size_t* failed_event) {
  Ledger ledger(options);
  size_t failed = 0;
  Status status = ReplayInto(input, &ledger, &failed);
  if (failed_event != nullptr) *failed_event = failed;
  if (status.ok()) return ledger;
  if (failed >= input.events.size()) return status;  // an account or group declaration
  std::string id =
      failed < input.event_ids.size() ? input.event_ids[failed] : "#" + std::to_string(failed);
  const char* what =
      input.events[failed].action == EventAction::kSplit ? "corporate action '" : "transaction '";
  return status.WithContext(what + id + "' (" + DescribeEvent(input.events[failed]) + ")");
}

}  // namespace arbor
