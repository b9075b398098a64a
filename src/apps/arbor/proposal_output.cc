#include "apps/arbor/proposal_output.h"

#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>

#include "adapters/io/csv.h"
#include "apps/arbor/output.h"

namespace arbor::cli {
namespace {

using json = nlohmann::ordered_json;
using review::Proposal;
using review::Trade;
using review::TradeSide;

double Dollars(Money money) { return money.RoundedToCents().ToDouble(); }
std::string Usd(Money money) { return FormatDollars(money.ToDouble()); }

std::string SignedPercent(double fraction) { return (fraction > 0 ? "+" : "") + FormatPercent(fraction); }

std::string Bps(double bps) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", bps);
  return buffer;
}

void PrintMetrics(const Proposal& proposal, std::ostream& out) {
  const review::AccountMetrics& before = proposal.before;
  const review::AccountMetrics& after = proposal.after;
  out << "\nBefore and after (realized: the tax year so far)\n";
  TextTable table({"", "before", "after"}, {Align::kLeft, Align::kRight, Align::kRight});
  table.AddRow({"tracking error", FormatPercent(before.tracking_error), FormatPercent(after.tracking_error)});
  table.AddRow({"cash", Usd(before.cash), Usd(after.cash)});
  table.AddRow({"short-term gains", Usd(before.realized.short_term_gains),
                Usd(after.realized.short_term_gains)});
  table.AddRow({"short-term losses", Usd(before.realized.short_term_losses),
                Usd(after.realized.short_term_losses)});
  table.AddRow({"long-term gains", Usd(before.realized.long_term_gains),
                Usd(after.realized.long_term_gains)});
  table.AddRow({"long-term losses", Usd(before.realized.long_term_losses),
                Usd(after.realized.long_term_losses)});
  table.AddRow({"tax of this proposal", Usd(before.tax), Usd(after.tax)});
  table.AddRow({"trading cost", Usd(before.cost), Usd(after.cost)});
  table.Print(out);

  const review::CostBenefit& score = proposal.score;
  out << "\nCost-benefit score: " << FormatDollars(score.total_dollars) << " ("
      << Bps(score.BasisPoints(score.total_dollars)) << " bps of "
      << FormatDollars(proposal.account_value) << "), objective before minus after\n";
  TextTable components({"component", "before", "after", "benefit", "bps"},
                       {Align::kLeft, Align::kRight, Align::kRight, Align::kRight, Align::kRight});
  const std::pair<const char*, double optimize::ObjectiveTerms::*> terms[] = {
      {"risk", &optimize::ObjectiveTerms::risk},
      {"tax", &optimize::ObjectiveTerms::tax},
      {"cost", &optimize::ObjectiveTerms::cost},
      {"drift", &optimize::ObjectiveTerms::drift}};
  for (const auto& [name, term] : terms) {
    components.AddRow({name, FormatDollars(before.objective.*term),
                       FormatDollars(after.objective.*term), FormatDollars(score.dollars.*term),
                       Bps(score.BasisPoints(score.dollars.*term))});
  }
  components.Print(out);

  bool drifted = false;
  TextTable drift({"group", "active before", "active after"},
                  {Align::kLeft, Align::kRight, Align::kRight});
  for (const review::GroupDrift& group : proposal.group_drift) {
    // Groups within a hundredth of a percent both times say nothing.
    if (std::abs(group.active_before) < 1e-4 && std::abs(group.active_after) < 1e-4) continue;
    drift.AddRow(
        {group.name, SignedPercent(group.active_before), SignedPercent(group.active_after)});
    drifted = true;
  }
  if (drifted) {
    out << "\nGroup drift (weight minus target)\n";
    drift.Print(out);
  }
}

void PrintList(const char* title, const std::vector<std::string>& lines, std::ostream& out) {
  if (lines.empty()) return;
  out << "\n" << title << "\n";
  for (const std::string& line : lines) out << "  " << line << "\n";
}

}  // namespace

void PrintTrades(const Proposal& proposal, size_t max_trades, std::ostream& out) {
  if (proposal.trades.empty()) {
    out << "No trades: nothing improves the account enough to pay for trading.\n";
    return;
  }
  out << "Trades (sells versus purchase lots, then buys)\n";
  TextTable table({"side", "symbol", "shares", "price", "amount", "reason", "why"},
                  {Align::kLeft, Align::kLeft, Align::kRight, Align::kRight, Align::kRight,
                   Align::kLeft, Align::kLeft});
  for (size_t t = 0; t < proposal.trades.size() && t < max_trades; ++t) {
    const Trade& trade = proposal.trades[t];
    table.AddRow({std::string(ToString(trade.side)), trade.symbol, trade.shares.ToShortString(),
                  trade.price.ToString(2), Usd(trade.amount), std::string(ToString(trade.reason)),
                  trade.why});
    for (const review::LotSale& lot : trade.lots) {
      table.AddRow(
          {"", "  vs " + lot.lot_id + " " + lot.acquired.ToString(), lot.shares.ToShortString(), "",
           Usd(lot.proceeds), "",
           std::string(ToString(lot.term)) + "-term gain " + Usd(lot.Gain()) +
               (lot.wash != review::WashStatus::kClear ? " (washed: no benefit now)" : "")});
    }
  }
  table.Print(out);
  if (proposal.trades.size() > max_trades) {
    out << "... and " << proposal.trades.size() - max_trades << " more trades\n";
  }
}

void PrintProposal(const Proposal& proposal, std::ostream& out, const ProposalPrintOptions& options) {
  out << "Rebalance proposal for " << proposal.account << " as of " << proposal.as_of.ToString()
      << " (account value " << FormatDollars(proposal.account_value) << ")\n\n";
  PrintTrades(proposal, options.max_trades, out);
  PrintMetrics(proposal, out);
  std::vector<std::string> lines;
  for (const review::Relaxation& r : proposal.relaxations)
    lines.push_back(r.constraint + ": " + r.reason);
  PrintList("Relaxed (priorities: must-sell and cash first, then restrictions and budgets)", lines,
            out);
  lines.clear();
  for (const review::WashSaleNote& note : proposal.wash_sales) {
    if (lines.size() == options.max_wash_sale_notes) {
      lines.push_back("... and " + std::to_string(proposal.wash_sales.size() - lines.size()) + " more");
      break;
    }
    lines.push_back(note.group + ": " + note.why);
  }
  PrintList("Wash sales (IRC 1091: no buy and loss sale of a group within 30 days)", lines, out);
  PrintList("Notes", proposal.notes, out);
}

json GroupDriftJson(const std::vector<review::GroupDrift>& groups) {
  json drift = json::array();
  for (const review::GroupDrift& g : groups) {
    drift.push_back(
        {{"group", g.name}, {"active_before", g.active_before}, {"active_after", g.active_after}});
  }
  return drift;
}

json RelaxationsJson(const std::vector<review::Relaxation>& relaxations) {
  json out = json::array();
  for (const review::Relaxation& r : relaxations) {
    out.push_back({{"kind", std::string(ToString(r.kind))},
                   {"constraint", r.constraint},
                   {"reason", r.reason}});
  }
  return out;
}

json WashSalesJson(const std::vector<review::WashSaleNote>& notes) {
  json wash_sales = json::array();
  for (const review::WashSaleNote& note : notes) {
    wash_sales.push_back({{"group", note.group},
                          {"direction", std::string(ToString(note.direction))},
                          {"why", note.why}});
  }
  return wash_sales;
}

json ProposalJson(const Proposal& proposal) {
  json trades = json::array();
  for (const Trade& trade : proposal.trades) {
    json lots = json::array();
    for (const review::LotSale& lot : trade.lots) {
      lots.push_back({{"lot_id", lot.lot_id},
                      {"acquired", lot.acquired.ToString()},
                      {"acquired_for_holding_period", lot.holding_period_date.ToString()},
                      {"shares", lot.shares.ToDouble()},
                      {"proceeds", Dollars(lot.proceeds)},
                      {"basis", Dollars(lot.basis)},
                      {"gain", Dollars(lot.Gain())},
                      {"term", std::string(ToString(lot.term))},
                      {"wash_sale", std::string(ToString(lot.wash))}});
    }
    json row = {{"side", std::string(ToString(trade.side))},
                {"symbol", trade.symbol},
                {"shares", trade.shares.ToDouble()},
                {"price", trade.price.ToDouble()},
                {"amount", Dollars(trade.amount)},
                {"cost", Dollars(trade.cost)},
                {"reason", std::string(ToString(trade.reason))},
                {"why", trade.why}};
    if (trade.side == TradeSide::kSell) row["lots"] = std::move(lots);
    trades.push_back(std::move(row));
  }
  auto metrics = [](const review::AccountMetrics& m) {
    return json{{"tracking_error", m.tracking_error},
                {"cash", Dollars(m.cash)},
                {"realized",
                 {{"short_term_gains", Dollars(m.realized.short_term_gains)},
                  {"short_term_losses", Dollars(m.realized.short_term_losses)},
                  {"long_term_gains", Dollars(m.realized.long_term_gains)},
                  {"long_term_losses", Dollars(m.realized.long_term_losses)}}},
                {"tax", Dollars(m.tax)},
                {"cost", Dollars(m.cost)},
                {"objective",
                 {{"risk", m.objective.risk},
                  {"tax", m.objective.tax},
                  {"cost", m.objective.cost},
                  {"drift", m.objective.drift},
                  {"total", m.objective.total()}}}};
  };
  const review::CostBenefit& score = proposal.score;
  json components = json::object();
  const std::pair<const char*, double> terms[] = {{"risk", score.dollars.risk},
                                                  {"tax", score.dollars.tax},
                                                  {"cost", score.dollars.cost},
                                                  {"drift", score.dollars.drift}};
  for (const auto& [name, dollars] : terms) {
    components[name] = {{"dollars", dollars}, {"bps", score.BasisPoints(dollars)}};
  }
  return {{"account", proposal.account},
          {"as_of", proposal.as_of.ToString()},
          {"account_value", proposal.account_value},
          {"score",
           {{"dollars", score.total_dollars},
            {"bps", score.BasisPoints(score.total_dollars)},
            {"components", std::move(components)}}},
          {"trades", std::move(trades)},
          {"before", metrics(proposal.before)},
          {"after", metrics(proposal.after)},
          {"group_drift", GroupDriftJson(proposal.group_drift)},
          {"relaxations", RelaxationsJson(proposal.relaxations)},
          {"wash_sales", WashSalesJson(proposal.wash_sales)},
          {"notes", proposal.notes},
          {"solver", {{"solves", proposal.solves}, {"seconds", proposal.solve_seconds}}}};
}

void WriteTradeList(const Proposal& proposal, std::ostream* out) { WriteTradeLists({&proposal}, out); }

void WriteTradeLists(const std::vector<const Proposal*>& proposals, std::ostream* out) {
  CsvWriter csv(out);
  csv.WriteRow({"account", "side", "symbol", "shares", "price", "amount", "lot_id", "acquired",
                "term", "gain", "reason"});
  for (const Proposal* proposal : proposals) {
    for (const Trade& trade : proposal->trades) {
      const std::string side(ToString(trade.side)), reason(ToString(trade.reason));
      if (trade.side == TradeSide::kBuy) {
        csv.WriteRow({proposal->account, side, trade.symbol, trade.shares.ToShortString(),
                      trade.price.ToShortString(), trade.amount.ToString(2), "", "", "", "", reason});
        continue;
      }
      for (const review::LotSale& lot : trade.lots) {
        csv.WriteRow({proposal->account, side, trade.symbol, lot.shares.ToShortString(),
                      trade.price.ToShortString(), lot.proceeds.ToString(2), lot.lot_id,
                      lot.acquired.ToString(), std::string(ToString(lot.term)),
                      lot.Gain().ToString(2), reason});
      }
    }
  }
}

}  // namespace arbor::cli
