#include "core/base/name_index.h"

#include <functional>

namespace arbor {

size_t NameIndex::Probe(std::string_view name, uint64_t hash) const {
  const size_t mask = slots_.size() - 1;
  const uint32_t tag = static_cast<uint32_t>(hash);
  for (size_t slot = (hash >> 32) & mask;; slot = (slot + 1) & mask) {
    const Slot& s = slots_[slot];
    if (s.id == kNotFound || (s.hash_tag == tag && names_[s.id] == name)) return slot;
  }
}

int32_t NameIndex::Find(std::string_view name) const {
  if (slots_.empty()) return kNotFound;
  return slots_[Probe(name, std::hash<std::string_view>{}(name))].id;
}

int32_t NameIndex::Intern(std::string_view name) {
  if ((names_.size() + 1) * 2 > slots_.size()) Grow();  // keep the load factor <= 1/2
  const uint64_t hash = std::hash<std::string_view>{}(name);
  size_t slot = Probe(name, hash);
  if (slots_[slot].id != kNotFound) return slots_[slot].id;
  int32_t id = static_cast<int32_t>(names_.size());
  names_.emplace_back(name);
  hashes_.push_back(hash);
  slots_[slot] = {static_cast<uint32_t>(hash), id};
  return id;
}

void NameIndex::Grow() {
  slots_.assign(slots_.empty() ? 16 : slots_.size() * 2, Slot{});
  const size_t mask = slots_.size() - 1;
  for (size_t id = 0; id < names_.size(); ++id) {
    size_t slot = (hashes_[id] >> 32) & mask;
    while (slots_[slot].id != kNotFound) slot = (slot + 1) & mask;
    slots_[slot] = {static_cast<uint32_t>(hashes_[id]), static_cast<int32_t>(id)};
  }
}

}  // namespace arbor
