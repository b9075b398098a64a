#include "adapters/io/problem_json.h"

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace arbor {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;
using optimize::HouseholdProblem;
using optimize::Problem;

Status FieldError(const std::string& field, const std::string& message) {
  return Status::InvalidArgument(field + ": " + message);
}

Status TypeError(const std::string& field, const char* expected, const json& value) {
  return FieldError(field, std::string("must be ") + expected + ", got " + value.type_name());
}

Result<double> NumberAt(const std::string& field, const json& value) {
  if (!value.is_number()) return TypeError(field, "a number", value);
  return value.get<double>();
}

// "securities[AAA]" when the item carries a usable name, else "securities[3]".
std::string ItemPath(const std::string& list, const json& item, const char* name_key,
                     size_t index) {
  if (item.is_object()) {
    auto name = item.find(name_key);
    if (name != item.end() && name->is_string() && !name->get_ref<const std::string&>().empty()) {
      return list + "[" + name->get<std::string>() + "]";
    }
  }
  return list + "[" + std::to_string(index) + "]";
}

// Reads the fields of one object of the file, rejecting keys its kind does not know. The first
// error is kept (named "path.key") and later reads return defaults, so a parser reads a whole
// object and then checks status() once.
class ObjectReader {
 public:
  ObjectReader(const json& object, std::string path, std::initializer_list<std::string_view> known)
      : object_(object), path_(std::move(path)) {
    if (!object.is_object()) {
      status_ = TypeError(path_, "an object", object);
      return;
    }
    for (const auto& [key, value] : object.items()) {
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        status_ = FieldError(Field(key), "unknown field");
        return;
      }
    }
  }

  const Status& status() const { return status_; }

  double Number(std::string_view key) {
    return NumberOr(Typed(key, kRequired, IsNumber, "a number"), 0);
  }
  double Number(std::string_view key, double fallback) {
    return NumberOr(Typed(key, kOptional, IsNumber, "a number"), fallback);
  }
  // Absent or null: no value.
  std::optional<double> NullableNumber(std::string_view key) {
    const json* value = Find(key);
    if (value == nullptr || value->is_null()) return std::nullopt;
    return Number(key);
  }
  bool Flag(std::string_view key, bool fallback) {
    const json* value = Typed(key, kOptional, IsBoolean, "true or false");
    return value ? value->get<bool>() : fallback;
  }
  std::string Text(std::string_view key) {
    const json* value = Typed(key, kRequired, IsString, "a string");
    return value ? value->get<std::string>() : std::string();
  }
  // Nested lists and objects; nullptr when absent (or after an error).
  const json* List(std::string_view key, bool required) {
    return Typed(key, required, IsArray, "a list");
  }
  const json* Object(std::string_view key, bool required) {
    return Typed(key, required, IsObject, "an object");
  }

 private:
  static constexpr bool kRequired = true;
  static constexpr bool kOptional = false;
  static bool IsNumber(const json& value) { return value.is_number(); }
  static bool IsBoolean(const json& value) { return value.is_boolean(); }
  static bool IsString(const json& value) { return value.is_string(); }
  static bool IsArray(const json& value) { return value.is_array(); }
  static bool IsObject(const json& value) { return value.is_object(); }

  std::string Field(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }
  const json* Find(std::string_view key) const {
    if (!status_.ok()) return nullptr;
    auto it = object_.find(std::string(key));
    return it == object_.end() ? nullptr : &*it;
  }
  // A null is the wrong type here: only the fields read by NullableNumber may be null.
  const json* Typed(std::string_view key, bool required, bool (*is_kind)(const json&),
                    const char* kind) {
    const json* value = Find(key);
    if (!status_.ok()) return nullptr;
    if (value == nullptr) {
      if (required) status_ = FieldError(Field(key), "missing");
      return nullptr;
    }
    if (!is_kind(*value)) {
      status_ = TypeError(Field(key), kind, *value);
      return nullptr;
    }
    return value;
  }
  static double NumberOr(const json* value, double fallback) {
    return value ? value->get<double>() : fallback;
  }

  const json& object_;
  std::string path_;
  Status status_;
};

// Builds the Problem (or the HouseholdProblem) section by section. Securities come first: every
// other section refers to them by symbol.
class ProblemParser {
 public:
  Result<Problem> Parse(const json& document) {
    ARBOR_RETURN_IF_ERROR(CheckIsObject(document));
    ObjectReader top(document, "", {"cash", "risk", "securities", "lots", "groups", "tax_budget",
                                    "turnover_max"});
    const json* cash = top.Object("cash", true);
    const json* lots = top.List("lots", true);
    ARBOR_RETURN_IF_ERROR(ParseShared(top));
    ARBOR_RETURN_IF_ERROR(ParseLots(*lots, "lots", problem_.lots));
    ARBOR_RETURN_IF_ERROR(ParseCash(*cash, "cash", problem_.cash));
    ARBOR_RETURN_IF_ERROR(ParseRiskAndGroups());
    ARBOR_RETURN_IF_ERROR(optimize::ValidateProblem(problem_));
    return std::move(problem_);
  }

  // The household file: "accounts" in place of "cash" and "lots", and an optional "location".
  Result<HouseholdProblem> ParseHousehold(const json& document) {
    ARBOR_RETURN_IF_ERROR(CheckIsObject(document));
    ObjectReader top(
        document, "",
        {"accounts", "location", "risk", "securities", "groups", "tax_budget", "turnover_max"});
    const json* accounts = top.List("accounts", true);
    const json* location = top.Object("location", false);
    ARBOR_RETURN_IF_ERROR(ParseShared(top));
    HouseholdProblem household;
    ARBOR_RETURN_IF_ERROR(ParseAccounts(*accounts, household));
    ARBOR_RETURN_IF_ERROR(ParseRiskAndGroups());
    if (location != nullptr) ARBOR_RETURN_IF_ERROR(ParseLocation(*location, household));
    household.securities = std::move(problem_.securities);
    household.risk = std::move(problem_.risk);
    household.groups = std::move(problem_.groups);
    household.tax_budget = problem_.tax_budget;
    household.turnover_max = problem_.turnover_max;
    ARBOR_RETURN_IF_ERROR(optimize::ValidateHouseholdProblem(household));
    return household;
  }

 private:
  static Status CheckIsObject(const json& document) {
    if (document.is_object()) return Status::Ok();
    return Status::InvalidArgument(std::string("the problem must be a JSON object, got ") +
                                   document.type_name());
  }

  // What both files share: the securities, the budget and the cap, and where risk and groups are.
  Status ParseShared(ObjectReader& top) {
    risk_ = top.Object("risk", true);
    const json* securities = top.List("securities", true);
    groups_ = top.List("groups", false);
    problem_.tax_budget = top.NullableNumber("tax_budget");
    problem_.turnover_max = top.NullableNumber("turnover_max");
    ARBOR_RETURN_IF_ERROR(top.status());
    return ParseSecurities(*securities);
  }

  Status ParseRiskAndGroups() {
    ARBOR_RETURN_IF_ERROR(ParseRisk(*risk_));
    return ParseGroups(groups_);
  }

  Status ParseSecurities(const json& list) {
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string path = ItemPath("securities", list[i], "symbol", i);
      ObjectReader reader(list[i], path, {"symbol", "price", "target_weight", "buy", "min_weight",
                                          "max_weight", "cost_rate", "groups"});
      optimize::SecurityInput security;
      security.symbol = reader.Text("symbol");
      security.price = reader.Number("price");
      security.target_weight = reader.Number("target_weight");
      security.may_buy = reader.Flag("buy", security.may_buy);
      security.min_weight = reader.Number("min_weight", security.min_weight);
      security.max_weight = reader.Number("max_weight", security.max_weight);
      security.cost_rate = reader.Number("cost_rate", security.cost_rate);
      const json* groups = reader.List("groups", false);
      ARBOR_RETURN_IF_ERROR(reader.status());
      // Checked here rather than left to ValidateProblem: the symbol index below relies on it.
      if (security.symbol.empty()) return FieldError(path + ".symbol", "must not be empty");
      if (!security_index_.emplace(security.symbol, static_cast<int>(i)).second) {
        return FieldError(path + ".symbol", "listed more than once");
      }
      Result<std::vector<std::string>> names = GroupNames(path + ".groups", groups);
      if (!names.ok()) return names.status();
      group_names_.push_back(std::move(*names));
      problem_.securities.push_back(std::move(security));
    }
    return Status::Ok();
  }

  static Result<std::vector<std::string>> GroupNames(const std::string& field, const json* list) {
    std::vector<std::string> names;
    if (list == nullptr) return names;
    for (size_t k = 0; k < list->size(); ++k) {
      const json& name = (*list)[k];
      const std::string item = field + "[" + std::to_string(k) + "]";
      if (!name.is_string()) return TypeError(item, "a group name", name);
      if (name.get_ref<const std::string&>().empty()) return FieldError(item, "must not be empty");
      if (std::find(names.begin(), names.end(), name) != names.end()) {
        return FieldError(field, "lists " + name.get<std::string>() + " twice");
      }
      names.push_back(name.get<std::string>());
    }
    return names;
  }

  Result<int> SecurityIndex(const std::string& field, const std::string& symbol) const {
    auto it = security_index_.find(symbol);
    if (it == security_index_.end()) return FieldError(field, "unknown symbol '" + symbol + "'");
    return it->second;
  }

  Status ParseLots(const json& list, const std::string& list_path,
                   std::vector<optimize::LotInput>& lots) const {
    for (size_t j = 0; j < list.size(); ++j) {
      const std::string path = ItemPath(list_path, list[j], "id", j);
      ObjectReader reader(list[j], path, {"id", "symbol", "shares", "cost_basis_per_share",
                                          "tax_rate", "sellable", "must_sell"});
      optimize::LotInput lot;
      lot.id = reader.Text("id");
      const std::string symbol = reader.Text("symbol");
      lot.shares = reader.Number("shares");
      lot.cost_basis_per_share = reader.Number("cost_basis_per_share");
      lot.tax_rate = reader.Number("tax_rate");
      lot.sellable = reader.Flag("sellable", lot.sellable);
      lot.must_sell = reader.Flag("must_sell", lot.must_sell);
      ARBOR_RETURN_IF_ERROR(reader.status());
      Result<int> security = SecurityIndex(path + ".symbol", symbol);
      if (!security.ok()) return security.status();
      lot.security = *security;
      lots.push_back(std::move(lot));
    }
    return Status::Ok();
  }

  static Status ParseCash(const json& object, const std::string& path, optimize::CashInput& cash) {
    ObjectReader reader(object, path, {"balance", "withdrawal", "min", "max"});
    cash.balance = reader.Number("balance");
    cash.withdrawal = reader.Number("withdrawal", cash.withdrawal);
    cash.min = reader.NullableNumber("min");
    cash.max = reader.NullableNumber("max");
    return reader.status();
  }

  Status ParseAccounts(const json& list, HouseholdProblem& household) const {
    for (size_t a = 0; a < list.size(); ++a) {
      const std::string path = ItemPath("accounts", list[a], "id", a);
      ObjectReader reader(list[a], path,
                          {"id", "type", "cash", "allowed", "lots", "cost_rates", "drift_penalty"});
      optimize::HouseholdAccountInput account;
      account.id = reader.Text("id");
      account.type = reader.Text("type");
      const json* cash = reader.Object("cash", true);
      const json* allowed = reader.List("allowed", false);
      const json* lots = reader.List("lots", true);
      const json* cost_rates = reader.Object("cost_rates", false);
      account.drift_penalty = reader.Number("drift_penalty", account.drift_penalty);
      ARBOR_RETURN_IF_ERROR(reader.status());
      // Checked here rather than left to ValidateHouseholdProblem: "location" finds accounts by id.
      if (account.id.empty()) return FieldError(path + ".id", "must not be empty");
      if (account.type.empty()) return FieldError(path + ".type", "must not be empty");
      ARBOR_RETURN_IF_ERROR(ParseCash(*cash, path + ".cash", account.cash));
      ARBOR_RETURN_IF_ERROR(ParseLots(*lots, path + ".lots", account.lots));
      ARBOR_RETURN_IF_ERROR(CheckTaxFree(account, path));
      if (allowed != nullptr) {
        account.allowed.emplace();
        for (size_t k = 0; k < allowed->size(); ++k) {
          const std::string field = path + ".allowed[" + std::to_string(k) + "]";
          if (!(*allowed)[k].is_string()) return TypeError(field, "a symbol", (*allowed)[k]);
          Result<int> security = SecurityIndex(field, (*allowed)[k].get<std::string>());
          if (!security.ok()) return security.status();
          account.allowed->push_back(*security);
        }
      }
      if (cost_rates != nullptr) {
        Result<std::vector<double>> rates =
            PerSecurity(path + ".cost_rates", *cost_rates,
                        [&](int i) { return problem_.securities[i].cost_rate; });
        if (!rates.ok()) return rates.status();
        account.cost_rates = std::move(*rates);
      }
      household.accounts.push_back(std::move(account));
    }
    return Status::Ok();
  }

  // Tax-deferred and tax-exempt accounts realize no tax (the spec's section 4): a nonzero rate
  // there is a mistake in the file, not a choice.
  static Status CheckTaxFree(const optimize::HouseholdAccountInput& account,
                             const std::string& path) {
    if (account.type == "taxable") return Status::Ok();
    for (const optimize::LotInput& lot : account.lots) {
      if (lot.tax_rate != 0) {
        return FieldError(path + ".lots[" + lot.id + "].tax_rate",
                          "must be 0 in a " + account.type +
                              " account (only \"taxable\" "
                              "accounts realize tax), got " +
                              json(lot.tax_rate).dump());
      }
    }
    return Status::Ok();
  }

  // An object of symbol: number into one value per security, `fallback(i)` for those it omits.
  template <typename Fallback>
  Result<std::vector<double>> PerSecurity(const std::string& path, const json& object,
                                          Fallback fallback) const {
    std::vector<double> values;
    for (int i = 0; i < static_cast<int>(problem_.securities.size()); ++i) {
      values.push_back(fallback(i));
    }
    for (const auto& [symbol, value] : object.items()) {
      const std::string field = path + "[" + symbol + "]";
      Result<int> i = SecurityIndex(field, symbol);
      if (!i.ok()) return i.status();
      Result<double> number = NumberAt(field, value);
      if (!number.ok()) return number.status();
      values[*i] = *number;
    }
    return values;
  }

  // "location": {"ACCOUNT_ID": {"SYMBOL": loc}}, a symbol it omits having no preference.
  Status ParseLocation(const json& object, HouseholdProblem& household) const {
    for (const auto& [id, preferences] : object.items()) {
      const std::string path = "location[" + id + "]";
      auto account =
          std::find_if(household.accounts.begin(), household.accounts.end(),
                       [&](const optimize::HouseholdAccountInput& a) { return a.id == id; });
      if (account == household.accounts.end()) {
        return FieldError(path, "unknown account '" + id + "'");
      }
      if (!preferences.is_object()) return TypeError(path, "an object", preferences);
      Result<std::vector<double>> location =
          PerSecurity(path, preferences, [](int) { return 0.0; });
      if (!location.ok()) return location.status();
      account->location = std::move(*location);
    }
    return Status::Ok();
  }

  Status ParseRisk(const json& object) {
    ObjectReader reader(object, "risk", {"aversion", "factor_covariance", "loadings",
                                         "specific_variance"});
    optimize::RiskInput& risk = problem_.risk;
    risk.aversion = reader.Number("aversion");
    const json* covariance = reader.List("factor_covariance", true);
    const json* loadings = reader.Object("loadings", false);
    const json* variances = reader.Object("specific_variance", false);
    ARBOR_RETURN_IF_ERROR(reader.status());

    const int factors = static_cast<int>(covariance->size());
    risk.factor_covariance.resize(factors, factors);
    for (int r = 0; r < factors; ++r) {
      const std::string row_field = "risk.factor_covariance[" + std::to_string(r) + "]";
      ARBOR_RETURN_IF_ERROR(ReadRow(row_field, (*covariance)[r], factors,
                                    "one per factor: the matrix is square",
                                    risk.factor_covariance.row(r)));
    }
    // A security missing from loadings has no factor exposure, from specific_variance none either.
    const int n = problem_.num_securities();
    risk.loadings = Eigen::MatrixXd::Zero(n, factors);
    risk.specific_variance = Eigen::VectorXd::Zero(n);
    if (loadings != nullptr) {
      for (const auto& [symbol, row] : loadings->items()) {
        const std::string field = "risk.loadings[" + symbol + "]";
        Result<int> i = SecurityIndex(field, symbol);
        if (!i.ok()) return i.status();
        ARBOR_RETURN_IF_ERROR(ReadRow(field, row, factors, "one per factor of factor_covariance",
                                      risk.loadings.row(*i)));
      }
    }
    if (variances != nullptr) {
      for (const auto& [symbol, value] : variances->items()) {
        const std::string field = "risk.specific_variance[" + symbol + "]";
        Result<int> i = SecurityIndex(field, symbol);
        if (!i.ok()) return i.status();
        Result<double> variance = NumberAt(field, value);
        if (!variance.ok()) return variance.status();
        risk.specific_variance[*i] = *variance;
      }
    }
    return Status::Ok();
  }

  // A list of exactly `size` numbers into a row of a matrix.
  template <typename Row>
  static Status ReadRow(const std::string& field, const json& list, int size, const char* why,
                        Row&& row) {
    if (!list.is_array()) return TypeError(field, "a list of numbers", list);
    if (static_cast<int>(list.size()) != size) {
      return FieldError(field, "has " + std::to_string(list.size()) + " entries, expected " +
                                   std::to_string(size) + " (" + why + ")");
    }
    for (int k = 0; k < size; ++k) {
      Result<double> value = NumberAt(field + "[" + std::to_string(k) + "]", list[k]);
      if (!value.ok()) return value.status();
      row[k] = *value;
    }
    return Status::Ok();
  }

  // The declared groups in order, then those only securities name; then the memberships.
  Status ParseGroups(const json* declared) {
    std::unordered_map<std::string, int> group_index;
    const size_t declared_count = declared ? declared->size() : 0;
    for (size_t g = 0; g < declared_count; ++g) {
      const std::string path = ItemPath("groups", (*declared)[g], "name", g);
      ObjectReader reader((*declared)[g], path, {"name", "penalty", "max_active"});
      optimize::GroupInput group;
      group.name = reader.Text("name");
      group.penalty = reader.Number("penalty", group.penalty);
      group.max_active = reader.NullableNumber("max_active");
      ARBOR_RETURN_IF_ERROR(reader.status());
      if (group.name.empty()) return FieldError(path + ".name", "must not be empty");
      if (!group_index.emplace(group.name, static_cast<int>(g)).second) {
        return FieldError(path + ".name", "listed more than once");
      }
      problem_.groups.push_back(std::move(group));
    }
    for (int i = 0; i < problem_.num_securities(); ++i) {
      for (const std::string& name : group_names_[i]) {
        auto [it, added] = group_index.emplace(name, static_cast<int>(problem_.groups.size()));
        if (added) problem_.groups.push_back({.name = name});
        problem_.groups[it->second].members.push_back(i);
      }
    }
    // A declared group no security lists is most likely a misspelt name.
    for (size_t g = 0; g < declared_count; ++g) {
      const optimize::GroupInput& group = problem_.groups[g];
      if (group.members.empty()) {
        return FieldError("groups[" + group.name + "]", "no security lists this group");
      }
    }
    return Status::Ok();
  }

  Problem problem_;  // a household's securities, risk and groups too
  const json* risk_ = nullptr;
  const json* groups_ = nullptr;
  std::unordered_map<std::string, int> security_index_;
  std::vector<std::vector<std::string>> group_names_;  // per security, as its "groups" lists them
};

// nlohmann's messages start with a tag like "[json.exception.parse_error.101] ".
std::string WithoutTag(const std::string& message) {
  const size_t tag_end = message.find("] ");
  return tag_end == std::string::npos ? message : message.substr(tag_end + 2);
}

}  // namespace

Result<Problem> ParseProblem(const json& document) { return ProblemParser().Parse(document); }

Result<HouseholdProblem> ParseHouseholdProblem(const json& document) {
  return ProblemParser().ParseHousehold(document);
}

bool IsHouseholdDocument(const json& document) {
  return document.is_object() && document.contains("accounts");
}

Result<json> ParseProblemDocument(std::string_view text) {
  // nlohmann keeps only the last of two equal keys; the parser callback catches the repeat.
  std::vector<std::set<std::string>> keys_of_open_objects;
  std::string repeated_key;
  auto find_repeated_keys = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) {
      keys_of_open_objects.emplace_back();
    } else if (event == json::parse_event_t::object_end) {
      keys_of_open_objects.pop_back();
    } else if (event == json::parse_event_t::key && repeated_key.empty() &&
               !keys_of_open_objects.back().insert(parsed.get<std::string>()).second) {
      repeated_key = parsed.get<std::string>();
    }
    return true;
  };
  json document;
  try {
    document = json::parse(text, find_repeated_keys);
  } catch (const json::exception& error) {
    return Status::InvalidArgument("not valid JSON: " + WithoutTag(error.what()));
  }
  if (!repeated_key.empty()) {
    return Status::InvalidArgument("the key \"" + repeated_key + "\" appears twice in one object");
  }
  return document;
}

Result<Problem> ParseProblemText(std::string_view text) {
  Result<json> document = ParseProblemDocument(text);
  if (!document.ok()) return document.status();
  return ParseProblem(*document);
}

Result<HouseholdProblem> ParseHouseholdProblemText(std::string_view text) {
  Result<json> document = ParseProblemDocument(text);
  if (!document.ok()) return document.status();
  return ParseHouseholdProblem(*document);
}

ordered_json SolutionJson(const Problem& problem, const optimize::Solution& solution) {
  const optimize::Evaluation& evaluation = solution.evaluation;
  const optimize::Summary& summary = solution.summary;
  ordered_json out;
  out["status"] = optimize::NameOf(summary.status);
  if (summary.status != optimize::SolveStatus::kOptimal) out["message"] = summary.message;
  out["objective"] = solution.objective();
  out["terms"] = {{"risk", evaluation.terms.risk},
                  {"tax", evaluation.terms.tax},
                  {"cost", evaluation.terms.cost},
                  {"drift", evaluation.terms.drift}};
  ordered_json buys = ordered_json::object();
  for (Eigen::Index i = 0; i < solution.buys.size(); ++i) {
    if (solution.buys[i] != 0) buys[problem.securities[i].symbol] = solution.buys[i];
  }
  ordered_json sells = ordered_json::object();
  for (Eigen::Index j = 0; j < solution.sells.size(); ++j) {
    if (solution.sells[j] != 0) sells[problem.lots[j].id] = solution.sells[j];
  }
  out["buys"] = std::move(buys);
  out["sells"] = std::move(sells);
  out["cash_after"] = evaluation.cash_after;
  out["tracking_error"] = evaluation.tracking_error;
  out["iterations"] = summary.iterations;
  out["residuals"] = {{"primal", summary.primal_residual},
                      {"dual", summary.dual_residual},
                      {"gap", summary.gap}};
  return out;
}

ordered_json HouseholdSolutionJson(const HouseholdProblem& problem,
                                   const optimize::HouseholdSolution& solution) {
  const optimize::HouseholdEvaluation& evaluation = solution.evaluation;
  const optimize::ObjectiveTerms& terms = evaluation.household.terms;
  const optimize::Summary& summary = solution.summary;
  ordered_json out;
  out["status"] = optimize::NameOf(summary.status);
  if (summary.status != optimize::SolveStatus::kOptimal) out["message"] = summary.message;
  out["objective"] = solution.objective();
  out["terms"] = {{"risk", terms.risk},
                  {"tax", terms.tax},
                  {"cost", terms.cost},
                  {"drift", terms.drift},
                  {"location", evaluation.location}};
  ordered_json buys = ordered_json::object();
  ordered_json sells = ordered_json::object();
  ordered_json accounts = ordered_json::object();
  for (int a = 0; a < problem.num_accounts(); ++a) {
    const optimize::HouseholdAccountInput& input = problem.accounts[a];
    const optimize::HouseholdAccountResult& result = solution.accounts[a];
    ordered_json& account_buys = buys[input.id] = ordered_json::object();
    for (Eigen::Index i = 0; i < result.buys.size(); ++i) {
      if (result.buys[i] != 0) account_buys[problem.securities[i].symbol] = result.buys[i];
    }
    ordered_json& account_sells = sells[input.id] = ordered_json::object();
    for (Eigen::Index j = 0; j < result.sells.size(); ++j) {
      if (result.sells[j] != 0) account_sells[input.lots[j].id] = result.sells[j];
    }
    accounts[input.id] = {{"type", input.type},          {"cash_after", result.cash_after},
                          {"tax", result.tax},           {"cost", result.cost},
                          {"location", result.location}, {"drift", result.drift}};
  }
  out["buys"] = std::move(buys);
  out["sells"] = std::move(sells);
  out["accounts"] = std::move(accounts);
  out["tracking_error"] = evaluation.household.tracking_error;
  out["iterations"] = summary.iterations;
  out["residuals"] = {
      {"primal", summary.primal_residual}, {"dual", summary.dual_residual}, {"gap", summary.gap}};
  return out;
}

}  // namespace arbor
