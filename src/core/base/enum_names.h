// Name tables for enums: one table gives both directions, for the CLI, JSON and CSV.
//
//   constexpr EnumNames<Color, 2> kColorNames = {{{Color::kRed, "red"}, {Color::kBlue, "blue"}}};
//   NameOf(kColorNames, Color::kRed);         // "red"
//   ParseName(kColorNames, "BLUE");           // Color::kBlue (case-insensitive)
#pragma once

#include <array>
#include <cctype>
#include <optional>
#include <string_view>
#include <utility>

namespace arbor {

template <typename E, size_t N>
using EnumNames = std::array<std::pair<E, std::string_view>, N>;

template <typename E, size_t N>
constexpr std::string_view NameOf(const EnumNames<E, N>& names, E value) {
  for (const auto& [v, name] : names) {
    if (v == value) return name;
  }
  return names[0].second;
}

template <typename E, size_t N>
std::optional<E> ParseName(const EnumNames<E, N>& names, std::string_view text) {
  for (const auto& [value, name] : names) {
    if (name.size() != text.size()) continue;
    bool equal = true;
    for (size_t i = 0; i < name.size() && equal; ++i) {
      equal = std::tolower(static_cast<unsigned char>(text[i])) == name[i];
    }
    if (equal) return value;
  }
  return std::nullopt;
}

}  // namespace arbor
