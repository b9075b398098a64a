#include "core/models/screen.h"

#include <map>
#include <set>
#include <string_view>

namespace arbor::models {
namespace {

// Expands screens depth first, collecting what they exclude; `path` holds the screens being
// expanded, so meeting one of them again is a cycle.
class Expander {
 public:
  explicit Expander(const std::vector<Screen>& screens) {
    for (const Screen& screen : screens) by_name_.emplace(screen.name, &screen);
  }

  Status Expand(const std::string& name, const std::string& included_by) {
    if (done_.count(name) > 0) return Status::Ok();
    auto it = by_name_.find(name);
    if (it == by_name_.end()) {
      if (included_by.empty()) return Status::NotFound("unknown screen '" + name + "'");
      return Status::NotFound("screen " + included_by + ": includes unknown screen '" + name + "'");
    }
    for (size_t i = 0; i < path_.size(); ++i) {
      if (path_[i] != name) continue;
      std::string cycle;
      for (size_t j = i; j < path_.size(); ++j) cycle += path_[j] + " -> ";
      return Status::InvalidArgument("screen " + name + ": includes form a cycle " + cycle + name);
    }
    const Screen& screen = *it->second;
    path_.push_back(name);
    for (const std::string& include : screen.includes) {
      ARBOR_RETURN_IF_ERROR(Expand(include, name));
    }
    path_.pop_back();
    sub_industries_.insert(screen.sub_industries.begin(), screen.sub_industries.end());
    symbols_.insert(screen.symbols.begin(), screen.symbols.end());
    done_.insert(name);
    return Status::Ok();
  }

  std::vector<std::string> Excluded(const SecurityMaster& master) {
    if (!sub_industries_.empty()) {
      for (const Security& security : master.securities()) {
        if (sub_industries_.count(security.gics.sub_industry) > 0) {
          symbols_.insert(security.symbol);
        }
      }
    }
    return {symbols_.begin(), symbols_.end()};
  }

 private:
  std::map<std::string_view, const Screen*> by_name_;
  std::vector<std::string> path_;
  std::set<std::string> done_;
  std::set<std::string, std::less<>> sub_industries_;
  std::set<std::string> symbols_;
};

}  // namespace

Status ValidateScreen(const Screen& screen) {
  if (screen.name.empty()) return Status::InvalidArgument("screen: name must not be empty");
  if (screen.sub_industries.empty() && screen.symbols.empty() && screen.includes.empty()) {
    return Status::InvalidArgument("screen " + screen.name +
                                   ": needs sub_industries, symbols or includes");
  }
  return Status::Ok();
}

Result<std::vector<std::string>> ScreenedSymbols(const std::vector<std::string>& screen_names,
                                                 const std::vector<Screen>& screens,
                                                 const SecurityMaster& master) {
  Expander expander(screens);
  for (const std::string& name : screen_names) ARBOR_RETURN_IF_ERROR(expander.Expand(name, ""));
  return expander.Excluded(master);
}

}  // namespace arbor::models
