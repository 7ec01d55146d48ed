#include "collector/mail/mail_settings.hpp"

#include <gtest/gtest.h>

namespace clubsafe::collector {
namespace {

TEST(MailAddressList, TakesAddressesSeparatedByCommas) {
  EXPECT_EQ(parseAddressList("mail.dsl_to", " dsl@example.org,  deputy@example.org ,"),
            (std::vector<std::string>{"dsl@example.org", "deputy@example.org"}));
  EXPECT_TRUE(parseAddressList("mail.dsl_to", "").empty());
}

TEST(MailAddressList, RefusesWhatCouldAddAHeaderOrIsNoAddress) {
  for (const auto* bad : {"dsl@example.org\r\nBcc: someone@example.org", "nobody", "@example.org",
                          "dsl@", "a@b@c", "Name <dsl@example.org>", "dsl@exa mple.org"}) {
    try {
      (void)parseAddressList("mail.dsl_to", bad);
      ADD_FAILURE() << bad;
    } catch (const common::SettingsError& error) {
      EXPECT_NE(std::string(error.what()).find("mail.dsl_to"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace clubsafe::collector
