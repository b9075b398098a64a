// Resolution: template + customizations + product choices -> security-level target weights of
// one account, each with its lineage (which asset class, product and rule produced it).
//
//   Resolver resolver(book, master, &reallocator);     // reallocator: screens (may be null)
//   Result<Resolution> r = resolver.Resolve(customization, as_of);
//   for (const ResolvedTarget& t : r->targets)         // by symbol
//     t.symbol, t.weight, t.sources[0].asset_class, t.sources[0].product, t.sources[0].rule;
//   r->cash_weight;                                    // cash classes and unfilled weight
//
// Steps (docs/models.md): 1. the template version effective on `as_of`; 2. removals, each
// class's weight redistributed by its rule; 3. weight overrides, the rest scaled pro rata;
// 4. every leaf checked against its band (an error naming the class, weight and band);
// 5. each leaf's product (the account's choice or the default) expanded: a fund is one target,
// a security model its weights scaled by the leaf's weight (the model version effective on
// `as_of`, with the account's screens removed and their weight re-allocated by the
// reallocator), cash adds to cash_weight; 6. targets of the same symbol from several leaves
// are summed, keeping every source.
//
// A resolver caches what does not depend on the account (the symbols a set of screens excludes,
// screened models by model version and screen set, what a fund holds of the screened names), so
// resolving a whole firm costs little more than reading the results. Resolve may be called from
// several threads at once; the cache is guarded by a mutex. The book, master and reallocator must
// not change while the resolver is in use: make a new resolver after changing them.
//
// Errors stop the account (it is not resolved; the message names the account, the class and the
// bound). Notes do not: a customization of a class or product the effective template version no
// longer offers (an IPC change never breaks an account), a product choice for a removed class,
// screened names inside a targeted fund (a fund cannot be screened), a security model the screens
// empty entirely (its weight is held in cash).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/base/date.h"
#include "core/base/status.h"
#include "core/market/security.h"
#include "core/models/customization.h"
#include "core/models/model_book.h"

namespace arbor::models {

// How a security model's weight is re-allocated when screens remove some of its names. The
// resolver calls it once per (model version, screen set) and caches the result; threads racing to
// fill the cache may call it concurrently.
class ScreenReallocator {
 public:
  virtual ~ScreenReallocator() = default;
  // `model` without the `excluded` symbols (sorted), weights summing to 1 again; ok to return
  // the model unchanged when it holds none of them. Errors name the model.
  virtual Result<SecurityModel> Reallocate(const SecurityModel& model,
                                           const std::vector<std::string>& excluded) const = 0;
  virtual std::string Describe() const = 0;  // for the lineage, e.g. "risk-model reallocation"
};

// The simple rule: the remaining names scaled up pro rata.
class ProRataReallocator : public ScreenReallocator {
 public:
  Result<SecurityModel> Reallocate(const SecurityModel& model,
                                   const std::vector<std::string>& excluded) const override;
  std::string Describe() const override { return "pro-rata reallocation"; }
};

struct TargetSource {
  std::string asset_class;
  std::string product;  // ProductOption id
  std::string model;    // "SP500 v3" for a security model; empty for a fund
  double weight = 0;    // this source's share of the target weight
  std::string rule;     // how the class weight came about, then how the model was screened:
                        // "template weight 0.42; +0.0315 from Emerging Markets (pro rata
                        // within Equity)",
                        // "override 0.40 (template weight 0.42)", "...; screens alcohol,
                        // tobacco: 3 names (0.0214 of SP500 v3) out, pro-rata reallocation"
};

struct ResolvedTarget {
  std::string symbol;
  double weight = 0;  // fraction of the account
  std::vector<TargetSource> sources;
};

struct ResolvedClass {
  std::string asset_class;
  double weight = 0;    // absolute, after removals and overrides; 0 when removed
  std::string product;  // ProductOption id; empty when removed
  std::string rule;     // as TargetSource::rule, without the screens; "removed (pro rata), ..."
};

struct Resolution {
  std::string template_name;
  int template_version = 0;
  std::vector<ResolvedClass> classes;    // leaves (removed ones too), in template order
  std::vector<ResolvedTarget> targets;   // by symbol
  double cash_weight = 0;
  std::vector<std::string> screened;     // symbols the account's screens exclude
  std::vector<std::string> notes;        // customizations that no longer apply, ...
};

class Resolver {
 public:
  // `book` and `master` must outlive the resolver; `reallocator` may be null (pro rata).
  Resolver(const ModelBook& book, const SecurityMaster& master,
           const ScreenReallocator* reallocator = nullptr);

  // Errors: unknown template (or none effective on as_of), a class, product, model or screen no
  // version knows, a removal of a class the IPC marked not removable, a weight outside its band,
  // conflicting customizations (a class removed and overridden, removed twice, given two
  // weights or two products; a to_class that is removed or not a leaf), removing every class,
  // overrides that do not add up, a targeted fund the account's own screens exclude — each
  // naming the account, the class and the bound.
  Result<Resolution> Resolve(const Customization& customization, Date as_of) const;

 private:
  // A security model version with a set of screens applied, weights sorted by symbol.
  struct ScreenedModel {
    SecurityModel model;
    std::string rule;    // empty when the screens remove none of its names
    bool empty = false;  // the screens remove every name
  };

  Result<Resolution> ResolveUnlabelled(const Customization& customization, Date as_of) const;
  // `screens` sorted and unique; `key` their names joined.
  Result<const std::vector<std::string>*> Excluded(const std::vector<std::string>& screens,
                                                   const std::string& key) const;
  Result<const ScreenedModel*> Screened(const SecurityModel& model,
                                        const std::vector<std::string>& excluded,
                                        const std::string& screen_key) const;
  // What a fund holds of the excluded names, for a note; empty when it holds none.
  const std::string& FundNote(const FundHoldings& holdings,
                              const std::vector<std::string>& excluded,
                              const std::string& screen_key) const;

  const ModelBook& book_;
  const SecurityMaster& master_;
  const ScreenReallocator* reallocator_;
  ProRataReallocator pro_rata_;
  mutable std::mutex cache_mutex_;  // guards the three caches; entries are never changed or erased
  mutable std::map<std::string, std::vector<std::string>> excluded_cache_;  // by screens
  mutable std::map<std::string, ScreenedModel> screened_cache_;  // "name|version|screens"
  mutable std::map<std::string, std::string> fund_note_cache_;   // "fund|date|screens"
};

}  // namespace arbor::models
