#include "core/transition/holdings.h"

#include <cmath>
#include <map>

namespace arbor::transition {
namespace {

std::map<std::string, Price> PricesBySymbol(const review::RebalanceInput& input) {
  std::map<std::string, Price> prices;
  for (const review::RebalanceSecurity& security : input.securities) {
    prices[security.symbol] = security.price;
  }
  return prices;
}

Status RelieveLot(const std::string& symbol, const review::LotSale& sale,
                  std::vector<review::RebalanceLot>* lots) {
  for (review::RebalanceLot& lot : *lots) {
    if (lot.symbol != symbol || lot.id != sale.lot_id) continue;
    if (sale.shares > lot.shares) {
      return Status::Internal("sale of " + symbol + " lot " + sale.lot_id +
                              " is larger than the lot");
    }
    lot.shares -= sale.shares;
    lot.basis -= sale.basis;
    return Status::Ok();
  }
  return Status::Internal("sale of an unknown lot " + sale.lot_id + " of " + symbol);
}

}  // namespace

Status ApplyTrades(const std::vector<review::Trade>& trades, Money cash_after,
                   const std::string& label_prefix, review::RebalanceInput* input) {
  for (const review::Trade& trade : trades) {
    if (trade.side == review::TradeSide::kSell) {
      for (const review::LotSale& sale : trade.lots) {
        ARBOR_RETURN_IF_ERROR(RelieveLot(trade.symbol, sale, &input->lots));
      }
    } else {
      input->lots.push_back({.id = label_prefix + "-" + trade.symbol,
                             .symbol = trade.symbol,
                             .shares = trade.shares,
                             .basis = trade.amount,
                             .acquired = input->as_of,
                             .holding_period_date = input->as_of});
    }
  }
  std::erase_if(input->lots, [](const review::RebalanceLot& lot) { return lot.shares.is_zero(); });
  input->cash.balance = cash_after;
  return Status::Ok();
}

void GrowPrices(const CapitalMarketAssumptions& market, review::RebalanceInput* input) {
  const double growth = ExpectedGrowth(market, 1);
  for (review::RebalanceSecurity& security : input->securities) {
    security.price = Price::FromDouble(security.price.ToDouble() * growth);
  }
}

double AccountValue(const review::RebalanceInput& input) {
  const std::map<std::string, Price> prices = PricesBySymbol(input);
  double value = input.cash.balance.ToDouble();
  for (const review::RebalanceLot& lot : input.lots) {
    value += Value(lot.shares, prices.at(lot.symbol)).ToDouble();
  }
  return value;
}

Money UnrealizedGain(const review::RebalanceInput& input) {
  const std::map<std::string, Price> prices = PricesBySymbol(input);
  Money gain;
  for (const review::RebalanceLot& lot : input.lots) {
    gain += Value(lot.shares, prices.at(lot.symbol)) - lot.basis;
  }
  return gain;
}

double TrackingError(const review::RebalanceInput& input) {
  const double value = AccountValue(input);
  const Eigen::Index n = static_cast<Eigen::Index>(input.securities.size());
  if (value <= 0 || n == 0) return 0;
  std::map<std::string, double> held;
  for (const review::RebalanceLot& lot : input.lots) held[lot.symbol] += lot.shares.ToDouble();
  Eigen::VectorXd active(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const review::RebalanceSecurity& security = input.securities[static_cast<size_t>(i)];
    const auto shares = held.find(security.symbol);
    const double weight =
        shares == held.end() ? 0 : shares->second * security.price.ToDouble() / value;
    active(i) = weight - security.target_weight;
  }
  const review::RiskRows& risk = input.risk;
  const Eigen::VectorXd exposure = risk.loadings.transpose() * active;
  const double variance = exposure.dot(risk.factor_covariance * exposure) +
                          active.cwiseProduct(active).dot(risk.specific_variance);
  return std::sqrt(std::max(0.0, variance));
}

}  // namespace arbor::transition
