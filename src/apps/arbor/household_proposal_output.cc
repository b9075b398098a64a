#include "apps/arbor/household_proposal_output.h"

#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "apps/arbor/output.h"
#include "apps/arbor/proposal_output.h"

namespace arbor::cli {
namespace {

using json = nlohmann::ordered_json;
using review::HouseholdMetrics;
using review::HouseholdProposal;
using review::HouseholdRebalanceInput;
using review::Proposal;

std::string Usd(Money money) { return FormatDollars(money.ToDouble()); }
double Dollars(Money money) { return money.RoundedToCents().ToDouble(); }

std::string Bps(double bps) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", bps);
  return buffer;
}

std::string SignedPercent(double fraction) {
  return (fraction > 0 ? "+" : "") + FormatPercent(fraction);
}

// An IRA's, Roth's or 401k's sales realize nothing reportable: that is what makes them the
// household's place to rebalance.
std::string Treatment(const review::RebalanceInput& account) {
  return account.tax_deferred ? "tax-sheltered" : "taxable";
}

// The score's components, the location term's benefit among them (it is part of the total).
struct Component {
  const char* name;
  double before, after, benefit;
};
std::vector<Component> Components(const HouseholdProposal& p) {
  const optimize::ObjectiveTerms& d = p.score.dollars;
  return {{"risk", p.before.objective.risk, p.after.objective.risk, d.risk},
          {"tax", p.before.objective.tax, p.after.objective.tax, d.tax},
          {"cost", p.before.objective.cost, p.after.objective.cost, d.cost},
          {"drift", p.before.objective.drift, p.after.objective.drift, d.drift},
          {"location", p.before.location, p.after.location, p.location_benefit}};
}

void PrintSummary(const HouseholdRebalanceInput& input, const HouseholdProposal& p,
                  std::ostream& out) {
  out << "Household rebalance proposal for " << p.household << " as of " << p.as_of.ToString()
      << " (household value " << FormatDollars(p.value) << ", " << p.accounts.size()
      << " accounts)\n\n";
  TextTable totals({"", "before", "after"}, {Align::kLeft, Align::kRight, Align::kRight});
  totals.AddRow({"tracking error", FormatPercent(p.before.tracking_error),
                 FormatPercent(p.after.tracking_error)});
  totals.AddRow({"cash", Usd(p.before.cash), Usd(p.after.cash)});
  totals.AddRow({"tax of this proposal", Usd(p.before.tax), Usd(p.after.tax)});
  totals.AddRow({"trading cost", Usd(p.before.cost), Usd(p.after.cost)});
  totals.AddRow({"location term, a year", FormatDollars(p.before.location),
                 FormatDollars(p.after.location)});
  totals.Print(out);

  out << "\nAccounts\n";
  TextTable accounts({"account", "treatment", "value", "cash before", "cash after", "trades",
                      "realized", "tax"},
                     {Align::kLeft, Align::kLeft, Align::kRight, Align::kRight, Align::kRight,
                      Align::kRight, Align::kRight, Align::kRight});
  for (size_t a = 0; a < p.accounts.size(); ++a) {
    const Proposal& account = p.accounts[a];
    const bool taxable = !input.accounts[a].tax_deferred;
    accounts.AddRow({account.account, Treatment(input.accounts[a]),
                     FormatDollars(account.account_value), Usd(account.before.cash),
                     Usd(account.after.cash), std::to_string(account.trades.size()),
                     taxable ? Usd(RealizedByProposal(account).Net()) : "-",
                     Usd(account.after.tax)});
  }
  accounts.Print(out);

  out << "\nCost-benefit score: " << FormatDollars(p.score.total_dollars) << " ("
      << Bps(p.score.BasisPoints(p.score.total_dollars)) << " bps of "
      << FormatDollars(p.value) << "), household objective before minus after\n";
  TextTable components({"component", "before", "after", "benefit", "bps"},
                       {Align::kLeft, Align::kRight, Align::kRight, Align::kRight, Align::kRight});
  for (const Component& c : Components(p)) {
    components.AddRow({c.name, FormatDollars(c.before), FormatDollars(c.after),
                       FormatDollars(c.benefit), Bps(p.score.BasisPoints(c.benefit))});
  }
  components.Print(out);
  out << "Location benefit: " << FormatDollars(p.location_benefit)
      << " a year (the firm's asset-location preferences, `arbor household location show`)\n";
}

void PrintDrift(const HouseholdProposal& p, std::ostream& out) {
  TextTable drift({"group", "active before", "active after"},
                  {Align::kLeft, Align::kRight, Align::kRight});
  bool any = false;
  for (const review::GroupDrift& group : p.group_drift) {
    // Groups within a hundredth of a percent both times say nothing.
    if (std::abs(group.active_before) < 1e-4 && std::abs(group.active_after) < 1e-4) continue;
    drift.AddRow({group.name, SignedPercent(group.active_before), SignedPercent(group.active_after)});
    any = true;
  }
  if (!any) return;
  out << "\nHousehold drift by asset class and sector (weight minus target)\n";
  drift.Print(out);
}

void PrintWashSales(const HouseholdProposal& p, size_t most, std::ostream& out) {
  if (p.wash_sales.empty()) return;
  out << "\nWash sales, across every account of the household (IRC 1091; Rev. Rul. 2008-5 for "
         "IRAs)\n";
  for (size_t k = 0; k < p.wash_sales.size(); ++k) {
    if (k == most) {
      out << "  ... and " << p.wash_sales.size() - most << " more\n";
      break;
    }
    const review::WashSaleNote& note = p.wash_sales[k];
    out << "  " << note.group << " (" << ToString(note.direction) << "): " << note.why << "\n";
  }
}

void PrintAccount(const review::RebalanceInput& input, const Proposal& account, size_t max_trades,
                  std::ostream& out) {
  out << "\n" << account.account << " (" << Treatment(input) << ", value "
      << FormatDollars(account.account_value) << ", cash " << Usd(account.before.cash) << " -> "
      << Usd(account.after.cash) << ")\n";
  PrintTrades(account, max_trades, out);
  for (const review::Relaxation& r : account.relaxations) {
    out << "Relaxed: " << r.constraint << ": " << r.reason << "\n";
  }
  if (input.tax_deferred) return;
  const review::RealizedGains realized = RealizedByProposal(account);
  out << "Realized by this proposal: short-term gains " << Usd(realized.short_term_gains)
      << ", short-term losses " << Usd(realized.short_term_losses) << ", long-term gains "
      << Usd(realized.long_term_gains) << ", long-term losses " << Usd(realized.long_term_losses)
      << "; tax " << Usd(account.after.tax) << "\n";
}

json MetricsJson(const HouseholdMetrics& m) {
  return {{"tracking_error", m.tracking_error},
          {"cash", Dollars(m.cash)},
          {"tax", Dollars(m.tax)},
          {"cost", Dollars(m.cost)},
          {"location", m.location},
          {"objective",
           {{"risk", m.objective.risk},
            {"tax", m.objective.tax},
            {"cost", m.objective.cost},
            {"drift", m.objective.drift},
            {"total", m.objective.total() + m.location}}}};
}

json RealizedJson(const review::RealizedGains& r) {
  return {{"short_term_gains", Dollars(r.short_term_gains)},
          {"short_term_losses", Dollars(r.short_term_losses)},
          {"long_term_gains", Dollars(r.long_term_gains)},
          {"long_term_losses", Dollars(r.long_term_losses)},
          {"net", Dollars(r.Net())}};
}

}  // namespace

review::RealizedGains RealizedByProposal(const Proposal& account) {
  const review::RealizedGains& before = account.before.realized;
  const review::RealizedGains& after = account.after.realized;
  return {.short_term_gains = after.short_term_gains - before.short_term_gains,
          .short_term_losses = after.short_term_losses - before.short_term_losses,
          .long_term_gains = after.long_term_gains - before.long_term_gains,
          .long_term_losses = after.long_term_losses - before.long_term_losses};
}

void PrintHouseholdProposal(const HouseholdRebalanceInput& input, const HouseholdProposal& p,
                            std::ostream& out, const HouseholdPrintOptions& options) {
  PrintSummary(input, p, out);
  PrintDrift(p, out);
  if (!p.relaxations.empty()) {
    out << "\nRelaxed for the household (priorities: cash needs first, then restrictions and "
           "budgets)\n";
    for (const review::Relaxation& r : p.relaxations) out << "  " << r.constraint << ": " << r.reason << "\n";
  }
  PrintWashSales(p, options.max_wash_sale_notes, out);
  for (size_t a = 0; a < p.accounts.size(); ++a) {
    PrintAccount(input.accounts[a], p.accounts[a], options.max_trades_per_account, out);
  }
  if (!options.notes) return;
  std::vector<std::string> notes = p.notes;
  for (const Proposal& account : p.accounts) {
    for (const std::string& note : account.notes) notes.push_back(account.account + ": " + note);
  }
  if (notes.empty()) return;
  out << "\nNotes\n";
  for (const std::string& note : notes) out << "  " << note << "\n";
}

json HouseholdProposalJson(const HouseholdRebalanceInput& input, const HouseholdProposal& p) {
  json components = json::object();
  for (const Component& c : Components(p)) {
    components[c.name] = {{"dollars", c.benefit}, {"bps", p.score.BasisPoints(c.benefit)}};
  }
  json accounts = json::array();
  for (size_t a = 0; a < p.accounts.size(); ++a) {
    json account = ProposalJson(p.accounts[a]);
    account["treatment"] = Treatment(input.accounts[a]);
    account["realized_by_proposal"] = RealizedJson(RealizedByProposal(p.accounts[a]));
    accounts.push_back(std::move(account));
  }
  return {{"household", p.household},
          {"as_of", p.as_of.ToString()},
          {"value", p.value},
          {"score",
           {{"dollars", p.score.total_dollars},
            {"bps", p.score.BasisPoints(p.score.total_dollars)},
            {"components", std::move(components)}}},
          {"location_benefit", p.location_benefit},
          {"before", MetricsJson(p.before)},
          {"after", MetricsJson(p.after)},
          {"group_drift", GroupDriftJson(p.group_drift)},
          {"relaxations", RelaxationsJson(p.relaxations)},
          {"wash_sales", WashSalesJson(p.wash_sales)},
          {"accounts", std::move(accounts)},
          {"notes", p.notes},
          {"solver", {{"solves", p.solves}, {"seconds", p.solve_seconds}}}};
}

void WriteHouseholdTradeList(const HouseholdProposal& proposal, std::ostream* out) {
  std::vector<const Proposal*> accounts;
  for (const Proposal& account : proposal.accounts) accounts.push_back(&account);
  WriteTradeLists(accounts, out);
}

}  // namespace arbor::cli
