// Fund menus through the store: set, replace, clear and their append-only audit; unknown
// accounts and symbols and an empty menu rejected naming the field, with nothing written; the
// CSV import all or nothing.
#include "adapters/storage/account_menu_store.h"

#include <gtest/gtest.h>

#include "adapters/storage/store_test_util.h"

namespace arbor {
namespace {

using testing_util::ScratchDir;

const AccountMenuChange kAnn{.user = "ann", .at = "2026-11-28T09:00:00Z"};

// Both accounts' menus and audits, to prove a failed call changed nothing.
std::string Fingerprint(Database* db) {
  std::string text;
  for (const char* account : {"K", "T"}) {
    const std::optional<AccountMenu> menu = LoadAccountMenu(db, account).value();
    if (menu) {
      for (const std::string& symbol : menu->symbols) text += symbol + ",";
    }
    const std::vector<AccountMenuAuditEntry> audit = LoadAccountMenuAudit(db, account).value();
    for (const AccountMenuAuditEntry& e : audit) {
      text += "\n" + std::to_string(e.id) + e.at + e.user + e.note + std::to_string(e.menu.size());
    }
    text += "\n";
  }
  return text;
}

class AccountMenuStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(Store::Open(dir_.Path("arbor.db"))).value();
    ASSERT_TRUE(store_->ImportSecurities({dir_.Write("s.csv", testing_util::kSecurities)}).ok());
    ASSERT_TRUE(
        store_
            ->PutAccounts({{.id = "K", .type = AccountType::k401k, .taxpayers = {"ann"}},
                           {.id = "T", .type = AccountType::kTaxable, .taxpayers = {"ann"}}})
            .ok());
  }
  Database* db() { return store_->database(); }

  ScratchDir dir_{"account_menu_store"};
  std::unique_ptr<Store> store_;
};

TEST_F(AccountMenuStoreTest, SetReplaceAndClearAreAudited) {
  EXPECT_FALSE(LoadAccountMenu(db(), "K")->has_value());
  ASSERT_EQ(SaveAccountMenu(db(), "K", {"SPY", "AAA"}, kAnn).value(), SaveOutcome::kStored);
  std::optional<AccountMenu> menu = LoadAccountMenu(db(), "K").value();
  ASSERT_TRUE(menu.has_value());
  EXPECT_EQ(menu->symbols, (std::vector<std::string>{"AAA", "SPY"}));
  EXPECT_EQ(menu->set_by, "ann");
  EXPECT_EQ(menu->set_at, "2026-11-28T09:00:00Z");
  EXPECT_FALSE(LoadAccountMenu(db(), "T")->has_value());

  // The same menu again writes nothing.
  EXPECT_EQ(SaveAccountMenu(db(), "K", {"AAA", "SPY"}, kAnn).value(), SaveOutcome::kUnchanged);
  const AccountMenuChange bob{.user = "bob", .at = "2026-11-29T10:00:00Z"};
  ASSERT_EQ(SaveAccountMenu(db(), "K", {"IVV"}, bob).value(), SaveOutcome::kStored);
  EXPECT_EQ(LoadAccountMenu(db(), "K").value()->symbols, std::vector<std::string>{"IVV"});
  EXPECT_TRUE(ClearAccountMenu(db(), "K", bob).value());
  EXPECT_FALSE(LoadAccountMenu(db(), "K")->has_value());
  EXPECT_FALSE(ClearAccountMenu(db(), "K", bob).value());  // nothing to clear, nothing written

  const std::vector<AccountMenuAuditEntry> audit = LoadAccountMenuAudit(db(), "K").value();
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(audit[0].menu, (std::vector<std::string>{"AAA", "SPY"}));
  EXPECT_EQ(audit[0].user, "ann");
  EXPECT_EQ(audit[1].menu, std::vector<std::string>{"IVV"});
  EXPECT_TRUE(audit[2].menu.empty());
  EXPECT_EQ(audit[2].user, "bob");
  EXPECT_EQ(audit[2].at, "2026-11-29T10:00:00Z");
  // The audit log is append-only.
  EXPECT_FALSE(db()->Exec("UPDATE account_menu_audit SET user = 'x'").ok());
  EXPECT_FALSE(db()->Exec("DELETE FROM account_menu_audit").ok());
}

TEST_F(AccountMenuStoreTest, BadInputNamesTheFieldAndChangesNothing) {
  ASSERT_TRUE(SaveAccountMenu(db(), "K", {"SPY"}, kAnn).ok());
  const std::string before = Fingerprint(db());

  Result<SaveOutcome> symbol = SaveAccountMenu(db(), "K", {"AAA", "VFIAX"}, kAnn);
  ASSERT_FALSE(symbol.ok());
  EXPECT_EQ(symbol.status().message(),
            "symbol: unknown symbol 'VFIAX' on the menu of account K; import it with `arbor "
            "import securities` first");
  Result<SaveOutcome> account = SaveAccountMenu(db(), "NOPE", {"AAA"}, kAnn);
  ASSERT_FALSE(account.ok());
  EXPECT_EQ(account.status().code(), StatusCode::kNotFound);
  EXPECT_NE(account.status().message().find("account: unknown account 'NOPE'"), std::string::npos);
  Result<SaveOutcome> twice = SaveAccountMenu(db(), "K", {"AAA", "AAA"}, kAnn);
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("symbol: AAA is listed twice"), std::string::npos);
  Result<SaveOutcome> empty = SaveAccountMenu(db(), "K", {}, kAnn);
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("symbols: the menu of account K is empty"),
            std::string::npos);
  EXPECT_FALSE(ClearAccountMenu(db(), "NOPE", kAnn).ok());
  EXPECT_FALSE(LoadAccountMenu(db(), "NOPE").ok());
  EXPECT_EQ(Fingerprint(db()), before);
  EXPECT_EQ(LoadAccountMenu(db(), "K").value()->symbols, std::vector<std::string>{"SPY"});
}

TEST_F(AccountMenuStoreTest, ImportReplacesEachNamedMenuAllOrNothing) {
  ASSERT_TRUE(SaveAccountMenu(db(), "T", {"BBB"}, kAnn).ok());
  const AccountMenuChange import{.user = "ann", .at = "2026-11-28T09:30:00Z", .note = "import"};
  const std::string good = dir_.Write("menus.csv", "account,symbol\nK,SPY\nK,AAA\nT,IVV\n");
  ImportSummary summary = ImportAccountMenus(db(), {good}, import).value();
  EXPECT_EQ(summary.rows_read, 3u);
  EXPECT_EQ(summary.inserted, 1u);  // K's menu is new
  EXPECT_EQ(summary.updated, 1u);   // T's is replaced
  EXPECT_EQ(LoadAccountMenu(db(), "K").value()->symbols, (std::vector<std::string>{"AAA", "SPY"}));
  EXPECT_EQ(LoadAccountMenu(db(), "T").value()->symbols, std::vector<std::string>{"IVV"});
  // A re-import changes nothing, not even the audit.
  const std::string after_first = Fingerprint(db());
  summary = ImportAccountMenus(db(), {good}, import).value();
  EXPECT_EQ(summary.unchanged, 2u);
  EXPECT_EQ(Fingerprint(db()), after_first);

  // One bad line rejects every file of the call.
  const std::string other = dir_.Write("more.csv", "account,symbol\nT,AAA\n");
  const std::string bad = dir_.Write("bad.csv", "account,symbol\nK,IVV\nK,NOPE\n");
  Result<ImportSummary> failed = ImportAccountMenus(db(), {other, bad}, import);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("bad.csv:3: symbol: unknown symbol 'NOPE'"),
            std::string::npos)
      << failed.status().message();
  const std::string blank = dir_.Write("blank.csv", "account,symbol\n,IVV\n");
  failed = ImportAccountMenus(db(), {blank}, import);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("blank.csv:2: account: missing"), std::string::npos)
      << failed.status().message();
  const std::string header = dir_.Write("header.csv", "account,fund\nK,IVV\n");
  failed = ImportAccountMenus(db(), {header}, import);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("header.csv:1: fund: unknown column"), std::string::npos)
      << failed.status().message();
  EXPECT_EQ(Fingerprint(db()), after_first);
}

}  // namespace
}  // namespace arbor
