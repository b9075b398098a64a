// The `arbor` binary end to end, as a user runs it: replay, init, imports (a bad row names its
// file, line and field and changes nothing), lots and gains in every format.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace arbor {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct CommandResult {
  int exit_code;
  std::string out;  // stdout and stderr together
};

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("arbor_cli_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }

  CommandResult Arbor(const std::string& args) { return ArborOn((dir_ / "t.db").string(), args); }

  CommandResult ArborOn(const std::string& db, const std::string& args) {
    std::string command = std::string(ARBOR_BINARY) + " --db " + db + " " + args + " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    std::string out;
    std::array<char, 4096> buffer;
    size_t n;
    while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
    int status = pclose(pipe);
    return {WEXITSTATUS(status), out};
  }

  // A database with real S&P 500 securities, two accounts of one taxpayer and an opening lot.
  void SetUpFirm() {
    ASSERT_EQ(Arbor("init").exit_code, 0);
    CommandResult securities = Arbor(std::string("import securities ") + ARBOR_SHARED_DATA_DIR +
                           "/sp500-constituents/constituents_2021-04-24.csv");
    ASSERT_EQ(securities.exit_code, 0) << securities.out;
    std::string accounts = Write("accounts.csv",
                                 "id,type,taxpayers,household,name\n"
                                 "TAX,taxable,ann,h1,Ann brokerage\n"
                                 "IRA,traditional_ira,ann,h1,Ann IRA\n");
    ASSERT_EQ(Arbor("import accounts " + accounts).exit_code, 0);
    std::string lots = Write("lots.csv",
                             "account,symbol,lot_id,shares,basis,acquired\n"
                             "TAX,MMM,OLD,10,1000,2015-03-02\n");
    CommandResult imported = Arbor("import lots " + lots);
    ASSERT_EQ(imported.exit_code, 0) << imported.out;
  }

  fs::path dir_;
};

TEST_F(CliTest, ReplayExampleShowsWashSales) {
  CommandResult run = Arbor(std::string("replay --input ") + ARBOR_SOURCE_DIR +
                  "/docs/examples/wash-sale-replay.json");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  json out = json::parse(run.out);
  EXPECT_EQ(out["realized"][0]["form8949_code"], "W");
  EXPECT_EQ(out["realized"][1]["disallowed_permanently"], true);
  EXPECT_DOUBLE_EQ(out["totals"]["wash_disallowed_total"].get<double>(), 350);
}

TEST_F(CliTest, ReplayErrorNamesTheEvent) {
  std::string input = Write("bad.json", R"({"events": [
      {"date": "2024-01-02", "action": "buy", "symbol": "X", "shares": 1, "price": 1},
      {"date": "2024-01-03", "action": "sell", "symbol": "X", "shares": 2, "price": 1}]})");
  CommandResult run = Arbor("replay --input " + input);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find("events[1] (2024-01-03 sell X)"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("more than held (1)"), std::string::npos) << run.out;
}

TEST_F(CliTest, BadImportNamesFileLineFieldAndChangesNothing) {
  SetUpFirm();
  std::string trades = Write("trades.csv",
                             "id,date,account,action,symbol,shares,price\n"
                             "t1,2024-01-02,TAX,buy,AAPL,10,150\n"
                             "t2,2024-01-03,TAX,buy,AAPL,-5,150\n");
  CommandResult bad = Arbor("import transactions " + trades);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.out.find("trades.csv:3: shares:"), std::string::npos) << bad.out;
  CommandResult lots = Arbor("lots TAX --format json");
  ASSERT_EQ(lots.exit_code, 0) << lots.out;
  EXPECT_EQ(json::parse(lots.out)["lots"].size(), 1u) << "t1 must not have been kept";

  std::string oversell = Write("oversell.csv",
                               "id,date,account,action,symbol,shares,price\n"
                               "s1,2024-02-01,TAX,sell,MMM,11,150\n");
  CommandResult sold = Arbor("import transactions " + oversell);
  EXPECT_EQ(sold.exit_code, 1);
  EXPECT_NE(sold.out.find("oversell.csv:2"), std::string::npos) << sold.out;
  EXPECT_NE(sold.out.find("more than held"), std::string::npos) << sold.out;
}

TEST_F(CliTest, LotsAndGainsAcrossAccountsOfOneTaxpayer) {
  SetUpFirm();
  // A loss sale in TAX washed by a purchase in the IRA: disallowed for good (Rev. Rul. 2008-5).
  std::string trades = Write("trades.csv",
                             "id,date,account,action,symbol,shares,price,fees\n"
                             "t1,2024-01-02,TAX,buy,AAPL,10,150,1\n"
                             "t2,2024-03-01,TAX,sell,AAPL,10,120,1\n"
                             "t3,2024-03-15,IRA,buy,AAPL,10,121,0\n"
                             "t4,2024-05-01,TAX,sell,MMM,4,150,0\n");
  CommandResult imported = Arbor("import transactions " + trades);
  ASSERT_EQ(imported.exit_code, 0) << imported.out;
  EXPECT_NE(imported.out.find("4 inserted"), std::string::npos) << imported.out;
  CommandResult again = Arbor("import transactions " + trades + " --format json");
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_EQ(json::parse(again.out)["unchanged"], 4) << "re-import is idempotent";

  CommandResult gains = Arbor("gains TAX --year 2024 --format json");
  ASSERT_EQ(gains.exit_code, 0) << gains.out;
  json form = json::parse(gains.out);
  const json& short_row = form["part_i_short_term"]["rows"][0];
  EXPECT_DOUBLE_EQ(short_row["proceeds"].get<double>(), 1199);
  EXPECT_DOUBLE_EQ(short_row["basis"].get<double>(), 1501);
  EXPECT_EQ(short_row["code"], "W");
  EXPECT_DOUBLE_EQ(short_row["adjustment"].get<double>(), 302);
  EXPECT_EQ(short_row["disallowed_permanently"], true);
  const json& long_row = form["part_ii_long_term"]["rows"][0];
  EXPECT_DOUBLE_EQ(long_row["gain"].get<double>(), 200);  // 4 x 150 - 4/10 x 1000

  CommandResult text = Arbor("gains TAX --year 2024");
  EXPECT_NE(text.out.find("Part I, short-term"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("permanently"), std::string::npos) << text.out;
  CommandResult csv = Arbor("gains TAX --year 2024 --format csv");
  EXPECT_NE(csv.out.find("I,10 sh AAPL,2024-01-02,2024-03-01,1199.00,1501.00,W,302.00,0.00"),
            std::string::npos)
      << csv.out;

  CommandResult ira = Arbor("lots IRA --format json");
  json ira_lots = json::parse(ira.out)["lots"];
  ASSERT_EQ(ira_lots.size(), 1u);
  EXPECT_DOUBLE_EQ(ira_lots[0]["basis_total"].get<double>(), 1210) << "no basis adjustment";

  CommandResult as_of = Arbor("lots TAX --as-of 2024-02-01 --format json");
  EXPECT_EQ(json::parse(as_of.out)["lots"].size(), 2u);
  CommandResult unknown = Arbor("lots NOPE");
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.out.find("NOPE"), std::string::npos) << unknown.out;
}

// The main job end to end on the real data: the demo builds its database, estimates the risk
// models and prints the March 2020 proposal; the commands it suggests then work on that database.
TEST_F(CliTest, DemoEndsWithAHarvestProposalAndLeavesAUsableDatabase) {
  const std::string db = (dir_ / "demo.db").string();
  CommandResult demo = Arbor("demo --out " + db);
  ASSERT_EQ(demo.exit_code, 0) << demo.out;
  EXPECT_NE(demo.out.find("[8/16] rebalancing SMITH-JOINT as of 2020-03-20"), std::string::npos) << demo.out;
  // The householding step: the 60/40 -> 70/30 shift with no gain realized in taxable.
  EXPECT_NE(demo.out.find("gains realized in the taxable account 0 ("), std::string::npos) << demo.out;
  EXPECT_NE(demo.out.find("Cost-benefit score"), std::string::npos) << demo.out;
  EXPECT_NE(demo.out.find("harvest"), std::string::npos) << demo.out;
  // The IPC's catalogue, 300 customized accounts, the tactical shift's reach and a what-if.
  EXPECT_NE(demo.out.find("300 accounts"), std::string::npos) << demo.out;
  EXPECT_NE(demo.out.find("Reach at the first review on or after 2021-04-01"), std::string::npos)
      << demo.out;
  const size_t what_if = demo.out.find("What-if for ");
  ASSERT_NE(what_if, std::string::npos) << demo.out;
  const std::string showcase =
      demo.out.substr(what_if + 12, demo.out.find(' ', what_if + 12) - what_if - 12);
  CommandResult targets = ArborOn(db, "account show " + showcase + " --all");
  ASSERT_EQ(targets.exit_code, 0) << targets.out;
  EXPECT_NE(targets.out.find("SP500 v3"), std::string::npos) << "lineage: " << targets.out;
  CommandResult change = ArborOn(db, "whatif " + showcase + " --add-screen tobacco --json");
  ASSERT_EQ(change.exit_code, 0) << change.out;
  json compared = json::parse(change.out);
  EXPECT_EQ(compared["as_of"], "2021-04-21");
  EXPECT_GT(compared["with_change"]["sold_fraction"].get<double>(), 0);
  EXPECT_LT(compared["seconds"].get<double>(), 5);
  // Then what tax management did for that account, against its tax-blind shadow.
  EXPECT_NE(demo.out.find("] what tax management did for " + showcase), std::string::npos) << demo.out;
  EXPECT_NE(demo.out.find("Taxes saved or deferred for " + showcase), std::string::npos) << demo.out;
  EXPECT_NE(demo.out.find("By source: Losses harvested"), std::string::npos) << demo.out;

  CommandResult model = ArborOn(db, "riskmodel show --as-of 2020-03-31 --format json");
  ASSERT_EQ(model.exit_code, 0) << model.out;
  json summary = json::parse(model.out);
  EXPECT_EQ(summary["as_of"], "2020-03-20") << "the latest model on or before the date";
  EXPECT_EQ(summary["factors"].size(), 20u);

  CommandResult rebalance = ArborOn(db, "rebalance LEE-TAXABLE --as-of 2020-03-20 --json");
  ASSERT_EQ(rebalance.exit_code, 0) << rebalance.out;
  json proposal = json::parse(rebalance.out);
  EXPECT_GT(proposal["score"]["dollars"].get<double>(), 0);
  std::map<std::string, std::set<std::string>> sides;  // symbol -> sides traded
  for (const json& trade : proposal["trades"]) sides[trade["symbol"]].insert(trade["side"]);
  for (const auto& [symbol, traded] : sides) EXPECT_EQ(traded.size(), 1u) << symbol << " bought and sold";

  // The daily review of every account and the rebalancing group's workflow on it.
  EXPECT_NE(demo.out.find("Review of 2021-04-21 (run 1)"), std::string::npos) << demo.out;
  EXPECT_NE(demo.out.find("Released to the trading desk: "), std::string::npos) << demo.out;
  CommandResult stored = ArborOn(db, "review show " + showcase);
  ASSERT_EQ(stored.exit_code, 0) << stored.out;
  EXPECT_NE(stored.out.find("Review of " + showcase + " as of 2021-04-21 (run 1)"),
            std::string::npos)
      << stored.out;
  CommandResult audit = ArborOn(db, "workbench audit");
  ASSERT_EQ(audit.exit_code, 0) << audit.out;
  for (const char* action : {"suspend", "approve", "review", "release", "export"}) {
    EXPECT_NE(audit.out.find(action), std::string::npos) << action << " not audited: " << audit.out;
  }
  EXPECT_TRUE(std::filesystem::exists(db + "-blotter.csv"));
  EXPECT_TRUE(std::filesystem::exists(db + "-blocks.csv"));
}

TEST_F(CliTest, SolvePrintsTheResultWithTheSpecKeys) {
  CommandResult run = Arbor(std::string("solve --problem ") + ARBOR_SHARED_DATA_DIR +
                            "/../docs/reference-problems/ref01.json");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  nlohmann::ordered_json out = nlohmann::ordered_json::parse(run.out);
  std::vector<std::string> keys;
  for (const auto& [key, value] : out.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"status", "objective", "terms", "buys", "sells",
                                            "cash_after", "tracking_error", "iterations",
                                            "residuals"}));
  EXPECT_EQ(out["status"], "optimal");
  EXPECT_NEAR(out["objective"].get<double>(), -30934.376792, 1e-7 * 30934.376792);
  EXPECT_EQ(out["terms"].size(), 4u);
  EXPECT_TRUE(out["terms"].contains("drift"));
  EXPECT_TRUE(out["buys"].is_object());
  EXPECT_TRUE(out["sells"].is_object());
  EXPECT_GT(out["iterations"].get<int>(), 0);
  EXPECT_LE(out["residuals"]["gap"].get<double>(), 1e-6);
}

TEST_F(CliTest, SolveErrorsNameTheFileAndField) {
  std::string negative_price = Write("bad.json", R"({
      "cash": {"balance": 1000},
      "risk": {"aversion": 1, "factor_covariance": []},
      "securities": [{"symbol": "BBB", "price": -1, "target_weight": 0.5}],
      "lots": []})");
  CommandResult bad = Arbor("solve --problem " + negative_price);
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.out.find("bad.json: securities[BBB].price: must be > 0, got -1"), std::string::npos)
      << bad.out;

  CommandResult syntax = Arbor("solve --problem " + Write("syntax.json", "{\"cash\": }"));
  EXPECT_NE(syntax.exit_code, 0);
  EXPECT_NE(syntax.out.find("syntax.json: not valid JSON: parse error at line 1"),
            std::string::npos)
      << syntax.out;

  CommandResult tolerance = Arbor("solve --tolerance 0 --problem " + negative_price);
  EXPECT_NE(tolerance.exit_code, 0);
  EXPECT_NE(tolerance.out.find("tolerance: must be in (0, 0.01], got 0"), std::string::npos)
      << tolerance.out;
}

// The household file of docs/rebalance-problem.md section 4, as docs/optimizer.md shows it.
TEST_F(CliTest, SolveReadsAHouseholdFile) {
  const std::string example =
      std::string(ARBOR_SOURCE_DIR) + "/docs/examples/household-problem.json";
  CommandResult run = Arbor("solve --problem " + example);
  ASSERT_EQ(run.exit_code, 0) << run.out;
  nlohmann::ordered_json out = nlohmann::ordered_json::parse(run.out);
  std::vector<std::string> keys;
  for (const auto& [key, value] : out.items()) keys.push_back(key);
  EXPECT_EQ(keys,
            (std::vector<std::string>{"status", "objective", "terms", "buys", "sells", "accounts",
                                      "tracking_error", "iterations", "residuals"}));
  EXPECT_EQ(out["status"], "optimal");
  EXPECT_TRUE(out["terms"].contains("location"));
  for (const char* account : {"TAX", "IRA", "ROTH"}) {
    EXPECT_TRUE(out["buys"].contains(account)) << account;
    EXPECT_TRUE(out["sells"].contains(account)) << account;
    EXPECT_TRUE(out["accounts"][account].contains("cash_after")) << account;
  }
  // Tax-free accounts realize no tax, and the Roth buys nothing outside its "allowed" list.
  EXPECT_EQ(out["accounts"]["IRA"]["tax"].get<double>(), 0.0);
  EXPECT_EQ(out["accounts"]["ROTH"]["tax"].get<double>(), 0.0);
  EXPECT_FALSE(out["buys"]["ROTH"].contains("BND"));
  // The IRA, which prefers bonds and REITs, ends holding more of them than it started with.
  EXPECT_GT(out["buys"]["IRA"].value("BND", 0.0), out["sells"]["IRA"].value("I1", 0.0));
  EXPECT_LE(out["residuals"]["gap"].get<double>(), 1e-6);

  // A negative lot in the IRA is an error naming the file, the account and the field.
  std::ifstream in(example);
  nlohmann::json broken = nlohmann::json::parse(in);
  broken["accounts"][1]["lots"][0]["shares"] = -3;
  CommandResult bad = Arbor("solve --problem " + Write("household.json", broken.dump()));
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.out.find("household.json: accounts[IRA].lots[I1].shares: must be > 0, got -3"),
            std::string::npos)
      << bad.out;
}

}  // namespace
}  // namespace arbor
