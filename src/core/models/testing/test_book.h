// Test fixtures: a realistic nine-class balanced template, a five-stock "US500" direct-index
// model, a mid-cap active model that shares JPM with it, a master with GICS sub-industries and
// the firm's screens. Weights are chosen so the tests can state expected numbers by hand.
//
//   ModelBook book = TestBook();
//   SecurityMaster master = TestMaster();
#pragma once

#include <cstdio>
#include <cstdlib>

#include "core/market/security.h"
#include "core/models/model_book.h"

namespace arbor::models::testing {

inline Date D(const char* text) { return *Date::Parse(text); }

// The fixtures are valid by construction; a failure here is a broken fixture, not a test result.
inline void Must(const Status& status) {
  if (status.ok()) return;
  std::fprintf(stderr, "test fixture: %s\n", status.message().c_str());
  std::abort();
}

inline AssetClass Leaf(const char* name, const char* parent, double weight, double min, double max,
                       std::vector<ProductOption> products) {
  AssetClass leaf{.name = name,
                  .parent = parent,
                  .weight = weight,
                  .min_weight = min,
                  .max_weight = max,
                  .products = std::move(products)};
  leaf.default_product = leaf.products.front().id;
  return leaf;
}

inline ProductOption Etf(const char* symbol) { return {symbol, ProductKind::kEtf, symbol}; }

// Absolute leaf weights: US Large Cap 0.294, US Mid Cap 0.084, US Small Cap 0.042,
// Intl Developed 0.135, Emerging Markets 0.045, Core Bonds 0.24, TIPS 0.06, Real Estate 0.07,
// Cash 0.03.
inline Template BalancedV1() {
  Template t{.name = "Balanced Growth", .version = 1, .effective = D("2021-01-04")};
  t.classes = {
      {.name = "Equity", .weight = 0.60},
      {.name = "US Equity", .parent = "Equity", .weight = 0.70},
      Leaf("US Large Cap", "US Equity", 0.70, 0.20, 0.45,
           {Etf("IVV"), {"LC-DI", ProductKind::kDirectIndex, "US500"}}),
      Leaf("US Mid Cap", "US Equity", 0.20, 0.04, 0.15,
           {Etf("IJH"), {"MID-ACTIVE", ProductKind::kActiveModel, "MIDCAP-QUALITY"}}),
      Leaf("US Small Cap", "US Equity", 0.10, 0.00, 0.10,
           {Etf("IJR"), {"SC-FUND", ProductKind::kMutualFund, "VSMAX"}}),
      {.name = "International", .parent = "Equity", .weight = 0.30},
      Leaf("Intl Developed", "International", 0.75, 0.08, 0.22, {Etf("EFA")}),
      Leaf("Emerging Markets", "International", 0.25, 0.00, 0.08, {Etf("EEM")}),
      {.name = "Fixed Income", .weight = 0.30},
      Leaf("Core Bonds", "Fixed Income", 0.80, 0.15, 0.35, {Etf("AGG")}),
      Leaf("TIPS", "Fixed Income", 0.20, 0.00, 0.10, {Etf("TIP")}),
      {.name = "Real Assets", .weight = 0.07},
      Leaf("Real Estate", "Real Assets", 1.0, 0.00, 0.10, {Etf("VNQ")}),
      Leaf("Cash", "", 0.03, 0.01, 0.10, {{"CASH", ProductKind::kCash, ""}}),
  };
  t.classes.back().removable = false;
  return t;
}

// A tactical shift a year later: equity 0.60 -> 0.65, fixed income 0.30 -> 0.32, real assets
// (and with them Real Estate) dropped, the small-cap mutual fund no longer offered.
// Absolute: US Large Cap 0.3185, US Mid Cap 0.091, US Small Cap 0.0455, Intl Developed 0.14625,
// Emerging Markets 0.04875, Core Bonds 0.256, TIPS 0.064, Cash 0.03.
inline Template BalancedV2() {
  Template t = BalancedV1();
  t.version = 2;
  t.effective = D("2022-01-03");
  std::vector<AssetClass> classes;
  for (AssetClass& c : t.classes) {
    if (c.name == "Real Assets" || c.name == "Real Estate") continue;
    if (c.name == "Equity") c.weight = 0.65;
    if (c.name == "Fixed Income") c.weight = 0.32;
    if (c.name == "US Small Cap") c.products.pop_back();
    classes.push_back(c);
  }
  t.classes = classes;
  return t;
}

inline SecurityModel Us500() {
  SecurityModel m{.name = "US500", .version = 1, .effective = D("2020-06-30")};
  m.weights = {{"AAPL", 0.30}, {"MSFT", 0.25}, {"JPM", 0.20}, {"XOM", 0.15}, {"MO", 0.10}};
  return m;
}

inline SecurityModel MidcapQuality() {
  SecurityModel m{.name = "MIDCAP-QUALITY", .version = 1, .effective = D("2020-06-30")};
  m.weights = {{"DECK", 0.60}, {"JPM", 0.40}};
  return m;
}

inline SecurityMaster TestMaster() {
  SecurityMaster master;
  auto stock = [&](const char* symbol, const char* sub_industry) {
    Must(master.Add({.symbol = symbol, .gics = {.sub_industry = sub_industry}}));
  };
  stock("AAPL", "Technology Hardware, Storage & Peripherals");
  stock("MSFT", "Systems Software");
  stock("JPM", "Diversified Banks");
  stock("XOM", "Integrated Oil & Gas");
  stock("MO", "Tobacco");
  stock("PM", "Tobacco");
  stock("STZ", "Distillers & Vintners");
  stock("DECK", "Footwear");
  for (const char* fund : {"IVV", "IJH", "IJR", "EFA", "EEM", "AGG", "TIP", "VNQ"}) {
    Must(master.Add({.symbol = fund, .type = SecurityType::kEtf}));
  }
  return master;
}

inline std::vector<Screen> TestScreens() {
  return {
      {.name = "tobacco", .sub_industries = {"Tobacco"}},
      {.name = "alcohol", .sub_industries = {"Brewers", "Distillers & Vintners"}},
      {.name = "fossil_fuels", .sub_industries = {"Integrated Oil & Gas"}},
      {.name = "faith", .symbols = {"XYZ"}, .includes = {"tobacco", "alcohol"}},
  };
}

inline ModelBook TestBook() {
  ModelBook book;
  Must(book.AddTemplate(BalancedV1()));
  Must(book.AddTemplate(BalancedV2()));
  Must(book.AddSecurityModel(Us500()));
  Must(book.AddSecurityModel(MidcapQuality()));
  for (Screen& screen : TestScreens()) Must(book.AddScreen(std::move(screen)));
  return book;
}

}  // namespace arbor::models::testing
