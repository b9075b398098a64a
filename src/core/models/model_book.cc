#include "core/models/model_book.h"

#include <algorithm>

namespace arbor::models {
namespace {

// Inserts `item` into `history` (ordered by version) where its effective date keeps the order.
template <typename T>
Status InsertVersion(std::vector<T>& history, T item, const std::string& what) {
  const std::string label = what + " " + item.name + " v" + std::to_string(item.version);
  auto at = std::lower_bound(history.begin(), history.end(), item.version,
                             [](const T& t, int version) { return t.version < version; });
  if (at != history.end() && at->version == item.version) {
    return Status::AlreadyExists(label + " already exists (versions are kept; add v" +
                                 std::to_string(history.back().version + 1) + ")");
  }
  if (at != history.begin() && !(std::prev(at)->effective < item.effective)) {
    return Status::InvalidArgument(label + ": effective " + item.effective.ToString() +
                                   " must be after v" + std::to_string(std::prev(at)->version) +
                                   "'s " + std::prev(at)->effective.ToString());
  }
  if (at != history.end() && !(item.effective < at->effective)) {
    return Status::InvalidArgument(label + ": effective " + item.effective.ToString() +
                                   " must be before v" + std::to_string(at->version) + "'s " +
                                   at->effective.ToString());
  }
  history.insert(at, std::move(item));
  return Status::Ok();
}

// The latest version effective on or before `as_of`; effective dates increase with versions.
template <typename T>
const T* FindVersion(const std::map<std::string, std::vector<T>>& all, const std::string& name,
                     Date as_of) {
  auto it = all.find(name);
  if (it == all.end()) return nullptr;
  const std::vector<T>& history = it->second;
  auto after = std::upper_bound(history.begin(), history.end(), as_of,
                                [](Date d, const T& t) { return d < t.effective; });
  return after == history.begin() ? nullptr : &*std::prev(after);
}

template <typename T>
const std::vector<T>* History(const std::map<std::string, std::vector<T>>& all,
                              const std::string& name) {
  auto it = all.find(name);
  return it == all.end() ? nullptr : &it->second;
}

}  // namespace

Status ModelBook::AddTemplate(Template tmpl) {
  ARBOR_RETURN_IF_ERROR(ValidateTemplate(tmpl));
  std::vector<Template>& history = templates_[tmpl.name];
  return InsertVersion(history, std::move(tmpl), "template");
}

Status ModelBook::AddSecurityModel(SecurityModel model) {
  ARBOR_RETURN_IF_ERROR(ValidateSecurityModel(model));
  std::vector<SecurityModel>& history = models_[model.name];
  return InsertVersion(history, std::move(model), "security model");
}

Status ModelBook::AddScreen(Screen screen) {
  ARBOR_RETURN_IF_ERROR(ValidateScreen(screen));
  for (Screen& existing : screens_) {
    if (existing.name == screen.name) {
      existing = std::move(screen);
      return Status::Ok();
    }
  }
  screens_.push_back(std::move(screen));
  return Status::Ok();
}

Status ModelBook::AddFundHoldings(FundHoldings holdings) {
  ARBOR_RETURN_IF_ERROR(ValidateFundHoldings(holdings));
  const Date as_of = holdings.as_of;
  holdings_[holdings.fund].insert_or_assign(as_of, std::move(holdings));
  return Status::Ok();
}

const Template* ModelBook::FindTemplate(const std::string& name, Date as_of) const {
  return FindVersion(templates_, name, as_of);
}

const SecurityModel* ModelBook::FindSecurityModel(const std::string& name, Date as_of) const {
  return FindVersion(models_, name, as_of);
}

const Screen* ModelBook::FindScreen(const std::string& name) const {
  for (const Screen& screen : screens_) {
    if (screen.name == name) return &screen;
  }
  return nullptr;
}

const FundHoldings* ModelBook::FindFundHoldings(const std::string& fund, Date as_of) const {
  auto it = holdings_.find(fund);
  if (it == holdings_.end()) return nullptr;
  auto after = it->second.upper_bound(as_of);
  return after == it->second.begin() ? nullptr : &std::prev(after)->second;
}

const FundHoldings* ModelBook::NearestFundHoldings(const std::string& fund, Date as_of) const {
  const FundHoldings* before = FindFundHoldings(fund, as_of);
  if (before != nullptr) return before;
  auto it = holdings_.find(fund);
  return it == holdings_.end() || it->second.empty() ? nullptr : &it->second.begin()->second;
}

const std::vector<Template>* ModelBook::TemplateHistory(const std::string& name) const {
  return History(templates_, name);
}

const std::vector<SecurityModel>* ModelBook::SecurityModelHistory(const std::string& name) const {
  return History(models_, name);
}

}  // namespace arbor::models
