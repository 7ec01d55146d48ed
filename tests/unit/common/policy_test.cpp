#include "common/policy.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <sstream>
#include <string>

namespace clubsafe::common {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// The example of docs/POLICY.md.
constexpr std::string_view kExample = R"json({
  "format": 1,
  "policy_version": 12,
  "index": {"sha256": "9f2c000000000000000000000000000000000000000000000000000000000abc", "bytes": 5861243,
            "test_names": {"adult": "example-adult.com", "gambling": "casino.example"}},
  "default_profile": "juniors",
  "profiles": [
    {
      "id": "juniors",
      "name": "Juniors (8 to 12)",
      "age_bands": ["8-12"],
      "blocked_categories": ["adult", "gambling", "violence"],
      "allow": ["bbc.co.uk"],
      "block": ["example.org"],
      "safe_search": "strict",
      "schedule": [
        {"days": ["mon", "tue", "wed", "thu", "fri"], "from": "16:00", "to": "21:00"},
        {"days": ["sat"], "from": "10:00", "to": "16:00"}
      ]
    },
    {
      "id": "staff",
      "name": "Staff",
      "age_bands": ["staff", "18-25"],
      "blocked_categories": [],
      "allow": [],
      "block": [],
      "safe_search": "off",
      "schedule": []
    }
  ],
  "notice": {
    "club_name": "Westgate Youth Project",
    "paragraphs": ["This laptop keeps a record of the apps you use and the websites you visit.",
                   "You can ask a youth worker about it at any time."],
    "policy_url": "https://westgate.example/online-safety.pdf",
    "version": "9de1b4e147bb8f89"
  },
  "workers": [
    {"name": "Sam", "pin_hash": "scrypt$15$8$1$GrgR+RRNV0NswsiQZsPxAA==$wzNEq6wKeKN0l06qAZafz3TOuJJ8RAk7Jp6UNUaqQhQ="}
  ]
})json";

Object::Ptr exampleJson() {
  return Poco::JSON::Parser().parse(std::string(kExample)).extract<Object::Ptr>();
}

Object::Ptr noticeOf(Object& root) {
  return root.getObject("notice");
}

Object::Ptr profileAt(const Object& root, unsigned i) {
  return root.getArray("profiles")->getObject(i);
}

std::string text(const Object::Ptr& root) {
  std::ostringstream out;
  root->stringify(out);
  return out.str();
}

// The field path of the error parsing the example after `change`; empty when it parses.
std::string brokenField(const std::function<void(Object&)>& change) {
  auto root = exampleJson();
  change(*root);
  try {
    (void)parsePolicy(text(root));
  } catch (const PolicyError& error) {
    EXPECT_EQ(std::string(error.what()).rfind(error.field() + ": ", 0), 0u) << error.what();
    return error.field();
  }
  return {};
}

std::string brokenProfileField(const std::function<void(Object&)>& change) {
  return brokenField([&](Object& root) { change(*root.getArray("profiles")->getObject(0)); });
}

std::string brokenNoticeField(const std::function<void(Object&)>& change) {
  return brokenField([&](Object& root) { change(*noticeOf(root)); });
}

Object::Ptr workerJson(const std::string& name) {
  auto worker = exampleJson()->getArray("workers")->getObject(0);
  worker->set("name", name);
  return worker;
}

Array::Ptr strings(std::initializer_list<std::string> items) {
  Array::Ptr array = new Array;
  for (const auto& item : items) array->add(item);
  return array;
}

TEST(Policy, ParsesTheDocumentedExample) {
  const auto policy = parsePolicy(kExample);
  EXPECT_EQ(policy.version, 12);
  ASSERT_TRUE(policy.index.has_value());
  EXPECT_EQ(policy.index->bytes, 5861243u);
  EXPECT_EQ(policy.index->testNames,
            (std::map<std::string, std::string>{{"adult", "example-adult.com"},
                                                {"gambling", "casino.example"}}));
  EXPECT_EQ(policy.defaultProfile, "juniors");
  ASSERT_EQ(policy.profiles.size(), 2u);
  const auto& juniors = policy.profiles[0];
  EXPECT_EQ(juniors.name, "Juniors (8 to 12)");
  EXPECT_EQ(juniors.blockedCategories, (std::vector<std::string>{"adult", "gambling", "violence"}));
  EXPECT_EQ(juniors.allow, std::vector<std::string>{"bbc.co.uk"});
  EXPECT_EQ(juniors.block, std::vector<std::string>{"example.org"});
  EXPECT_EQ(juniors.safeSearch, SafeSearchLevel::Strict);
  ASSERT_EQ(juniors.schedule.size(), 2u);
  EXPECT_EQ(juniors.schedule[0].days.to_string(), "0011111");  // bit 0 is Monday
  EXPECT_EQ(juniors.schedule[0].fromMinute, 16 * 60);
  EXPECT_EQ(juniors.schedule[0].toMinute, 21 * 60);
  EXPECT_EQ(juniors.schedule[1].days.to_string(), "0100000");
  EXPECT_EQ(policy.profiles[1].safeSearch, SafeSearchLevel::Off);
  EXPECT_TRUE(policy.profiles[1].schedule.empty());
  ASSERT_TRUE(policy.notice.has_value());
  EXPECT_EQ(policy.notice->clubName, "Westgate Youth Project");
  EXPECT_EQ(policy.notice->paragraphs.size(), 2u);
  EXPECT_EQ(policy.notice->policyUrl, "https://westgate.example/online-safety.pdf");
  EXPECT_EQ(policy.notice->version, noticeVersion(*policy.notice));
  ASSERT_EQ(policy.workers.size(), 1u);
  EXPECT_EQ(policy.workers[0].name, "Sam");
  EXPECT_TRUE(policy.workers[0].pinHash.starts_with("scrypt$15$8$1$"));
}

TEST(Policy, NoticeAndWorkersAreOptionalAndLeftOutWhenAbsent) {
  auto root = exampleJson();
  root->remove("notice");
  root->remove("workers");
  const auto policy = parsePolicy(text(root));
  EXPECT_FALSE(policy.notice.has_value());
  EXPECT_TRUE(policy.workers.empty());
  const auto json = serialisePolicy(policy);
  EXPECT_EQ(json.find("notice"), std::string::npos) << json;
  EXPECT_EQ(json.find("workers"), std::string::npos) << json;
  EXPECT_EQ(parsePolicy(json), policy);

  // An empty list of workers is a club without any, the same policy as one without the field.
  root->set("workers", Array::Ptr(new Array));
  EXPECT_EQ(parsePolicy(text(root)), policy);
}

TEST(Policy, TheNoticeHasAClubNameOneToTwentyParagraphsAnAddressAndAVersion) {
  EXPECT_EQ(brokenNoticeField([](Object& notice) { notice.set("club_name", ""); }),
            "notice.club_name");
  EXPECT_EQ(
      brokenNoticeField([](Object& notice) { notice.set("club_name", std::string(101, 'a')); }),
      "notice.club_name");
  EXPECT_EQ(
      brokenNoticeField([](Object& notice) { notice.set("club_name", std::string(100, 'a')); }),
      "");
  EXPECT_EQ(
      brokenNoticeField([](Object& notice) { notice.set("paragraphs", Array::Ptr(new Array)); }),
      "notice.paragraphs");
  EXPECT_EQ(brokenNoticeField([](Object& notice) {
              Array::Ptr many = new Array;
              for (int i = 0; i < 21; ++i) many->add("Words.");
              notice.set("paragraphs", many);
            }),
            "notice.paragraphs");
  EXPECT_EQ(brokenNoticeField([](Object& notice) {
              notice.set("paragraphs", strings({"Fine.", std::string(601, 'a')}));
            }),
            "notice.paragraphs[1]");
  EXPECT_EQ(brokenNoticeField(
                [](Object& notice) { notice.set("paragraphs", strings({std::string(600, 'a')})); }),
            "");
  EXPECT_EQ(brokenNoticeField([](Object& notice) { notice.set("paragraphs", strings({""})); }),
            "notice.paragraphs[0]");
  EXPECT_EQ(
      brokenNoticeField([](Object& notice) { notice.set("paragraphs", strings({"Two\nlines."})); }),
      "notice.paragraphs[0]");
  EXPECT_EQ(brokenNoticeField([](Object& notice) { notice.set("version", ""); }), "notice.version");
  EXPECT_EQ(brokenNoticeField([](Object& notice) { notice.set("version", std::string(65, 'a')); }),
            "notice.version");
}

TEST(Policy, ThePolicyAddressIsEmptyOrAWebAddress) {
  for (const auto* good : {"", "http://club.example", "https://club.example/policy.pdf?v=2#top",
                           "https://10.0.0.5:8443/p"}) {
    EXPECT_EQ(brokenNoticeField([&](Object& notice) { notice.set("policy_url", good); }), "")
        << good;
  }
  for (const auto* bad : {"javascript:alert(1)", "ftp://club.example/p", "https://", "https:///p",
                          "club.example/policy", "https://club.example/a b",
                          "https://club.example/\"onmouseover=x", "HTTPS://club.example"}) {
    EXPECT_EQ(brokenNoticeField([&](Object& notice) { notice.set("policy_url", bad); }),
              "notice.policy_url")
        << bad;
  }
  EXPECT_EQ(brokenNoticeField([](Object& notice) {
              notice.set("policy_url", "https://club.example/" + std::string(280, 'p'));
            }),
            "notice.policy_url");
}

Object::Ptr memberJson(const std::string& name, const std::string& band) {
  Object::Ptr member = new Object;
  member->set("name", name);
  member->set("age_band", band);
  return member;
}

TEST(Policy, MembersOfTheRegisterHaveOneEntryEachAndABandAProfileGives) {
  const auto withMembers = [](std::vector<Object::Ptr> members) {
    return brokenField([&](Object& root) {
      Array::Ptr list = new Array;
      for (const auto& member : members) list->add(member);
      root.set("members", list);
    });
  };
  EXPECT_EQ(withMembers({memberJson("Amira", "8-12"), memberJson("K7", "18-25")}), "");
  EXPECT_EQ(withMembers({memberJson("Amira", "8-12"), memberJson(" amira ", "18-25")}),
            "members[1].name");
  EXPECT_EQ(withMembers({memberJson("Amira", "staff")}), "members[0].age_band");
  EXPECT_EQ(withMembers({memberJson("Amira", "13-15")}), "members[0].age_band");
  EXPECT_EQ(withMembers({memberJson("", "8-12")}), "members[0].name");
  EXPECT_EQ(withMembers({memberJson("A\nB", "8-12")}), "members[0].name");
  EXPECT_EQ(brokenField([](Object& root) { root.set("members", "Amira"); }), "members");

  auto root = exampleJson();
  Array::Ptr list = new Array;
  list->add(memberJson("Zoë", "8-12"));
  root->set("members", list);
  std::ostringstream text;
  root->stringify(text);
  const auto policy = parsePolicy(text.str());
  ASSERT_EQ(policy.members.size(), 1U);
  EXPECT_EQ(policy.members[0], (Member{"Zoë", "8-12"}));
  EXPECT_EQ(parsePolicy(serialisePolicy(policy)), policy);
}

TEST(Policy, AMembersKeyIgnoresCaseAndExtraSpacesInAnyScript) {
  EXPECT_EQ(memberKey("  Amira   K "), "amira k");
  EXPECT_EQ(memberKey("ZOË"), memberKey("zoë"));
  EXPECT_EQ(memberKey("ŁUKASZ"), "łukasz");
  EXPECT_NE(memberKey("Amira"), memberKey("Amina"));
  EXPECT_EQ(memberKey(""), "");
}

TEST(Policy, WorkersHaveUniqueShortNamesAndAPinHash) {
  EXPECT_EQ(brokenField([](Object& root) { root.set("workers", "Sam"); }), "workers");
  EXPECT_EQ(brokenField([](Object& root) { root.getArray("workers")->add(workerJson("Sam")); }),
            "workers[1].name");
  EXPECT_EQ(brokenField([](Object& root) { root.getArray("workers")->add(workerJson("Alex")); }),
            "");
  EXPECT_EQ(brokenField([](Object& root) { root.getArray("workers")->set(0, workerJson("")); }),
            "workers[0].name");
  EXPECT_EQ(brokenField([](Object& root) {
              root.getArray("workers")->set(0, workerJson(std::string(41, 'a')));
            }),
            "workers[0].name");
  for (const auto* bad :
       {"", "480271", "scrypt$15$8$1$c2FsdA==$aGFzaA==",
        "scrypt$30$8$1$GrgR+RRNV0NswsiQZsPxAA==$wzNEq6wKeKN0l06qAZafz3TOuJJ8RAk7Jp6UNUaqQhQ="}) {
    EXPECT_EQ(brokenField([&](Object& root) {
                root.getArray("workers")->getObject(0)->set("pin_hash", bad);
              }),
              "workers[0].pin_hash")
        << bad;
  }
  EXPECT_EQ(brokenField([](Object& root) {
              Array::Ptr many = new Array;
              for (int i = 0; i <= 100; ++i) many->add(workerJson("worker " + std::to_string(i)));
              root.set("workers", many);
            }),
            "workers");
  auto policy = parsePolicy(kExample);
  policy.workers.push_back(policy.workers[0]);
  try {
    validatePolicy(policy);
    ADD_FAILURE();
  } catch (const PolicyError& error) {
    EXPECT_EQ(error.field(), "workers[1].name");
  }
}

TEST(Policy, TheNoticeVersionFollowsTheTextAndNothingElse) {
  const auto notice = *parsePolicy(kExample).notice;
  const auto version = noticeVersion(notice);
  EXPECT_EQ(version.size(), 16u);
  EXPECT_EQ(version.find_first_not_of("0123456789abcdef"), std::string::npos) << version;

  auto same = notice;
  same.version = version;
  EXPECT_EQ(noticeVersion(same), version) << "the version is not part of the text it names";
  for (const auto& change : std::vector<std::function<void(NoticeText&)>>{
           [](NoticeText& n) { n.clubName += "!"; }, [](NoticeText& n) { n.paragraphs[1] += " "; },
           [](NoticeText& n) { n.paragraphs.pop_back(); },
           [](NoticeText& n) { std::swap(n.paragraphs[0], n.paragraphs[1]); },
           [](NoticeText& n) { n.policyUrl.clear(); }}) {
    auto changed = notice;
    change(changed);
    EXPECT_NE(noticeVersion(changed), version);
  }
  // Paragraph borders count: two paragraphs are not the one that joins them.
  auto joined = notice;
  joined.paragraphs = {notice.paragraphs[0] + notice.paragraphs[1]};
  EXPECT_NE(noticeVersion(joined), version);
}

TEST(Policy, SerialisesToWhatItParses) {
  const auto policy = parsePolicy(kExample);
  const auto again = parsePolicy(serialisePolicy(policy));
  EXPECT_EQ(again, policy);

  auto withoutIndex = policy;
  withoutIndex.index.reset();
  const auto json = serialisePolicy(withoutIndex);
  EXPECT_NE(json.find("\"index\":null"), std::string::npos) << json;
  EXPECT_EQ(parsePolicy(json), withoutIndex);
}

TEST(Policy, FindsProfilesByIdAndAgeBand) {
  const auto policy = parsePolicy(kExample);
  EXPECT_EQ(policy.findProfile("staff"), &policy.profiles[1]);
  EXPECT_EQ(policy.findProfile("seniors"), nullptr);
  EXPECT_EQ(policy.profileForAgeBand("8-12"), &policy.profiles[0]);
  EXPECT_EQ(policy.profileForAgeBand("18-25"), &policy.profiles[1]);
  EXPECT_EQ(policy.profileForAgeBand("13-15"), nullptr);
}

TEST(Policy, ADocumentWithoutFormatIsNoPolicyYet) {
  EXPECT_FALSE(parsePublishedPolicy(R"({"policy_version":1})").has_value());
  EXPECT_EQ(parsePublishedPolicy(kExample)->version, 12);
  EXPECT_THROW((void)parsePublishedPolicy("[1]"), PolicyError);
  EXPECT_THROW((void)parsePolicy(R"({"policy_version":1})"), PolicyError);
}

TEST(Policy, RefusesWhatIsNotAJsonObject) {
  for (const auto* bad : {"", "{", "[]", "null", "12", "{\"format\":1,}"}) {
    try {
      (void)parsePolicy(bad);
      ADD_FAILURE() << bad;
    } catch (const PolicyError& error) {
      EXPECT_EQ(error.field(), "document") << bad;
    }
  }
}

TEST(Policy, FormatMustBeOne) {
  EXPECT_EQ(brokenField([](Object& root) { root.set("format", 2); }), "format");
  EXPECT_EQ(brokenField([](Object& root) { root.set("format", "1"); }), "format");
  EXPECT_EQ(brokenField([](Object& root) { root.remove("format"); }), "document");
}

TEST(Policy, VersionIsAWholeNumberOfOneOrMore) {
  EXPECT_EQ(brokenField([](Object& root) { root.set("policy_version", 0); }), "policy_version");
  EXPECT_EQ(brokenField([](Object& root) { root.set("policy_version", 1.5); }), "policy_version");
  EXPECT_EQ(brokenField([](Object& root) { root.set("policy_version", true); }), "policy_version");
  EXPECT_EQ(brokenField([](Object& root) { root.set("policy_version", 1); }), "");
}

TEST(Policy, IndexIsNullOrAHashAndASize) {
  EXPECT_EQ(brokenField([](Object& root) { root.set("index", Poco::Dynamic::Var()); }), "");
  EXPECT_EQ(brokenField([](Object& root) { root.remove("index"); }), "document");
  EXPECT_EQ(brokenField([](Object& root) { root.set("index", "abc"); }), "index");
  const auto withIndex = [](const std::string& sha, std::int64_t bytes) {
    return brokenField([&](Object& root) {
      Object::Ptr index = new Object;
      index->set("sha256", sha);
      index->set("bytes", bytes);
      root.set("index", index);
    });
  };
  const std::string good(64, 'a');
  EXPECT_EQ(withIndex(good, 1), "");
  EXPECT_EQ(withIndex(std::string(64, 'A'), 1), "index.sha256");
  EXPECT_EQ(withIndex(std::string(63, 'a'), 1), "index.sha256");
  EXPECT_EQ(withIndex(std::string(64, 'g'), 1), "index.sha256");
  EXPECT_EQ(withIndex(good, 0), "index.bytes");
  EXPECT_EQ(brokenField([](Object& root) { root.getObject("index")->set("extra", 1); }), "index");
}

TEST(Policy, TestNamesAreOptionalCategoriesToDomains) {
  // A document from a collector older than the self-test has none.
  const auto withoutTestNames = [] {
    auto root = exampleJson();
    root->getObject("index")->remove("test_names");
    return parsePolicy(text(root));
  }();
  ASSERT_TRUE(withoutTestNames.index.has_value());
  EXPECT_TRUE(withoutTestNames.index->testNames.empty());
  EXPECT_EQ(parsePolicy(serialisePolicy(withoutTestNames)), withoutTestNames);

  const auto withName = [](const std::string& category, const Poco::Dynamic::Var& domain) {
    return brokenField([&](Object& root) {
      root.getObject("index")->getObject("test_names")->set(category, domain);
    });
  };
  EXPECT_EQ(withName("malware", std::string("virus.example")), "");
  EXPECT_EQ(withName("Malware", std::string("virus.example")), "index.test_names");
  EXPECT_EQ(withName("", std::string("virus.example")), "index.test_names");
  EXPECT_EQ(withName(std::string(kMaxCategoryNameLength + 1, 'a'), std::string("virus.example")),
            "index.test_names");
  EXPECT_EQ(withName("malware", std::string("Virus.example")), "index.test_names.malware");
  EXPECT_EQ(withName("malware", std::string("virus..example")), "index.test_names.malware");
  EXPECT_EQ(withName("malware", std::string("")), "index.test_names.malware");
  EXPECT_EQ(withName("malware", 7), "index.test_names");
  EXPECT_EQ(brokenField([](Object& root) { root.getObject("index")->set("test_names", "x"); }),
            "index.test_names");

  const auto withCount = [](std::size_t count) {
    return brokenField([&](Object& root) {
      Object::Ptr names = new Object;
      for (std::size_t i = 0; i < count; ++i) names->set("c" + std::to_string(i), "a.example");
      root.getObject("index")->set("test_names", names);
    });
  };
  EXPECT_EQ(withCount(kMaxTestNames), "");
  EXPECT_EQ(withCount(kMaxTestNames + 1), "index.test_names");

  auto policy = parsePolicy(kExample);
  policy.index->testNames["bad category"] = "a.example";
  EXPECT_THROW(validatePolicy(policy), PolicyError);
}

TEST(Policy, DefaultProfileMustNameAProfile) {
  EXPECT_EQ(brokenField([](Object& root) { root.set("default_profile", "seniors"); }),
            "default_profile");
  EXPECT_EQ(brokenField([](Object& root) { root.set("default_profile", "staff"); }), "");
}

TEST(Policy, HoldsOneToFiftyProfiles) {
  EXPECT_EQ(brokenField([](Object& root) { root.set("profiles", Array::Ptr(new Array)); }),
            "profiles");
  const auto withCount = [](unsigned count) {
    return brokenField([count](Object& root) {
      const auto first = profileAt(root, 0);
      Array::Ptr profiles = new Array;
      for (unsigned i = 0; i < count; ++i) {
        Object::Ptr copy = new Object(*first);
        copy->set("id", "p" + std::to_string(i));
        copy->set("age_bands", Array::Ptr(new Array));
        profiles->add(copy);
      }
      root.set("default_profile", "p0");
      root.set("profiles", profiles);
    });
  };
  EXPECT_EQ(withCount(50), "");
  EXPECT_EQ(withCount(51), "profiles");
}

TEST(Policy, ProfileIdsAreShortTokensAndUnique) {
  const auto withId = [](const std::string& id) {
    return brokenProfileField([&](Object& profile) { profile.set("id", id); });
  };
  EXPECT_EQ(withId(std::string(40, 'a')), "default_profile");  // valid, but no longer the default
  EXPECT_EQ(withId(""), "profiles[0].id");
  EXPECT_EQ(withId(std::string(41, 'a')), "profiles[0].id");
  EXPECT_EQ(withId("Juniors"), "profiles[0].id");
  EXPECT_EQ(withId("jun iors"), "profiles[0].id");
  EXPECT_EQ(brokenField([](Object& root) { profileAt(root, 1)->set("id", "juniors"); }),
            "profiles[1].id");
}

TEST(Policy, NamesAreOneToAHundredCharacters) {
  const auto withName = [](const std::string& name) {
    return brokenProfileField([&](Object& profile) { profile.set("name", name); });
  };
  std::string hundredPoundSigns;
  for (int i = 0; i < 100; ++i) hundredPoundSigns += "\xC2\xA3";  // two bytes each
  EXPECT_EQ(withName(hundredPoundSigns), "");
  EXPECT_EQ(withName(hundredPoundSigns + "x"), "profiles[0].name");
  EXPECT_EQ(withName(""), "profiles[0].name");
  EXPECT_EQ(withName("Juniors\nEvil"), "profiles[0].name");
}

TEST(Policy, AgeBandsAreTokensGivenToOneProfileEach) {
  const auto withBands = [](Array::Ptr bands) {
    return brokenProfileField([&](Object& profile) { profile.set("age_bands", bands); });
  };
  EXPECT_EQ(withBands(strings({})), "");
  EXPECT_EQ(withBands(strings({"13-15", "16-18"})), "");
  EXPECT_EQ(withBands(strings({"8 to 12"})), "profiles[0].age_bands[0]");
  EXPECT_EQ(withBands(strings({"ok", std::string(21, 'a')})), "profiles[0].age_bands[1]");
  EXPECT_EQ(withBands(strings({"8-12", "staff"})), "profiles[1].age_bands[0]");
  EXPECT_EQ(withBands(strings({"8-12", "8-12"})), "profiles[0].age_bands[1]");
}

TEST(Policy, BlockedCategoriesAreTokens) {
  const auto withCategories = [](Array::Ptr categories) {
    return brokenProfileField(
        [&](Object& profile) { profile.set("blocked_categories", categories); });
  };
  EXPECT_EQ(withCategories(strings({"dangerous_material", "iwf"})), "");
  EXPECT_EQ(withCategories(strings({"adult", "Gambling"})), "profiles[0].blocked_categories[1]");
  EXPECT_EQ(withCategories(strings({std::string(41, 'a')})), "profiles[0].blocked_categories[0]");
  EXPECT_EQ(withCategories(strings({""})), "profiles[0].blocked_categories[0]");
}

TEST(Policy, AllowAndBlockHoldNormalisedDomains) {
  for (const std::string key : {"allow", "block"}) {
    const auto withDomains = [&](Array::Ptr domains) {
      return brokenProfileField([&](Object& profile) { profile.set(key, domains); });
    };
    const auto first = "profiles[0]." + key + "[0]";
    EXPECT_EQ(withDomains(strings({"bbc.co.uk", "x_y.example"})), "");
    EXPECT_EQ(withDomains(strings({"BBC.co.uk"})), first);
    EXPECT_EQ(withDomains(strings({"bbc.co.uk."})), first);
    EXPECT_EQ(withDomains(strings({"bbc..co.uk"})), first);
    EXPECT_EQ(withDomains(strings({"192.168.1.1"})), first);
    EXPECT_EQ(withDomains(strings({"https://bbc.co.uk/news"})), first);
    EXPECT_EQ(withDomains(strings({""})), first);
    Array::Ptr many = new Array;
    for (int i = 0; i <= 10'000; ++i) many->add("d" + std::to_string(i) + ".example");
    EXPECT_EQ(withDomains(many), "profiles[0]." + key);
    many->remove(0);
    EXPECT_EQ(withDomains(many), "");
  }
}

TEST(Policy, SafeSearchIsStrictModerateOrOff) {
  const auto withLevel = [](const std::string& level) {
    return brokenProfileField([&](Object& profile) { profile.set("safe_search", level); });
  };
  EXPECT_EQ(withLevel("moderate"), "");
  EXPECT_EQ(withLevel("Strict"), "profiles[0].safe_search");
  EXPECT_EQ(withLevel(""), "profiles[0].safe_search");
}

TEST(Policy, ScheduleEntriesNameDaysAndAnIntervalWithinOneDay) {
  const auto withEntry = [](Array::Ptr days, const std::string& from, const std::string& to) {
    return brokenProfileField([&](Object& profile) {
      Object::Ptr entry = new Object;
      entry->set("days", days);
      entry->set("from", from);
      entry->set("to", to);
      Array::Ptr schedule = new Array;
      schedule->add(entry);
      profile.set("schedule", schedule);
    });
  };
  const auto days = strings({"sun"});
  EXPECT_EQ(withEntry(days, "00:00", "23:59"), "");
  EXPECT_EQ(withEntry(days, "09:00", "09:01"), "");
  EXPECT_EQ(withEntry(strings({}), "09:00", "10:00"), "profiles[0].schedule[0].days");
  EXPECT_EQ(withEntry(strings({"mon", "Tue"}), "09:00", "10:00"),
            "profiles[0].schedule[0].days[1]");
  EXPECT_EQ(withEntry(strings({"mon", "mon"}), "09:00", "10:00"),
            "profiles[0].schedule[0].days[1]");
  EXPECT_EQ(withEntry(days, "10:00", "10:00"), "profiles[0].schedule[0].to");
  EXPECT_EQ(withEntry(days, "22:00", "02:00"), "profiles[0].schedule[0].to");
  EXPECT_EQ(withEntry(days, "9:00", "10:00"), "profiles[0].schedule[0].from");
  EXPECT_EQ(withEntry(days, "09:60", "10:00"), "profiles[0].schedule[0].from");
  EXPECT_EQ(withEntry(days, "09:00", "24:00"), "profiles[0].schedule[0].to");
  EXPECT_EQ(withEntry(days, "09:00", "1a:00"), "profiles[0].schedule[0].to");
  EXPECT_EQ(brokenProfileField([](Object& profile) {
              profile.getArray("schedule")->getObject(0)->set("until", "10:00");
            }),
            "profiles[0].schedule[0]");
}

TEST(Policy, EveryFieldIsRequiredAndNoOtherIsAllowed) {
  for (const auto* key : {"policy_version", "index", "default_profile", "profiles"}) {
    EXPECT_EQ(brokenField([&](Object& root) { root.remove(key); }), "document") << key;
  }
  for (const auto* key : {"id", "name", "age_bands", "blocked_categories", "allow", "block",
                          "safe_search", "schedule"}) {
    EXPECT_EQ(brokenProfileField([&](Object& profile) { profile.remove(key); }), "profiles[0]")
        << key;
  }
  EXPECT_EQ(brokenField([](Object& root) { root.set("comment", "x"); }), "document");
  EXPECT_EQ(brokenProfileField([](Object& profile) { profile.set("colour", "red"); }),
            "profiles[0]");
  for (const auto* key : {"club_name", "paragraphs", "policy_url", "version"}) {
    EXPECT_EQ(brokenNoticeField([&](Object& notice) { notice.remove(key); }), "notice") << key;
  }
  EXPECT_EQ(brokenNoticeField([](Object& notice) { notice.set("colour", "red"); }), "notice");
  for (const auto* key : {"name", "pin_hash"}) {
    EXPECT_EQ(
        brokenField([&](Object& root) { root.getArray("workers")->getObject(0)->remove(key); }),
        "workers[0]")
        << key;
  }
  EXPECT_EQ(brokenField(
                [](Object& root) { root.getArray("workers")->getObject(0)->set("pin", "480271"); }),
            "workers[0]");
}

TEST(Policy, WrongTypesNameTheirField) {
  EXPECT_EQ(brokenProfileField([](Object& profile) { profile.set("id", 7); }), "profiles[0].id");
  EXPECT_EQ(brokenProfileField([](Object& profile) { profile.set("allow", "bbc.co.uk"); }),
            "profiles[0].allow");
  EXPECT_EQ(brokenProfileField([](Object& profile) {
              Array::Ptr mixed = new Array;
              mixed->add("ok.example");
              mixed->add(3);
              profile.set("block", mixed);
            }),
            "profiles[0].block[1]");
  EXPECT_EQ(brokenProfileField([](Object& profile) { profile.set("schedule", "always"); }),
            "profiles[0].schedule");
  EXPECT_EQ(brokenField([](Object& root) { root.getArray("profiles")->set(0, "juniors"); }),
            "profiles[0]");
  EXPECT_EQ(brokenField([](Object& root) { root.set("notice", "Be safe"); }), "notice");
  EXPECT_EQ(brokenNoticeField([](Object& notice) { notice.set("paragraphs", "One."); }),
            "notice.paragraphs");
  EXPECT_EQ(brokenNoticeField([](Object& notice) {
              Array::Ptr mixed = new Array;
              mixed->add("One.");
              mixed->add(2);
              notice.set("paragraphs", mixed);
            }),
            "notice.paragraphs[1]");
  EXPECT_EQ(brokenNoticeField([](Object& notice) { notice.set("club_name", 7); }),
            "notice.club_name");
  EXPECT_EQ(brokenField([](Object& root) { root.getArray("workers")->set(0, "Sam"); }),
            "workers[0]");
}

TEST(Policy, OneProfileIsValidatedOnItsOwn) {
  auto juniors = profileAt(*exampleJson(), 0);
  const auto profile = parseProfile(*juniors);
  EXPECT_EQ(profile.id, "juniors");
  EXPECT_EQ(parseProfile(text(juniors)), profile);

  juniors->set("allow", strings({"Bad.Example"}));
  try {
    (void)parseProfile(*juniors);
    ADD_FAILURE();
  } catch (const PolicyError& error) {
    EXPECT_EQ(error.field(), "profile.allow[0]");
    EXPECT_NE(std::string(error.what()).find("bad.example"), std::string::npos) << error.what();
  }

  auto built = profile;
  built.schedule[0].toMinute = built.schedule[0].fromMinute;
  try {
    validateProfile(built, "juniors");
    ADD_FAILURE();
  } catch (const PolicyError& error) {
    EXPECT_EQ(error.field(), "juniors.schedule[0].to");
  }
  built = profile;
  built.schedule[0].days.reset();
  EXPECT_THROW(validateProfile(built), PolicyError);
}

TEST(Policy, SafeSearchLevelsHaveOneNameEach) {
  for (const auto level :
       {SafeSearchLevel::Off, SafeSearchLevel::Moderate, SafeSearchLevel::Strict}) {
    EXPECT_EQ(parseSafeSearchLevel(safeSearchLevelName(level)), level);
  }
  EXPECT_FALSE(parseSafeSearchLevel("on").has_value());
}

}  // namespace
}  // namespace clubsafe::common
