#include "adapters/storage/migrations.h"

#include <string>

namespace arbor {
namespace {

// Money, shares and prices are int64 millionths (core/base/fixed.h), dates ISO text, so that
// text order is date order and every value round-trips exactly.
constexpr std::string_view kMarketData = R"sql(
CREATE TABLE securities (
  symbol          TEXT PRIMARY KEY NOT NULL,
  name            TEXT NOT NULL DEFAULT '',
  type            TEXT NOT NULL DEFAULT 'stock'
                  CHECK (type IN ('stock', 'etf', 'mutual_fund', 'adr', 'cash_equivalent')),
  sector          TEXT NOT NULL DEFAULT '',
  industry_group  TEXT NOT NULL DEFAULT '',
  industry        TEXT NOT NULL DEFAULT '',
  sub_industry    TEXT NOT NULL DEFAULT '',
  asset_class     TEXT NOT NULL DEFAULT '',
  fractional      INTEGER NOT NULL DEFAULT 1 CHECK (fractional IN (0, 1)),
  wash_sale_group TEXT NOT NULL DEFAULT ''
);
CREATE TABLE prices (
  symbol       TEXT NOT NULL REFERENCES securities(symbol),
  date         TEXT NOT NULL,
  close_micros INTEGER NOT NULL CHECK (close_micros > 0),
  PRIMARY KEY (symbol, date)
) WITHOUT ROWID;
CREATE TABLE corporate_actions (
  symbol      TEXT NOT NULL REFERENCES securities(symbol),
  ex_date     TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('split', 'dividend')),
  numerator   INTEGER NOT NULL DEFAULT 1 CHECK (numerator > 0),
  denominator INTEGER NOT NULL DEFAULT 1 CHECK (denominator > 0),
  cash_micros INTEGER NOT NULL DEFAULT 0 CHECK (cash_micros >= 0),
  PRIMARY KEY (symbol, ex_date, kind)
) WITHOUT ROWID;
)sql";

// `seq` is the insertion order: the tie-break among one day's transactions, so a buy and a
// sell on the same date replay in the order they were imported. Its uniqueness is an index
// of its own rather than a column constraint so that a bulk import can drop it with the
// other secondary index and rebuild both by sorting once.
constexpr std::string_view kAccountsAndTransactions = R"sql(
CREATE TABLE accounts (
  id        TEXT PRIMARY KEY NOT NULL,
  type      TEXT NOT NULL,
  taxpayers TEXT NOT NULL DEFAULT '',
  household TEXT NOT NULL DEFAULT '',
  name      TEXT NOT NULL DEFAULT ''
);
CREATE TABLE transactions (
  id            TEXT PRIMARY KEY NOT NULL,
  seq           INTEGER NOT NULL,
  date          TEXT NOT NULL,
  account       TEXT NOT NULL REFERENCES accounts(id),
  action        TEXT NOT NULL CHECK (action IN ('buy', 'sell', 'deposit', 'withdrawal',
                                                'dividend', 'fee', 'transfer_in')),
  symbol        TEXT REFERENCES securities(symbol),
  shares_micros INTEGER NOT NULL DEFAULT 0 CHECK (shares_micros >= 0),
  price_micros  INTEGER NOT NULL DEFAULT 0 CHECK (price_micros >= 0),
  fees_micros   INTEGER NOT NULL DEFAULT 0 CHECK (fees_micros >= 0),
  amount_micros INTEGER NOT NULL DEFAULT 0 CHECK (amount_micros >= 0),
  lot_id        TEXT,
  lot_method    TEXT,
  lots          TEXT,
  basis_micros  INTEGER NOT NULL DEFAULT 0 CHECK (basis_micros >= 0),
  acquired      TEXT,
  hp_date       TEXT,
  source        TEXT NOT NULL
);
CREATE UNIQUE INDEX transactions_by_seq ON transactions (seq);
CREATE INDEX transactions_by_account ON transactions (account, date, seq);
)sql";

// A risk model per as-of date (adapters/storage/risk_model_store.h). Positions are the row of
// a security and the column of a factor in the loadings matrix; an exposure without a row is
// zero. Deleting a model deletes its parts.
constexpr std::string_view kRiskModels = R"sql(
CREATE TABLE risk_models (
  as_of                          TEXT PRIMARY KEY NOT NULL,
  window_first                   TEXT NOT NULL,
  window_last                    TEXT NOT NULL,
  window_days                    INTEGER NOT NULL CHECK (window_days > 0),
  half_life_days                 REAL NOT NULL CHECK (half_life_days > 0),
  statistical_variance_explained REAL NOT NULL,
  factor_covariance_shrinkage    REAL NOT NULL,
  short_history_securities       INTEGER NOT NULL,
  winsorized_returns             INTEGER NOT NULL
);
CREATE TABLE risk_model_factors (
  as_of    TEXT NOT NULL REFERENCES risk_models(as_of) ON DELETE CASCADE,
  position INTEGER NOT NULL CHECK (position >= 0),
  name     TEXT NOT NULL,
  kind     TEXT NOT NULL CHECK (kind IN ('market', 'industry', 'statistical')),
  PRIMARY KEY (as_of, position)
) WITHOUT ROWID;
CREATE TABLE risk_model_factor_covariances (
  as_of         TEXT NOT NULL,
  row_factor    INTEGER NOT NULL,
  column_factor INTEGER NOT NULL CHECK (column_factor >= row_factor),
  covariance    REAL NOT NULL,
  PRIMARY KEY (as_of, row_factor, column_factor),
  FOREIGN KEY (as_of, row_factor) REFERENCES risk_model_factors(as_of, position) ON DELETE CASCADE,
  FOREIGN KEY (as_of, column_factor) REFERENCES risk_model_factors(as_of, position) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE risk_model_specific_variances (
  as_of             TEXT NOT NULL REFERENCES risk_models(as_of) ON DELETE CASCADE,
  position          INTEGER NOT NULL CHECK (position >= 0),
  symbol            TEXT NOT NULL,
  specific_variance REAL NOT NULL CHECK (specific_variance > 0),
  PRIMARY KEY (as_of, position),
  UNIQUE (as_of, symbol)
) WITHOUT ROWID;
CREATE TABLE risk_model_exposures (
  as_of    TEXT NOT NULL,
  security INTEGER NOT NULL,
  factor   INTEGER NOT NULL,
  exposure REAL NOT NULL,
  PRIMARY KEY (as_of, security, factor),
  FOREIGN KEY (as_of, security) REFERENCES risk_model_specific_variances(as_of, position)
    ON DELETE CASCADE,
  FOREIGN KEY (as_of, factor) REFERENCES risk_model_factors(as_of, position) ON DELETE CASCADE
) WITHOUT ROWID;
)sql";

// Per-account rebalance settings (adapters/storage/rebalance_settings_store.h): one optional
// settings row (a NULL column takes the documented default), the security target list and the
// security restrictions. Weights and rates are fractions (REAL); money and shares millionths.
constexpr std::string_view kRebalanceSettings = R"sql(
CREATE TABLE rebalance_settings (
  account                  TEXT PRIMARY KEY NOT NULL REFERENCES accounts(id),
  federal_short_term_rate  REAL CHECK (federal_short_term_rate >= 0 AND federal_short_term_rate < 1),
  federal_long_term_rate   REAL CHECK (federal_long_term_rate >= 0 AND federal_long_term_rate < 1),
  state_short_term_rate    REAL CHECK (state_short_term_rate >= 0 AND state_short_term_rate < 1),
  state_long_term_rate     REAL CHECK (state_long_term_rate >= 0 AND state_long_term_rate < 1),
  niit_rate                REAL CHECK (niit_rate >= 0 AND niit_rate < 1),
  cash_min_micros          INTEGER CHECK (cash_min_micros >= 0),
  cash_max_micros          INTEGER CHECK (cash_max_micros >= 0),
  withdrawal_micros        INTEGER CHECK (withdrawal_micros >= 0),
  min_trade_micros         INTEGER CHECK (min_trade_micros >= 0),
  share_increment_micros   INTEGER CHECK (share_increment_micros > 0 AND share_increment_micros <= 1000000),
  cost_rate                REAL CHECK (cost_rate >= 0 AND cost_rate < 1),
  risk_aversion            REAL CHECK (risk_aversion >= 0),
  sector_drift_penalty     REAL CHECK (sector_drift_penalty >= 0),
  tax_budget_micros        INTEGER
) WITHOUT ROWID;
CREATE TABLE security_targets (
  account TEXT NOT NULL REFERENCES accounts(id),
  symbol  TEXT NOT NULL REFERENCES securities(symbol),
  weight  REAL NOT NULL CHECK (weight >= 0 AND weight <= 1),
  PRIMARY KEY (account, symbol)
) WITHOUT ROWID;
CREATE TABLE security_restrictions (
  account     TEXT NOT NULL REFERENCES accounts(id),
  symbol      TEXT NOT NULL REFERENCES securities(symbol),
  restriction TEXT NOT NULL CHECK (restriction IN ('no_buy', 'no_sell', 'hold', 'must_sell')),
  PRIMARY KEY (account, symbol)
) WITHOUT ROWID;
)sql";

// Investment models (adapters/storage/model_store.h). History is kept: a new template or
// security model version, a screen change or a new customization is a new set of rows, never an
// update, so every past review can be explained. Weights are fractions (REAL), dates ISO text.
// The column values the core validates (weights, bands, kinds, rules) are CHECKed here too, so a
// row written by anything but the store cannot break a later load.
constexpr std::string_view kInvestmentModels = R"sql(
CREATE TABLE model_templates (
  name        TEXT NOT NULL CHECK (name <> ''),
  version     INTEGER NOT NULL CHECK (version >= 1),
  effective   TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (name, version),
  UNIQUE (name, effective)
) WITHOUT ROWID;
CREATE TABLE model_template_classes (
  template        TEXT NOT NULL,
  version         INTEGER NOT NULL,
  name            TEXT NOT NULL CHECK (name <> ''),
  position        INTEGER NOT NULL CHECK (position >= 0),
  parent          TEXT NOT NULL DEFAULT '',
  weight          REAL NOT NULL CHECK (weight >= 0 AND weight <= 1),
  min_weight      REAL NOT NULL CHECK (min_weight >= 0 AND min_weight <= 1),
  max_weight      REAL NOT NULL CHECK (max_weight >= min_weight AND max_weight <= 1),
  removable       INTEGER NOT NULL CHECK (removable IN (0, 1)),
  default_product TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (template, version, name),
  UNIQUE (template, version, position),
  FOREIGN KEY (template, version) REFERENCES model_templates(name, version) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE model_template_products (
  template  TEXT NOT NULL,
  version   INTEGER NOT NULL,
  class     TEXT NOT NULL,
  id        TEXT NOT NULL CHECK (id <> ''),
  position  INTEGER NOT NULL CHECK (position >= 0),
  kind      TEXT NOT NULL
            CHECK (kind IN ('etf', 'mutual_fund', 'direct_index', 'active_model', 'cash')),
  reference TEXT NOT NULL DEFAULT '' CHECK (kind = 'cash' OR reference <> ''),
  PRIMARY KEY (template, version, id),
  UNIQUE (template, version, class, position),
  FOREIGN KEY (template, version, class)
    REFERENCES model_template_classes(template, version, name) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE security_models (
  name        TEXT NOT NULL CHECK (name <> ''),
  version     INTEGER NOT NULL CHECK (version >= 1),
  effective   TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (name, version),
  UNIQUE (name, effective)
) WITHOUT ROWID;
CREATE TABLE security_model_weights (
  model   TEXT NOT NULL,
  version INTEGER NOT NULL,
  symbol  TEXT NOT NULL REFERENCES securities(symbol),
  weight  REAL NOT NULL CHECK (weight > 0 AND weight <= 1),
  PRIMARY KEY (model, version, symbol),
  FOREIGN KEY (model, version) REFERENCES security_models(name, version) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE screens (
  name        TEXT NOT NULL CHECK (name <> ''),
  version     INTEGER NOT NULL CHECK (version >= 1),
  description TEXT NOT NULL DEFAULT '',
  saved_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  PRIMARY KEY (name, version)
) WITHOUT ROWID;
CREATE TABLE screen_sub_industries (
  screen       TEXT NOT NULL,
  version      INTEGER NOT NULL,
  sub_industry TEXT NOT NULL CHECK (sub_industry <> ''),
  PRIMARY KEY (screen, version, sub_industry),
  FOREIGN KEY (screen, version) REFERENCES screens(name, version) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE screen_symbols (
  screen  TEXT NOT NULL,
  version INTEGER NOT NULL,
  symbol  TEXT NOT NULL CHECK (symbol <> ''),
  PRIMARY KEY (screen, version, symbol),
  FOREIGN KEY (screen, version) REFERENCES screens(name, version) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE screen_includes (
  screen   TEXT NOT NULL,
  version  INTEGER NOT NULL,
  included TEXT NOT NULL CHECK (included <> screen),
  PRIMARY KEY (screen, version, included),
  FOREIGN KEY (screen, version) REFERENCES screens(name, version) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE account_customizations (
  account  TEXT NOT NULL REFERENCES accounts(id),
  revision INTEGER NOT NULL CHECK (revision >= 1),
  template TEXT NOT NULL CHECK (template <> ''),
  saved_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  PRIMARY KEY (account, revision)
) WITHOUT ROWID;
CREATE INDEX account_customizations_by_template ON account_customizations (template);
CREATE TABLE customization_removals (
  account     TEXT NOT NULL,
  revision    INTEGER NOT NULL,
  asset_class TEXT NOT NULL,
  position    INTEGER NOT NULL CHECK (position >= 0),
  rule        TEXT NOT NULL CHECK (rule IN ('pro_rata', 'to_class')),
  to_class    TEXT NOT NULL DEFAULT '' CHECK ((rule = 'to_class') = (to_class <> '')),
  PRIMARY KEY (account, revision, asset_class),
  FOREIGN KEY (account, revision) REFERENCES account_customizations(account, revision)
    ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE customization_weights (
  account     TEXT NOT NULL,
  revision    INTEGER NOT NULL,
  asset_class TEXT NOT NULL,
  position    INTEGER NOT NULL CHECK (position >= 0),
  weight      REAL NOT NULL CHECK (weight >= 0 AND weight <= 1),
  PRIMARY KEY (account, revision, asset_class),
  FOREIGN KEY (account, revision) REFERENCES account_customizations(account, revision)
    ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE customization_products (
  account     TEXT NOT NULL,
  revision    INTEGER NOT NULL,
  asset_class TEXT NOT NULL,
  position    INTEGER NOT NULL CHECK (position >= 0),
  product     TEXT NOT NULL CHECK (product <> ''),
  PRIMARY KEY (account, revision, asset_class),
  FOREIGN KEY (account, revision) REFERENCES account_customizations(account, revision)
    ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE customization_screens (
  account  TEXT NOT NULL,
  revision INTEGER NOT NULL,
  screen   TEXT NOT NULL,
  position INTEGER NOT NULL CHECK (position >= 0),
  PRIMARY KEY (account, revision, screen),
  FOREIGN KEY (account, revision) REFERENCES account_customizations(account, revision)
    ON DELETE CASCADE
) WITHOUT ROWID;
)sql";

// Funds' published holdings, for look-through (adapters/storage/fund_holdings_store.h): one
// snapshot per fund and date, weights as fractions of the fund.
constexpr std::string_view kFundHoldings = R"sql(
CREATE TABLE fund_holdings (
  fund   TEXT NOT NULL REFERENCES securities(symbol),
  as_of  TEXT NOT NULL,
  symbol TEXT NOT NULL REFERENCES securities(symbol),
  weight REAL NOT NULL CHECK (weight > 0 AND weight <= 1),
  PRIMARY KEY (fund, as_of, symbol)
) WITHOUT ROWID;
)sql";

// Cash management (adapters/storage/cash_policy_store.h): per account, the reserve held back
// from dividends and interest, how early a withdrawal is raised, and "accumulate cash"; its
// regularly scheduled withdrawals; and the one-off withdrawal requests advisors enter. The
// minimum and maximum cash stay in rebalance_settings.
constexpr std::string_view kCashManagement = R"sql(
CREATE TABLE cash_policies (
  account                  TEXT PRIMARY KEY NOT NULL REFERENCES accounts(id),
  reserve_cap_micros       INTEGER NOT NULL DEFAULT 0 CHECK (reserve_cap_micros >= 0),
  withdrawal_lead_days     INTEGER NOT NULL DEFAULT 5 CHECK (withdrawal_lead_days BETWEEN 0 AND 60),
  accumulate_target_micros INTEGER NOT NULL DEFAULT 0 CHECK (accumulate_target_micros >= 0),
  accumulate_reviews       INTEGER NOT NULL DEFAULT 0 CHECK (accumulate_reviews >= 0),
  accumulate_from          TEXT
) WITHOUT ROWID;
CREATE TABLE scheduled_withdrawals (
  account       TEXT NOT NULL REFERENCES accounts(id),
  id            TEXT NOT NULL CHECK (id <> ''),
  amount_micros INTEGER NOT NULL CHECK (amount_micros > 0),
  day_of_month  INTEGER NOT NULL CHECK (day_of_month BETWEEN 1 AND 28),
  every_months  INTEGER NOT NULL DEFAULT 1 CHECK (every_months IN (1, 3, 6, 12)),
  first_date    TEXT NOT NULL,
  last_date     TEXT,
  PRIMARY KEY (account, id)
) WITHOUT ROWID;
CREATE TABLE withdrawal_requests (
  account       TEXT NOT NULL REFERENCES accounts(id),
  id            TEXT NOT NULL CHECK (id <> ''),
  amount_micros INTEGER NOT NULL CHECK (amount_micros > 0),
  due           TEXT NOT NULL,
  entered_by    TEXT NOT NULL DEFAULT '',
  entered_at    TEXT NOT NULL,
  status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'cancelled')),
  PRIMARY KEY (account, id)
) WITHOUT ROWID;
)sql";

// The daily review and the rebalancing group's workbench (adapters/storage/review_store.h and
// workbench_store.h). Accounts get their advisor. Custodian positions are what the custodian
// reports the account holds, to check the lots against; a symbol there need not be known.
// A review run has one result per account: its outcome, the workbench status, the metrics the
// filters query (one typed column each, so a filter is one SQL WHERE), and the proposal's
// trades. The audit log is append-only: triggers refuse updates and deletes.
constexpr std::string_view kDailyReview = R"sql(
ALTER TABLE accounts ADD COLUMN advisor TEXT NOT NULL DEFAULT '';
CREATE TABLE custodian_positions (
  account       TEXT NOT NULL REFERENCES accounts(id),
  as_of         TEXT NOT NULL,
  symbol        TEXT NOT NULL,
  shares_micros INTEGER NOT NULL,
  PRIMARY KEY (account, as_of, symbol)
) WITHOUT ROWID;
CREATE TABLE review_runs (
  id          INTEGER PRIMARY KEY,
  as_of       TEXT NOT NULL,
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  accounts    INTEGER NOT NULL CHECK (accounts >= 0)
);
CREATE TABLE review_results (
  run                   INTEGER NOT NULL REFERENCES review_runs(id),
  account               TEXT NOT NULL REFERENCES accounts(id),
  household             TEXT NOT NULL,
  advisor               TEXT NOT NULL,
  account_type          TEXT NOT NULL,
  outcome               TEXT NOT NULL CHECK (outcome IN ('proposed', 'no_trade', 'suspended', 'failed')),
  status                TEXT NOT NULL CHECK (status IN ('pending', 'suspended', 'approved', 'review', 'released')),
  reasons               TEXT NOT NULL DEFAULT '',
  warnings              INTEGER NOT NULL DEFAULT 0,
  market_value          REAL NOT NULL DEFAULT 0,
  cash_before           REAL NOT NULL DEFAULT 0,
  cash_after            REAL NOT NULL DEFAULT 0,
  cash_required         REAL NOT NULL DEFAULT 0,
  withdrawal_usd        REAL NOT NULL DEFAULT 0,
  trades                INTEGER NOT NULL DEFAULT 0,
  buy_usd               REAL NOT NULL DEFAULT 0,
  sell_usd              REAL NOT NULL DEFAULT 0,
  turnover              REAL NOT NULL DEFAULT 0,
  score_usd             REAL NOT NULL DEFAULT 0,
  score_bps             REAL NOT NULL DEFAULT 0,
  tax_usd               REAL NOT NULL DEFAULT 0,
  gains_usd             REAL NOT NULL DEFAULT 0,
  harvest_usd           REAL NOT NULL DEFAULT 0,
  tracking_error_before REAL NOT NULL DEFAULT 0,
  tracking_error_after  REAL NOT NULL DEFAULT 0,
  drift_max             REAL NOT NULL DEFAULT 0,
  drift_max_after       REAL NOT NULL DEFAULT 0,
  must_trade            INTEGER NOT NULL DEFAULT 0 CHECK (must_trade IN (0, 1)),
  must_trade_reasons    TEXT NOT NULL DEFAULT '',
  flags                 TEXT NOT NULL DEFAULT '',
  notes                 TEXT NOT NULL DEFAULT '',
  seconds               REAL NOT NULL DEFAULT 0,
  PRIMARY KEY (run, account)
) WITHOUT ROWID;
CREATE TABLE review_trades (
  run           INTEGER NOT NULL,
  account       TEXT NOT NULL,
  position      INTEGER NOT NULL CHECK (position >= 0),
  symbol        TEXT NOT NULL,
  side          TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
  shares_micros INTEGER NOT NULL CHECK (shares_micros > 0),
  price_micros  INTEGER NOT NULL CHECK (price_micros > 0),
  amount_micros INTEGER NOT NULL,
  cost_micros   INTEGER NOT NULL DEFAULT 0,
  reason        TEXT NOT NULL,
  why           TEXT NOT NULL DEFAULT '',
  lots          TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (run, account, position),
  FOREIGN KEY (run, account) REFERENCES review_results(run, account)
) WITHOUT ROWID;
CREATE TABLE saved_filters (
  name        TEXT PRIMARY KEY NOT NULL CHECK (name <> ''),
  text        TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_by  TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE workbench_audit (
  id          INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  user        TEXT NOT NULL,
  action      TEXT NOT NULL,
  run         INTEGER REFERENCES review_runs(id),
  filter      TEXT NOT NULL DEFAULT '',
  filter_name TEXT NOT NULL DEFAULT '',
  accounts    INTEGER NOT NULL DEFAULT 0,
  detail      TEXT NOT NULL DEFAULT ''
);
CREATE TABLE workbench_audit_accounts (
  audit       INTEGER NOT NULL REFERENCES workbench_audit(id),
  account     TEXT NOT NULL,
  from_status TEXT NOT NULL,
  to_status   TEXT NOT NULL,
  PRIMARY KEY (audit, account)
) WITHOUT ROWID;
CREATE TRIGGER workbench_audit_no_update BEFORE UPDATE ON workbench_audit
  BEGIN SELECT RAISE(ABORT, 'the workbench audit log is append-only'); END;
CREATE TRIGGER workbench_audit_no_delete BEFORE DELETE ON workbench_audit
  BEGIN SELECT RAISE(ABORT, 'the workbench audit log is append-only'); END;
CREATE TRIGGER workbench_audit_accounts_no_update BEFORE UPDATE ON workbench_audit_accounts
  BEGIN SELECT RAISE(ABORT, 'the workbench audit log is append-only'); END;
CREATE TRIGGER workbench_audit_accounts_no_delete BEFORE DELETE ON workbench_audit_accounts
  BEGIN SELECT RAISE(ABORT, 'the workbench audit log is append-only'); END;
)sql";

// Households (adapters/storage/household_store.h). Membership is the accounts' household column,
// so an account is in at most one household and the review and the workbench, which read that
// column, see it. The audit of membership changes is append-only and complete: the store writes
// who moved an account just before moving it, and the triggers on accounts record every other
// change (an accounts import), which also creates the household it names. A household's target is
// stored like an account's customization (household_customizations and its parts: the same
// columns, keyed by household). The firm's location rules apply in `position` order; until the
// firm saves a policy (the one row of location_policy) the built-in defaults apply.
constexpr std::string_view kHouseholds = R"sql(
CREATE TABLE households (
  id            TEXT PRIMARY KEY NOT NULL CHECK (id <> ''),
  name          TEXT NOT NULL DEFAULT '',
  drift_penalty REAL NOT NULL DEFAULT 0 CHECK (drift_penalty >= 0),
  created       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) WITHOUT ROWID;
INSERT INTO households (id) SELECT DISTINCT household FROM accounts WHERE household <> '';
CREATE INDEX accounts_by_household ON accounts (household);
CREATE TABLE household_audit (
  id             INTEGER PRIMARY KEY,
  at             TEXT NOT NULL,
  user           TEXT NOT NULL,
  account        TEXT NOT NULL,
  from_household TEXT NOT NULL,
  to_household   TEXT NOT NULL,
  note           TEXT NOT NULL DEFAULT '',
  CHECK (from_household <> to_household)
);
CREATE INDEX household_audit_by_account ON household_audit (account);
CREATE TRIGGER household_audit_no_update BEFORE UPDATE ON household_audit
  BEGIN SELECT RAISE(ABORT, 'the household audit log is append-only'); END;
CREATE TRIGGER household_audit_no_delete BEFORE DELETE ON household_audit
  BEGIN SELECT RAISE(ABORT, 'the household audit log is append-only'); END;
CREATE TRIGGER accounts_household_on_insert AFTER INSERT ON accounts WHEN new.household <> ''
BEGIN
  INSERT OR IGNORE INTO households (id) VALUES (new.household);
  INSERT INTO household_audit (at, user, account, from_household, to_household, note)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), '', new.id, '', new.household,
            'set outside arbor household');
END;
CREATE TRIGGER accounts_household_on_update AFTER UPDATE OF household ON accounts
  WHEN old.household <> new.household
BEGIN
  INSERT OR IGNORE INTO households (id) SELECT new.household WHERE new.household <> '';
  INSERT INTO household_audit (at, user, account, from_household, to_household, note)
    SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), '', new.id, old.household, new.household,
           'set outside arbor household'
    WHERE NOT EXISTS (SELECT 1 FROM household_audit
                      WHERE id = (SELECT max(id) FROM household_audit) AND account = new.id
                        AND from_household = old.household AND to_household = new.household);
END;
CREATE TABLE household_customizations (
  household TEXT NOT NULL REFERENCES households(id),
  revision  INTEGER NOT NULL CHECK (revision >= 1),
  template  TEXT NOT NULL CHECK (template <> ''),
  saved_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  PRIMARY KEY (household, revision)
) WITHOUT ROWID;
CREATE TABLE household_customization_removals (
  household   TEXT NOT NULL,
  revision    INTEGER NOT NULL,
  asset_class TEXT NOT NULL,
  position    INTEGER NOT NULL CHECK (position >= 0),
  rule        TEXT NOT NULL CHECK (rule IN ('pro_rata', 'to_class')),
  to_class    TEXT NOT NULL DEFAULT '' CHECK ((rule = 'to_class') = (to_class <> '')),
  PRIMARY KEY (household, revision, asset_class),
  FOREIGN KEY (household, revision) REFERENCES household_customizations(household, revision)
) WITHOUT ROWID;
CREATE TABLE household_customization_weights (
  household   TEXT NOT NULL,
  revision    INTEGER NOT NULL,
  asset_class TEXT NOT NULL,
  position    INTEGER NOT NULL CHECK (position >= 0),
  weight      REAL NOT NULL CHECK (weight >= 0 AND weight <= 1),
  PRIMARY KEY (household, revision, asset_class),
  FOREIGN KEY (household, revision) REFERENCES household_customizations(household, revision)
) WITHOUT ROWID;
CREATE TABLE household_customization_products (
  household   TEXT NOT NULL,
  revision    INTEGER NOT NULL,
  asset_class TEXT NOT NULL,
  position    INTEGER NOT NULL CHECK (position >= 0),
  product     TEXT NOT NULL CHECK (product <> ''),
  PRIMARY KEY (household, revision, asset_class),
  FOREIGN KEY (household, revision) REFERENCES household_customizations(household, revision)
) WITHOUT ROWID;
CREATE TABLE household_customization_screens (
  household TEXT NOT NULL,
  revision  INTEGER NOT NULL,
  screen    TEXT NOT NULL,
  position  INTEGER NOT NULL CHECK (position >= 0),
  PRIMARY KEY (household, revision, screen),
  FOREIGN KEY (household, revision) REFERENCES household_customizations(household, revision)
) WITHOUT ROWID;
CREATE TABLE location_policy (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  saved_by TEXT NOT NULL DEFAULT '',
  saved_at TEXT NOT NULL
);
CREATE TABLE location_rules (
  position     INTEGER PRIMARY KEY CHECK (position >= 0),
  attribute    TEXT NOT NULL
               CHECK (attribute IN ('symbol', 'asset_class', 'sector', 'type', 'product')),
  value        TEXT NOT NULL CHECK (value <> ''),
  taxable      REAL NOT NULL DEFAULT 0 CHECK (abs(taxable) <= 0.05),
  tax_deferred REAL NOT NULL DEFAULT 0 CHECK (abs(tax_deferred) <= 0.05),
  tax_exempt   REAL NOT NULL DEFAULT 0 CHECK (abs(tax_exempt) <= 0.05),
  UNIQUE (attribute, value)
);
)sql";

// A household with a target is reviewed as one unit (adapters/batch/household_review.h): each
// member's result carries the household's figures, for the workbench's filters and for batch
// actions, which move a joint household's members together.
constexpr std::string_view kHouseholdReview = R"sql(
ALTER TABLE review_results ADD COLUMN household_joint INTEGER NOT NULL DEFAULT 0
  CHECK (household_joint IN (0, 1));
ALTER TABLE review_results ADD COLUMN household_value REAL NOT NULL DEFAULT 0;
ALTER TABLE review_results ADD COLUMN household_score_usd REAL NOT NULL DEFAULT 0;
ALTER TABLE review_results ADD COLUMN household_score_bps REAL NOT NULL DEFAULT 0;
ALTER TABLE review_results ADD COLUMN household_tracking_error_before REAL NOT NULL DEFAULT 0;
ALTER TABLE review_results ADD COLUMN household_tracking_error_after REAL NOT NULL DEFAULT 0;
ALTER TABLE review_results ADD COLUMN location_benefit_usd REAL NOT NULL DEFAULT 0;
)sql";

// Accounts' fund menus (adapters/storage/account_menu_store.h): for a 401k, the funds its plan
// offers, the only securities the rebalance may buy in the account. An account without rows has
// no menu. Every change is a row of the append-only audit, with the whole menu after it (empty
// when it was cleared), so the menu on any past date can be read back.
constexpr std::string_view kAccountMenus = R"sql(
CREATE TABLE account_menus (
  account TEXT NOT NULL REFERENCES accounts(id),
  symbol  TEXT NOT NULL REFERENCES securities(symbol),
  PRIMARY KEY (account, symbol)
) WITHOUT ROWID;
CREATE TABLE account_menu_audit (
  id      INTEGER PRIMARY KEY,
  at      TEXT NOT NULL,
  user    TEXT NOT NULL,
  account TEXT NOT NULL,
  menu    TEXT NOT NULL,
  note    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX account_menu_audit_by_account ON account_menu_audit (account);
CREATE TRIGGER account_menu_audit_no_update BEFORE UPDATE ON account_menu_audit
  BEGIN SELECT RAISE(ABORT, 'the account menu audit log is append-only'); END;
CREATE TRIGGER account_menu_audit_no_delete BEFORE DELETE ON account_menu_audit
  BEGIN SELECT RAISE(ABORT, 'the account menu audit log is append-only'); END;
)sql";

// Transactions clustered by account (issue 5): the table's key is (account, date, seq), so one
// account's history, which the daily review reads whole, is a few adjacent pages rather than a
// random read per row wherever the import happened to put it. Same columns, checks and
// references; the id stays unique through an index of the table (not a separate CREATE INDEX,
// which a bulk import would drop: the id is how an import recognises rows it stored already).
// Every replay also reads the splits of a date range: their own index keeps them apart from
// the hundred times as many dividends.
constexpr std::string_view kTransactionsByAccount = R"sql(
CREATE TABLE transactions_by_account_key (
  id            TEXT NOT NULL UNIQUE,
  seq           INTEGER NOT NULL,
  date          TEXT NOT NULL,
  account       TEXT NOT NULL REFERENCES accounts(id),
  action        TEXT NOT NULL CHECK (action IN ('buy', 'sell', 'deposit', 'withdrawal',
                                                'dividend', 'fee', 'transfer_in')),
  symbol        TEXT REFERENCES securities(symbol),
  shares_micros INTEGER NOT NULL DEFAULT 0 CHECK (shares_micros >= 0),
  price_micros  INTEGER NOT NULL DEFAULT 0 CHECK (price_micros >= 0),
  fees_micros   INTEGER NOT NULL DEFAULT 0 CHECK (fees_micros >= 0),
  amount_micros INTEGER NOT NULL DEFAULT 0 CHECK (amount_micros >= 0),
  lot_id        TEXT,
  lot_method    TEXT,
  lots          TEXT,
  basis_micros  INTEGER NOT NULL DEFAULT 0 CHECK (basis_micros >= 0),
  acquired      TEXT,
  hp_date       TEXT,
  source        TEXT NOT NULL,
  PRIMARY KEY (account, date, seq)
) WITHOUT ROWID;
INSERT INTO transactions_by_account_key SELECT * FROM transactions ORDER BY account, date, seq;
DROP TABLE transactions;
ALTER TABLE transactions_by_account_key RENAME TO transactions;
CREATE UNIQUE INDEX transactions_by_seq ON transactions (seq);
CREATE INDEX corporate_actions_splits ON corporate_actions (symbol, ex_date) WHERE kind = 'split';
)sql";

// Ledger checkpoints (issue 5, ledger_checkpoint_store.h): a wash-sale scope's replayed ledger
// state on a date, keyed by the scope's first account id, with the accounts it covers. The
// triggers delete every checkpoint a change of the past makes stale, whichever code writes it:
// a transaction inserted, updated or deleted on or before a checkpoint's date in one of its
// accounts, and a split stored, changed or removed on or before it (in any scope: splits are
// rare). Each trigger first compares the row's date with the newest checkpoint's (an index
// probe): a bulk import of history into a database without checkpoints, or today's rows after
// them, pays only that. Checkpoints written under another schema version are ignored, so a
// later migration that changes what a replay reads needs no step of its own; one that rebuilds
// `transactions` or `corporate_actions` must create these triggers again (migrations_test
// checks it).
constexpr std::string_view kLedgerCheckpoints = R"sql(
CREATE TABLE ledger_checkpoints (
  scope          TEXT NOT NULL,
  as_of          TEXT NOT NULL,
  schema_version INTEGER NOT NULL,
  state          BLOB NOT NULL,
  PRIMARY KEY (scope, as_of)
) WITHOUT ROWID;
CREATE INDEX ledger_checkpoints_by_date ON ledger_checkpoints (as_of);
CREATE TABLE ledger_checkpoint_accounts (
  account TEXT NOT NULL,
  scope   TEXT NOT NULL,
  PRIMARY KEY (account, scope)
) WITHOUT ROWID;
CREATE TRIGGER ledger_checkpoints_transaction_inserted AFTER INSERT ON transactions
  WHEN new.date <= (SELECT max(as_of) FROM ledger_checkpoints) BEGIN
  DELETE FROM ledger_checkpoints WHERE as_of >= new.date AND scope IN
    (SELECT scope FROM ledger_checkpoint_accounts WHERE account = new.account);
END;
CREATE TRIGGER ledger_checkpoints_transaction_updated AFTER UPDATE ON transactions
  WHEN min(old.date, new.date) <= (SELECT max(as_of) FROM ledger_checkpoints) BEGIN
  DELETE FROM ledger_checkpoints WHERE as_of >= old.date AND scope IN
    (SELECT scope FROM ledger_checkpoint_accounts WHERE account = old.account);
  DELETE FROM ledger_checkpoints WHERE as_of >= new.date AND scope IN
    (SELECT scope FROM ledger_checkpoint_accounts WHERE account = new.account);
END;
CREATE TRIGGER ledger_checkpoints_transaction_deleted AFTER DELETE ON transactions
  WHEN old.date <= (SELECT max(as_of) FROM ledger_checkpoints) BEGIN
  DELETE FROM ledger_checkpoints WHERE as_of >= old.date AND scope IN
    (SELECT scope FROM ledger_checkpoint_accounts WHERE account = old.account);
END;
CREATE TRIGGER ledger_checkpoints_split_inserted AFTER INSERT ON corporate_actions
  WHEN new.kind = 'split' BEGIN
  DELETE FROM ledger_checkpoints WHERE as_of >= new.ex_date;
END;
CREATE TRIGGER ledger_checkpoints_split_updated AFTER UPDATE ON corporate_actions
  WHEN old.kind = 'split' OR new.kind = 'split' BEGIN
  DELETE FROM ledger_checkpoints WHERE as_of >= min(old.ex_date, new.ex_date);
END;
CREATE TRIGGER ledger_checkpoints_split_deleted AFTER DELETE ON corporate_actions
  WHEN old.kind = 'split' BEGIN
  DELETE FROM ledger_checkpoints WHERE as_of >= old.ex_date;
END;
)sql";

Status EnsureMigrationsTable(Database* db) {
  return db->Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY NOT NULL,"
      " name TEXT NOT NULL,"
      " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))");
}

}  // namespace

const std::vector<Migration>& SchemaMigrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "securities, prices and corporate actions", kMarketData},
      {2, "accounts and transactions", kAccountsAndTransactions},
      {3, "risk models", kRiskModels},
      {4, "rebalance settings", kRebalanceSettings},
      {5, "investment models", kInvestmentModels},
      {6, "fund holdings", kFundHoldings},
      {7, "cash management", kCashManagement},
      {8, "daily review and workbench", kDailyReview},
      {9, "households", kHouseholds},
      {10, "households in the daily review", kHouseholdReview},
      {11, "account fund menus", kAccountMenus},
      {12, "transactions clustered by account", kTransactionsByAccount},
      {13, "ledger checkpoints", kLedgerCheckpoints},
  };
  return kMigrations;
}

Result<int> SchemaVersion(Database* db) {
  Result<Statement> exists = db->Prepare(
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
  if (!exists.ok()) return exists.status();
  Result<bool> row = exists->Step();
  if (!row.ok()) return row.status();
  if (exists->ColumnInt(0) == 0) return 0;
  Result<Statement> max = db->Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!max.ok()) return max.status();
  row = max->Step();
  if (!row.ok()) return row.status();
  return static_cast<int>(max->ColumnInt(0));
}

Result<int> Migrate(Database* db, const std::vector<Migration>& migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return Status::Internal("migration list is not numbered 1, 2, 3, ...: step " +
                              std::to_string(i + 1) + " has version " +
                              std::to_string(migrations[i].version));
    }
  }
  const int known = static_cast<int>(migrations.size());
  // The common case, an up-to-date file, needs no write lock.
  Result<int> current = SchemaVersion(db);
  if (current.ok() && *current == known) return 0;
  int applied = 0;
  while (true) {
    // Each step re-reads the version inside its write transaction, so two processes
    // migrating one file at once apply every step exactly once.
    Result<Transaction> txn = Transaction::Begin(db);
    if (!txn.ok()) return txn.status();
    ARBOR_RETURN_IF_ERROR(EnsureMigrationsTable(db));
    Result<int> version = SchemaVersion(db);
    if (!version.ok()) return version.status();
    if (*version > known) {
      return Status::FailedPrecondition("database '" + db->path() + "' has schema version " +
                                        std::to_string(*version) +
                                        ", newer than this build of Arbor knows (" +
                                        std::to_string(known) + "); use a newer Arbor");
    }
    if (*version == known) {
      ARBOR_RETURN_IF_ERROR(txn->Commit());
      return applied;
    }
    const Migration& step = migrations[*version];
    Status status = db->Exec(step.sql);
    if (!status.ok()) {
      return status.WithContext("migration " + std::to_string(step.version) + " (" +
                                std::string(step.name) + ")");
    }
    Result<Statement> record =
        db->Prepare("INSERT INTO schema_migrations (version, name) VALUES (?1, ?2)");
    if (!record.ok()) return record.status();
    record->Bind(1, step.version).Bind(2, step.name);
    ARBOR_RETURN_IF_ERROR(record->Run());
    ARBOR_RETURN_IF_ERROR(txn->Commit());
    ++applied;
  }
}

}  // namespace arbor
