// The books of one simulated household (firm_simulation.h): a core Ledger that every event goes
// through, a mirror of its lots indexed by tape symbol (so a review reads positions without
// copying the ledger's lots), the dates of the household's last purchase and last loss sale of
// each wash-sale group, and the targets of the account under review.
//
//   HouseholdBook book(plan, context);
//   book.Open();
//   book.Record(deposit);                        // ledger first, then the event list
//   book.SetTargets(a, day);
//   book.Buy(a, symbol, date, price, 10'000.0);  // fractional shares to 1/10,000, rounded down
//   book.SellValue(a, symbol, date, 5'000.0, /*short_term_gains=*/false);  // highest cost first
//
// The wash-sale rule spans the household (a superset of each taxpayer's scope): CanSellAtLoss
// is false within 30 days after a purchase of the group, CanBuy within 30 days after a loss
// sale of it in a taxable account, so the ledger never has a loss to disallow. Buys carry
// labels of their own ("L1", "L2", ...) so that sales name their lots; Finish checks the mirror
// against the ledger.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "adapters/demo/firm_plan.h"
#include "adapters/demo/firm_simulation.h"
#include "core/ledger/ledger.h"

namespace arbor::firm_internal {

// Shares of one mirrored lot (by its index in the position) to sell.
struct LotPiece {
  int lot = 0;
  Shares shares;
};

struct ClassDrift {
  double target = 0;                                // weight
  double actual = 0;                                // dollars held of the class's targets
  std::vector<std::pair<double, int>> overweights;  // (dollars over target, symbol), any order
};

class HouseholdBook {
 public:
  HouseholdBook(const HouseholdPlan& plan, const SimulationContext& context);

  Status Open();
  Status Record(Event event);
  Status TransferIn(int account, const Event& lot);
  // Splits and dividends with ex-dates up to `through` of what the household holds; dividends
  // are credited as DividendEntries says.
  Status ApplyCorporateActions(Date through);
  // Every position and cash balance at the end, checked against the ledger's own lots.
  Result<HouseholdHistory> Finish();

  void SetFunded(int account) { accounts_[account].funded = true; }
  bool Funded(int account) const { return accounts_[account].funded; }
  void AddPaidRequest(int account, review::WithdrawalRequest request) {
    accounts_[account].paid_requests.push_back(std::move(request));
  }

  Money Cash(int account) const;
  double Value(int account, int day) const;  // cash and priced holdings
  double HeldValue(int account, int symbol, int day) const;
  std::vector<int> Held(int account) const { return accounts_[account].held; }  // a copy

  // The account's targets on `day`: the names without a price hand their weight to the rest of
  // their class (to cash when none is left).
  void SetTargets(int account, int day);
  const std::vector<std::pair<int, double>>& targets() const { return targets_; }
  double TargetWeight(int symbol) const { return target_weight_[symbol]; }
  // The cash a review keeps: the targets' cash weight, at least half a percent and the minimum.
  double CashTarget(int account, double value) const;
  std::vector<ClassDrift> ClassDrifts(int account, int day, double value) const;

  bool CanBuy(int account, int symbol, Date date) const;
  bool CanSellAtLoss(int account, int symbol, Date date) const;
  // The pieces realize no loss, or the wash-sale rule allows one.
  bool MaySell(int account, int symbol, Date date, Price price,
               const std::vector<LotPiece>& pieces) const;

  // Lots the reviews may sell: not transferred in, not restricted.
  std::vector<LotPiece> TradableLots(int account, int symbol) const;
  Money BasisOf(int account, int symbol, const LotPiece& piece) const;
  Status SellLots(int account, int symbol, Date date, Price price,
                  const std::vector<LotPiece>& pieces);
  // About `dollars` of the symbol, highest cost first; lots with a short-term gain only when
  // allowed, lots at a loss only when the wash-sale rule allows.
  Status SellValue(int account, int symbol, Date date, double dollars, bool short_term_gains);
  Status Buy(int account, int symbol, Date date, Price price, double dollars);

 private:
  struct MirrorLot {
    std::string label;
    int64_t shares = 0;  // micros
    Money basis;
    Date acquired;
    bool legacy = false;
  };
  struct AccountState {
    const AccountPlan* plan = nullptr;
    bool funded = false;
    std::vector<std::vector<MirrorLot>> lots;  // by tape symbol
    std::vector<int> held;                     // symbols with lots, ascending
    std::vector<bool> no_buy, no_sell;         // by tape symbol
    int next_label = 1;
    Money pending_dividends;  // DividendEntries::kPerReview
    int top_payer = -1;
    Money top_paid;
    std::vector<review::WithdrawalRequest> paid_requests;
  };

  void AddLot(int account, int symbol, MirrorLot lot);
  static bool Within(Date last, Date date);

  const HouseholdPlan& plan_;
  const SimulationContext& c_;
  Ledger ledger_;
  std::vector<Event> events_;
  std::vector<AccountState> accounts_;
  std::vector<Date> last_purchase_, last_loss_sale_;  // by wash-sale group
  size_t next_action_ = 0;                            // into the tape's all_actions()
  // The account under review.
  std::vector<std::pair<int, double>> targets_;  // (symbol, weight), by symbol
  std::vector<int> target_class_;                // parallel to targets_
  std::vector<double> target_weight_;            // by tape symbol
  std::vector<double> class_weight_;
  double cash_weight_ = 0;
};

}  // namespace arbor::firm_internal
