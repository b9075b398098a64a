#include "adapters/storage/risk_model_store.h"

#include <string>

namespace arbor {
namespace {

using Eigen::Index;

Status ValidateShape(const RiskModel& model) {
  const Index n = static_cast<Index>(model.symbols.size());
  const Index k = static_cast<Index>(model.factors.size());
  const std::string context = "risk model as of " + model.as_of.ToString();
  auto shape = [](const auto& m) {
    return std::to_string(m.rows()) + " x " + std::to_string(m.cols());
  };
  if (model.loadings.rows() != n || model.loadings.cols() != k) {
    return Status::InvalidArgument(context + ": loadings is " + shape(model.loadings) +
                                   ", expected symbols x factors = " + std::to_string(n) + " x " +
                                   std::to_string(k));
  }
  if (model.factor_covariance.rows() != k || model.factor_covariance.cols() != k) {
    return Status::InvalidArgument(context + ": factor_covariance is " +
                                   shape(model.factor_covariance) + ", expected " +
                                   std::to_string(k) + " x " + std::to_string(k));
  }
  if (model.specific_variance.size() != n) {
    return Status::InvalidArgument(context + ": specific_variance has " +
                                   std::to_string(model.specific_variance.size()) +
                                   " entries, expected " + std::to_string(n));
  }
  if (!model.loadings.allFinite() || !model.factor_covariance.allFinite() ||
      !model.specific_variance.allFinite()) {
    return Status::InvalidArgument(context + ": has a value that is not a finite number");
  }
  return Status::Ok();
}

Status InsertModel(Database* db, const RiskModel& model) {
  Result<Statement> insert = db->Prepare(
      "INSERT INTO risk_models (as_of, window_first, window_last, window_days, half_life_days, "
      "statistical_variance_explained, factor_covariance_shrinkage, short_history_securities, "
      "winsorized_returns) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (!insert.ok()) return insert.status();
  insert->Bind(1, model.as_of.ToString())
      .Bind(2, model.window.first.ToString())
      .Bind(3, model.window.last.ToString())
      .Bind(4, model.window.days)
      .Bind(5, model.window.half_life_days)
      .Bind(6, model.stats.statistical_variance_explained)
      .Bind(7, model.stats.factor_covariance_shrinkage)
      .Bind(8, model.stats.short_history_securities)
      .Bind(9, model.stats.winsorized_returns);
  return insert->Run();
}

Status InsertFactors(Database* db, const RiskModel& model, const std::string& as_of) {
  Result<Statement> factor = db->Prepare(
      "INSERT INTO risk_model_factors (as_of, position, name, kind) VALUES (?1, ?2, ?3, ?4)");
  if (!factor.ok()) return factor.status();
  for (size_t j = 0; j < model.factors.size(); ++j) {
    factor->Bind(1, as_of)
        .Bind(2, static_cast<int64_t>(j))
        .Bind(3, model.factors[j].name)
        .Bind(4, ToString(model.factors[j].kind));
    ARBOR_RETURN_IF_ERROR(factor->Run());
  }
  // The upper triangle: F is symmetric.
  Result<Statement> covariance = db->Prepare(
      "INSERT INTO risk_model_factor_covariances (as_of, row_factor, column_factor, covariance) "
      "VALUES (?1, ?2, ?3, ?4)");
  if (!covariance.ok()) return covariance.status();
  for (Index a = 0; a < model.factor_covariance.rows(); ++a) {
    for (Index b = a; b < model.factor_covariance.cols(); ++b) {
      covariance->Bind(1, as_of)
          .Bind(2, static_cast<int64_t>(a))
          .Bind(3, static_cast<int64_t>(b))
          .Bind(4, model.factor_covariance(a, b));
      ARBOR_RETURN_IF_ERROR(covariance->Run());
    }
  }
  return Status::Ok();
}

Status InsertSecurities(Database* db, const RiskModel& model, const std::string& as_of) {
  Result<Statement> security = db->Prepare(
      "INSERT INTO risk_model_specific_variances (as_of, position, symbol, specific_variance) "
      "VALUES (?1, ?2, ?3, ?4)");
  if (!security.ok()) return security.status();
  // Most exposures are industry dummies' zeros: only nonzero ones are stored.
  Result<Statement> exposure = db->Prepare(
      "INSERT INTO risk_model_exposures (as_of, security, factor, exposure) "
      "VALUES (?1, ?2, ?3, ?4)");
  if (!exposure.ok()) return exposure.status();
  for (size_t i = 0; i < model.symbols.size(); ++i) {
    const Index row = static_cast<Index>(i);
    security->Bind(1, as_of)
        .Bind(2, static_cast<int64_t>(i))
        .Bind(3, model.symbols[i])
        .Bind(4, model.specific_variance[row]);
    ARBOR_RETURN_IF_ERROR(security->Run().WithContext("risk model symbol " + model.symbols[i]));
    for (Index j = 0; j < model.loadings.cols(); ++j) {
      if (model.loadings(row, j) == 0) continue;
      exposure->Bind(1, as_of)
          .Bind(2, static_cast<int64_t>(i))
          .Bind(3, static_cast<int64_t>(j))
          .Bind(4, model.loadings(row, j));
      ARBOR_RETURN_IF_ERROR(exposure->Run());
    }
  }
  return Status::Ok();
}

Result<Date> ParseStoredDate(std::string_view text, const std::string& what) {
  Result<Date> date = Date::Parse(text);
  if (!date.ok()) return date.status().WithContext("stored risk model " + what);
  return date;
}

// Reads the risk_models row into `model`; false when there is none.
Result<bool> ReadModelRow(Database* db, std::optional<Date> on_or_before, RiskModel* model) {
  Result<Statement> select = db->Prepare(
      "SELECT as_of, window_first, window_last, window_days, half_life_days, "
      "statistical_variance_explained, factor_covariance_shrinkage, short_history_securities, "
      "winsorized_returns FROM risk_models WHERE ?1 IS NULL OR as_of <= ?1 "
      "ORDER BY as_of DESC LIMIT 1");
  if (!select.ok()) return select.status();
  if (on_or_before) {
    select->Bind(1, on_or_before->ToString());
  } else {
    select->BindNull(1);
  }
  Result<bool> row = select->Step();
  if (!row.ok() || !*row) return row;
  for (auto [column, date] : {std::pair{0, &model->as_of}, std::pair{1, &model->window.first},
                              std::pair{2, &model->window.last}}) {
    Result<Date> parsed = ParseStoredDate(select->ColumnView(column), "date");
    if (!parsed.ok()) return parsed.status();
    *date = *parsed;
  }
  model->window.days = static_cast<int>(select->ColumnInt(3));
  model->window.half_life_days = select->ColumnDouble(4);
  model->stats.statistical_variance_explained = select->ColumnDouble(5);
  model->stats.factor_covariance_shrinkage = select->ColumnDouble(6);
  model->stats.short_history_securities = static_cast<int>(select->ColumnInt(7));
  model->stats.winsorized_returns = select->ColumnInt(8);
  return true;
}

Status ReadFactors(Database* db, const std::string& as_of, RiskModel* model) {
  Result<Statement> factors = db->Prepare(
      "SELECT position, name, kind FROM risk_model_factors WHERE as_of = ?1 ORDER BY position");
  if (!factors.ok()) return factors.status();
  factors->Bind(1, as_of);
  while (true) {
    Result<bool> row = factors->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    if (factors->ColumnInt(0) != static_cast<int64_t>(model->factors.size())) {
      return Status::Internal("stored risk model " + as_of + ": factor positions skip " +
                              std::to_string(model->factors.size()));
    }
    Result<FactorKind> kind = FactorKindFromString(factors->ColumnView(2));
    if (!kind.ok()) return kind.status().WithContext("stored risk model " + as_of);
    model->factors.push_back({factors->ColumnText(1), *kind});
  }
  const Index k = static_cast<Index>(model->factors.size());
  model->factor_covariance = Eigen::MatrixXd::Zero(k, k);
  Result<Statement> covariances = db->Prepare(
      "SELECT row_factor, column_factor, covariance FROM risk_model_factor_covariances "
      "WHERE as_of = ?1");
  if (!covariances.ok()) return covariances.status();
  covariances->Bind(1, as_of);
  while (true) {
    Result<bool> row = covariances->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    const Index a = covariances->ColumnInt(0), b = covariances->ColumnInt(1);
    model->factor_covariance(a, b) = model->factor_covariance(b, a) = covariances->ColumnDouble(2);
  }
  return Status::Ok();
}

Status ReadSecurities(Database* db, const std::string& as_of, RiskModel* model) {
  Result<Statement> securities = db->Prepare(
      "SELECT position, symbol, specific_variance FROM risk_model_specific_variances "
      "WHERE as_of = ?1 ORDER BY position");
  if (!securities.ok()) return securities.status();
  securities->Bind(1, as_of);
  std::vector<double> specific;
  while (true) {
    Result<bool> row = securities->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    if (securities->ColumnInt(0) != static_cast<int64_t>(model->symbols.size())) {
      return Status::Internal("stored risk model " + as_of + ": security positions skip " +
                              std::to_string(model->symbols.size()));
    }
    model->symbols.push_back(securities->ColumnText(1));
    specific.push_back(securities->ColumnDouble(2));
  }
  model->specific_variance = Eigen::Map<Eigen::VectorXd>(specific.data(), specific.size());
  model->loadings = Eigen::MatrixXd::Zero(specific.size(), model->factors.size());
  Result<Statement> exposures =
      db->Prepare("SELECT security, factor, exposure FROM risk_model_exposures WHERE as_of = ?1");
  if (!exposures.ok()) return exposures.status();
  exposures->Bind(1, as_of);
  while (true) {
    Result<bool> row = exposures->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    model->loadings(exposures->ColumnInt(0), exposures->ColumnInt(1)) = exposures->ColumnDouble(2);
  }
  return Status::Ok();
}

}  // namespace

Status SaveRiskModel(Database* db, const RiskModel& model) {
  ARBOR_RETURN_IF_ERROR(ValidateShape(model));
  const std::string as_of = model.as_of.ToString();
  Result<Transaction> txn = Transaction::Begin(db);
  if (!txn.ok()) return txn.status();
  Result<Statement> replace = db->Prepare("DELETE FROM risk_models WHERE as_of = ?1");
  if (!replace.ok()) return replace.status();
  replace->Bind(1, as_of);
  ARBOR_RETURN_IF_ERROR(replace->Run());
  ARBOR_RETURN_IF_ERROR(InsertModel(db, model));
  ARBOR_RETURN_IF_ERROR(InsertFactors(db, model, as_of));
  ARBOR_RETURN_IF_ERROR(InsertSecurities(db, model, as_of));
  return txn->Commit();
}

Result<RiskModel> LoadRiskModel(Database* db, std::optional<Date> on_or_before) {
  // One snapshot, so a model saved meanwhile is seen whole or not at all.
  Result<Transaction> snapshot = Transaction::Begin(db, TransactionMode::kDeferred);
  if (!snapshot.ok()) return snapshot.status();
  RiskModel model;
  Result<bool> found = ReadModelRow(db, on_or_before, &model);
  if (!found.ok()) return found.status();
  if (!*found) {
    const std::string when =
        on_or_before ? " as of " + on_or_before->ToString() + " or earlier" : "";
    const std::string date = on_or_before ? on_or_before->ToString() : "DATE";
    return Status::NotFound("no risk model" + when + " in " + db->path() +
                            "; build one with `arbor riskmodel build --as-of " + date + "`");
  }
  const std::string as_of = model.as_of.ToString();
  ARBOR_RETURN_IF_ERROR(ReadFactors(db, as_of, &model));
  ARBOR_RETURN_IF_ERROR(ReadSecurities(db, as_of, &model));
  return model;
}

}  // namespace arbor
