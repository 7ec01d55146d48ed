#include "collector/filtering/default_notice.hpp"

namespace clubsafe::collector {

std::string daysInWords(std::int64_t days) {
  constexpr std::int64_t kYear = 365;
  if (days == kYear) return "a year";
  if (days > 0 && days % kYear == 0) return std::to_string(days / kYear) + " years";
  return days == 1 ? "1 day" : std::to_string(days) + " days";
}

common::NoticeText defaultNotice(const std::string& clubName, const KeptFor& keptFor) {
  common::NoticeText notice{
      .clubName = clubName,
      .paragraphs =
          {"This laptop is monitored. That means it keeps a record of what you do on it. We "
           "want you to know what it records, and why.",
           "It records which apps you use and for how long. It records the websites you visit "
           "and the things you search for. It also records anything it blocked.",
           "It never takes pictures of your screen. It never records what you type in your "
           "messages.",
           "Why? To help keep everyone safe online, as our club's online safety policy says. "
           "Some websites are blocked because they are not safe, or not right for your age.",
           "If a search or a page has words that could mean someone is in danger, a youth "
           "worker is told, so that they can help.",
           "The records of what you used are kept for up to " + daysInWords(keptFor.usageDays) +
               ". Records about keeping someone safe are kept for longer, up to " +
               daysInWords(keptFor.safeguardingDays) + ".",
           "Only the youth work manager and the safeguarding lead can see the records. The "
           "safeguarding lead is the person at the club whose job is to keep young people "
           "safe.",
           "You can ask a youth worker any question about this, at any time."},
      .policyUrl = {},
      .version = {}};
  notice.version = common::noticeVersion(notice);
  return notice;
}

}  // namespace clubsafe::collector
