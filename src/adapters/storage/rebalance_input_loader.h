// Assembles the RebalanceInput of one account as of a date from the database: its lots and the
// wash-sale activity of every account of its taxpayers (a ledger replay up to the date), prices
// (the last close on or before the date), the latest risk model on or before the date, and the
// account's rebalance settings, targets and restrictions (with their defaults).
//
//   std::unique_ptr<Store> store = ...;
//   Result<review::RebalanceInput> input = LoadRebalanceInput(*store, "SMITH-JOINT", as_of);
//   Result<review::Proposal> proposal = review::Rebalance(*input);
//
// Many accounts on one date (the daily review) share one RebalanceContext, and read each
// account in two steps so that its data can be checked before anything else is loaded:
//
//   AccountSnapshot snapshot = LoadAccountSnapshot(*store, *context, account).value();
//   ... check snapshot.facts (lots, cash) ...
//   input = BuildRebalanceInput(*store, *context, std::move(snapshot));
//
// An account with a customization of a template (adapters/storage/model_store.h) gets the targets
// it resolves to as of the date: the template and security model versions effective then, so an
// IPC change reaches every account at its next review with its customizations kept. Its screens
// are re-allocated through the risk model, and a held security they exclude must be sold unless
// the account's own restriction (hold, no_sell) keeps it. Without a customization the account's
// target list applies; without either, the targets are the account's current weights (so the
// rebalance only harvests and manages cash) and the input's notes say how to import one; an
// account that holds nothing and has no targets is an error. Securities missing from the risk
// model get the average loadings of their GICS sector and its median specific variance, and a
// note lists them. Funds with stored holdings are looked through (core/models/look_through.h).
#pragma once

#include <optional>
#include <string>

#include "adapters/storage/rebalance_context.h"
#include "adapters/storage/rebalance_settings_store.h"
#include "adapters/storage/store.h"
#include "core/base/date.h"
#include "core/base/status.h"
#include "core/ledger/account.h"
#include "core/models/customization.h"
#include "core/review/ledger_facts.h"
#include "core/review/rebalance_input.h"

namespace arbor {

// What-if: the input as it would be with another customization or more restrictions, without
// storing either.
struct RebalanceLoadOverrides {
  std::optional<models::Customization> customization;  // in place of the stored one
  std::vector<SecurityRestriction> restrictions;        // over the account's own, by symbol
};

// The account's ledger on the context's date: its lots, cash, realized gains this year, and the
// wash-sale activity of its taxpayers' accounts.
struct AccountSnapshot {
  Account account;
  review::LedgerFacts facts;
};

Result<AccountSnapshot> LoadAccountSnapshot(Store& store, const RebalanceContext& context,
                                            const std::string& account);

Result<review::RebalanceInput> BuildRebalanceInput(Store& store, const RebalanceContext& context,
                                                   AccountSnapshot snapshot,
                                                   const RebalanceLoadOverrides& overrides = {});

// The risk rows of the input's securities (funds looked through), with the model's notes: what
// BuildRebalanceInput does last, for an input whose securities were assembled another way (a
// household's shared list, household_input_loader.h).
Status AddRiskRows(const RebalanceContext& context, review::RebalanceInput& input);

// One account on its own: a context, a snapshot and the input.
// `as_of` absent: the last date with any price in the database.
Result<review::RebalanceInput> LoadRebalanceInput(Store& store, const std::string& account,
                                                  std::optional<Date> as_of,
                                                  const RebalanceLoadOverrides& overrides = {});

}  // namespace arbor
