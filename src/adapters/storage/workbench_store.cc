// Saved filters, runs, selections and queries (workbench_store.h).
#include "adapters/storage/workbench_store.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <utility>

#include "adapters/storage/workbench_internal.h"
#include "core/workbench/review_fields.h"

namespace arbor {
namespace {

using workbench::FieldType;
using workbench::FieldValue;
using workbench::Filter;
using workbench::ReviewField;

constexpr size_t kMaxFilterName = 64;

// Names are typed on command lines and shown in the audit log: keep them shell-safe.
Status CheckFilterName(const std::string& name) {
  const bool ok =
      !name.empty() && name.size() <= kMaxFilterName &&
      std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
      });
  if (ok) return Status::Ok();
  return Status::InvalidArgument("filter name '" + name + "': use 1 to " +
                                 std::to_string(kMaxFilterName) +
                                 " letters, digits, '_', '-' or '.'");
}

Result<Filter> ParseReviewFilter(std::string_view text) {
  return Filter::Parse(text, workbench::ReviewFieldSchema());
}

std::string QuoteFilterText(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

Result<std::string> SavedNames(Database* db) {
  Result<std::vector<SavedFilter>> filters = ListFilters(db);
  if (!filters.ok()) return filters.status();
  std::string names;
  for (const SavedFilter& f : *filters) names += (names.empty() ? "" : ", ") + f.name;
  return names.empty() ? std::string("none") : names;
}

void BindValue(Statement& statement, int index, const FieldValue& value) {
  if (const double* d = std::get_if<double>(&value)) {
    statement.Bind(index, *d);
  } else if (const std::string* s = std::get_if<std::string>(&value)) {
    statement.Bind(index, *s);
  } else {
    statement.Bind(index, int64_t{std::get<bool>(value) ? 1 : 0});
  }
}

FieldValue ReadValue(const Statement& statement, int column, FieldType type) {
  switch (type) {
    case FieldType::kNumber:
      return statement.ColumnDouble(column);
    case FieldType::kText:
      return statement.ColumnText(column);
    case FieldType::kBoolean:
      return statement.ColumnInt(column) != 0;
  }
  return false;
}

}  // namespace

// ---- saved filters ----

Status SaveFilter(Database* db, const SavedFilter& filter, bool replace) {
  ARBOR_RETURN_IF_ERROR(CheckFilterName(filter.name));
  if (filter.created_at.empty()) return Status::InvalidArgument("saving a filter needs a time");
  Result<Filter> parsed = ParseReviewFilter(filter.text);
  if (!parsed.ok()) return parsed.status();
  // One transaction, so another user cannot save the name between the check and the write.
  Result<Transaction> txn = Transaction::Begin(db);
  if (!txn.ok()) return txn.status();
  if (!replace) {
    Result<SavedFilter> existing = LoadFilter(db, filter.name);
    if (existing.ok()) {
      return Status::AlreadyExists("filter '" + filter.name +
                                   "' is already saved as: " + existing->text);
    }
    if (existing.status().code() != StatusCode::kNotFound) return existing.status();
  }
  Result<Statement> upsert = db->Prepare(
      "INSERT INTO saved_filters (name, text, description, created_by, created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (name) DO UPDATE SET text = excluded.text, "
      "description = excluded.description, created_by = excluded.created_by, "
      "created_at = excluded.created_at");
  if (!upsert.ok()) return upsert.status();
  upsert->Bind(1, filter.name)
      .Bind(2, parsed->ToString())
      .Bind(3, filter.description)
      .Bind(4, filter.created_by)
      .Bind(5, filter.created_at);
  ARBOR_RETURN_IF_ERROR(upsert->Run());
  return txn->Commit();
}

Result<std::vector<SavedFilter>> ListFilters(Database* db) {
  Result<Statement> select = db->Prepare(
      "SELECT name, text, description, created_by, created_at FROM saved_filters ORDER BY name");
  if (!select.ok()) return select.status();
  std::vector<SavedFilter> filters;
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    filters.push_back({select->ColumnText(0), select->ColumnText(1), select->ColumnText(2),
                       select->ColumnText(3), select->ColumnText(4)});
  }
  return filters;
}

Result<SavedFilter> LoadFilter(Database* db, const std::string& name) {
  Result<Statement> select = db->Prepare(
      "SELECT name, text, description, created_by, created_at FROM saved_filters WHERE name = ?1");
  if (!select.ok()) return select.status();
  select->Bind(1, name);
  Result<bool> row = select->Step();
  if (!row.ok()) return row.status();
  if (*row) {
    return SavedFilter{select->ColumnText(0), select->ColumnText(1), select->ColumnText(2),
                       select->ColumnText(3), select->ColumnText(4)};
  }
  Result<std::string> names = SavedNames(db);
  if (!names.ok()) return names.status();
  return Status::NotFound("no saved filter '" + name + "' (saved: " + *names + ")");
}

Status DeleteFilter(Database* db, const std::string& name) {
  Result<Statement> remove = db->Prepare("DELETE FROM saved_filters WHERE name = ?1");
  if (!remove.ok()) return remove.status();
  ARBOR_RETURN_IF_ERROR(remove->Bind(1, name).Run());
  if (db->Changes() > 0) return Status::Ok();
  return LoadFilter(db, name).status();  // NotFound, naming the saved ones
}

// ---- runs and selections ----

Result<ReviewRun> LoadReviewRun(Database* db, std::optional<int64_t> run) {
  Result<Statement> select = db->Prepare(
      run ? "SELECT id, as_of, finished_at IS NOT NULL, accounts FROM review_runs WHERE id = ?1"
          : "SELECT id, as_of, finished_at IS NOT NULL, accounts FROM review_runs "
            "ORDER BY id DESC LIMIT 1");
  if (!select.ok()) return select.status();
  if (run) select->Bind(1, *run);
  Result<bool> row = select->Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    return Status::NotFound(run ? "no review run " + std::to_string(*run)
                                : std::string("no review runs yet: `arbor review` makes one"));
  }
  return ReviewRun{.id = select->ColumnInt(0),
                   .as_of = select->ColumnText(1),
                   .finished = select->ColumnInt(2) != 0,
                   .accounts = select->ColumnInt(3)};
}

namespace workbench_internal {

Result<ResolvedSelection> ResolveSelection(Database* db, const Selection& selection) {
  const int given =
      !selection.filter.empty() + !selection.saved.empty() + !selection.accounts.empty();
  if (given > 1) {
    return Status::InvalidArgument("choose accounts one way: a filter, a saved filter or ids");
  }
  ResolvedSelection resolved;
  std::string text = selection.filter;
  if (!selection.saved.empty()) {
    Result<SavedFilter> saved = LoadFilter(db, selection.saved);
    if (!saved.ok()) return saved.status();
    resolved.name = saved->name;
    text = saved->text;
  } else if (!selection.accounts.empty()) {
    for (const std::string& account : selection.accounts) {
      text += (text.empty() ? "account in (" : ", ") + QuoteFilterText(account);
    }
    text += ")";
    resolved.accounts = selection.accounts;
    std::sort(resolved.accounts.begin(), resolved.accounts.end());
    resolved.accounts.erase(std::unique(resolved.accounts.begin(), resolved.accounts.end()),
                            resolved.accounts.end());
  }
  if (text.empty()) return resolved;
  Result<Filter> filter = ParseReviewFilter(text);
  if (!filter.ok()) {
    if (resolved.name.empty()) return filter.status();
    return filter.status().WithContext("saved filter '" + resolved.name + "'");
  }
  resolved.text = filter->ToString();
  resolved.filter = std::move(*filter);
  return resolved;
}

Result<Statement> SelectResults(Database* db, int64_t run, const ResolvedSelection& selection,
                                std::string_view columns, std::string_view order_by) {
  std::string sql = "SELECT " + std::string(columns) + " FROM review_results WHERE run = ?1";
  workbench::SqlWhere where;
  if (selection.filter) {
    where = selection.filter->ToSql(workbench::ReviewFieldSql(), 2);
    sql += " AND " + where.sql;
  }
  if (!order_by.empty()) sql += " ORDER BY " + std::string(order_by);
  Result<Statement> select = db->Prepare(sql);
  if (!select.ok()) return select.status();
  select->Bind(1, run);
  for (size_t i = 0; i < where.params.size(); ++i) {
    BindValue(*select, static_cast<int>(i) + 2, where.params[i]);
  }
  return select;
}

std::vector<std::string> MissingAccounts(const ResolvedSelection& selection,
                                         std::vector<std::string> found) {
  std::sort(found.begin(), found.end());
  std::vector<std::string> missing;
  std::set_difference(selection.accounts.begin(), selection.accounts.end(), found.begin(),
                      found.end(), std::back_inserter(missing));
  return missing;
}

Status CheckWrite(const ReviewRun& run, const std::string& user, const std::string& at,
                  std::string_view what) {
  if (user.empty()) return Status::InvalidArgument(std::string(what) + " needs a user");
  if (at.empty()) return Status::InvalidArgument(std::string(what) + " needs a time");
  if (!run.finished) {
    return Status::FailedPrecondition("review run " + std::to_string(run.id) +
                                      " has not finished: " + std::string(what) +
                                      " waits until the review has written every account");
  }
  return Status::Ok();
}

}  // namespace workbench_internal

// ---- queries ----

Result<ReviewQueryResult> QueryReview(Database* db, const ReviewQuery& query) {
  const ReviewField* sort = workbench::FindReviewField(query.sort);
  if (sort == nullptr) {
    return Status::InvalidArgument("unknown sort field '" + query.sort +
                                   "' (`arbor workbench fields` lists them)");
  }
  if (query.limit && *query.limit < 0) return Status::InvalidArgument("limit must be >= 0");
  ReviewQueryResult result;
  for (const std::string& name : query.fields) {
    const ReviewField* field = workbench::FindReviewField(name);
    if (field == nullptr) {
      return Status::InvalidArgument("unknown field '" + name +
                                     "' (`arbor workbench fields` lists them)");
    }
    result.fields.push_back(field);
  }
  if (query.fields.empty()) {
    for (const ReviewField& field : workbench::ReviewFields()) result.fields.push_back(&field);
  }
  Result<ReviewRun> run = LoadReviewRun(db, query.run);
  if (!run.ok()) return run.status();
  result.run = *run;
  Result<workbench_internal::ResolvedSelection> selection =
      workbench_internal::ResolveSelection(db, query.selection);
  if (!selection.ok()) return selection.status();
  result.filter = selection->text;
  result.filter_name = selection->name;

  // Column 0 is the account, for the ids asked for that the run lacks; the fields follow.
  std::string columns = "account";
  for (const ReviewField* field : result.fields) columns += ", " + std::string(field->sql);
  // The account breaks ties, so equal keys come out in the same order on every call.
  const std::string order =
      "(" + std::string(sort->sql) + ")" + (query.descending ? " DESC" : "") + ", account";
  Result<Statement> select =
      workbench_internal::SelectResults(db, result.run.id, *selection, columns, order);
  if (!select.ok()) return select.status();
  std::vector<std::string> found;
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    ++result.matched;
    if (!selection->accounts.empty()) found.push_back(select->ColumnText(0));
    if (query.limit && static_cast<int64_t>(result.rows.size()) >= *query.limit) continue;
    std::vector<FieldValue>& values = result.rows.emplace_back();
    values.reserve(result.fields.size());
    for (size_t i = 0; i < result.fields.size(); ++i) {
      values.push_back(ReadValue(*select, static_cast<int>(i) + 1, result.fields[i]->type));
    }
  }
  result.missing = workbench_internal::MissingAccounts(*selection, std::move(found));
  return result;
}

}  // namespace arbor
