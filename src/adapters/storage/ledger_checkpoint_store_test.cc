#include "adapters/storage/ledger_checkpoint_store.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "adapters/storage/ledger_loader.h"
#include "adapters/storage/store_test_util.h"
#include "adapters/storage/store_writer.h"

namespace arbor {
namespace {

using testing_util::ScratchDir;
using testing_util::Trade;

Date D(const char* text) { return *Date::Parse(text); }

Event Cash(const char* date, const char* account, EventAction action, const char* symbol,
           int64_t cents) {
  return {.date = D(date),
          .account = account,
          .action = action,
          .symbol = symbol,
          .amount = Money::FromMicros(cents * 10'000)};
}

constexpr char kCheckpoint[] = "2024-03-31";

// A couple (H, W, their joint account J and her IRA I: one wash-sale scope) and a stranger S.
// Around the checkpoint date: H sells SPY at a loss on 03-25, and the replacements come after
// the checkpoint, IVV in the IRA on 04-05 and SPY in W's account on 04-10 (IRS Publication 550,
// "Wash Sales": substantially identical stock bought within 30 days after the sale, by the
// taxpayer or the spouse; in an IRA the loss is lost for good, Rev. Rul. 2008-5), with a 2-for-1
// SPY split between them. AAA: a loss sale on 04-20 still pending at a 3-for-2 split on 05-01,
// washed by a purchase on 05-10.
class LedgerCheckpointStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(Store::Open(dir_.Path("firm.db"))).value();
    ASSERT_TRUE(
        store_->ImportSecurities({dir_.Write("securities.csv", testing_util::kSecurities)}).ok());
    ASSERT_TRUE(
        store_
            ->PutAccounts({{.id = "H", .taxpayers = {"HUSBAND"}},
                           {.id = "I", .type = AccountType::kTraditionalIra, .taxpayers = {"WIFE"}},
                           {.id = "J", .taxpayers = {"HUSBAND", "WIFE"}},
                           {.id = "S", .taxpayers = {"STRANGER"}},
                           {.id = "W", .taxpayers = {"WIFE"}}})
            .ok());
    using A = EventAction;
    std::vector<Event> events = {
        Cash("2023-01-03", "H", A::kDeposit, "", 10'000'000),
        Cash("2023-01-03", "W", A::kDeposit, "", 10'000'000),
        Cash("2023-01-03", "I", A::kDeposit, "", 10'000'000),
        Cash("2023-01-03", "J", A::kDeposit, "", 10'000'000),
        Cash("2023-01-03", "S", A::kDeposit, "", 10'000'000),
        Trade("2023-01-04", "H", A::kBuy, "SPY", 100, "380.10"),
        Trade("2023-01-04", "J", A::kBuy, "AAA", 200, "50.25"),
        Trade("2023-01-04", "S", A::kBuy, "SPY", 10, "380.10"),
        Trade("2023-02-01", "W", A::kBuy, "BBB", 300, "20.00"),
        Trade("2023-02-01", "J", A::kBuy, "AAA", 100, "55.00"),
        Cash("2023-03-15", "J", A::kDividend, "AAA", 3'000),
        Cash("2023-03-15", "J", A::kDividend, "AAA", 1'500),
        Trade("2023-07-03", "W", A::kSell, "BBB", 120, "24.10"),
        Cash("2023-09-29", "H", A::kFee, "", 12'345),
        Trade("2024-02-01", "H", A::kBuy, "SPY", 40, "480.00"),
        Trade("2024-03-25", "H", A::kSell, "SPY", 40, "470.00"),  // loss on the 2024 lot: HIFO
        Cash("2024-03-28", "W", A::kDividend, "BBB", 9'000),
        Trade("2024-04-05", "I", A::kBuy, "IVV", 10, "472.00"),
        Trade("2024-04-10", "W", A::kBuy, "SPY", 50, "475.00"),
        Trade("2024-04-20", "J", A::kSell, "AAA", 100, "20.00"),
        Trade("2024-05-10", "J", A::kBuy, "AAA", 60, "14.00"),
        Cash("2024-06-28", "W", A::kDividend, "BBB", 9'000),
        Trade("2024-09-03", "W", A::kSell, "SPY", 20, "520.00"),
    };
    events[15].lot_method = LotMethod::kHifo;
    events[19].lot_method = LotMethod::kHifo;
    ASSERT_TRUE(store_->AppendTransactions(events, "history").ok());
    ASSERT_TRUE(
        store_
            ->PutCorporateActions(
                {{.symbol = "AAA", .ex_date = D("2023-06-01"), .numerator = 2, .denominator = 1},
                 {.symbol = "SPY", .ex_date = D("2024-04-08"), .numerator = 2, .denominator = 1},
                 {.symbol = "AAA", .ex_date = D("2024-05-01"), .numerator = 3, .denominator = 2}})
            .ok());
  }

  std::vector<Account> Scope(const char* account) {
    return storage_internal::AccountsInScope(store_->LoadAccounts().value(), {account});
  }

  LedgerState FullReplay(const std::vector<Account>& scope, Date as_of) {
    Result<LedgerInput> input = store_->LoadScopeLedgerInput(scope, as_of);
    EXPECT_TRUE(input.ok()) << input.status().message();
    Result<Ledger> ledger = BuildLedger(*input);
    EXPECT_TRUE(ledger.ok()) << ledger.status().message();
    return ledger->SaveState();
  }

  // Loads the couple's scope on `as_of`, checks it against the full replay and says whether
  // the checkpoint served.
  bool LoadsFromCheckpoint(const char* as_of) {
    const std::vector<Account> scope = Scope("H");
    ScopeLedgerLoad how;
    Result<Ledger> ledger = LoadScopeLedger(*store_, scope, D(as_of), &how);
    EXPECT_TRUE(ledger.ok()) << ledger.status().message();
    if (!ledger.ok()) return false;
    EXPECT_EQ(ledger->SaveState(), FullReplay(scope, D(as_of))) << "as of " << as_of;
    EXPECT_EQ(ledger->accounts().size(), scope.size());
    return how.from_checkpoint;
  }

  void WriteCheckpoints() {
    Result<CheckpointRun> run = WriteLedgerCheckpoints(*store_, D(kCheckpoint));
    ASSERT_TRUE(run.ok()) << run.status().message();
    EXPECT_GE(run->scopes, 1u);
    ASSERT_TRUE(LoadsFromCheckpoint(kCheckpoint));
  }

  Status Exec(const std::string& sql) { return store_->database()->Exec(sql); }

  ScratchDir dir_{"ledger_checkpoint_store_test"};
  std::unique_ptr<Store> store_;
};

TEST_F(LedgerCheckpointStoreTest, LoadFromTheCheckpointEqualsTheFullReplay) {
  WriteCheckpoints();
  for (const char* as_of : {"2024-04-01", "2024-04-07", "2024-04-30", "2024-05-01", "2024-05-15",
                            "2024-12-31", "2025-06-30"}) {
    EXPECT_TRUE(LoadsFromCheckpoint(as_of)) << as_of;
  }
  EXPECT_FALSE(LoadsFromCheckpoint("2024-03-30"));  // before it: the full replay

  // The wash sales that straddle the checkpoint did happen, so the equality covers them: H's
  // loss is disallowed partly for good (the IRA's IVV) and partly into W's SPY basis, and the
  // AAA loss pending across the split is washed by the purchase after it.
  Result<Ledger> ledger = LoadScopeLedger(*store_, Scope("H"), D("2024-12-31"));
  ASSERT_TRUE(ledger.ok());
  Money permanent, disallowed_aaa;
  for (const Realization& r : ledger->realized()) {
    permanent += r.wash_disallowed_permanent;
    if (r.symbol == "AAA") disallowed_aaa += r.wash_disallowed;
  }
  EXPECT_TRUE(permanent.is_positive());
  EXPECT_TRUE(disallowed_aaa.is_positive());
  Result<Ledger> at_checkpoint = LoadScopeLedger(*store_, Scope("H"), D(kCheckpoint));
  ASSERT_TRUE(at_checkpoint.ok());
  EXPECT_EQ(at_checkpoint->pending_wash_losses(), 1u);  // H's SPY loss, across the split too
}

TEST_F(LedgerCheckpointStoreTest, OnlyTheNewestCheckpointOfAScopeIsKept) {
  WriteCheckpoints();
  ASSERT_TRUE(WriteLedgerCheckpoints(*store_, D("2024-06-30")).ok());
  EXPECT_FALSE(LoadsFromCheckpoint("2024-04-30"));
  EXPECT_TRUE(LoadsFromCheckpoint("2024-07-01"));
}

TEST_F(LedgerCheckpointStoreTest, BackDatedInsertInTheScopeDropsIt) {
  WriteCheckpoints();
  ASSERT_TRUE(
      store_->AppendTransactions({Cash("2024-04-02", "W", EventAction::kFee, "", 100)}, "later")
          .ok());
  EXPECT_TRUE(LoadsFromCheckpoint("2024-04-30"));  // after the checkpoint: replayed on top
  ASSERT_TRUE(
      store_
          ->AppendTransactions({Cash("2024-03-31", "S", EventAction::kFee, "", 100)}, "other-scope")
          .ok());
  EXPECT_TRUE(LoadsFromCheckpoint("2024-04-30"));  // another taxpayer's account
  ASSERT_TRUE(
      store_
          ->AppendTransactions({Cash("2024-03-31", "I", EventAction::kFee, "", 100)}, "back-dated")
          .ok());
  EXPECT_FALSE(LoadsFromCheckpoint("2024-04-30"));
}

// A bulk import (store_writer.cc) drops the triggers while it writes and does their work once
// per account.
TEST_F(LedgerCheckpointStoreTest, BulkImportDropsWhatTheTriggersWould) {
  WriteCheckpoints();
  const std::vector<Event> later(10'000, Cash("2024-04-02", "W", EventAction::kDeposit, "", 1));
  ASSERT_TRUE(store_->AppendTransactions(later, "bulk-later").ok());
  EXPECT_TRUE(LoadsFromCheckpoint("2024-04-30"));
  const std::vector<Event> past(15'000, Cash("2024-03-30", "I", EventAction::kDeposit, "", 1));
  ASSERT_TRUE(store_->AppendTransactions(past, "bulk-past").ok());
  EXPECT_FALSE(LoadsFromCheckpoint("2024-04-30"));

  WriteCheckpoints();  // the triggers are back
  ASSERT_TRUE(
      store_->AppendTransactions({Cash("2024-03-30", "I", EventAction::kFee, "", 1)}, "one-row")
          .ok());
  EXPECT_FALSE(LoadsFromCheckpoint("2024-04-30"));
}

TEST_F(LedgerCheckpointStoreTest, UpdateOnOrBeforeItDropsIt) {
  WriteCheckpoints();
  ASSERT_TRUE(Exec("UPDATE transactions SET amount_micros = amount_micros + 1 "
                   "WHERE account = 'W' AND action = 'dividend' AND date = '2024-06-28'")
                  .ok());
  EXPECT_TRUE(LoadsFromCheckpoint("2024-07-01"));
  // Moving a row from after the checkpoint to before it changes the past.
  ASSERT_TRUE(Exec("UPDATE transactions SET date = '2024-03-29' "
                   "WHERE account = 'W' AND action = 'dividend' AND date = '2024-06-28'")
                  .ok());
  EXPECT_FALSE(LoadsFromCheckpoint("2024-07-01"));
}

TEST_F(LedgerCheckpointStoreTest, DeleteOnOrBeforeItDropsIt) {
  WriteCheckpoints();
  ASSERT_TRUE(Exec("DELETE FROM transactions WHERE account = 'H' AND action = 'fee'").ok());
  EXPECT_FALSE(LoadsFromCheckpoint("2024-04-30"));
}

TEST_F(LedgerCheckpointStoreTest, SplitOnOrBeforeItDropsIt) {
  WriteCheckpoints();
  const CorporateAction later{.symbol = "BBB", .ex_date = D("2024-08-01"), .numerator = 4};
  ASSERT_TRUE(store_->PutCorporateActions({later}).ok());
  EXPECT_TRUE(LoadsFromCheckpoint("2024-12-31"));  // after it: replayed on top
  const CorporateAction earlier{.symbol = "BBB", .ex_date = D("2024-03-01"), .numerator = 2};
  ASSERT_TRUE(store_->PutCorporateActions({earlier}).ok());
  EXPECT_FALSE(LoadsFromCheckpoint("2024-12-31"));

  WriteCheckpoints();
  ASSERT_TRUE(Exec("UPDATE corporate_actions SET numerator = 3 WHERE symbol = 'BBB' AND "
                   "ex_date = '2024-03-01'")
                  .ok());
  EXPECT_FALSE(LoadsFromCheckpoint("2024-12-31"));
  WriteCheckpoints();
  ASSERT_TRUE(Exec("DELETE FROM corporate_actions WHERE symbol = 'AAA' AND "
                   "ex_date = '2023-06-01'")
                  .ok());
  EXPECT_FALSE(LoadsFromCheckpoint("2024-12-31"));
}

TEST_F(LedgerCheckpointStoreTest, ChangedScopeAccountsOrGroupsAreNotUsed) {
  WriteCheckpoints();
  // The stranger marries into the scope: a new member.
  // The IRA turns out to be taxable (a write no import makes: their type stays once they have
  // history): its sales report gains.
  ASSERT_TRUE(Exec("UPDATE accounts SET type = 'taxable' WHERE id = 'I'").ok());
  EXPECT_FALSE(LoadsFromCheckpoint("2024-04-30"));
  ASSERT_TRUE(Exec("UPDATE accounts SET type = 'traditional_ira' WHERE id = 'I'").ok());
  EXPECT_TRUE(LoadsFromCheckpoint("2024-04-30"));  // the same scope again

  // The wife opens a joint account with the stranger: his account joins the couple's scope.
  ASSERT_TRUE(store_->PutAccounts({{.id = "SW", .taxpayers = {"STRANGER", "WIFE"}}}).ok());
  EXPECT_FALSE(LoadsFromCheckpoint("2024-04-30"));
  WriteCheckpoints();
  // ... and one with her husband, "A", which now names the scope: the old checkpoint goes.
  ASSERT_TRUE(store_->PutAccounts({{.id = "A", .taxpayers = {"HUSBAND"}}}).ok());
  EXPECT_FALSE(LoadsFromCheckpoint("2024-04-30"));
  WriteCheckpoints();
  Result<Statement> scopes = store_->database()->Prepare(
      "SELECT group_concat(scope) FROM (SELECT scope FROM ledger_checkpoints UNION ALL "
      "SELECT DISTINCT scope FROM ledger_checkpoint_accounts)");
  ASSERT_TRUE(scopes.ok());
  ASSERT_TRUE(*scopes->Step());
  EXPECT_EQ(scopes->ColumnText(0), "A,A");

  // AAA becomes substantially identical to SPY and IVV.
  ASSERT_TRUE(Exec("UPDATE securities SET wash_sale_group = 'SP500' WHERE symbol = 'AAA'").ok());
  EXPECT_FALSE(LoadsFromCheckpoint("2024-04-30"));
}

TEST_F(LedgerCheckpointStoreTest, OtherSchemaVersionOrDamagedBytesAreNotUsed) {
  WriteCheckpoints();
  ASSERT_TRUE(Exec("UPDATE ledger_checkpoints SET schema_version = schema_version - 1").ok());
  EXPECT_FALSE(LoadsFromCheckpoint("2024-04-30"));

  WriteCheckpoints();
  ASSERT_TRUE(
      Exec("UPDATE ledger_checkpoints SET state = substr(state, 1, length(state) - 3)").ok());
  EXPECT_FALSE(LoadsFromCheckpoint("2024-04-30"));

  WriteCheckpoints();  // the format version is the blob's first byte
  ASSERT_TRUE(Exec("UPDATE ledger_checkpoints SET state = x'02' || substr(state, 2)").ok());
  EXPECT_FALSE(LoadsFromCheckpoint("2024-04-30"));
}

}  // namespace
}  // namespace arbor
