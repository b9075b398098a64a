#include "core/models/index_construction.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <set>
#include <utility>

#include "core/models/risk_reallocator.h"

namespace arbor::models {
namespace {

// Fewer common names than this and the median ratio of fund to snapshot shares says little.
constexpr size_t kMinOwnershipSample = 20;

// Weights largest first (then by symbol), the order a reader scans a model in.
void SortByWeight(std::vector<ModelWeight>* weights) {
  std::sort(weights->begin(), weights->end(), [](const ModelWeight& a, const ModelWeight& b) {
    return a.weight != b.weight ? a.weight > b.weight : a.symbol < b.symbol;
  });
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

// Moves share counts between dates through the splits of each symbol.
class SplitCalendar {
 public:
  explicit SplitCalendar(const std::vector<SplitEvent>& splits) {
    for (const SplitEvent& split : splits) by_symbol_[split.symbol].push_back(split);
  }

  // The factor that turns a share count held at the close of `from` into the same holding at
  // the close of `to`: splits with an ex-date in (from, to] multiply it, and going back in
  // time those in (to, from] divide it.
  double Factor(const std::string& symbol, Date from, Date to) const {
    auto found = by_symbol_.find(symbol);
    if (found == by_symbol_.end()) return 1;
    double factor = 1;
    for (const SplitEvent& split : found->second) {
      if (from < split.ex_date && split.ex_date <= to) factor *= split.ratio;
      if (to < split.ex_date && split.ex_date <= from) factor /= split.ratio;
    }
    return factor;
  }

 private:
  std::map<std::string, std::vector<SplitEvent>> by_symbol_;
};

Status CheckPositive(const std::string& what, double value) {
  if (std::isfinite(value) && value > 0) return Status::Ok();
  return Status::InvalidArgument(what + ": must be > 0, got " + std::to_string(value));
}

}  // namespace

Result<SecurityModel> ModelFromFundPositions(const FundPositions& holdings,
                                             const std::string& name) {
  SecurityModel model{.name = name, .version = 1, .effective = holdings.as_of};
  std::set<std::string> seen;
  double total = 0;
  for (const FundPosition& h : holdings.holdings) {
    const std::string field = "fund " + holdings.fund + ": holdings[" + h.symbol + "]";
    ARBOR_RETURN_IF_ERROR(CheckPositive(field + ".market_value", h.market_value));
    if (!seen.insert(h.symbol).second) {
      return Status::InvalidArgument(field + ": listed twice");
    }
    model.weights.push_back({h.symbol, h.market_value});
    total += h.market_value;
  }
  if (model.weights.empty()) {
    return Status::InvalidArgument("fund " + holdings.fund + ": no stock holdings");
  }
  for (ModelWeight& w : model.weights) w.weight /= total;
  SortByWeight(&model.weights);
  model.description = "weights of " + holdings.fund + "'s holdings of " +
                      holdings.as_of.ToString() + " (" + std::to_string(model.weights.size()) +
                      " stocks)";
  return model;
}

Result<CapWeightedIndex> BuildCapWeightedIndex(const CapWeightInputs& in, const std::string& name) {
  const SplitCalendar splits(in.splits);
  std::map<std::string, double> fund_shares;
  for (const FundPosition& h : in.fund.holdings) {
    ARBOR_RETURN_IF_ERROR(
        CheckPositive("fund " + in.fund.fund + ": holdings[" + h.symbol + "].shares", h.shares));
    fund_shares[h.symbol] += h.shares;
  }
  auto fund_on_date = [&](const std::string& symbol) {
    return fund_shares.at(symbol) * splits.Factor(symbol, in.fund.as_of, in.date);
  };
  auto snapshot_on_date = [&](const std::string& symbol) {
    return in.snapshot.shares.at(symbol) * splits.Factor(symbol, in.snapshot.as_of, in.date);
  };

  CapWeightedIndex index;
  std::vector<std::string> priced;
  std::vector<double> ownership;
  bool snapshot_needed = false;
  for (const std::string& symbol : std::set<std::string>(in.members.begin(), in.members.end())) {
    auto price = in.prices.find(symbol);
    if (price == in.prices.end()) {
      index.without_price.push_back(symbol);
      continue;
    }
    ARBOR_RETURN_IF_ERROR(CheckPositive("prices[" + symbol + "]", price->second));
    const bool in_fund = fund_shares.contains(symbol);
    const bool in_snapshot = in.snapshot.shares.contains(symbol);
    if (in_snapshot) {
      ARBOR_RETURN_IF_ERROR(CheckPositive(in.snapshot.source + ": shares[" + symbol + "]",
                                          in.snapshot.shares.at(symbol)));
    }
    if (in_fund && in_snapshot)
      ownership.push_back(fund_on_date(symbol) / snapshot_on_date(symbol));
    if (!in_fund && !in_snapshot) {
      index.without_shares.push_back(symbol);
      continue;
    }
    snapshot_needed |= !in_fund;
    priced.push_back(symbol);
  }
  if (priced.empty()) {
    return Status::NotFound("index '" + name + "' on " + in.date.ToString() +
                            ": no member has both a price and a share count");
  }
  if (snapshot_needed) {
    if (ownership.size() < kMinOwnershipSample) {
      return Status::FailedPrecondition(
          "index '" + name + "' on " + in.date.ToString() + ": only " +
          std::to_string(ownership.size()) + " members are in both " + in.fund.fund + " and " +
          in.snapshot.source + ", too few to scale the snapshot's share counts (need " +
          std::to_string(kMinOwnershipSample) + ")");
    }
    index.fund_ownership = Median(std::move(ownership));
  }

  SecurityModel& model = index.model;
  model = {.name = name, .version = 1, .effective = in.date};
  double total = 0;
  for (const std::string& symbol : priced) {
    const bool in_fund = fund_shares.contains(symbol);
    const double shares =
        in_fund ? fund_on_date(symbol) : index.fund_ownership * snapshot_on_date(symbol);
    (in_fund ? index.from_fund : index.from_snapshot) += 1;
    const double cap = shares * in.prices.at(symbol);
    model.weights.push_back({symbol, cap});
    total += cap;
  }
  for (ModelWeight& w : model.weights) w.weight /= total;
  SortByWeight(&model.weights);
  model.description = "cap-weighted " + name + " on " + in.date.ToString() + ": " +
                      std::to_string(model.weights.size()) + " names, shares held by " +
                      in.fund.fund + " on " + in.fund.as_of.ToString() + " (" +
                      std::to_string(index.from_fund) + ")";
  if (index.from_snapshot > 0) {
    model.description += " or shares outstanding in " + in.snapshot.source + " (" +
                         std::to_string(index.from_snapshot) + ")";
  }
  model.description += ", split-adjusted, x closes of the day";
  return index;
}

namespace {

// Backward elimination with swaps over one TrackingProblem, its state carried from one size
// down to the next.
class Sampler {
 public:
  Sampler(const TrackingProblem& problem, const SamplingOptions& options)
      : problem_(problem), options_(options), allowed_(problem.symbols().size()) {
    for (size_t i = 0; i < allowed_.size(); ++i) {
      allowed_[i] = problem.benchmark()[static_cast<Eigen::Index>(i)] > 0;
    }
    // With every index name allowed the optimum is the index itself: no solve needed.
    current_ = {problem.benchmark(), 0, 0};
  }

  // Shrinks the held set to at most `size` names and polishes it by swaps.
  Status ShrinkTo(int size) {
    solves_ = 0;
    while (Held() > size) {
      const int held = Held();
      const int drop = std::min(
          held - size, std::max(1, static_cast<int>(std::floor(options_.drop_fraction * held))));
      for (int i : SmallestHeld(allowed_, current_.weights, drop)) {
        allowed_[static_cast<size_t>(i)] = false;
      }
      ARBOR_RETURN_IF_ERROR(Resolve(allowed_, &current_));
    }
    for (int round = 0; round < options_.swap_rounds; ++round) {
      Result<bool> improved = TrySwap(size);
      if (!improved.ok()) return improved.status();
      if (!*improved) break;
    }
    return Status::Ok();
  }

  const TrackingSolution& current() const { return current_; }
  int solves() const { return solves_; }

 private:
  int Held() const { return static_cast<int>(std::count(allowed_.begin(), allowed_.end(), true)); }

  // Indices of the `count` names of `allowed` with the smallest `weights` (ties: the smaller
  // index weight goes first).
  std::vector<int> SmallestHeld(const std::vector<bool>& allowed, const Eigen::VectorXd& weights,
                                int count) const {
    std::vector<int> held;
    for (size_t i = 0; i < allowed.size(); ++i) {
      if (allowed[i]) held.push_back(static_cast<int>(i));
    }
    const Eigen::VectorXd& b = problem_.benchmark();
    std::partial_sort(held.begin(), held.begin() + count, held.end(), [&](int x, int y) {
      return weights[x] != weights[y] ? weights[x] < weights[y] : b[x] < b[y];
    });
    held.resize(static_cast<size_t>(count));
    return held;
  }

  Status Resolve(const std::vector<bool>& allowed, TrackingSolution* solution) {
    Result<TrackingSolution> solved = problem_.Solve(allowed);
    if (!solved.ok()) return solved.status();
    ++solves_;
    *solution = std::move(*solved);
    return Status::Ok();
  }

  // Adds the excluded names whose marginal risk is furthest below the held names' (they would
  // lower the tracking error), re-solves, drops as many of the previously held names with the
  // smallest new weights (dropping the newcomers would undo the swap), re-solves; keeps the
  // result only if it tracks better. False when no swap helped.
  Result<bool> TrySwap(int size) {
    const Eigen::VectorXd marginal = problem_.Marginal(current_.weights);
    double held_marginal = 0;
    int held_names = 0;
    std::vector<int> candidates;
    for (size_t i = 0; i < allowed_.size(); ++i) {
      const Eigen::Index k = static_cast<Eigen::Index>(i);
      if (allowed_[i] && current_.weights[k] > 0) {
        held_marginal += marginal[k];
        ++held_names;
      } else if (!allowed_[i] && problem_.benchmark()[k] > 0) {
        candidates.push_back(static_cast<int>(i));
      }
    }
    if (held_names == 0 || candidates.empty()) return false;
    held_marginal /= held_names;  // the budget's multiplier, equal across held names at optimum
    const int swaps = std::min(static_cast<int>(candidates.size()),
                               std::max(1, static_cast<int>(options_.swap_fraction * size)));
    std::partial_sort(candidates.begin(), candidates.begin() + swaps, candidates.end(),
                      [&](int x, int y) { return marginal[x] < marginal[y]; });
    candidates.resize(static_cast<size_t>(swaps));
    std::erase_if(candidates, [&](int i) { return marginal[i] >= held_marginal; });
    if (candidates.empty()) return false;

    std::vector<bool> trial = allowed_;
    for (int i : candidates) trial[static_cast<size_t>(i)] = true;
    TrackingSolution widened;
    ARBOR_RETURN_IF_ERROR(Resolve(trial, &widened));
    for (int i : SmallestHeld(allowed_, widened.weights, static_cast<int>(candidates.size()))) {
      trial[static_cast<size_t>(i)] = false;
    }
    TrackingSolution narrowed;
    ARBOR_RETURN_IF_ERROR(Resolve(trial, &narrowed));
    if (narrowed.tracking_error >= current_.tracking_error) return false;
    allowed_ = std::move(trial);
    current_ = std::move(narrowed);
    return true;
  }

  const TrackingProblem& problem_;
  const SamplingOptions& options_;
  std::vector<bool> allowed_;
  TrackingSolution current_;
  int solves_ = 0;
};

}  // namespace

Result<std::vector<SampledModel>> SampleIndex(const SecurityModel& index, const RiskModel& risk,
                                              const SecurityMaster& master,
                                              const SamplingOptions& options) {
  for (int size : options.sizes) {
    if (size < 1) {
      return Status::InvalidArgument("sampling options: sizes: " + std::to_string(size) +
                                     " is not a number of names (>= 1)");
    }
  }
  if (!(options.drop_fraction > 0 && options.drop_fraction < 1)) {
    return Status::InvalidArgument("sampling options: drop_fraction: must be in (0, 1)");
  }
  Result<TrackingProblem> problem = TrackingProblem::Create(index, risk, master);
  if (!problem.ok()) return problem.status();

  // Largest size first, so each model continues the elimination of the one before.
  std::vector<size_t> order(options.sizes.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return options.sizes[a] > options.sizes[b]; });
  std::vector<SampledModel> sampled(options.sizes.size());
  Sampler sampler(*problem, options);
  for (size_t k : order) {
    const int size = options.sizes[k];
    Status shrunk = sampler.ShrinkTo(size);
    if (!shrunk.ok()) {
      return shrunk.WithContext("sampling " + std::to_string(size) + " names of '" + index.name +
                                "'");
    }
    SampledModel& out = sampled[k];
    out.model = {.name = index.name + "-" + std::to_string(size),
                 .version = index.version,
                 .effective = index.effective};
    const Eigen::VectorXd& w = sampler.current().weights;
    for (size_t i = 0; i < problem->symbols().size(); ++i) {
      if (w[static_cast<Eigen::Index>(i)] > 0) {
        out.model.weights.push_back({problem->symbols()[i], w[static_cast<Eigen::Index>(i)]});
      }
    }
    SortByWeight(&out.model.weights);
    out.tracking_error = sampler.current().tracking_error;
    out.solves = sampler.solves();
    char note[200];
    std::snprintf(note, sizeof note,
                  "%zu names of %s v%d with the least tracking error to it under the risk model "
                  "of %s (ex-ante TE %.2f%%)",
                  out.model.weights.size(), index.name.c_str(), index.version,
                  risk.as_of.ToString().c_str(), 100 * out.tracking_error);
    out.model.description = note;
  }
  return sampled;
}

}  // namespace arbor::models
