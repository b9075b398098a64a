#include "core/household/household.h"

#include <gtest/gtest.h>

namespace arbor::household {
namespace {

Account Member(std::string id, AccountType type, std::vector<std::string> taxpayers) {
  return {.id = std::move(id), .type = type, .taxpayers = std::move(taxpayers)};
}

Household Smith() {
  return {.id = "SMITH",
          .name = "John & Mary Smith",
          .members = {Member("SMITH-JOINT", AccountType::kTaxable, {"SMITH-J", "SMITH-M"}),
                      Member("SMITH-IRA", AccountType::kTraditionalIra, {"SMITH-J"})},
          .target = {.account = "SMITH", .template_name = "Balanced 60/40"}};
}

// IRS Publication 550, "Wash Sales": "If you sell stock and your spouse ... buys substantially
// identical stock, you also have a wash sale." Spouses are one taxpayer for the rule, so one
// household may hold both spouses' accounts and the optimizer keeps them in one wash-sale scope.
TEST(HouseholdTest, SpousesAccountsFormOneHousehold) {
  Household smith = Smith();
  smith.members.push_back(Member("SMITH-ROTH", AccountType::kRothIra, {"SMITH-M"}));
  EXPECT_TRUE(ValidateHousehold(smith).ok()) << ValidateHousehold(smith).message();
  EXPECT_EQ(Taxpayers(smith), (std::vector<std::string>{"SMITH-J", "SMITH-M"}));
}

TEST(HouseholdTest, AThirdPersonDoesNotJoin) {
  const Account lee = Member("LEE-TAXABLE", AccountType::kTaxable, {"LEE"});
  Status status = CheckCanJoin(Smith(), lee);
  EXPECT_EQ(status.message(),
            "household SMITH: account LEE-TAXABLE belongs to LEE; a household holds the accounts "
            "of at most two people (now SMITH-J, SMITH-M)");
  Household three = Smith();
  three.members.push_back(lee);
  EXPECT_NE(ValidateHousehold(three).message().find("belong to 3 people (LEE, SMITH-J, SMITH-M)"),
            std::string::npos);
}

TEST(HouseholdTest, OneTaxpayersAccountsJoinAndJoiningTwiceIsFine) {
  Household solo{.id = "LEE", .members = {Member("LEE-TAXABLE", AccountType::kTaxable, {"LEE"})}};
  EXPECT_TRUE(CheckCanJoin(solo, Member("LEE-401K", AccountType::k401k, {"LEE"})).ok());
  EXPECT_TRUE(CheckCanJoin(solo, solo.members[0]).ok());
  // A second person (a spouse) joins; a third would not.
  EXPECT_TRUE(CheckCanJoin(solo, Member("KIM-ROTH", AccountType::kRothIra, {"KIM"})).ok());
}

TEST(HouseholdTest, AnAccountBelongsToOneHousehold) {
  Account other = Member("SMITH-ROTH", AccountType::kRothIra, {"SMITH-M"});
  other.household = "SMITH-2";
  EXPECT_EQ(CheckCanJoin(Smith(), other).message(),
            "account SMITH-ROTH is already in household SMITH-2; remove it from there first");
  Household first = Smith();
  Household second{.id = "OTHER", .members = {first.members[1]}};
  EXPECT_EQ(ValidateHouseholds({first, second}).message(),
            "account SMITH-IRA is in two households: SMITH and OTHER");
}

TEST(HouseholdTest, AnAccountWithoutTaxpayersCannotJoin) {
  EXPECT_NE(CheckCanJoin(Smith(), Member("X", AccountType::kTaxable, {}))
                .message()
                .find("account X names no taxpayer"),
            std::string::npos);
}

TEST(HouseholdTest, RejectsBadFields) {
  Household h = Smith();
  h.drift_penalty = -0.1;
  EXPECT_NE(ValidateHousehold(h).message().find("drift_penalty: must be a number >= 0"),
            std::string::npos);
  h = Smith();
  h.target.account = "SOMEONE";
  EXPECT_EQ(ValidateHousehold(h).message(), "household SMITH: its target belongs to 'SOMEONE'");
  h = Smith();
  h.target.template_name.clear();
  h.target.screens = {"tobacco"};
  EXPECT_EQ(ValidateHousehold(h).message(),
            "household SMITH: target: customizations without a template");
  h = Smith();
  h.members.push_back(h.members[0]);
  EXPECT_EQ(ValidateHousehold(h).message(), "household SMITH: account SMITH-JOINT is listed twice");
  EXPECT_FALSE(ValidateHouseholdId("SMITH FAMILY").ok());
  EXPECT_FALSE(ValidateHouseholdId("").ok());
  EXPECT_TRUE(ValidateHouseholdId("HH-1.a_b").ok());
}

}  // namespace
}  // namespace arbor::household
