// Filtering through the real collector: lists imported on the console (and from the command
// line) become a policy and a domain index that an enrolled laptop fetches with ETags.
#include "tests/integration/harness.hpp"

#include "common/crypto.hpp"
#include "common/domain_index/domain_index.hpp"
#include "common/policy.hpp"

#include <Poco/InflatingStream.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace clubsafe::testing {
namespace {

const std::filesystem::path kUt1 = std::filesystem::path(CLUBSAFE_BLOCKLISTS_DIR) / "ut1";

std::string gunzip(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  Poco::InflatingInputStream inflated(in, Poco::InflatingStreamBuf::STREAM_GZIP);
  std::ostringstream text;
  text << inflated.rdbuf();
  return text.str();
}

std::string count(const Collector& collector, const std::string& sql) {
  return queryDatabase(collector.database(), sql)[0][0];
}

class PolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    collector_.start();
    ASSERT_EQ(agent_.enrol(collector_).status, 0);
    authorization_ = agent_.authorization();
  }

  HttpResult device(const std::string& path, const std::string& etag = "") const {
    std::map<std::string, std::string> headers{{"Authorization", authorization_}};
    if (!etag.empty()) headers["If-None-Match"] = etag;
    return httpsRequest(collector_.port(), "GET", path, "", headers);
  }

  TempDir dir_;
  Collector collector_{dir_};
  Agent agent_{dir_};
  std::string authorization_;
};

TEST_F(PolicyTest, AListImportedOnTheConsoleReachesALaptopAsPolicyAndIndex) {
  if (!std::filesystem::exists(kUt1)) GTEST_SKIP() << "no UT1 lists in " << kUt1;
  const ConsoleClient console(collector_);

  // Before any list: the seeded profiles, no index.
  const auto first = device("/api/device/v1/policy");
  ASSERT_EQ(first.status, 200) << first.body;
  const auto seeded = common::parsePolicy(first.body);
  EXPECT_EQ(seeded.defaultProfile, "juniors");
  EXPECT_FALSE(seeded.index.has_value());
  const auto noIndex = device("/api/device/v1/index");
  EXPECT_EQ(noIndex.status, 404);
  EXPECT_NE(parseObject(noIndex.body)->getValue<std::string>("error").find("filter lists"),
            std::string::npos);

  // UT1's aggressive-sites list: 360 lines, 93 of them IP addresses.
  const auto text = gunzip(kUt1 / "agressif.domains.gz");
  Poco::JSON::Object import;
  import.set("category", "agressif");
  import.set("source", "ut1/agressif");
  import.set("format", "ut1");
  import.set("text", text);
  import.set("reason", "Violent sites are in our safeguarding policy");
  const auto imported = console.post("/api/console/filtering/lists", toJson(import));
  ASSERT_EQ(imported.status, 201) << imported.body;
  const auto list = parseObject(imported.body)->getObject("list");
  EXPECT_EQ(list->getValue<int>("names"), 267);
  EXPECT_EQ(list->getValue<int>("bad_lines"), 93);
  EXPECT_EQ(list->getValue<std::string>("sha256"), common::sha256Hex(text));

  // The policy changed: the old ETag gets the new document, whose ETag then answers 304.
  const auto policy = device("/api/device/v1/policy", first.headers.at("ETag"));
  ASSERT_EQ(policy.status, 200);
  EXPECT_EQ(policy.headers.at("ETag"), '"' + common::sha256Hex(policy.body) + '"');
  EXPECT_EQ(device("/api/device/v1/policy", policy.headers.at("ETag")).status, 304);
  const auto published = common::parsePolicy(policy.body);
  EXPECT_EQ(published.version, seeded.version + 1);
  ASSERT_TRUE(published.index.has_value());

  // The index is the file the policy names, whole.
  const auto index = device("/api/device/v1/index");
  ASSERT_EQ(index.status, 200);
  EXPECT_EQ(index.headers.at("Content-Type"), "application/octet-stream");
  EXPECT_EQ(common::sha256Hex(index.body), published.index->sha256);
  EXPECT_EQ(index.body.size(), published.index->bytes);
  EXPECT_EQ(index.headers.at("ETag"), '"' + published.index->sha256 + '"');
  EXPECT_EQ(device("/api/device/v1/index", index.headers.at("ETag")).status, 304);
  const auto loaded = common::domain_index::DomainIndex::fromBytes(index.body);
  // The first line that is a name (UT1 lists hold IP addresses too).
  std::istringstream lines(text);
  std::string firstName;
  while (std::getline(lines, firstName) &&
         firstName.find_first_of("abcdefghijklmnopqrstuvwxyz") == std::string::npos) {
  }
  const auto category = loaded->findCategory("agressif");
  ASSERT_TRUE(category.has_value());
  EXPECT_TRUE(loaded->lookup("www." + firstName).categories.test(*category)) << firstName;
  // The filter self-test's name for the category is one of the list's that this index blocks.
  ASSERT_EQ(published.index->testNames.size(), 1u);
  const auto& testName = published.index->testNames.at("agressif");
  EXPECT_NE(("\n" + text).find("\n" + testName + "\n"), std::string::npos) << testName;
  const auto testMatch = loaded->lookup(testName);
  EXPECT_TRUE(testMatch.categories.test(*category)) << testName;
  EXPECT_FALSE(testMatch.allowed) << testName;

  // A laptop that is not enrolled gets neither.
  EXPECT_EQ(httpsRequest(collector_.port(), "GET", "/api/device/v1/index").status, 401);

  // The console lists the category with its source.
  const auto categories = console.get("/api/console/filtering/categories");
  ASSERT_EQ(categories.status, 200);
  const auto listed = parseObject(categories.body)->getArray("categories")->getObject(0);
  EXPECT_EQ(listed->getValue<std::string>("category"), "agressif");
  EXPECT_EQ(listed->getArray("lists")->getObject(0)->getValue<std::string>("source"),
            "ut1/agressif");

  const auto audit =
      queryDatabase(collector_.database(),
                    "SELECT actor, reason FROM audit_log WHERE action = 'filter_list.import'");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0][0], "manager");
  EXPECT_EQ(audit[0][1], "Violent sites are in our safeguarding policy");
}

// A UK manager reads categories in English, and a blocked category with no list is called out.
TEST_F(PolicyTest, CategoriesAreNamedInEnglishAndOnesWithoutAListAreCalledOut) {
  const ConsoleClient console(collector_);
  ASSERT_EQ(console.importClubList("agressif", "fight-club.example\n").status, 201);

  const auto categories = parseObject(console.get("/api/console/filtering/categories").body);
  const auto imported = categories->getArray("categories")->getObject(0);
  EXPECT_EQ(imported->getValue<std::string>("category"), "agressif");
  EXPECT_EQ(imported->getValue<std::string>("name"), "Violence and hate");
  EXPECT_FALSE(imported->getValue<std::string>("description").empty());
  bool drugsNamed = false;
  const auto catalogue = categories->getArray("catalogue");
  for (std::size_t i = 0; i < catalogue->size(); ++i) {
    const auto entry = catalogue->getObject(static_cast<unsigned>(i));
    drugsNamed |= entry->getValue<std::string>("category") == "drogue" &&
                  entry->getValue<std::string>("name") == "Drugs";
  }
  EXPECT_TRUE(drugsNamed);

  const auto profiles = parseObject(console.get("/api/console/filtering/profiles").body);
  const auto juniors = profiles->getArray("profiles")->getObject(0);
  const auto blocked = juniors->getArray("blocked_categories");
  const auto withoutLists = profiles->getObject("categories_without_lists")
                                ->getArray(juniors->getValue<std::string>("id"));
  std::set<std::string> expected;
  for (std::size_t i = 0; i < blocked->size(); ++i) {
    const auto category = blocked->getElement<std::string>(static_cast<unsigned>(i));
    if (category != "agressif") expected.insert(category);
  }
  std::set<std::string> reported;
  for (std::size_t i = 0; i < withoutLists->size(); ++i) {
    reported.insert(withoutLists->getElement<std::string>(static_cast<unsigned>(i)));
  }
  EXPECT_FALSE(expected.empty());
  EXPECT_EQ(reported, expected);
}

TEST_F(PolicyTest, ChangesWithoutAReasonOrAgainstThePolicyRulesChangeNothing) {
  const ConsoleClient console(collector_);
  const auto profiles = console.get("/api/console/filtering/profiles");
  ASSERT_EQ(profiles.status, 200);
  auto juniors = parseObject(profiles.body)->getArray("profiles")->getObject(0);
  ASSERT_EQ(juniors->getValue<std::string>("id"), "juniors");
  juniors->set("safe_search", "off");

  const auto versionBefore = count(collector_, "SELECT MAX(version) FROM policy_documents");
  const auto auditBefore = count(collector_, "SELECT COUNT(*) FROM audit_log");
  const auto profilesBefore =
      queryDatabase(collector_.database(), "SELECT * FROM filter_profiles ORDER BY id");

  Poco::JSON::Object change;
  change.set("profile", juniors);
  const auto noReason = console.post("/api/console/filtering/profiles/juniors", toJson(change));
  EXPECT_EQ(noReason.status, 400) << noReason.body;
  EXPECT_NE(parseObject(noReason.body)->getValue<std::string>("error").find("why"),
            std::string::npos);

  change.set("reason", "   ");
  EXPECT_EQ(console.post("/api/console/filtering/profiles/juniors", toJson(change)).status, 400);

  change.set("reason", "Testing a bad allow entry");
  Poco::JSON::Array::Ptr allow = new Poco::JSON::Array;
  allow->add("not a domain!");
  juniors->set("allow", allow);
  const auto badDomain = console.post("/api/console/filtering/profiles/juniors", toJson(change));
  EXPECT_EQ(badDomain.status, 400);
  EXPECT_NE(parseObject(badDomain.body)->getValue<std::string>("error").find("profile.allow[0]"),
            std::string::npos)
      << badDomain.body;

  Poco::JSON::Object deleteDefault;
  deleteDefault.set("reason", "Tidying up");
  EXPECT_EQ(
      console.post("/api/console/filtering/profiles/juniors/delete", toJson(deleteDefault)).status,
      400);
  Poco::JSON::Object noList;
  noList.set("category", "gambling");
  noList.set("source", "club");
  noList.set("format", "plain");
  noList.set("text", "1.2.3.4\nhttp://casino.example/\n");
  noList.set("reason", "Testing");
  EXPECT_EQ(console.post("/api/console/filtering/lists", toJson(noList)).status, 400);

  EXPECT_EQ(count(collector_, "SELECT MAX(version) FROM policy_documents"), versionBefore);
  EXPECT_EQ(count(collector_, "SELECT COUNT(*) FROM audit_log"), auditBefore);
  EXPECT_EQ(queryDatabase(collector_.database(), "SELECT * FROM filter_profiles ORDER BY id"),
            profilesBefore);
  EXPECT_EQ(count(collector_, "SELECT COUNT(*) FROM filter_lists"), "0");

  // The same change with a reason and valid fields is made, and recorded with who and why.
  juniors->set("allow", Poco::JSON::Array::Ptr(new Poco::JSON::Array));
  change.set("reason", "Juniors use the library's own filtered search");
  const auto made = console.post("/api/console/filtering/profiles/juniors", toJson(change));
  ASSERT_EQ(made.status, 200) << made.body;
  EXPECT_EQ(parseObject(made.body)->getValue<int>("policy_version"), std::stoi(versionBefore) + 1);
  const auto audit = queryDatabase(collector_.database(),
                                   "SELECT actor, action, target, reason FROM audit_log "
                                   "ORDER BY id DESC LIMIT 1");
  EXPECT_EQ(audit[0], (std::vector<std::string>{"manager", "profile.update", "juniors",
                                                "Juniors use the library's own filtered search"}));
  const auto policy = common::parsePolicy(device("/api/device/v1/policy").body);
  EXPECT_EQ(policy.findProfile("juniors")->safeSearch, common::SafeSearchLevel::Off);
}

TEST(PolicyCommandLine, ImportListLoadsUt1CategoriesAuditedAsSystem) {
  if (!std::filesystem::exists(kUt1)) GTEST_SKIP() << "no UT1 lists in " << kUt1;
  TempDir dir;
  Collector collector(dir);
  std::vector<std::string> arguments{"import-list", "--ut1-dir", kUt1.string(), "--categories",
                                     "gambling,vpn"};
  const auto settings = collector.settings();
  arguments.insert(arguments.end(), settings.begin(), settings.end());
  const auto imported = runCommand(collectorBinary(), arguments);
  ASSERT_EQ(imported.status, 0) << imported.output;
  EXPECT_NE(imported.output.find("gambling/ut1/gambling: 32233 names"), std::string::npos)
      << imported.output;

  auto unknown = arguments;
  unknown[4] = "violence";  // UT1 calls it agressif
  const auto refused = runCommand(collectorBinary(), unknown);
  EXPECT_NE(refused.status, 0);
  EXPECT_NE(refused.output.find("agressif"), std::string::npos) << refused.output;

  collector.start();
  Agent agent(dir);
  ASSERT_EQ(agent.enrol(collector).status, 0);
  const std::string authorization = "Bearer " + agent.deviceId() + "." + agent.deviceSecret();
  const auto policy =
      common::parsePolicy(httpsRequest(collector.port(), "GET", "/api/device/v1/policy", "",
                                       {{"Authorization", authorization}})
                              .body);
  ASSERT_TRUE(policy.index.has_value());
  const auto index = httpsRequest(collector.port(), "GET", "/api/device/v1/index", "",
                                  {{"Authorization", authorization}});
  EXPECT_EQ(common::sha256Hex(index.body), policy.index->sha256);
  // Every category imported has a test name the served index blocks in that category.
  const auto loaded = common::domain_index::DomainIndex::fromBytes(index.body);
  EXPECT_EQ(policy.index->testNames.size(), loaded->categories().size());
  for (const auto& [category, name] : policy.index->testNames) {
    const auto id = loaded->findCategory(category);
    ASSERT_TRUE(id.has_value()) << category;
    EXPECT_TRUE(loaded->lookup(name).categories.test(*id)) << category << ": " << name;
  }
  EXPECT_EQ(queryDatabase(collector.database(),
                          "SELECT actor FROM audit_log WHERE action = 'filter_list.import'"),
            (std::vector<std::vector<std::string>>{{"system"}}));
  collector.stop();
}

}  // namespace
}  // namespace clubsafe::testing
