#include "core/models/look_through.h"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

namespace arbor::models {
namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

// A constituent's weight in each looked-through fund (by fund position).
struct Exposure {
  Index constituent = 0;        // row in constituent_rows
  Index security = -1;          // row in the rebalance, when it is also held or targeted there
  std::vector<double> by_fund;  // h_fk
};

}  // namespace

std::vector<std::string> ConstituentsOf(const std::vector<FundHoldings>& funds) {
  std::set<std::string> symbols;
  for (const FundHoldings& fund : funds) {
    for (const ModelWeight& w : fund.weights) symbols.insert(w.symbol);
  }
  return {symbols.begin(), symbols.end()};
}

review::RiskRows LookThrough(const review::RiskRows& rows, const std::vector<std::string>& symbols,
                             const std::vector<FundHoldings>& funds,
                             const std::vector<std::string>& constituents,
                             const review::RiskRows& constituent_rows,
                             const LookThroughOptions& options, LookThroughReport* report) {
  *report = {};
  std::unordered_map<std::string, Index> security_of;
  for (size_t i = 0; i < symbols.size(); ++i) security_of.emplace(symbols[i], static_cast<Index>(i));
  std::unordered_map<std::string, Index> constituent_of;
  for (size_t k = 0; k < constituents.size(); ++k) {
    constituent_of.emplace(constituents[k], static_cast<Index>(k));
  }

  // The funds of this rebalance that have holdings, and who holds what.
  std::vector<Index> fund_rows;
  std::map<Index, Exposure> exposures;  // by constituent row, so the order is deterministic
  for (const FundHoldings& fund : funds) {
    auto row = security_of.find(fund.fund);
    if (row == security_of.end()) continue;
    const size_t f = fund_rows.size();
    fund_rows.push_back(row->second);
    report->funds.push_back(fund.fund);
    for (const ModelWeight& w : fund.weights) {
      const Index k = constituent_of.at(w.symbol);
      Exposure& e = exposures[k];
      e.constituent = k;
      auto held = security_of.find(w.symbol);
      e.security = held == security_of.end() ? -1 : held->second;
      e.by_fund.resize(f + 1, 0.0);
      e.by_fund[f] += w.weight;
    }
  }
  if (fund_rows.empty()) return rows;
  const Index fund_count = static_cast<Index>(fund_rows.size());
  for (auto& [k, e] : exposures) e.by_fund.resize(fund_count, 0.0);

  // (iii) and the choice of (ii): overlaps ranked by the specific variance they share.
  std::vector<const Exposure*> overlaps;
  MatrixXd shared = MatrixXd::Zero(fund_count, fund_count);
  for (const auto& [k, e] : exposures) {
    if (e.security >= 0) {
      overlaps.push_back(&e);
      continue;
    }
    const Eigen::Map<const VectorXd> h(e.by_fund.data(), fund_count);
    shared.noalias() += constituent_rows.specific_variance[k] * h * h.transpose();
  }
  auto shared_variance = [&](const Exposure* e) {
    double held = 0;
    for (double h : e->by_fund) held += h;
    return held * constituent_rows.specific_variance[e->constituent];
  };
  std::stable_sort(overlaps.begin(), overlaps.end(), [&](const Exposure* a, const Exposure* b) {
    return shared_variance(a) > shared_variance(b);
  });
  const size_t kept = std::min(overlaps.size(), static_cast<size_t>(options.max_overlap_factors));
  for (size_t o = kept; o < overlaps.size(); ++o) {
    // Beyond the limit: the funds keep their exact mutual part; only the cross term with the
    // directly held stock is lost.
    const Exposure& e = *overlaps[o];
    const Eigen::Map<const VectorXd> h(e.by_fund.data(), fund_count);
    shared.noalias() += constituent_rows.specific_variance[e.constituent] * h * h.transpose();
    report->dropped_overlap_covariance += shared_variance(&e);
  }

  Eigen::SelfAdjointEigenSolver<MatrixXd> eigen(shared);
  const bool one_fund = fund_count == 1;
  const Index shared_factors = one_fund ? 0 : fund_count;
  const Index base = rows.loadings.cols();
  const Index total = base + static_cast<Index>(kept) + shared_factors;
  review::RiskRows out{MatrixXd::Zero(rows.loadings.rows(), total), MatrixXd::Zero(total, total),
                       rows.specific_variance};
  out.loadings.leftCols(base) = rows.loadings;
  out.factor_covariance.topLeftCorner(base, base) = rows.factor_covariance;

  // (i) exact systematic exposure.
  for (Index f = 0; f < fund_count; ++f) out.loadings.row(fund_rows[f]).setZero();
  for (const auto& [k, e] : exposures) {
    for (Index f = 0; f < fund_count; ++f) {
      if (e.by_fund[f] != 0) {
        out.loadings.row(fund_rows[f]).head(base) += e.by_fund[f] * constituent_rows.loadings.row(k);
      }
    }
  }
  // (ii) overlap factors.
  for (size_t o = 0; o < kept; ++o) {
    const Exposure& e = *overlaps[o];
    const Index column = base + static_cast<Index>(o);
    out.factor_covariance(column, column) = constituent_rows.specific_variance[e.constituent];
    out.loadings(e.security, column) = 1;
    out.specific_variance[e.security] = 0;
    for (Index f = 0; f < fund_count; ++f) out.loadings(fund_rows[f], column) = e.by_fund[f];
  }
  // (iii) what the funds share among themselves.
  if (one_fund) {
    out.specific_variance[fund_rows[0]] = std::max(0.0, shared(0, 0));
  } else {
    for (Index j = 0; j < fund_count; ++j) {
      const Index column = base + static_cast<Index>(kept) + j;
      out.factor_covariance(column, column) = std::max(0.0, eigen.eigenvalues()[j]);
      for (Index f = 0; f < fund_count; ++f) {
        out.loadings(fund_rows[f], column) = eigen.eigenvectors()(f, j);
      }
    }
    for (Index f = 0; f < fund_count; ++f) out.specific_variance[fund_rows[f]] = 0;
  }
  report->overlap_factors = static_cast<int>(kept);
  return out;
}

}  // namespace arbor::models
