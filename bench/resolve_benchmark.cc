// Resolving a firm's accounts to security-level targets (core/models/resolution.h): 100,000
// accounts against 20 nine-class templates whose large-cap, mid-cap and international-developed
// leaves offer a 500-name direct-index model besides their ETF, with varied customizations:
// removals (pro rata and to a class), weight overrides, product switches to the direct indexes
// and screens drawn from a handful. Synthetic symbols, fixed seed. The issue asks for "seconds,
// not minutes".
//
// Each iteration builds a new Resolver (a cold cache, as a daily review would) and resolves every
// account; 1 or 2 threads share the resolver. Reported: the time per pass (median of 5) and
// accounts/s; targets and errors per pass as counters.
//
// Run: build-models/bench/resolve_benchmark
#include <benchmark/benchmark.h>

#include <random>
#include <thread>

#include "core/models/resolution.h"

namespace arbor::models {
namespace {

constexpr int kAccounts = 100'000;
constexpr int kTemplates = 20;
constexpr int kStocks = 2'000;
constexpr int kModelNames = 500;
constexpr int kSubIndustries = 60;

const Date kAsOf = *Date::Parse("2024-06-28");

struct Workload {
  ModelBook book;
  SecurityMaster master;
  std::vector<Customization> accounts;
};

std::string Stock(int i) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "S%04d", i);
  return buffer;
}

// 500 names from `first`, cap-like (Pareto) weights.
SecurityModel DirectIndex(const std::string& name, int first, std::mt19937_64& rng) {
  SecurityModel model{.name = name, .version = 1, .effective = *Date::Parse("2024-01-02")};
  std::exponential_distribution<double> tail(1.2);
  double sum = 0;
  for (int i = 0; i < kModelNames; ++i) {
    const double w = std::exp(tail(rng));
    model.weights.push_back({Stock(first + i), w});
    sum += w;
  }
  for (ModelWeight& w : model.weights) w.weight /= sum;
  return model;
}

// Leaf weights are relative to their parent; the band is wide enough for removals to stay in it.
AssetClass Leaf(const std::string& name, const std::string& parent, double weight, double absolute,
                std::vector<ProductOption> products) {
  AssetClass leaf{.name = name,
                  .parent = parent,
                  .weight = weight,
                  .min_weight = 0.25 * absolute,
                  .max_weight = std::min(1.0, 3 * absolute),
                  .products = std::move(products)};
  leaf.default_product = leaf.products.front().id;
  return leaf;
}

Template MakeTemplate(int t, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0, 1);
  const std::string tag = "-" + std::to_string(t);
  const double equity = 0.35 + 0.5 * u(rng), cash = 0.02;
  const double real = 0.05, bonds = 1 - equity - real - cash;
  const double us = 0.55 + 0.2 * u(rng), intl = 1 - us;
  const double large = 0.6 + 0.15 * u(rng), small = 0.1, mid = 1 - large - small;
  const double dev = 0.7 + 0.1 * u(rng), core = 0.7 + 0.15 * u(rng);
  Template tmpl{.name = "Template " + std::to_string(t),
                .version = 1,
                .effective = *Date::Parse("2024-01-02")};
  auto etf = [&](const char* symbol) {
    return ProductOption{symbol + tag, ProductKind::kEtf, symbol};
  };
  tmpl.classes = {
      {.name = "Equity", .weight = equity},
      {.name = "US Equity", .parent = "Equity", .weight = us},
      Leaf("US Large Cap", "US Equity", large, equity * us * large,
           {etf("IVV"), {"LC-DI" + tag, ProductKind::kDirectIndex, "LARGE-500"}}),
      Leaf("US Mid Cap", "US Equity", mid, equity * us * mid,
           {etf("IJH"), {"MC-DI" + tag, ProductKind::kDirectIndex, "MID-500"}}),
      Leaf("US Small Cap", "US Equity", small, equity * us * small, {etf("IJR")}),
      {.name = "International", .parent = "Equity", .weight = intl},
      Leaf("Intl Developed", "International", dev, equity * intl * dev,
           {etf("EFA"), {"DEV-DI" + tag, ProductKind::kDirectIndex, "INTL-500"}}),
      Leaf("Emerging Markets", "International", 1 - dev, equity * intl * (1 - dev), {etf("EEM")}),
      {.name = "Fixed Income", .weight = bonds},
      Leaf("Core Bonds", "Fixed Income", core, bonds * core, {etf("AGG")}),
      Leaf("TIPS", "Fixed Income", 1 - core, bonds * (1 - core), {etf("TIP")}),
      {.name = "Real Assets", .weight = real},
      Leaf("Real Estate", "Real Assets", 1, real, {etf("VNQ")}),
      Leaf("Cash", "", cash, cash, {{"CASH" + tag, ProductKind::kCash, ""}}),
  };
  return tmpl;
}

Customization MakeAccount(int a, const std::vector<Template>& templates, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0, 1);
  const size_t t = rng() % templates.size();
  const Template& tmpl = templates[t];
  const std::string tag = "-" + std::to_string(t);  // product ids are unique per template
  Customization c{.account = "A" + std::to_string(a), .template_name = tmpl.name};
  const double r = u(rng);
  if (r < 0.15) {
    c.removals.push_back({.asset_class = "Real Estate"});
  } else if (r < 0.25) {
    c.removals.push_back({.asset_class = "Emerging Markets",
                          .rule = Redistribution::kToClass,
                          .to_class = "Intl Developed"});
  } else if (r < 0.30) {
    c.removals.push_back({.asset_class = "TIPS"});
  }
  if (u(rng) < 0.3) {
    const AssetClass& large = tmpl.classes[2];
    const double absolute = tmpl.classes[0].weight * tmpl.classes[1].weight * large.weight;
    c.weights.push_back({.asset_class = "US Large Cap", .weight = absolute * (0.9 + 0.2 * u(rng))});
  }
  if (u(rng) < 0.6) c.products.push_back({.asset_class = "US Large Cap", .product = "LC-DI" + tag});
  if (u(rng) < 0.2) c.products.push_back({.asset_class = "US Mid Cap", .product = "MC-DI" + tag});
  if (u(rng) < 0.15) {
    c.products.push_back({.asset_class = "Intl Developed", .product = "DEV-DI" + tag});
  }
  static const std::vector<std::string> kScreens = {"tobacco",  "alcohol", "fossil_fuels",
                                                    "gambling", "defense", "faith"};
  if (u(rng) < 0.3) {
    c.screens.push_back(kScreens[rng() % kScreens.size()]);
    if (u(rng) < 0.4) c.screens.push_back(kScreens[rng() % kScreens.size()]);
  }
  return c;
}

const Workload& MakeWorkload() {
  static const Workload workload = [] {
    Workload w;
    std::mt19937_64 rng(20240628);
    for (int i = 0; i < kStocks; ++i) {
      (void)w.master.Add(
          {.symbol = Stock(i),
           .gics = {.sub_industry = "SubIndustry" + std::to_string(i % kSubIndustries)}});
    }
    (void)w.book.AddSecurityModel(DirectIndex("LARGE-500", 0, rng));
    (void)w.book.AddSecurityModel(DirectIndex("MID-500", 400, rng));  // 100 names shared
    (void)w.book.AddSecurityModel(DirectIndex("INTL-500", 1000, rng));
    (void)w.book.AddScreen({.name = "tobacco", .sub_industries = {"SubIndustry7"}});
    (void)w.book.AddScreen(
        {.name = "alcohol", .sub_industries = {"SubIndustry11", "SubIndustry12"}});
    (void)w.book.AddScreen({.name = "fossil_fuels",
                            .sub_industries = {"SubIndustry20", "SubIndustry21", "SubIndustry22"}});
    (void)w.book.AddScreen({.name = "gambling", .sub_industries = {"SubIndustry30"}});
    (void)w.book.AddScreen({.name = "defense", .sub_industries = {"SubIndustry40"}});
    (void)w.book.AddScreen({.name = "faith",
                            .symbols = {"S0003", "S0450"},
                            .includes = {"tobacco", "alcohol", "gambling"}});
    std::vector<Template> templates;
    for (int t = 0; t < kTemplates; ++t) {
      templates.push_back(MakeTemplate(t, rng));
      Status added = w.book.AddTemplate(templates.back());
      if (!added.ok()) std::fprintf(stderr, "%s\n", added.message().c_str());
    }
    for (int a = 0; a < kAccounts; ++a) w.accounts.push_back(MakeAccount(a, templates, rng));
    return w;
  }();
  return workload;
}

struct Tally {
  int64_t targets = 0;
  int64_t errors = 0;
  double checksum = 0;
};

void ResolveRange(const Resolver& resolver, const std::vector<Customization>& accounts,
                  size_t begin, size_t step, Tally* tally) {
  for (size_t i = begin; i < accounts.size(); i += step) {
    Result<Resolution> r = resolver.Resolve(accounts[i], kAsOf);
    if (!r.ok()) {
      ++tally->errors;
      continue;
    }
    tally->targets += static_cast<int64_t>(r->targets.size());
    tally->checksum += r->cash_weight;
  }
}

void BM_ResolveFirm(benchmark::State& state) {
  const Workload& workload = MakeWorkload();
  const int threads = static_cast<int>(state.range(0));
  Tally total;
  for (auto _ : state) {
    Resolver resolver(workload.book, workload.master);
    std::vector<Tally> tallies(threads);
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) {
      pool.emplace_back(ResolveRange, std::cref(resolver), std::cref(workload.accounts), t, threads,
                        &tallies[t]);
    }
    ResolveRange(resolver, workload.accounts, 0, threads, &tallies[0]);
    for (std::thread& t : pool) t.join();
    total = {};
    for (const Tally& t : tallies) {
      total.targets += t.targets;
      total.errors += t.errors;
      total.checksum += t.checksum;
    }
    benchmark::DoNotOptimize(total.checksum);
  }
  state.counters["accounts/s"] = benchmark::Counter(
      static_cast<double>(kAccounts) * state.iterations(), benchmark::Counter::kIsRate);
  state.counters["targets"] = static_cast<double>(total.targets);
  state.counters["errors"] = static_cast<double>(total.errors);
}
BENCHMARK(BM_ResolveFirm)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->Repetitions(5)
    ->UseRealTime()
    ->ReportAggregatesOnly(true);

}  // namespace
}  // namespace arbor::models

BENCHMARK_MAIN();
