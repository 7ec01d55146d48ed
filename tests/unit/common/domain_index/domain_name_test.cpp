#include "common/domain_index/domain_name.hpp"

#include <gtest/gtest.h>

#include <string>

namespace clubsafe::common::domain_index {
namespace {

TEST(NormalisedName, LowerCasesAndDropsOneTrailingDot) {
  const auto name = NormalisedName::from("WWW.Example.COM.");
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(name.view(), "www.example.com");
  EXPECT_EQ(NormalisedName::from("under_score.example-site.org").view(),
            "under_score.example-site.org");
}

TEST(NormalisedName, RefusesBadNamesWithTheReason) {
  EXPECT_EQ(NormalisedName::from("").problem(), NameProblem::Empty);
  EXPECT_EQ(NormalisedName::from(".").problem(), NameProblem::Empty);
  EXPECT_EQ(NormalisedName::from("exa mple.com").problem(), NameProblem::InvalidCharacter);
  EXPECT_EQ(NormalisedName::from("caf\xc3\xa9.fr").problem(), NameProblem::InvalidCharacter);
  EXPECT_EQ(NormalisedName::from("a..com").problem(), NameProblem::EmptyLabel);
  EXPECT_EQ(NormalisedName::from(".afshin.ir").problem(), NameProblem::EmptyLabel);
  EXPECT_EQ(NormalisedName::from("example.com..").problem(), NameProblem::EmptyLabel);
  EXPECT_EQ(NormalisedName::from(std::string(64, 'a') + ".com").problem(),
            NameProblem::LabelTooLong);
  EXPECT_EQ(NormalisedName::from("192.168.1.10").problem(), NameProblem::IpAddress);
  EXPECT_EQ(NormalisedName::from("example.com/path").problem(), NameProblem::UrlWithPath);
  EXPECT_EQ(NormalisedName::from("http://example.com").problem(), NameProblem::UrlWithPath);
  EXPECT_FALSE(NormalisedName::from("x.y").view().empty());
}

TEST(NormalisedName, AcceptsUpTo253Bytes) {
  std::string name;
  while (name.size() < 253) name += name.empty() ? "a" : ".a";  // 127 labels, 253 bytes
  ASSERT_EQ(name.size(), 253u);
  EXPECT_TRUE(NormalisedName::from(name).ok());
  EXPECT_TRUE(NormalisedName::from(name + ".").ok());
  EXPECT_EQ(NormalisedName::from(name + ".a").problem(), NameProblem::NameTooLong);
}

}  // namespace
}  // namespace clubsafe::common::domain_index
