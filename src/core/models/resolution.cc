#include "core/models/resolution.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "core/models/class_weights.h"
#include "core/models/product_choice.h"
#include "core/models/template_tree.h"
#include "core/models/weight_text.h"

namespace arbor::models {
namespace {

std::string Percent(double fraction) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f%%", 100 * fraction);
  return buffer;
}

std::string ModelLabel(const SecurityModel& model) {
  return model.name + " v" + std::to_string(model.version);
}

bool Contains(const std::vector<std::string>& sorted, const std::string& symbol) {
  return std::binary_search(sorted.begin(), sorted.end(), symbol);
}

std::vector<ModelWeight> SortedBySymbol(std::vector<ModelWeight> weights) {
  std::sort(weights.begin(), weights.end(),
            [](const ModelWeight& a, const ModelWeight& b) { return a.symbol < b.symbol; });
  return weights;
}

// One leaf's contribution to one symbol; `source` indexes the leaf's TargetSource prototype.
struct Entry {
  const std::string* symbol;
  double weight;
  int source;
};

// Entries arrive as runs sorted by symbol, one per leaf in template order. Adjacent runs are
// merged pairwise, stably, until one is left (log2 of the runs passes, not one per run); equal
// symbols keep the leaves' order, so sums and sources come out the same every time.
void MergeRuns(std::vector<Entry>& entries, std::vector<size_t> starts) {
  auto by_symbol = [](const Entry& a, const Entry& b) { return *a.symbol < *b.symbol; };
  starts.push_back(entries.size());
  while (starts.size() > 2) {
    std::vector<size_t> merged;
    for (size_t r = 0; r + 1 < starts.size(); r += 2) {
      merged.push_back(starts[r]);
      if (r + 2 < starts.size()) {
        std::inplace_merge(entries.begin() + starts[r], entries.begin() + starts[r + 1],
                           entries.begin() + starts[r + 2], by_symbol);
      }
    }
    merged.push_back(entries.size());
    starts = std::move(merged);
  }
}

std::vector<ResolvedTarget> SumBySymbol(const std::vector<Entry>& entries,
                                        const std::vector<TargetSource>& prototypes) {
  std::vector<ResolvedTarget> targets;
  targets.reserve(entries.size());
  for (size_t i = 0; i < entries.size();) {
    ResolvedTarget target{.symbol = *entries[i].symbol};
    // A leaf holds a symbol once, so an entry of the same leaf as the one before it starts the
    // next symbol: most boundaries are found without comparing strings.
    size_t j = i + 1;
    while (j < entries.size() && entries[j].source != entries[j - 1].source &&
           *entries[j].symbol == target.symbol) {
      ++j;
    }
    target.sources.reserve(j - i);
    for (; i < j; ++i) {
      target.weight += entries[i].weight;
      target.sources.push_back(prototypes[entries[i].source]);
      target.sources.back().weight = entries[i].weight;
    }
    targets.push_back(std::move(target));
  }
  return targets;
}

}  // namespace

Result<SecurityModel> ProRataReallocator::Reallocate(
    const SecurityModel& model, const std::vector<std::string>& excluded) const {
  SecurityModel out = model;
  out.weights.clear();
  double kept = 0;
  for (const ModelWeight& w : model.weights) {
    if (Contains(excluded, w.symbol)) continue;
    out.weights.push_back(w);
    kept += w.weight;
  }
  if (out.weights.size() == model.weights.size()) return model;
  if (out.weights.empty() || kept <= 0) {
    return Status::InvalidArgument("security model " + ModelLabel(model) +
                                   ": the screens exclude every name");
  }
  for (ModelWeight& w : out.weights) w.weight /= kept;
  return out;
}

Resolver::Resolver(const ModelBook& book, const SecurityMaster& master,
                   const ScreenReallocator* reallocator)
    : book_(book), master_(master), reallocator_(reallocator ? reallocator : &pro_rata_) {}

Result<Resolution> Resolver::Resolve(const Customization& customization, Date as_of) const {
  Result<Resolution> resolution = ResolveUnlabelled(customization, as_of);
  if (!resolution.ok()) return resolution.status().WithContext("account " + customization.account);
  return resolution;
}

Result<Resolution> Resolver::ResolveUnlabelled(const Customization& c, Date as_of) const {
  // 1. The template version effective on as_of.
  const std::vector<Template>* history = book_.TemplateHistory(c.template_name);
  if (history == nullptr || history->empty()) {
    return Status::NotFound("unknown template '" + c.template_name + "'");
  }
  const Template* tmpl = book_.FindTemplate(c.template_name, as_of);
  if (tmpl == nullptr) {
    return Status::NotFound("template " + c.template_name + " has no version effective on " +
                            as_of.ToString() + " (v" + std::to_string(history->front().version) +
                            " takes effect on " + history->front().effective.ToString() + ")");
  }
  Result<TemplateTree> tree = BuildTemplateTree(*tmpl);
  if (!tree.ok())
    return Status::Internal("template " + tmpl->name + ": " + tree.status().message());

  // 2-4. Removals, overrides, bands.
  Result<ClassWeights> weights = ResolveClassWeights(c, *tmpl, *tree, *history);
  if (!weights.ok()) return weights.status();
  Resolution out{.template_name = tmpl->name, .template_version = tmpl->version};
  out.notes = std::move(weights->notes);

  // 5. Each leaf's product: the account's choice or the IPC's default.
  Result<ProductChoices> products = ChooseProducts(c, *tmpl, *tree, *history);
  if (!products.ok()) return products.status();
  out.notes.insert(out.notes.end(), products->notes.begin(), products->notes.end());

  // The account's screens: one sorted set, whatever order and repeats the advisor typed.
  std::vector<std::string> screen_names(c.screens.begin(), c.screens.end());
  std::sort(screen_names.begin(), screen_names.end());
  screen_names.erase(std::unique(screen_names.begin(), screen_names.end()), screen_names.end());
  std::string screen_key;
  for (const std::string& name : screen_names) screen_key += (screen_key.empty() ? "" : ",") + name;
  static const std::vector<std::string> kNone;
  const std::vector<std::string>* excluded = &kNone;
  if (!screen_names.empty()) {
    Result<const std::vector<std::string>*> found = Excluded(screen_names, screen_key);
    if (!found.ok()) return found.status();
    excluded = *found;
    out.screened = *excluded;
  }

  // Expand each held leaf into runs of entries sorted by symbol.
  std::vector<TargetSource> prototypes;
  std::vector<Entry> entries;
  std::vector<size_t> run_starts;
  std::string unchecked_funds;  // targeted funds without holdings, when the account has screens
  for (const LeafWeight& lw : weights->leaves) {
    const AssetClass& ac = tmpl->classes[lw.cls];
    const ProductOption* option = lw.removed ? nullptr : products->product[lw.cls];
    if (lw.removed && products->chosen[lw.cls]) {
      out.notes.push_back("the product choice for " + ac.name +
                          " is not used: the class is removed");
    }
    out.classes.push_back({.asset_class = ac.name,
                           .weight = lw.weight,
                           .product = option ? option->id : "",
                           .rule = lw.rule});
    if (option == nullptr || lw.weight <= 0) continue;
    switch (option->kind) {
      case ProductKind::kCash:
        out.cash_weight += lw.weight;
        break;
      case ProductKind::kEtf:
      case ProductKind::kMutualFund: {
        if (Contains(*excluded, option->reference)) {
          return Status::FailedPrecondition(ac.name + "'s product " + option->id + " is the fund " +
                                            option->reference + ", which the account's screens " +
                                            screen_key + " exclude; choose another product");
        }
        if (!screen_names.empty()) {
          const FundHoldings* holdings = book_.FindFundHoldings(option->reference, as_of);
          if (holdings == nullptr) {
            unchecked_funds += (unchecked_funds.empty() ? "" : ", ") + option->reference;
          } else if (const std::string& note = FundNote(*holdings, *excluded, screen_key);
                     !note.empty()) {
            out.notes.push_back(ac.name + ": " + note);
          }
        }
        run_starts.push_back(entries.size());
        prototypes.push_back({.asset_class = ac.name, .product = option->id, .rule = lw.rule});
        entries.push_back({&option->reference, lw.weight, static_cast<int>(prototypes.size() - 1)});
        break;
      }
      case ProductKind::kDirectIndex:
      case ProductKind::kActiveModel: {
        const SecurityModel* model = book_.FindSecurityModel(option->reference, as_of);
        if (model == nullptr) {
          const bool known = book_.SecurityModelHistory(option->reference) != nullptr;
          return Status::NotFound(ac.name + "'s product " + option->id + " uses security model " +
                                  option->reference +
                                  (known ? ", which has no version effective on " + as_of.ToString()
                                         : ", which the book does not have"));
        }
        Result<const ScreenedModel*> screened = Screened(*model, *excluded, screen_key);
        if (!screened.ok()) return screened.status().WithContext(ac.name);
        const ScreenedModel& sm = **screened;
        if (sm.empty) {
          out.cash_weight += lw.weight;
          out.notes.push_back(ac.name + ": " + sm.rule + "; its " + WeightText(lw.weight) +
                              " is held in cash");
          break;
        }
        run_starts.push_back(entries.size());
        prototypes.push_back({.asset_class = ac.name,
                              .product = option->id,
                              .model = ModelLabel(*model),
                              .rule = sm.rule.empty() ? lw.rule : lw.rule + "; " + sm.rule});
        const int source = static_cast<int>(prototypes.size() - 1);
        entries.reserve(entries.size() + sm.model.weights.size());
        for (const ModelWeight& w : sm.model.weights) {
          entries.push_back({&w.symbol, lw.weight * w.weight, source});
        }
        break;
      }
    }
  }

  if (!unchecked_funds.empty()) {
    out.notes.push_back("screens do not apply to funds, and the holdings of " + unchecked_funds +
                        " are not loaded to show how much of them the screens " + screen_key +
                        " would exclude");
  }

  // 6. One target per symbol, summed over the leaves that hold it, every source kept.
  MergeRuns(entries, run_starts);
  out.targets = SumBySymbol(entries, prototypes);
  return out;
}

Result<const std::vector<std::string>*> Resolver::Excluded(const std::vector<std::string>& screens,
                                                           const std::string& key) const {
  {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    auto it = excluded_cache_.find(key);
    if (it != excluded_cache_.end()) return &it->second;
  }
  Result<std::vector<std::string>> symbols = ScreenedSymbols(screens, book_.screens(), master_);
  if (!symbols.ok()) return symbols.status();
  std::lock_guard<std::mutex> lock(cache_mutex_);
  return &excluded_cache_.emplace(key, std::move(*symbols)).first->second;
}

Result<const Resolver::ScreenedModel*> Resolver::Screened(const SecurityModel& model,
                                                          const std::vector<std::string>& excluded,
                                                          const std::string& screen_key) const {
  const std::string key = model.name + "|" + std::to_string(model.version) + "|" + screen_key;
  {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    auto it = screened_cache_.find(key);
    if (it != screened_cache_.end()) return &it->second;
  }
  std::vector<std::string> hits;
  double hit_weight = 0;
  for (const ModelWeight& w : model.weights) {
    if (!Contains(excluded, w.symbol)) continue;
    hits.push_back(w.symbol);
    hit_weight += w.weight;
  }
  std::sort(hits.begin(), hits.end());
  ScreenedModel screened;
  if (hits.empty()) {
    screened.model = model;
  } else {
    const std::string what = "screens " + screen_key + ": " + std::to_string(hits.size()) +
                             (hits.size() == 1 ? " name (" : " names (") + WeightText(hit_weight) +
                             " of " + ModelLabel(model) + ") out";
    if (hits.size() == model.weights.size()) {
      screened.empty = true;
      screened.rule = what + ", every name of the model";
    } else {
      Result<SecurityModel> reallocated = reallocator_->Reallocate(model, hits);
      if (!reallocated.ok()) return reallocated.status();
      Status valid = ValidateSecurityModel(*reallocated);
      for (const ModelWeight& w : reallocated->weights) {
        if (valid.ok() && Contains(hits, w.symbol)) {
          valid = Status::InvalidArgument("it still holds " + w.symbol);
        }
      }
      if (!valid.ok()) {
        return Status::Internal(reallocator_->Describe() + " of " + ModelLabel(model) +
                                " for screens " + screen_key +
                                " is not a valid model: " + valid.message());
      }
      screened.model = std::move(*reallocated);
      screened.rule = what + ", " + reallocator_->Describe();
    }
  }
  screened.model.weights = SortedBySymbol(std::move(screened.model.weights));
  std::lock_guard<std::mutex> lock(cache_mutex_);
  return &screened_cache_.emplace(key, std::move(screened)).first->second;
}

const std::string& Resolver::FundNote(const FundHoldings& holdings,
                                      const std::vector<std::string>& excluded,
                                      const std::string& screen_key) const {
  const std::string key = holdings.fund + "|" + holdings.as_of.ToString() + "|" + screen_key;
  {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    auto it = fund_note_cache_.find(key);
    if (it != fund_note_cache_.end()) return it->second;
  }
  std::vector<ModelWeight> hits;
  double total = 0;
  for (const ModelWeight& w : holdings.weights) {
    if (!Contains(excluded, w.symbol)) continue;
    hits.push_back(w);
    total += w.weight;
  }
  std::string note;
  if (!hits.empty()) {
    // Largest first (ties by symbol, for a stable text); five are enough to recognize.
    std::sort(hits.begin(), hits.end(), [](const ModelWeight& a, const ModelWeight& b) {
      return a.weight != b.weight ? a.weight > b.weight : a.symbol < b.symbol;
    });
    std::string names;
    for (size_t i = 0; i < hits.size() && i < 5; ++i) {
      names += (i ? ", " : "") + hits[i].symbol + " " + Percent(hits[i].weight);
    }
    if (hits.size() > 5) names += ", ...";
    note = "the fund " + holdings.fund + " cannot be screened; " + Percent(total) + " of it (" +
           names + ") is in names the screens " + screen_key + " exclude (holdings of " +
           holdings.as_of.ToString() + ")";
  }
  std::lock_guard<std::mutex> lock(cache_mutex_);
  return fund_note_cache_.emplace(key, std::move(note)).first->second;
}

}  // namespace arbor::models
