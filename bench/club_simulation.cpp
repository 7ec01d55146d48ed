#include "bench/club_simulation.hpp"

#include "common/time.hpp"

#include <array>
#include <cmath>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace clubsafe::bench {
namespace {

using namespace std::chrono_literals;
using common::Event;
using common::EventType;
using common::Timestamp;

struct Weighted {
  std::string_view name;
  int weight;
};

constexpr std::array kApps{
    Weighted{"firefox-esr", 40},
    Weighted{"chromium", 15},
    Weighted{"libreoffice", 10},
    Weighted{"minecraft-launcher", 10},
    Weighted{"scratch-desktop", 8},
    Weighted{"gimp", 5},
    Weighted{"code", 4},
    Weighted{"vlc", 4},
    Weighted{"org.gnome.Nautilus", 4},
};
constexpr std::array<std::string_view, 12> kPopularSites{
    "www.google.com",  "www.youtube.com",   "www.bbc.co.uk",          "en.wikipedia.org",
    "scratch.mit.edu", "www.minecraft.net", "www.roblox.com",         "docs.google.com",
    "www.spotify.com", "www.twitch.tv",     "www.bbc.co.uk/bitesize", "www.canva.com"};
constexpr std::array<std::string_view, 8> kBlockedCategories{
    "gambling", "adult", "games", "social_networks", "chat", "dating", "violence", "malware"};
constexpr std::array<std::string_view, 10> kSearches{
    "minecraft seeds",     "how to draw a dragon", "fractions homework help", "football scores",
    "scratch game ideas",  "best pizza near me",   "how do volcanoes work",   "funny cat videos",
    "gcse maths revision", "roblox codes"};
constexpr std::array<std::string_view, 3> kAgeBands{"under-13", "13-15", "16-18"};
constexpr int kLongTailSites = 5000;

Poco::JSON::Object::Ptr payload(
    std::initializer_list<std::pair<std::string, Poco::Dynamic::Var>> fields) {
  Poco::JSON::Object::Ptr object = new Poco::JSON::Object;
  for (const auto& [name, value] : fields) object->set(name, value);
  return object;
}

// One laptop: its own sequence numbers and the batch it is filling.
class Laptop {
 public:
  Laptop(std::string id, const ClubShape& shape, SimulationCounts& counts,
         const std::function<void(common::Batch&&)>& deliver)
      : id_(std::move(id)), shape_(shape), counts_(counts), deliver_(deliver) {}

  void add(EventType type, Timestamp time, Poco::JSON::Object::Ptr body) {
    Event event;
    event.deviceId = id_;
    event.sequence = ++sequence_;
    event.time = time;
    event.osUser = type == EventType::Heartbeat || type == EventType::FilterSelfTest ? "" : "club";
    event.member = member_;
    event.profile = profile_;
    event.type = type;
    event.payload = std::move(body);
    pending_.push_back(std::move(event));
    if (pending_.size() >= shape_.batchEvents) flush();
  }

  void signIn(std::string member, std::string profile) {
    member_ = std::move(member);
    profile_ = std::move(profile);
  }
  void signOut() {
    member_.clear();
    profile_ = "default";
  }

  void flush() {
    if (pending_.empty()) return;
    common::Batch batch;
    batch.header.deviceId = id_;
    batch.events = std::move(pending_);
    pending_.clear();
    counts_.events += batch.events.size();
    counts_.batches += 1;
    deliver_(std::move(batch));
  }

 private:
  std::string id_;
  const ClubShape& shape_;
  SimulationCounts& counts_;
  const std::function<void(common::Batch&&)>& deliver_;
  std::int64_t sequence_ = 0;
  std::string member_;
  std::string profile_ = "default";
  std::vector<Event> pending_;
};

class Evening {
 public:
  Evening(Laptop& laptop, std::mt19937_64& random, const ClubShape& shape, std::size_t laptopIndex)
      : laptop_(laptop), random_(random), shape_(shape), laptopIndex_(laptopIndex) {}

  void run(Timestamp midnight) {
    const Timestamp on = midnight + std::chrono::minutes(shape_.opensMinute) - 10min;
    const Timestamp off = midnight + std::chrono::minutes(shape_.closesMinute) + 10min;
    for (Timestamp t = on; t < off; t += 60s) heartbeat(t, on);
    for (Timestamp t = on + 1min; t < off; t += 1h) selfTest(t);
    Timestamp t = on + 10min + std::chrono::minutes(uniform(0, 20));
    while (t < off - 25min)
      t = session(t, std::min(off - 5min, t + std::chrono::minutes(uniform(20, 70))));
    if (chance(0.01)) {
      laptop_.add(EventType::Override, on + 30min,
                  payload({{"scope", "site"},
                           {"target", blockedSite()},
                           {"minutes", 30},
                           {"reason", "Research for a homework project"},
                           {"worker", "Sam"}}));
    }
    if (chance(0.002)) {
      laptop_.add(
          EventType::Tamper, on + 45min,
          payload({{"kind", "resolver_changed"}, {"detail", "/etc/resolv.conf was changed"}}));
    }
  }

 private:
  int uniform(int from, int to) { return std::uniform_int_distribution<int>(from, to)(random_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(random_); }

  std::string site() {
    if (chance(0.6))
      return std::string(
          kPopularSites[static_cast<std::size_t>(uniform(0, kPopularSites.size() - 1))]);
    // A long tail: a few sites often, most rarely.
    const double u = std::uniform_real_distribution<double>(0, 1)(random_);
    return "site" + std::to_string(static_cast<int>(std::pow(u, 3) * kLongTailSites)) +
           ".example.org";
  }
  std::string_view blockedCategory() {
    return kBlockedCategories[static_cast<std::size_t>(uniform(0, kBlockedCategories.size() - 1))];
  }
  std::string blockedSite() {
    return std::string(blockedCategory()) + "-" + std::to_string(uniform(1, 200)) + ".example.net";
  }

  std::string_view app() {
    int pick = uniform(0, 99);
    for (const auto& entry : kApps) {
      if ((pick -= entry.weight) < 0) return entry.name;
    }
    return kApps.front().name;
  }

  void heartbeat(Timestamp t, Timestamp on) {
    const auto uptime = std::chrono::duration_cast<std::chrono::seconds>(t - on).count();
    laptop_.add(EventType::Heartbeat, t,
                payload({{"uptime_seconds", uptime},
                         {"queue_depth", 0},
                         {"agent_version", laptopIndex_ % 10 == 0 ? "0.8.2" : "0.9.0"}}));
  }

  void selfTest(Timestamp t) {
    Poco::JSON::Array::Ptr failures = new Poco::JSON::Array;
    const bool passed = !chance(0.01);
    if (!passed) failures->add("gambling");
    laptop_.add(EventType::FilterSelfTest, t,
                payload({{"passed", passed}, {"failures", failures}}));
  }

  Timestamp session(Timestamp start, Timestamp end);
  void browseMinute(Timestamp minute);

  Laptop& laptop_;
  std::mt19937_64& random_;
  const ClubShape& shape_;
  std::size_t laptopIndex_;
  int sessionNumber_ = 0;
};

Timestamp Evening::session(Timestamp start, Timestamp end) {
  const std::string id = "s" + std::to_string(++sessionNumber_);
  const std::string member = "member" + std::to_string(uniform(1, shape_.members));
  const auto band = kAgeBands[static_cast<std::size_t>(uniform(0, kAgeBands.size() - 1))];
  laptop_.add(EventType::Session, start, payload({{"action", "login"}, {"session_id", id}}));
  laptop_.add(EventType::NoticeAcknowledged, start + 20s,
              payload({{"acknowledged", !chance(0.04)}, {"notice_version", "5f2a9c0d41e7b836"}}));
  laptop_.signIn(member, band == "under-13" ? "juniors" : "default");
  laptop_.add(EventType::MemberSignIn, start + 40s,
              payload({{"age_band", std::string(band)}, {"method", "name"}}));
  Timestamp t = start + 1min;
  while (t < end) {
    const auto application = app();
    const Timestamp stretchEnd = std::min(end, t + std::chrono::minutes(uniform(1, 10)));
    const bool browsing = application == "firefox-esr" || application == "chromium";
    for (Timestamp minute = t; minute < stretchEnd; minute += 1min) {
      if (browsing) browseMinute(minute);
    }
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(stretchEnd - t).count();
    laptop_.add(EventType::AppUsage, stretchEnd,
                payload({{"application", std::string(application)},
                         {"seconds", seconds},
                         {"started", common::formatTimestamp(t)}}));
    t = stretchEnd;
  }
  if (chance(0.003)) {
    laptop_.add(EventType::SafeguardingAlert, end - 2min,
                payload({{"category", "bullying"},
                         {"severity", 3},
                         {"phrase", "everyone hates you"},
                         {"context", "search"},
                         {"source", "search_term"}}));
  }
  laptop_.add(EventType::MemberSignOut, end, payload({{"reason", "signed out"}}));
  laptop_.signOut();
  laptop_.add(EventType::Session, end + 10s, payload({{"action", "logout"}, {"session_id", id}}));
  return end + std::chrono::minutes(uniform(1, 10));
}

void Evening::browseMinute(Timestamp minute) {
  const std::string minuteText = common::formatTimestamp(minute);
  const int domains = uniform(3, 8);
  for (int i = 0; i < domains; ++i) {
    const std::string domain = site();
    laptop_.add(EventType::DnsDecision, minute + 50s,
                payload({{"domain", domain},
                         {"action", "allowed"},
                         {"minute", minuteText},
                         {"count", uniform(1, 20)}}));
    if (i == 0) {
      laptop_.add(EventType::BrowserVisit, minute + 5s,
                  payload({{"browser", "firefox"},
                           {"url", "https://" + domain + "/page" + std::to_string(uniform(1, 50))},
                           {"title", "A page about " + domain},
                           {"visited", common::formatTimestamp(minute + 5s)}}));
    }
  }
  if (chance(0.08)) {
    const auto terms = kSearches[static_cast<std::size_t>(uniform(0, kSearches.size() - 1))];
    laptop_.add(EventType::SearchTerm, minute + 20s,
                payload({{"engine", "google"},
                         {"terms", std::string(terms)},
                         {"searched", common::formatTimestamp(minute + 20s)}}));
  }
  if (chance(0.03)) {
    const auto category = blockedCategory();
    const std::string domain =
        std::string(category) + "-" + std::to_string(uniform(1, 200)) + ".example.net";
    laptop_.add(EventType::DnsDecision, minute + 50s,
                payload({{"domain", domain},
                         {"action", "blocked"},
                         {"category", std::string(category)},
                         {"minute", minuteText},
                         {"count", uniform(1, 4)}}));
    laptop_.add(EventType::BlockNotice, minute + 30s,
                payload({{"domain", domain}, {"category", std::string(category)}}));
    if (chance(0.05)) {
      laptop_.add(EventType::ReviewRequest, minute + 45s,
                  payload({{"domain", domain},
                           {"category", std::string(category)},
                           {"message", "I need this for my homework"}}));
    }
  }
}

}  // namespace

SimulationCounts simulateClub(const ClubShape& shape,
                              const std::function<void(common::Batch&&)>& deliver) {
  SimulationCounts counts;
  std::mt19937_64 random(shape.seed);
  std::vector<Laptop> laptops;
  laptops.reserve(static_cast<std::size_t>(shape.laptops));
  for (int i = 0; i < shape.laptops; ++i) {
    laptops.emplace_back("laptop-" + std::to_string(i + 1), shape, counts, deliver);
  }
  const std::function<Timestamp(std::chrono::sys_days)> midnight =
      shape.localMidnight ? shape.localMidnight
                          : [](std::chrono::sys_days day) { return Timestamp(day); };
  for (int day = 0; day < shape.weeks * 7; ++day) {
    if (((shape.eveningDays >> (day % 7)) & 1U) == 0) continue;
    const auto date = shape.firstDay + std::chrono::days(day);
    for (std::size_t i = 0; i < laptops.size(); ++i) {
      // Not every laptop is used every evening.
      if (std::bernoulli_distribution(0.1)(random)) continue;
      Evening(laptops[i], random, shape, i).run(midnight(date));
    }
  }
  for (auto& laptop : laptops) laptop.flush();
  return counts;
}

}  // namespace clubsafe::bench
