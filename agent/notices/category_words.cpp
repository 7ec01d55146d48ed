#include "agent/notices/category_words.hpp"

#include <array>
#include <utility>

namespace clubsafe::agent::notices {
namespace {

// Each is a short noun phrase: the page reads "The reason: gambling." and the notification
// "Blocked because of: gambling". Several UT1 names are French (agressif, drogue, publicite,
// tricheur) and some have English aliases a club may import them under; both are here. UT1's
// lists of no clear theme (liste_bu, reaffected, special, ...) get kUnknownCategoryWords.
constexpr std::array<std::pair<std::string_view, std::string_view>, 75> kWords{{
    {"closed", "the club's opening hours"},
    {"block_list", "the club's list of blocked sites"},
    {"iwf", "pictures that are against the law"},
    {"terrorism", "content that is against the law"},
    {"adult", "grown-up content"},
    {"porn", "grown-up content"},
    {"mixed_adult", "grown-up content"},
    {"lingerie", "grown-up content"},
    {"dating", "dating and meeting strangers"},
    {"sexual_education", "grown-up health information"},
    {"agressif", "violent or hateful content"},
    {"aggressive", "violent or hateful content"},
    {"violence", "violent or hateful content"},
    {"dangerous_material", "dangerous things like weapons"},
    {"drogue", "drugs"},
    {"drugs", "drugs"},
    {"gambling", "gambling"},
    {"arjel", "gambling"},
    {"malware", "something that could harm this laptop"},
    {"phishing", "a trick to steal passwords"},
    {"cryptojacking", "something that could harm this laptop"},
    {"stalkerware", "spying on other people"},
    {"hacking", "breaking into computers"},
    {"ddos", "attacking other computers"},
    {"dialer", "something that could cost money"},
    {"marketingware", "pushy advertising"},
    {"publicite", "adverts"},
    {"ads", "adverts"},
    {"redirector", "a way around the club's filter"},
    {"strict_redirector", "a way around the club's filter"},
    {"strong_redirector", "a way around the club's filter"},
    {"proxy", "a way around the club's filter"},
    {"vpn", "a way around the club's filter"},
    {"residential-proxies", "a way around the club's filter"},
    {"doh", "a way around the club's filter"},
    {"dynamic-dns", "a way around the club's filter"},
    {"remote-control", "controlling a computer from far away"},
    {"chat", "chatting with strangers"},
    {"social_networks", "social media"},
    {"forums", "online forums"},
    {"mail", "online forums"},
    {"webmail", "email"},
    {"blog", "blogs"},
    {"games", "games"},
    {"educational_games", "games"},
    {"audio-video", "videos and music"},
    {"radio", "online radio"},
    {"manga", "cartoons and comics"},
    {"celebrity", "celebrity gossip"},
    {"fakenews", "news that is not true"},
    {"sect", "groups that pressure people to join"},
    {"associations_religieuses", "religious groups"},
    {"astrology", "horoscopes"},
    {"shopping", "shopping"},
    {"financial", "money and investing"},
    {"bank", "banking"},
    {"bitcoin", "crypto money"},
    {"mobile-phone", "phone ringtones and apps"},
    {"tricheur", "cheating in tests"},
    {"tricheur_pix", "cheating in tests"},
    {"examen_pix", "tests for school"},
    {"warez", "copied films, music or games"},
    {"filehosting", "sharing files"},
    {"download", "downloading programs"},
    {"update", "updating programs"},
    {"cleaning", "cleaning up computers"},
    {"webhosting", "making websites"},
    {"shortener", "short links that hide where they go"},
    {"translation", "translating"},
    {"jobsearch", "finding a job"},
    {"press", "the news"},
    {"sports", "sport"},
    {"cooking", "cooking"},
    {"ai", "AI chatbots"},
    {"child", "sites for children"},
}};

}  // namespace

std::string_view categoryWords(std::string_view category) noexcept {
  for (const auto& [name, words] : kWords) {
    if (name == category) return words;
  }
  return kUnknownCategoryWords;
}

}  // namespace clubsafe::agent::notices
