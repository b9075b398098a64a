// The firm's investment catalogue in memory: every version of every template and security
// model, and the screens. Lookups are "as of a date": the latest version effective on or before
// it, which is how an IPC change cascades to every account at its next review.
//
//   ModelBook book;
//   book.AddTemplate(balanced_v1);  book.AddTemplate(balanced_v2);   // validated on add
//   const Template* t = book.FindTemplate("Balanced 60/40", as_of);   // v2 once effective
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/base/date.h"
#include "core/base/status.h"
#include "core/models/asset_class_template.h"
#include "core/models/screen.h"
#include "core/models/security_model.h"

namespace arbor::models {

class ModelBook {
 public:
  // Validates; a (name, version) already present is AlreadyExists.
  Status AddTemplate(Template tmpl);
  Status AddSecurityModel(SecurityModel model);
  Status AddScreen(Screen screen);  // replaces a screen of the same name

  // nullptr when there is no version effective on or before `as_of`.
  const Template* FindTemplate(const std::string& name, Date as_of) const;
  const SecurityModel* FindSecurityModel(const std::string& name, Date as_of) const;
  const Screen* FindScreen(const std::string& name) const;

  // Every version, oldest first.
  const std::vector<Template>* TemplateHistory(const std::string& name) const;
  const std::vector<SecurityModel>* SecurityModelHistory(const std::string& name) const;
  const std::vector<Screen>& screens() const { return screens_; }

 private:
  std::map<std::string, std::vector<Template>> templates_;     // by name, by version
  std::map<std::string, std::vector<SecurityModel>> models_;   // by name, by version
  std::vector<Screen> screens_;
};

}  // namespace arbor::models
