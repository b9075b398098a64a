// Households in the database (schema: migration 9, "households"; docs/households.md): each
// household's name, per-account drift penalty and target (a customization of a template, stored
// and checked like an account's), its member accounts (the accounts' household column, so an
// account is in at most one), the append-only audit of membership changes, and the firm's
// asset-location policy.
//
//   const HouseholdChange by{.user = "ann", .at = "2026-11-28T09:00:00Z"};
//   SaveHousehold(*store, {.id = "SMITH", .name = "John & Mary Smith",
//                          .target = {.template_name = "Balanced 60/40"}}, by);
//   AddAccountToHousehold(*store, "SMITH", "SMITH-IRA", by);   // audited, one transaction
//   Result<household::Household> smith = LoadHousehold(*store, "SMITH");
//   smith->members[0].type;                                   // AccountType::kTraditionalIra
//   AddAccountToHousehold(*store, "SMITH", "LEE-TAXABLE", by);
//   // "household SMITH: account LEE-TAXABLE belongs to LEE; a household holds the accounts of
//   //  at most two people (now SMITH-J, SMITH-M)"
//   household::LocationPolicy policy = LoadLocationPolicy(*store)->policy;   // defaults until set
//
// Who and when are passed in: the store has no clock and no idea of the current user. Every call
// is one transaction (or part of the caller's open one) and a failed call writes nothing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "adapters/storage/model_store.h"
#include "adapters/storage/store.h"
#include "core/base/status.h"
#include "core/household/household.h"
#include "core/household/location_policy.h"

namespace arbor {

// Who makes a change and when (ISO 8601 UTC, "2026-11-28T09:00:00Z"), for the audit log.
struct HouseholdChange {
  std::string user;
  std::string at;
};

// Creates the household or updates its name and drift penalty; stores its target as a new
// revision when it differs from the stored one (an empty template keeps the stored target), after
// checking it against the newest catalogue like an account's customization. Members listed join
// it as AddAccountToHousehold would (only their ids are read); members not listed stay.
// kUnchanged when nothing changed.
Result<SaveOutcome> SaveHousehold(Store& store, const household::Household& household,
                                  const HouseholdChange& change);

// The household with its members (type, taxpayers, name, advisor as stored), sorted by id, and
// its current target (an empty template when it has none). NotFound for an unknown id.
Result<household::Household> LoadHousehold(Store& store, const std::string& id);

struct HouseholdSummary {
  std::string id;
  std::string name;
  int accounts = 0;
  std::string template_name;  // of the current target; empty without one
  double drift_penalty = 0;
  std::string created;
};
Result<std::vector<HouseholdSummary>> ListHouseholds(Store& store);  // by id

// Moves the account into the household, audited. Errors: an unknown household or account, an
// account in another household (remove it there first), one whose taxpayers would make the
// household more than two people. Returns false when the account was already a member (nothing
// is written).
Result<bool> AddAccountToHousehold(Store& store, const std::string& household,
                                   const std::string& account, const HouseholdChange& change);
// Takes the account out of the household, audited; an error when it is not a member.
Status RemoveAccountFromHousehold(Store& store, const std::string& household,
                                  const std::string& account, const HouseholdChange& change);

struct HouseholdAuditEntry {
  int64_t id = 0;
  std::string at;
  std::string user;  // empty for a change made outside the household commands (an import)
  std::string account;
  std::string from_household;  // empty: the account was in none
  std::string to_household;    // empty: it left
  std::string note;
};
// The membership changes into or out of the household, oldest first.
Result<std::vector<HouseholdAuditEntry>> LoadHouseholdAudit(Store& store,
                                                            const std::string& household);

struct StoredLocationPolicy {
  household::LocationPolicy policy;
  bool defaults = true;  // the firm has not set its own: DefaultLocationPolicy()
  std::string saved_by;
  std::string saved_at;
};
Result<StoredLocationPolicy> LoadLocationPolicy(Store& store);
// Replaces the firm's rules (validated first); an empty list turns asset location off.
Status SaveLocationPolicy(Store& store, const household::LocationPolicy& policy,
                          const HouseholdChange& change);
// Back to the defaults.
Status ResetLocationPolicy(Store& store);

// `arbor import households`: JSON (*.json) {"households": [{"id", "name", "drift_penalty",
// "accounts": [...], "target": {"template", "removals", "weights", "products", "screens"}}]}, or
// CSV household,account[,name,template,drift_penalty] (one row per member; a row without an
// account sets the household's fields only). Each household is saved as SaveHousehold does; all
// files in one transaction, or nothing; errors name file:line and the field.
Result<ImportSummary> ImportHouseholds(Store& store, const std::vector<std::string>& files,
                                       const HouseholdChange& change);

}  // namespace arbor
