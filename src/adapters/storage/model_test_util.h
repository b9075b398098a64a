// The model store tests' catalogue (model_catalogue_files.h) in a scratch database.
//
//   ScratchDir dir("model_store");
//   std::unique_ptr<Store> store = OpenCatalogue(dir);   // securities, SP500, Balanced v1, screens
//   ImportTemplates(*store, {dir.Write("v2.json", kBalancedV2)});
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "adapters/storage/model_catalogue_files.h"
#include "adapters/storage/model_store.h"
#include "adapters/storage/store.h"
#include "adapters/storage/store_test_util.h"

namespace arbor::testing_util {

// Every row of the model tables in a stable order, to prove a failed call changed nothing.
inline std::string ModelFingerprint(Database* db) {
  static constexpr const char* kTables[] = {
      "model_templates",        "model_template_classes", "model_template_products",
      "security_models",        "security_model_weights", "screens",
      "screen_sub_industries",  "screen_symbols",         "screen_includes",
      "account_customizations", "customization_removals", "customization_weights",
      "customization_products", "customization_screens"};
  std::string text;
  for (const char* table : kTables) {
    Result<Statement> select =
        db->Prepare(std::string("SELECT * FROM ") + table + " ORDER BY 1, 2, 3");
    if (!select.ok()) return "error: " + select.status().message();
    text += table;
    text += '\n';
    while (true) {
      Result<bool> row = select->Step();
      if (!row.ok()) return "error: " + row.status().message();
      if (!*row) break;
      for (int c = 0; c < select->ColumnCount(); ++c) text += select->ColumnText(c) + "|";
      text += '\n';
    }
  }
  return text;
}

// A store with the securities, accounts A1 and A2, SP500 v1, Balanced v1 and the screens.
inline std::unique_ptr<Store> OpenCatalogue(const ScratchDir& dir) {
  std::unique_ptr<Store> store = std::move(Store::Open(dir.Path("arbor.db"))).value();
  auto check = [](const Result<ImportSummary>& result) {
    EXPECT_TRUE(result.ok()) << result.status().message();
  };
  check(store->ImportSecurities({dir.Write("securities.csv", kModelSecurities)}));
  check(store->ImportAccounts(
      {dir.Write("accounts.csv", "id,type,taxpayers\nA1,taxable,ann\nA2,taxable,bob\n")}));
  check(ImportSecurityModels(*store, {dir.Write("sp500.csv", kSp500Csv)}, "SP500"));
  check(ImportTemplates(*store, {dir.Write("balanced_v1.json", kBalancedV1)}));
  check(ImportScreens(*store, {dir.Write("screens.json", kScreensJson)}));
  return store;
}

}  // namespace arbor::testing_util
