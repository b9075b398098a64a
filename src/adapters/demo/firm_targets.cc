#include "adapters/demo/firm_targets.h"

#include <algorithm>
#include <optional>

#include "core/models/resolution.h"

namespace arbor {
namespace {

ResolvedTargets Compact(const models::Resolution& resolution, const MarketTape& tape) {
  ResolvedTargets out{.cash_weight = resolution.cash_weight};
  std::map<std::string, int> class_index;
  for (const models::ResolvedTarget& target : resolution.targets) {
    const std::string& name = target.sources.front().asset_class;
    auto [it, added] = class_index.emplace(name, static_cast<int>(out.class_names.size()));
    if (added) {
      out.class_names.push_back(name);
      out.class_weight.push_back(0);
    }
    out.class_weight[it->second] += target.weight;
    if (std::optional<int> symbol = tape.Find(target.symbol)) {
      out.targets.push_back(
          {.symbol = *symbol, .asset_class = it->second, .weight = target.weight});
    }
  }
  std::sort(out.targets.begin(), out.targets.end(),
            [](const TargetWeight& a, const TargetWeight& b) { return a.symbol < b.symbol; });
  return out;
}

}  // namespace

std::string TargetBook::Signature(const models::Customization& c) {
  std::string text = c.template_name;
  for (const models::ClassRemoval& r : c.removals) {
    text += "|-" + r.asset_class + ":" + std::string(ToString(r.rule)) + ":" + r.to_class;
  }
  for (const models::WeightOverride& w : c.weights) {
    text += "|=" + w.asset_class + ":" + std::to_string(w.weight);
  }
  for (const models::ProductChoice& p : c.products) text += "|@" + p.asset_class + ":" + p.product;
  for (const std::string& s : c.screens) text += "|!" + s;
  return text;
}

Result<TargetBook> TargetBook::Build(const DemoCatalogue& catalogue, const SecurityMaster& master,
                                     const MarketTape& tape,
                                     const std::vector<models::Customization>& customizations) {
  TargetBook book;
  for (const models::Template& t : catalogue.templates) book.epoch_starts_.push_back(t.effective);
  for (const models::SecurityModel& m : catalogue.security_models) {
    book.epoch_starts_.push_back(m.effective);
  }
  std::sort(book.epoch_starts_.begin(), book.epoch_starts_.end());
  book.epoch_starts_.erase(std::unique(book.epoch_starts_.begin(), book.epoch_starts_.end()),
                           book.epoch_starts_.end());
  if (book.epoch_starts_.empty()) return Status::InvalidArgument("the catalogue is empty");

  models::Resolver resolver(catalogue.book, master);
  for (const models::Customization& customization : customizations) {
    const std::string signature = Signature(customization);
    if (book.family_of_.contains(signature)) continue;
    book.family_of_.emplace(signature, static_cast<int>(book.by_family_epoch_.size()));
    // Epochs before the first that resolves (its template or model not yet in the catalogue)
    // take that first resolution; an error after it is a real one.
    std::vector<ResolvedTargets> epochs;
    size_t unresolved = 0;
    Status first_error;
    for (Date start : book.epoch_starts_) {
      Result<models::Resolution> resolution = resolver.Resolve(customization, start);
      if (!resolution.ok()) {
        if (!epochs.empty()) return resolution.status();
        if (first_error.ok()) first_error = resolution.status();
        ++unresolved;
        continue;
      }
      epochs.push_back(Compact(*resolution, tape));
    }
    if (epochs.empty()) return first_error;
    const ResolvedTargets first = epochs.front();
    epochs.insert(epochs.begin(), unresolved, first);
    book.by_family_epoch_.push_back(std::move(epochs));
  }
  return book;
}

const ResolvedTargets& TargetBook::On(int family, Date date) const {
  const auto after = std::upper_bound(epoch_starts_.begin(), epoch_starts_.end(), date);
  const size_t epoch = after == epoch_starts_.begin() ? 0 : after - epoch_starts_.begin() - 1;
  return by_family_epoch_[family][epoch];
}

}  // namespace arbor
