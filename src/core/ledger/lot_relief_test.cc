#include "core/ledger/lot_relief.h"

#include <gtest/gtest.h>

#include "core/ledger/test_events.h"

namespace arbor {
namespace {

using testing::D;
using testing::M;

Lot MakeLot(const std::string& id, uint64_t sequence, const std::string& acquired, int64_t shares,
            const std::string& basis) {
  return {.lot_id = id, .purchase_id = sequence, .sequence = sequence,
          .shares = Shares::Units(shares), .basis = M(basis), .acquired = D(acquired),
          .holding_period_date = D(acquired)};
}

// Lots: L1 old and cheap (long-term gain at $12), L2 recent and expensive (short-term loss),
// L3 old and expensive (long-term loss), L4 recent and cheap (short-term gain).
std::vector<Lot> Lots() {
  return {MakeLot("L1", 1, "2020-01-02", 10, "50"), MakeLot("L2", 2, "2024-03-01", 10, "150"),
          MakeLot("L3", 3, "2021-06-01", 10, "140"), MakeLot("L4", 4, "2024-02-01", 10, "100")};
}

Result<std::vector<ReliefPiece>> PlanLotRelief(const std::vector<Lot>& lots,
                                               const ReliefRequest& request) {
  LotReliefPlanner planner;
  std::vector<ReliefPiece> plan;
  Status status = planner.Plan(lots, request, &plan);
  if (!status.ok()) return status;
  return plan;
}

std::vector<std::string> Order(const std::vector<ReliefPiece>& plan, const std::vector<Lot>& lots) {
  std::vector<std::string> ids;
  for (const ReliefPiece& piece : plan) ids.push_back(lots[piece.lot_index].lot_id);
  return ids;
}

ReliefRequest Request(LotMethod method, int64_t shares) {
  return {.method = method, .shares = Shares::Units(shares), .sale_date = D("2024-06-03"),
          .net_price = *Price::Parse("12")};
}

TEST(LotReliefTest, FifoLifoHifo) {
  std::vector<Lot> lots = Lots();
  using V = std::vector<std::string>;
  EXPECT_EQ(Order(*PlanLotRelief(lots, Request(LotMethod::kFifo, 40)), lots),
            (V{"L1", "L3", "L4", "L2"}));
  EXPECT_EQ(Order(*PlanLotRelief(lots, Request(LotMethod::kLifo, 40)), lots),
            (V{"L2", "L4", "L3", "L1"}));
  EXPECT_EQ(Order(*PlanLotRelief(lots, Request(LotMethod::kHifo, 40)), lots),
            (V{"L2", "L3", "L4", "L1"}));
}

TEST(LotReliefTest, TaxOptimalTakesShortTermLossesFirstThenLongTermLosses) {
  std::vector<Lot> lots = Lots();
  // Tax per share at $12: L2 ST loss (12-15) * 0.35 = -1.05; L3 LT loss (12-14) * 0.15 = -0.30;
  // L4 ST gain (12-10) * 0.35 = 0.70; L1 LT gain (12-5) * 0.15 = 1.05.
  using V = std::vector<std::string>;
  EXPECT_EQ(Order(*PlanLotRelief(lots, Request(LotMethod::kTaxOptimal, 40)), lots),
            (V{"L2", "L3", "L4", "L1"}));
}

TEST(LotReliefTest, PartialLastLot) {
  std::vector<Lot> lots = Lots();
  auto plan = *PlanLotRelief(lots, Request(LotMethod::kFifo, 15));
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_EQ(plan[1].shares, Shares::Units(5));
}

TEST(LotReliefTest, SpecificLots) {
  std::vector<Lot> lots = Lots();
  ReliefRequest request = Request(LotMethod::kSpecific, 7);
  request.selections = {{"L3", Shares::Units(4)}, {"L1", Shares::Units(3)}};
  auto plan = *PlanLotRelief(lots, request);
  EXPECT_EQ(Order(plan, lots), (std::vector<std::string>{"L3", "L1"}));

  request.selections = {{"L9", Shares::Units(7)}};
  EXPECT_NE(PlanLotRelief(lots, request).status().message().find("unknown lot 'L9'"),
            std::string::npos);
  request.selections = {{"L1", Shares::Units(11)}};
  EXPECT_FALSE(PlanLotRelief(lots, request).ok());
  request.selections = {{"L1", Shares::Units(3)}};
  EXPECT_NE(PlanLotRelief(lots, request).status().message().find("add up to"), std::string::npos);
}

TEST(LotReliefTest, RejectsSellingMoreThanHeld) {
  std::vector<Lot> lots = Lots();
  Result<std::vector<ReliefPiece>> plan = PlanLotRelief(lots, Request(LotMethod::kFifo, 41));
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().message().find("more than held (40)"), std::string::npos);
}

}  // namespace
}  // namespace arbor
