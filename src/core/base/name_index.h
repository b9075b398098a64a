// NameIndex: dense ids for names (account ids, symbols), with a lookup that costs one probe of a
// compact open-addressing table in the common case. The ledger looks up two names per event,
// so this is on its hottest path; std::unordered_map's node per entry costs a cache miss each.
//
//   NameIndex symbols;
//   int32_t aapl = symbols.Intern("AAPL");   // 0
//   symbols.Find("AAPL");                     // 0
//   symbols.Find("MSFT");                     // -1
//   symbols.name(aapl);                       // "AAPL"
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace arbor {

class NameIndex {
 public:
  static constexpr int32_t kNotFound = -1;

  int32_t Find(std::string_view name) const;
  // The id of `name`, adding it if new.
  int32_t Intern(std::string_view name);
  const std::string& name(int32_t id) const { return names_[id]; }
  size_t size() const { return names_.size(); }

 private:
  void Grow();
  // Slot of `name`, or of the empty slot where it would go.
  size_t Probe(std::string_view name, uint64_t hash) const;

  struct Slot {
    uint32_t hash_tag = 0;       // low bits of the hash: most mismatches end here
    int32_t id = kNotFound;
  };
  std::vector<std::string> names_;
  std::vector<uint64_t> hashes_;  // per id, to rehash without rehashing strings
  std::vector<Slot> slots_;       // size a power of two
};

}  // namespace arbor
