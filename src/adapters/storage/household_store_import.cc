// `arbor import households`: JSON or CSV files of households (household_store.h), all saved in
// one transaction or none, each error naming file:line and the field.
#include <charconv>
#include <cmath>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "adapters/io/csv.h"
#include "adapters/io/json_file.h"
#include "adapters/io/model_files.h"
#include "adapters/storage/csv_format.h"
#include "adapters/storage/household_store.h"
#include "adapters/storage/household_store_internal.h"

namespace arbor {
namespace {

using nlohmann::json;

// A household from a file: its fields, and its members each with the place that names it.
struct PlacedHousehold {
  household::Household household;
  std::string place;                                         // "file:line" of the household
  std::vector<std::pair<std::string, std::string>> members;  // account, "file:line"
};

bool EndsWith(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string PlaceOf(const JsonFile& file, const json& object) {
  return file.source() + ":" + std::to_string(file.LineOf(object));
}

Result<PlacedHousehold> ReadJsonHousehold(const JsonFile& file, const json& object,
                                          const std::string& path) {
  ARBOR_RETURN_IF_ERROR(
      file.CheckKeys(object, path, {"id", "name", "drift_penalty", "accounts", "target"}));
  PlacedHousehold placed{.place = PlaceOf(file, object)};
  household::Household& h = placed.household;
  auto string_field = [&](const char* key, std::string* out) -> Status {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return Status::Ok();
    if (!it->is_string()) return file.Error(object, path + "." + key, "must be a string");
    *out = it->get<std::string>();
    return Status::Ok();
  };
  ARBOR_RETURN_IF_ERROR(string_field("id", &h.id));
  if (h.id.empty()) return file.Error(object, path + ".id", "missing");
  const Status id = household::ValidateHouseholdId(h.id);
  if (!id.ok()) return file.Error(object, path + ".id", id.message());
  ARBOR_RETURN_IF_ERROR(string_field("name", &h.name));
  if (auto it = object.find("drift_penalty"); it != object.end() && !it->is_null()) {
    if (!it->is_number() || it->get<double>() < 0) {
      return file.Error(object, path + ".drift_penalty",
                        "must be a number >= 0, got " + it->dump());
    }
    h.drift_penalty = it->get<double>();
  }
  if (auto it = object.find("accounts"); it != object.end() && !it->is_null()) {
    if (!it->is_array()) return file.Error(object, path + ".accounts", "must be a list of ids");
    for (size_t i = 0; i < it->size(); ++i) {
      const json& account = (*it)[i];
      if (!account.is_string() || account.get_ref<const std::string&>().empty()) {
        return file.Error(object, path + ".accounts[" + std::to_string(i) + "]",
                          "must be an account id, got " + account.dump());
      }
      placed.members.emplace_back(account.get<std::string>(), placed.place);
    }
  }
  if (auto it = object.find("target"); it != object.end() && !it->is_null()) {
    if (!it->is_object()) {
      return file.Error(object, path + ".target",
                        "must be an object: {\"template\", \"removals\", \"weights\", "
                        "\"products\", \"screens\"}");
    }
    Result<models::Customization> target =
        ReadCustomizationChoicesJson(file, *it, path + ".target");
    if (!target.ok()) return target.status();
    h.target = std::move(target).value();
    h.target.account = h.id;
  }
  return placed;
}

Status ReadJson(const std::string& path, std::vector<PlacedHousehold>* out) {
  Result<JsonFile> file = JsonFile::Read(path);
  if (!file.ok()) return file.status();
  const json* list = &file->root();
  std::string list_path;
  if (list->is_object()) {
    ARBOR_RETURN_IF_ERROR(file->CheckKeys(*list, "(top level)", {"households"}));
    list = &(*list)["households"];
    list_path = "households";
  }
  if (!list->is_array()) {
    return Status::InvalidArgument(path + ": expected {\"households\": [...]} or a list");
  }
  for (size_t i = 0; i < list->size(); ++i) {
    Result<PlacedHousehold> household =
        ReadJsonHousehold(*file, (*list)[i], list_path + "[" + std::to_string(i) + "]");
    if (!household.ok()) return household.status();
    out->push_back(std::move(household).value());
  }
  return Status::Ok();
}

// The first non-empty value of a household's field; a later row giving another is an error.
Status MergeField(const CsvRow& row, std::string_view field, std::string_view value,
                  std::string* merged) {
  if (value.empty() || *merged == value) return Status::Ok();
  if (!merged->empty()) {
    return FieldError(row, field,
                      "'" + std::string(value) + "' differs from '" + *merged +
                          "' on an earlier row of the household");
  }
  *merged = value;
  return Status::Ok();
}

Status ReadCsv(const std::string& path, std::vector<PlacedHousehold>* out,
               std::map<std::string, size_t>* index, size_t* rows) {
  Result<FormatFile> file = FormatFile::Open(
      path, {{"household", true}, {"account"}, {"name"}, {"template"}, {"drift_penalty"}});
  if (!file.ok()) return file.status();
  // Text fields merged per household, parsed when the file is read.
  std::map<std::string, std::string> drift_text;
  CsvRow row;
  while (file->Next(&row)) {
    ++*rows;
    const std::string id(file->Get(row, "household"));
    const Status valid = household::ValidateHouseholdId(id);
    if (!valid.ok()) return FieldError(row, "household", valid.message());
    auto [it, added] = index->emplace(id, out->size());
    if (added) {
      out->push_back(
          {.household = {.id = id}, .place = row.source() + ":" + std::to_string(row.line())});
    }
    PlacedHousehold& placed = (*out)[it->second];
    household::Household& h = placed.household;
    ARBOR_RETURN_IF_ERROR(MergeField(row, "name", file->Get(row, "name"), &h.name));
    ARBOR_RETURN_IF_ERROR(
        MergeField(row, "template", file->Get(row, "template"), &h.target.template_name));
    const std::string_view drift = file->Get(row, "drift_penalty");
    ARBOR_RETURN_IF_ERROR(MergeField(row, "drift_penalty", drift, &drift_text[id]));
    if (!drift.empty()) {
      double value = 0;
      auto [end, error] = std::from_chars(drift.data(), drift.data() + drift.size(), value);
      if (error != std::errc() || end != drift.data() + drift.size() || !std::isfinite(value) ||
          value < 0) {
        return FieldError(row, "drift_penalty",
                          "'" + std::string(drift) + "' is not a number >= 0");
      }
      h.drift_penalty = value;
    }
    const std::string account(file->Get(row, "account"));
    if (!account.empty()) {
      placed.members.emplace_back(account, row.source() + ":" + std::to_string(row.line()));
    }
  }
  return file->status();
}

}  // namespace

Result<ImportSummary> ImportHouseholds(Store& store, const std::vector<std::string>& files,
                                       const HouseholdChange& change) {
  std::vector<PlacedHousehold> households;
  std::map<std::string, size_t> csv_index;  // CSV rows of one household merge, across files
  ImportSummary summary;
  for (const std::string& path : files) {
    if (EndsWith(path, ".json")) {
      const size_t before = households.size();
      ARBOR_RETURN_IF_ERROR(ReadJson(path, &households));
      summary.rows_read += households.size() - before;
    } else {
      ARBOR_RETURN_IF_ERROR(ReadCsv(path, &households, &csv_index, &summary.rows_read));
    }
  }
  std::map<std::string, std::string> first_place;
  for (const PlacedHousehold& placed : households) {
    auto [it, added] = first_place.emplace(placed.household.id, placed.place);
    if (!added) {
      return Status::InvalidArgument(placed.place + ": household " + placed.household.id +
                                     " is also at " + it->second);
    }
  }

  Database* db = store.database();
  Result<Transaction> txn = Transaction::Begin(db);
  if (!txn.ok()) return txn.status();
  storage_internal::TargetCatalogue catalogue(store);
  for (const PlacedHousehold& placed : households) {
    Result<bool> existed = storage_internal::HouseholdExists(db, placed.household.id);
    if (!existed.ok()) return existed.status();
    Result<SaveOutcome> saved =
        storage_internal::SaveHouseholdWith(store, placed.household, change, catalogue);
    if (!saved.ok()) return saved.status().WithContext(placed.place);
    bool changed = *saved == SaveOutcome::kStored;
    for (const auto& [account, place] : placed.members) {
      Result<bool> joined = storage_internal::AddMember(db, placed.household.id, account, change);
      if (!joined.ok()) return joined.status().WithContext(place + ": account");
      changed |= *joined;
    }
    ++(!*existed ? summary.inserted : changed ? summary.updated : summary.unchanged);
  }
  ARBOR_RETURN_IF_ERROR(txn->Commit());
  return summary;
}

}  // namespace arbor
