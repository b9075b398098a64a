// File imports of the investment models (docs/import-formats.md, "Investment models"). Each call
// reads every file first, then saves item by item inside one write transaction: the first error,
// prefixed with the item's `file:line`, rolls all of it back.
#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "adapters/io/model_files.h"
#include "adapters/storage/model_store.h"
#include "adapters/storage/model_store_internal.h"

namespace arbor {
namespace {

bool EndsWith(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Reads every file with `read` into one list.
template <typename T, typename Read>
Result<std::vector<Placed<T>>> ReadFiles(const std::vector<std::string>& files, Read read) {
  std::vector<Placed<T>> all;
  for (const std::string& path : files) {
    Result<std::vector<Placed<T>>> items = read(path);
    if (!items.ok()) return items.status();
    for (Placed<T>& item : *items) all.push_back(std::move(item));
  }
  return all;
}

// Saves each item inside one transaction, counting what was stored and what was already there.
template <typename T>
Result<ImportSummary> SaveAll(Store& store, const std::vector<Placed<T>>& items,
                              const std::function<Result<SaveOutcome>(const T&)>& save) {
  Result<Transaction> txn = Transaction::Begin(store.database());
  if (!txn.ok()) return txn.status();
  ImportSummary summary;
  for (const Placed<T>& item : items) {
    ++summary.rows_read;
    Result<SaveOutcome> outcome = save(item.value);
    if (!outcome.ok()) return outcome.status().WithContext(item.place);
    ++(*outcome == SaveOutcome::kStored ? summary.inserted : summary.unchanged);
  }
  ARBOR_RETURN_IF_ERROR(txn->Commit());
  return summary;
}

// An item named twice in one import is an error: which one was meant?
template <typename T, typename Key>
Status CheckUnique(const std::vector<Placed<T>>& items, Key key, const std::string& what) {
  std::map<std::string, std::string> first_place;
  for (const Placed<T>& item : items) {
    auto [it, added] = first_place.emplace(key(item.value), item.place);
    if (!added) {
      return Status::InvalidArgument(item.place + ": " + what + " " + it->first +
                                     " is also given at " + it->second);
    }
  }
  return Status::Ok();
}

// A screen named in several files of one call is the union of what they say, as the rows of
// one CSV file are: the shared ESG data gives a screen's sub-industries in one file and its
// names in another.
Result<std::vector<Placed<models::Screen>>> MergeByName(
    std::vector<Placed<models::Screen>> screens) {
  std::vector<Placed<models::Screen>> merged;
  std::map<std::string, size_t> index;
  auto add_all = [](std::vector<std::string>& to, const std::vector<std::string>& from) {
    for (const std::string& name : from) {
      if (std::find(to.begin(), to.end(), name) == to.end()) to.push_back(name);
    }
  };
  for (Placed<models::Screen>& item : screens) {
    auto [it, added] = index.emplace(item.value.name, merged.size());
    if (added) {
      merged.push_back(std::move(item));
      continue;
    }
    models::Screen& into = merged[it->second].value;
    const models::Screen& from = item.value;
    if (!from.description.empty() && !into.description.empty() &&
        from.description != into.description) {
      return Status::InvalidArgument(item.place + ": description: screen " + from.name +
                                     " is described differently at " + merged[it->second].place);
    }
    if (into.description.empty()) into.description = from.description;
    add_all(into.sub_industries, from.sub_industries);
    add_all(into.symbols, from.symbols);
    add_all(into.includes, from.includes);
  }
  return merged;
}

// Screens in an order where every screen comes after the screens of the import it includes, so
// each can be checked as it is saved; a cycle among them is an error naming its screens.
Result<std::vector<Placed<models::Screen>>> IncludedFirst(
    std::vector<Placed<models::Screen>> screens) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < screens.size(); ++i) index[screens[i].value.name] = i;
  std::vector<Placed<models::Screen>> ordered;
  std::vector<int> state(screens.size(), 0);  // 0 new, 1 on the path, 2 placed
  std::vector<std::string> path;
  std::function<Status(size_t)> visit = [&](size_t i) -> Status {
    if (state[i] == 2) return Status::Ok();
    path.push_back(screens[i].value.name);
    if (state[i] == 1) {
      std::string cycle;
      for (const std::string& name : path) cycle += (cycle.empty() ? "" : " -> ") + name;
      return Status::InvalidArgument(
          screens[i].place + ": includes: the screens include each other in a cycle: " + cycle);
    }
    state[i] = 1;
    for (const std::string& included : screens[i].value.includes) {
      auto it = index.find(included);
      if (it != index.end()) ARBOR_RETURN_IF_ERROR(visit(it->second));
    }
    state[i] = 2;
    path.pop_back();
    ordered.push_back(screens[i]);
    return Status::Ok();
  };
  for (size_t i = 0; i < screens.size(); ++i) ARBOR_RETURN_IF_ERROR(visit(i));
  return ordered;
}

}  // namespace

Result<ImportSummary> ImportTemplates(Store& store, const std::vector<std::string>& files) {
  Result<std::vector<Placed<models::Template>>> templates =
      ReadFiles<models::Template>(files, ReadTemplatesJson);
  if (!templates.ok()) return templates.status();
  ARBOR_RETURN_IF_ERROR(CheckUnique(
      *templates,
      [](const models::Template& t) { return t.name + " version " + std::to_string(t.version); },
      "template"));
  // Versions in order, wherever the files list them.
  std::stable_sort(templates->begin(), templates->end(), [](const auto& a, const auto& b) {
    return std::pair(a.value.name, a.value.version) < std::pair(b.value.name, b.value.version);
  });
  return SaveAll<models::Template>(
      store, *templates, [&](const models::Template& t) { return SaveTemplate(store, t); });
}

Result<ImportSummary> ImportSecurityModels(Store& store, const std::vector<std::string>& files,
                                           const std::string& name) {
  Result<std::vector<Placed<models::SecurityModel>>> models = ReadFiles<models::SecurityModel>(
      files, [&](const std::string& path) { return ReadSecurityModelsCsv(path, name); });
  if (!models.ok()) return models.status();
  ARBOR_RETURN_IF_ERROR(CheckUnique(
      *models,
      [](const models::SecurityModel& m) {
        return m.name + " effective " + m.effective.ToString();
      },
      "security model"));
  std::stable_sort(models->begin(), models->end(), [](const auto& a, const auto& b) {
    return std::pair(a.value.name, a.value.effective) < std::pair(b.value.name, b.value.effective);
  });
  // Number the versions: a stored effective date keeps its version (a re-import), a new one
  // comes after the latest. The book is read inside the import's transaction.
  Result<Transaction> txn = Transaction::Begin(store.database());
  if (!txn.ok()) return txn.status();
  Result<models::ModelBook> book = LoadModelBook(store);
  if (!book.ok()) return book.status();
  std::map<std::string, int> next_version;
  for (Placed<models::SecurityModel>& placed : *models) {
    models::SecurityModel& model = placed.value;
    const std::vector<models::SecurityModel>* history = book->SecurityModelHistory(model.name);
    if (!next_version.contains(model.name)) {
      next_version[model.name] = history == nullptr ? 1 : history->back().version + 1;
    }
    const models::SecurityModel* same_date = nullptr;
    if (history != nullptr) {
      for (const models::SecurityModel& stored : *history) {
        if (stored.effective == model.effective) same_date = &stored;
      }
    }
    model.version = same_date != nullptr ? same_date->version : next_version[model.name]++;
  }
  ImportSummary summary;
  for (const Placed<models::SecurityModel>& placed : *models) {
    ++summary.rows_read;
    Result<SaveOutcome> outcome = SaveSecurityModel(store, placed.value);
    if (outcome.status().code() == StatusCode::kAlreadyExists) {
      return Status::AlreadyExists(
          placed.place + ": effective_date: " + placed.value.name + " effective " +
          placed.value.effective.ToString() + " is already stored (version " +
          std::to_string(placed.value.version) +
          ") with other weights; versions are never changed, so give the new weights a later "
          "effective_date");
    }
    if (!outcome.ok()) return outcome.status().WithContext(placed.place);
    ++(*outcome == SaveOutcome::kStored ? summary.inserted : summary.unchanged);
  }
  ARBOR_RETURN_IF_ERROR(txn->Commit());
  return summary;
}

Result<ImportSummary> ImportScreens(Store& store, const std::vector<std::string>& files) {
  Result<std::vector<Placed<models::Screen>>> screens =
      ReadFiles<models::Screen>(files, [](const std::string& path) {
        return EndsWith(path, ".json") ? ReadScreensJson(path) : ReadScreensCsv(path);
      });
  if (!screens.ok()) return screens.status();
  Result<std::vector<Placed<models::Screen>>> merged = MergeByName(std::move(screens).value());
  if (!merged.ok()) return merged.status();
  Result<std::vector<Placed<models::Screen>>> ordered = IncludedFirst(std::move(merged).value());
  if (!ordered.ok()) return ordered.status();
  return SaveAll<models::Screen>(store, *ordered,
                                 [&](const models::Screen& s) { return SaveScreen(store, s); });
}

Result<ImportSummary> ImportCustomizations(Store& store, const std::vector<std::string>& files) {
  Result<std::vector<Placed<models::Customization>>> customizations =
      ReadFiles<models::Customization>(files, ReadCustomizationsJson);
  if (!customizations.ok()) return customizations.status();
  ARBOR_RETURN_IF_ERROR(CheckUnique(
      *customizations, [](const models::Customization& c) { return c.account; }, "account"));
  // The catalogue and securities once for the whole file, not once per account.
  Result<models::ModelBook> book = LoadModelBook(store);
  if (!book.ok()) return book.status();
  Result<SecurityMaster> master = store.LoadSecurities();
  if (!master.ok()) return master.status();
  return SaveAll<models::Customization>(
      store, *customizations, [&](const models::Customization& c) {
        return storage_internal::SaveCustomizationWith(store, c, *book, *master);
      });
}

}  // namespace arbor
