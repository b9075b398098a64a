#include "core/review/risk_rows.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace arbor::review {
namespace {

std::string SectorOf(const SecurityMaster& master, const std::string& symbol) {
  const Security* security = master.Find(symbol);
  return security == nullptr ? std::string() : security->gics.sector;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

// Mean loadings and median specific variance of a set of model rows.
struct StandIn {
  Eigen::VectorXd loadings;
  double specific_variance = 0;
};

StandIn Average(const RiskModel& model, const std::vector<int>& rows) {
  StandIn average{Eigen::VectorXd::Zero(model.loadings.cols()), 0};
  std::vector<double> variances;
  for (int row : rows) {
    average.loadings += model.loadings.row(row).transpose();
    variances.push_back(model.specific_variance[row]);
  }
  average.loadings /= static_cast<double>(rows.size());
  average.specific_variance = Median(std::move(variances));
  return average;
}

}  // namespace

RiskRows RiskRowsFor(const RiskModel& model, const SecurityMaster& master,
                     const std::vector<std::string>& symbols, std::vector<std::string>* missing) {
  const Eigen::Index n = static_cast<Eigen::Index>(symbols.size());
  const Eigen::Index factors = model.loadings.cols();
  RiskRows rows{Eigen::MatrixXd::Zero(n, factors), model.factor_covariance,
                Eigen::VectorXd::Zero(n)};
  std::unordered_map<std::string, int> model_row;
  std::map<std::string, std::vector<int>> rows_by_sector;
  std::vector<int> all_rows;
  for (size_t r = 0; r < model.symbols.size(); ++r) {
    model_row.emplace(model.symbols[r], static_cast<int>(r));
    rows_by_sector[SectorOf(master, model.symbols[r])].push_back(static_cast<int>(r));
    all_rows.push_back(static_cast<int>(r));
  }
  for (Eigen::Index i = 0; i < n; ++i) {
    auto found = model_row.find(symbols[i]);
    if (found != model_row.end()) {
      rows.loadings.row(i) = model.loadings.row(found->second);
      rows.specific_variance[i] = model.specific_variance[found->second];
      continue;
    }
    missing->push_back(symbols[i]);
    if (all_rows.empty()) continue;
    const std::string sector = SectorOf(master, symbols[i]);
    auto peers = rows_by_sector.find(sector);
    const bool has_peers = !sector.empty() && peers != rows_by_sector.end();
    const StandIn stand_in = Average(model, has_peers ? peers->second : all_rows);
    rows.loadings.row(i) = stand_in.loadings.transpose();
    rows.specific_variance[i] = stand_in.specific_variance;
  }
  return rows;
}

}  // namespace arbor::review
