#include "adapters/storage/ledger_loader.h"

#include <utility>

namespace arbor {
namespace {

Status Declare(const LedgerInput& input, Ledger* ledger) {
  for (const Account& account : input.accounts) {
    ARBOR_RETURN_IF_ERROR(ledger->AddAccount(account));
  }
  for (const auto& [symbol, group] : input.wash_sale_groups) {
    ARBOR_RETURN_IF_ERROR(ledger->SetWashSaleGroup(symbol, group));
  }
  return Status::Ok();
}

Status ApplyEvents(const LedgerInput& input, Ledger* ledger, size_t* failed_event) {
  for (size_t i = 0; i < input.events.size(); ++i) {
    Status status = ledger->Apply(input.events[i]);
    if (!status.ok()) {
      *failed_event = i;
      return status;
    }
  }
  return Status::Ok();
}

// The failure of event `failed` (or of a declaration), named by its id and description.
Status NameFailedEvent(const LedgerInput& input, size_t failed, const Status& status) {
  if (failed >= input.events.size()) return status;  // an account or group declaration
  std::string id =
      failed < input.event_ids.size() ? input.event_ids[failed] : "#" + std::to_string(failed);
  const char* what =
      input.events[failed].action == EventAction::kSplit ? "corporate action '" : "transaction '";
  return status.WithContext(what + id + "' (" + DescribeEvent(input.events[failed]) + ")");
}

}  // namespace

std::string DescribeEvent(const Event& event) {
  std::string text = event.date.ToString() + " " + std::string(ToString(event.action));
  if (!event.symbol.empty()) text += " " + event.symbol;
  if (event.action != EventAction::kSplit) text += " in account '" + event.account + "'";
  return text;
}

Status ReplayInto(const LedgerInput& input, Ledger* ledger, size_t* failed_event) {
  *failed_event = input.events.size();
  ARBOR_RETURN_IF_ERROR(Declare(input, ledger));
  return ApplyEvents(input, ledger, failed_event);
}

Result<Ledger> BuildLedger(const LedgerInput& input, LedgerOptions options, size_t* failed_event) {
  Ledger ledger(options);
  size_t failed = 0;
  Status status = ReplayInto(input, &ledger, &failed);
  if (failed_event != nullptr) *failed_event = failed;
  if (status.ok()) return ledger;
  return NameFailedEvent(input, failed, status);
}

Result<Ledger> ResumeLedger(const LedgerInput& tail, LedgerState state, LedgerOptions options) {
  Ledger ledger(options);
  size_t failed = tail.events.size();
  Status status = Declare(tail, &ledger);
  if (status.ok()) status = ledger.RestoreState(std::move(state));
  if (status.ok()) status = ApplyEvents(tail, &ledger, &failed);
  if (status.ok()) return ledger;
  return NameFailedEvent(tail, failed, status);
}

}  // namespace arbor
