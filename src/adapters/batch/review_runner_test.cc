#include "adapters/batch/review_runner.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "adapters/storage/custodian_positions_store.h"
#include "adapters/storage/rebalance_settings_store.h"
#include "adapters/storage/review_store.h"
#include "adapters/storage/risk_model_store.h"
#include "adapters/storage/store.h"
#include "adapters/storage/store_test_util.h"

namespace arbor {
namespace {

using testing_util::ScratchDir;

Date D(const char* text) { return *Date::Parse(text); }
const Date kFunded = D("2024-01-02");
const Date kReview = D("2024-06-28");
constexpr int kSecurityCount = 20;
constexpr int kAccountCount = 30;

std::string SymbolOf(int i) { return "S" + std::to_string(10 + i); }

// A firm of 30 taxable accounts over 20 stocks and one security whose prices stop in May,
// with a one-factor risk model, an equal-weight target list per account, and the custodian's
// positions. Built to be caught by the checks:
//   F03: the custodian reports one share more of a holding than the lots;
//   F05: holds STALE, whose last price is 2024-05-01;
//   F07: withdrew more cash than it had;
//   F09: holds nothing and has no targets (the review fails, the run goes on).
class ReviewRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override { path_ = Build(dir_.Path("firm.db")); }

  static std::string Build(const std::string& path) {
    std::unique_ptr<Store> store = std::move(Store::Open(path)).value();
    std::string securities = "symbol,type,sector\nSTALE,stock,Energy\n";
    for (int i = 0; i < kSecurityCount; ++i) {
      securities += SymbolOf(i) + ",stock," + (i % 2 ? "Energy" : "Utilities") + "\n";
    }
    ScratchDir files("review_runner_files");
    EXPECT_TRUE(store->ImportSecurities({files.Write("s.csv", securities)}).ok());
    std::mt19937_64 rng(7);
    std::map<std::string, std::pair<Price, Price>> prices;
    for (int i = 0; i < kSecurityCount; ++i) {
      const int64_t january = 20 + static_cast<int64_t>(rng() % 80);
      const int64_t june = january * (70 + static_cast<int64_t>(rng() % 60)) / 100;
      prices[SymbolOf(i)] = {Price::Units(january), Price::Units(june)};
      EXPECT_TRUE(store->PutPrices(SymbolOf(i), {{kFunded, Price::Units(january)},
                                                  {kReview, Price::Units(june)}})
                      .ok());
    }
    EXPECT_TRUE(store->PutPrices("STALE", {{kFunded, Price::Units(10)},
                                           {D("2024-05-01"), Price::Units(9)}})
                    .ok());
    std::vector<Account> accounts;
    std::vector<Event> events;
    std::string targets = "account,symbol,weight\n";
    for (int a = 0; a < kAccountCount; ++a) {
      const std::string id = std::string("F") + (a < 10 ? "0" : "") + std::to_string(a);
      accounts.push_back({.id = id,
                          .type = AccountType::kTaxable,
                          .taxpayers = {"T" + id},
                          .household = "H" + std::to_string(a / 3),
                          .advisor = a % 2 ? "ADAMS" : "BAKER"});
      events.push_back({.date = kFunded, .account = id, .action = EventAction::kDeposit,
                        .amount = Money::Units(100'000)});
      if (a == 9) continue;
      for (int k = 0; k < 8; ++k) {
        const std::string symbol = SymbolOf(static_cast<int>((a + 3 * k) % kSecurityCount));
        events.push_back({.date = kFunded, .account = id, .action = EventAction::kBuy,
                          .symbol = symbol, .shares = Shares::Units(100),
                          .price = prices[symbol].first});
        targets += id + "," + SymbolOf(static_cast<int>((a + 2 * k + 1) % kSecurityCount)) +
                   ",0.12\n";
      }
      if (a == 5) {
        events.push_back({.date = kFunded, .account = id, .action = EventAction::kBuy,
                          .symbol = "STALE", .shares = Shares::Units(10),
                          .price = Price::Units(10)});
      }
      if (a == 7) {
        events.push_back({.date = D("2024-06-03"), .account = id,
                          .action = EventAction::kWithdrawal, .amount = Money::Units(150'000)});
      }
    }
    EXPECT_TRUE(store->PutAccounts(accounts).ok());
    EXPECT_TRUE(store->AppendTransactions(events, "firm").ok());
    EXPECT_TRUE(ImportSecurityTargets(store->database(), {files.Write("t.csv", targets)}).ok());

    std::vector<CustodianPosition> positions;
    for (const Event& e : events) {
      if (e.action == EventAction::kBuy) {
        positions.push_back({.account = e.account, .symbol = e.symbol, .shares = e.shares});
      }
    }
    // Merge duplicates (an account may buy a symbol twice) and plant F03's extra share.
    std::map<std::pair<std::string, std::string>, Shares> merged;
    for (const CustodianPosition& p : positions) merged[{p.account, p.symbol}] += p.shares;
    positions.clear();
    bool planted = false;
    for (const auto& [key, shares] : merged) {
      Shares reported = shares;
      if (key.first == "F03" && !planted) {
        reported += Shares::Units(1);
        planted = true;
      }
      positions.push_back({.account = key.first, .symbol = key.second, .shares = reported});
    }
    EXPECT_TRUE(PutCustodianPositions(store->database(), kReview, positions).ok());

    RiskModel model;
    model.as_of = kReview;
    model.window = {.first = D("2022-07-01"), .last = kReview, .days = 504, .half_life_days = 126};
    model.factors = {{"Market", FactorKind::kMarket}};
    for (int i = 0; i < kSecurityCount; ++i) model.symbols.push_back(SymbolOf(i));
    model.loadings = Eigen::MatrixXd::Ones(kSecurityCount, 1);
    model.factor_covariance = Eigen::MatrixXd::Constant(1, 1, 0.03);
    model.specific_variance = Eigen::VectorXd::Constant(kSecurityCount, 0.04);
    EXPECT_TRUE(SaveRiskModel(store->database(), model).ok());
    return path;
  }

  // account -> "outcome status trades score" for every stored row of the run.
  static std::map<std::string, std::string> Rows(const std::string& path, int64_t run) {
    std::unique_ptr<Store> store = std::move(Store::Open(path)).value();
    Statement select =
        std::move(store->database()->Prepare(
                      "SELECT account, outcome, status, trades, round(score_usd, 4), "
                      "(SELECT count(*) FROM review_trades t WHERE t.run = r.run AND "
                      "t.account = r.account) FROM review_results r WHERE run = ?1"))
            .value();
    select.Bind(1, run);
    std::map<std::string, std::string> rows;
    while (*select.Step()) {
      rows[select.ColumnText(0)] = select.ColumnText(1) + " " + select.ColumnText(2) + " " +
                                   select.ColumnText(3) + " " + select.ColumnText(4) + " " +
                                   select.ColumnText(5);
    }
    return rows;
  }

  ScratchDir dir_{"review_runner"};
  std::string path_;
};

ReviewRunOptions Options(int threads) {
  return {.as_of = kReview, .threads = threads, .batch_size = 4, .started_at = "t0"};
}

TEST_F(ReviewRunnerTest, ReviewsEveryAccountAndSuspendsTheBadOnes) {
  size_t last_done = 0;
  const ReviewRunOutcome outcome =
      RunDailyReview(path_, Options(2), [&](const ReviewProgress& p) {
        EXPECT_GT(p.done, last_done);
        EXPECT_EQ(p.total, 30u);
        last_done = p.done;
      }).value();
  EXPECT_EQ(outcome.total, 30u);
  EXPECT_EQ(outcome.reviewed, 30u);
  EXPECT_FALSE(outcome.resumed);
  EXPECT_EQ(last_done, 30u);

  std::unique_ptr<Store> store = std::move(Store::Open(path_)).value();
  const ReviewTotals totals = LoadReviewTotals(store->database(), outcome.run).value();
  EXPECT_EQ(totals.outcomes.at("suspended"), 3);
  EXPECT_EQ(totals.outcomes.at("failed"), 1);
  EXPECT_EQ(totals.outcomes.at("proposed"), 26);
  ASSERT_EQ(totals.suspended.size(), 3u);
  EXPECT_EQ(totals.suspended[0].first, "F03");
  EXPECT_NE(totals.suspended[0].second.find("the custodian"), std::string::npos);
  EXPECT_EQ(totals.suspended[1].first, "F05");
  EXPECT_EQ(totals.suspended[1].second, "STALE: last price 2024-05-01, 58 days before the review");
  EXPECT_EQ(totals.suspended[2].first, "F07");
  EXPECT_NE(totals.suspended[2].second.find("cash is -"), std::string::npos);
  ASSERT_EQ(totals.failed.size(), 1u);
  EXPECT_EQ(totals.failed[0].first, "F09");
  EXPECT_NE(totals.failed[0].second.find("no target list"), std::string::npos)
      << totals.failed[0].second;

  const std::map<std::string, std::string> rows = Rows(path_, outcome.run);
  ASSERT_EQ(rows.size(), 30u);
  EXPECT_EQ(rows.at("F03").substr(0, 19), "suspended suspended");
  EXPECT_EQ(rows.at("F00").substr(0, 16), "proposed pending");

  // The loader's notes (e.g. the risk model used) are stored once each.
  Statement notes = std::move(store->database()->Prepare(
                                  "SELECT notes FROM review_results WHERE run = ?1 AND account = 'F00'"))
                        .value();
  notes.Bind(1, outcome.run);
  ASSERT_TRUE(*notes.Step());
  std::vector<std::string> lines;
  std::istringstream text(notes.ColumnText(0));
  for (std::string line; std::getline(text, line);) lines.push_back(line);
  EXPECT_FALSE(lines.empty());
  EXPECT_EQ(std::set<std::string>(lines.begin(), lines.end()).size(), lines.size()) << notes.ColumnText(0);
}

TEST_F(ReviewRunnerTest, ResultsDoNotDependOnTheThreadCount) {
  ScratchDir other("review_runner_other");
  const std::string copy = Build(other.Path("firm.db"));
  const int64_t one = RunDailyReview(path_, Options(1), nullptr).value().run;
  const int64_t four = RunDailyReview(copy, Options(4), nullptr).value().run;
  EXPECT_EQ(Rows(path_, one), Rows(copy, four));
}

// The batch runner against a store that fails on the Nth write (docs/review.md): the run stops
// with the error, what was committed stays, and running again finishes it with exactly the
// rows an uninterrupted run stores.
class FailingSink : public ReviewSink {
 public:
  FailingSink(const std::string& path, int fail_on) : fail_on_(fail_on) {
    store_ = std::move(Store::Open(path)).value();
  }
  Status Write(int64_t run, const std::vector<review::ReviewRecord>& records) override {
    if (++writes_ == fail_on_) return Status::Internal("disk full (injected)");
    ARBOR_RETURN_IF_ERROR(SaveReviewRecords(store_->database(), run, records));
    written_ += records.size();
    return Status::Ok();
  }
  size_t written() const { return written_; }

 private:
  std::unique_ptr<Store> store_;
  int fail_on_;
  int writes_ = 0;
  size_t written_ = 0;
};

TEST_F(ReviewRunnerTest, AFailedWriteStopsTheRunAndARerunResumesIt) {
  FailingSink failing(path_, 3);
  Result<ReviewRunOutcome> stopped = RunDailyReview(path_, Options(2), nullptr, &failing);
  ASSERT_FALSE(stopped.ok());
  EXPECT_NE(stopped.status().message().find("disk full (injected)"), std::string::npos);
  EXPECT_NE(stopped.status().message().find("run it again to resume"), std::string::npos);

  std::unique_ptr<Store> store = std::move(Store::Open(path_)).value();
  const int64_t run = UnfinishedReviewRun(store->database(), kReview).value().value();
  // The two batches written before the failure, and nothing of the failed one.
  EXPECT_EQ(ReviewedAccounts(store->database(), run).value().size(), failing.written());
  EXPECT_GE(failing.written(), 2u);
  EXPECT_LE(failing.written(), 8u);

  const ReviewRunOutcome resumed = RunDailyReview(path_, Options(2), nullptr).value();
  EXPECT_TRUE(resumed.resumed);
  EXPECT_EQ(resumed.run, run);
  EXPECT_EQ(resumed.already_done, failing.written());
  EXPECT_EQ(resumed.reviewed, 30u - failing.written());
  EXPECT_FALSE(UnfinishedReviewRun(store->database(), kReview).value().has_value());

  ScratchDir other("review_runner_clean");
  const std::string clean = Build(other.Path("firm.db"));
  const int64_t uninterrupted = RunDailyReview(clean, Options(2), nullptr).value().run;
  EXPECT_EQ(Rows(path_, run), Rows(clean, uninterrupted));
}

int64_t StoredRows(const std::string& path) {
  std::unique_ptr<Store> store = std::move(Store::Open(path)).value();
  Statement count =
      std::move(store->database()->Prepare("SELECT count(*) FROM review_results")).value();
  return *count.Step() ? count.ColumnInt(0) : 0;
}

// A run killed with SIGKILL part way (a child process, slowed down after each stored batch)
// is resumed by the next run: nothing lost, nothing twice, the same rows as a clean run.
TEST_F(ReviewRunnerTest, ARunKilledPartWayIsResumedWithoutLossOrDoubles) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    RunDailyReview(path_, Options(2), [](const ReviewProgress&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    });
    _exit(0);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (StoredRows(path_) < 4 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the review finished before it could be killed";
  const int64_t stored = StoredRows(path_);
  EXPECT_GE(stored, 4);
  EXPECT_LT(stored, 30);

  const ReviewRunOutcome resumed = RunDailyReview(path_, Options(2), nullptr).value();
  EXPECT_TRUE(resumed.resumed);
  EXPECT_EQ(resumed.already_done, static_cast<size_t>(stored));
  EXPECT_EQ(resumed.reviewed, 30u - static_cast<size_t>(stored));
  ScratchDir other("review_runner_unkilled");
  const std::string clean = Build(other.Path("firm.db"));
  const int64_t uninterrupted = RunDailyReview(clean, Options(2), nullptr).value().run;
  EXPECT_EQ(Rows(path_, resumed.run), Rows(clean, uninterrupted));
}

TEST_F(ReviewRunnerTest, AFinishedRunIsNotResumedButANewOneStarts) {
  const int64_t first = RunDailyReview(path_, Options(2), nullptr).value().run;
  const ReviewRunOutcome second = RunDailyReview(path_, Options(2), nullptr).value();
  EXPECT_NE(second.run, first);
  EXPECT_FALSE(second.resumed);
  EXPECT_EQ(second.reviewed, 30u);
}

TEST_F(ReviewRunnerTest, UnknownAccountInTheScopeIsAnError) {
  ReviewRunOptions options = Options(1);
  options.accounts = {"F01", "NOPE"};
  Result<ReviewRunOutcome> outcome = RunDailyReview(path_, options, nullptr);
  ASSERT_FALSE(outcome.ok());
  EXPECT_NE(outcome.status().message().find("unknown account 'NOPE'"), std::string::npos);
}

}  // namespace
}  // namespace arbor
