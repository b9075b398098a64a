#include "adapters/batch/review_runner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "adapters/batch/account_review.h"
#include "adapters/batch/household_review.h"
#include "adapters/storage/household_store.h"
#include "adapters/storage/rebalance_context.h"
#include "adapters/storage/review_store.h"
#include "adapters/storage/store.h"

namespace arbor {
namespace {

class DatabaseSink : public ReviewSink {
 public:
  explicit DatabaseSink(Database* db) : db_(db) {}
  Status Write(int64_t run, const std::vector<review::ReviewRecord>& records) override {
    return SaveReviewRecords(db_, run, records);
  }

 private:
  Database* db_;
};

// Records from the workers to the writer, a unit (an account, or a household reviewed as one)
// at a time: a unit's records are written in one transaction, so a resumed run never finds half
// a household. Bounded, so a slow disk holds the workers back instead of growing memory.
class RecordQueue {
 public:
  explicit RecordQueue(size_t capacity) : capacity_(capacity) {}

  // False when the run is stopping.
  bool Push(std::vector<review::ReviewRecord> unit) {
    std::unique_lock lock(mutex_);
    space_.wait(lock, [&] { return units_.size() < capacity_ || stopping_; });
    if (stopping_) return false;
    units_.push_back(std::move(unit));
    ready_.notify_one();
    return true;
  }

  // Whole units, up to `most` records unless one unit alone has more; waits until there is one,
  // or every producer is done. Empty: all done.
  std::vector<review::ReviewRecord> Pop(size_t most) {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return !units_.empty() || producers_ == 0; });
    std::vector<review::ReviewRecord> batch;
    while (!units_.empty() && (batch.empty() || batch.size() + units_.front().size() <= most)) {
      for (review::ReviewRecord& record : units_.front()) batch.push_back(std::move(record));
      units_.pop_front();
    }
    space_.notify_all();
    return batch;
  }

  void SetProducers(int producers) {
    std::lock_guard lock(mutex_);
    producers_ = producers;
  }
  void ProducerDone() {
    std::lock_guard lock(mutex_);
    --producers_;
    ready_.notify_all();
  }
  void Stop() {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    space_.notify_all();
  }

 private:
  const size_t capacity_;
  std::mutex mutex_;
  std::condition_variable ready_, space_;
  std::deque<std::vector<review::ReviewRecord>> units_;
  int producers_ = 0;
  bool stopping_ = false;
};

// The accounts of the scope, checked against the database, in id order.
Result<std::vector<const Account*>> Scope(const RebalanceContext& context,
                                          const std::vector<std::string>& wanted) {
  std::vector<const Account*> scope;
  if (wanted.empty()) {
    for (const Account& account : context.accounts()) scope.push_back(&account);
  } else {
    for (const std::string& id : wanted) {
      const Account* account = context.FindAccount(id);
      if (account == nullptr) {
        return Status::NotFound("unknown account '" + id +
                                "'; import it with `arbor import accounts`");
      }
      scope.push_back(account);
    }
  }
  std::sort(scope.begin(), scope.end(),
            [](const Account* a, const Account* b) { return a->id < b->id; });
  scope.erase(std::unique(scope.begin(), scope.end()), scope.end());
  return scope;
}

// What one worker reviews at a time: an account alone, or a household with a target and all
// its members (even those outside the scope: the household is one proposal).
struct ReviewUnit {
  std::string household;  // empty: one account
  std::vector<const Account*> accounts;
};

Result<std::vector<ReviewUnit>> Units(Store& store, const RebalanceContext& context,
                                      const std::vector<const Account*>& scope) {
  Result<std::vector<HouseholdSummary>> households = ListHouseholds(store);
  if (!households.ok()) return households.status();
  std::map<std::string, ReviewUnit> joint;
  for (const HouseholdSummary& household : *households) {
    if (!household.template_name.empty() && household.accounts > 0) joint[household.id].household = household.id;
  }
  for (const Account& account : context.accounts()) {
    auto unit = joint.find(account.household);
    if (unit != joint.end()) unit->second.accounts.push_back(&account);
  }
  std::vector<ReviewUnit> units;
  std::set<std::string> added;
  for (const Account* account : scope) {
    auto unit = joint.find(account->household);
    if (unit == joint.end()) {
      units.push_back({"", {account}});
    } else if (added.insert(account->household).second) {
      std::sort(unit->second.accounts.begin(), unit->second.accounts.end(),
                [](const Account* a, const Account* b) { return a->id < b->id; });
      units.push_back(unit->second);
    }
  }
  return units;
}

int ThreadCount(int asked) {
  if (asked > 0) return asked;
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace

Result<ReviewRunOutcome> RunDailyReview(const std::string& db_path,
                                        const ReviewRunOptions& options,
                                        const std::function<void(const ReviewProgress&)>& progress,
                                        ReviewSink* sink) {
  const auto start = std::chrono::steady_clock::now();
  Result<std::unique_ptr<Store>> store = Store::Open(db_path);
  if (!store.ok()) return store.status();
  Database* db = (*store)->database();
  Result<std::unique_ptr<RebalanceContext>> context = RebalanceContext::Load(**store, options.as_of);
  if (!context.ok()) return context.status();
  const RebalanceContext& shared = **context;
  Result<std::vector<const Account*>> scope = Scope(shared, options.accounts);
  if (!scope.ok()) return scope.status();
  Result<std::vector<ReviewUnit>> units = Units(**store, shared, *scope);
  if (!units.ok()) return units.status();
  size_t total = 0;
  for (const ReviewUnit& unit : *units) total += unit.accounts.size();

  ReviewRunOutcome outcome{.as_of = shared.as_of(), .total = total};
  std::set<std::string> done;
  if (options.resume) {
    Result<std::optional<int64_t>> unfinished = UnfinishedReviewRun(db, shared.as_of());
    if (!unfinished.ok()) return unfinished.status();
    if (unfinished->has_value()) {
      outcome.run = **unfinished;
      outcome.resumed = true;
      Result<std::set<std::string>> stored = ReviewedAccounts(db, outcome.run);
      if (!stored.ok()) return stored.status();
      done = std::move(stored).value();
    }
  }
  if (!outcome.resumed) {
    Result<int64_t> run = StartReviewRun(db, shared.as_of(), options.started_at, static_cast<int64_t>(total));
    if (!run.ok()) return run.status();
    outcome.run = *run;
  }
  // A unit's records are stored together, so one stored member means the whole unit is.
  std::vector<const ReviewUnit*> pending;
  for (const ReviewUnit& unit : *units) {
    if (done.contains(unit.accounts.front()->id)) {
      outcome.already_done += unit.accounts.size();
    } else {
      pending.push_back(&unit);
    }
  }

  DatabaseSink database_sink(db);
  ReviewSink& writer = sink != nullptr ? *sink : database_sink;
  const int threads = std::min<int>(ThreadCount(options.threads),
                                    std::max<size_t>(1, pending.size()));
  RecordQueue queue(options.batch_size * 4);
  queue.SetProducers(threads);
  std::atomic<size_t> next{0};
  std::mutex worker_error_mutex;
  Status worker_error;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      Result<std::unique_ptr<Store>> own = Store::Open(db_path);
      if (!own.ok()) {
        std::lock_guard lock(worker_error_mutex);
        worker_error = own.status();
      } else {
        for (size_t i = next++; i < pending.size(); i = next++) {
          const ReviewUnit& unit = *pending[i];
          std::vector<review::ReviewRecord> records =
              unit.household.empty()
                  ? std::vector<review::ReviewRecord>{ReviewAccount(**own, shared, *unit.accounts.front(),
                                                                    options.thresholds)}
                  : ReviewHousehold(**own, shared, unit.household, unit.accounts, options.thresholds);
          if (!queue.Push(std::move(records))) break;
        }
      }
      queue.ProducerDone();
    });
  }

  Status write_error;
  ReviewProgress report{.done = outcome.already_done, .total = outcome.total};
  while (true) {
    std::vector<review::ReviewRecord> batch = queue.Pop(options.batch_size);
    if (batch.empty()) break;
    write_error = writer.Write(outcome.run, batch);
    if (!write_error.ok()) {
      queue.Stop();
      break;
    }
    report.done += batch.size();
    report.done_this_session += batch.size();
    report.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (progress) progress(report);
  }
  for (std::thread& worker : workers) worker.join();
  if (!write_error.ok()) {
    return write_error.WithContext("review run " + std::to_string(outcome.run) +
                                   " stopped; run it again to resume");
  }
  if (!worker_error.ok()) return worker_error;
  ARBOR_RETURN_IF_ERROR(FinishReviewRun(
      db, outcome.run, options.now ? options.now() : options.started_at));
  outcome.reviewed = report.done_this_session;
  outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return outcome;
}

}  // namespace arbor
