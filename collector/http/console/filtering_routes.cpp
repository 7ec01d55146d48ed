#include "collector/http/console/filtering_routes.hpp"

#include "collector/http/api_error.hpp"
#include "collector/http/console/console_http.hpp"
#include "collector/http/console/policy_changes.hpp"
#include "collector/http/json_io.hpp"
#include "common/category_catalogue.hpp"
#include "common/time.hpp"

#include <Poco/JSON/Array.h>

#include <set>

namespace clubsafe::collector {
namespace {

// A category's English name and one-line description; a club's own category is called by its
// id and has none.
void setCategoryText(Poco::JSON::Object& object, const std::string& id) {
  const auto* entry = common::findCategory(id);
  object.set("name", entry != nullptr ? std::string(entry->name) : id);
  object.set("description", entry != nullptr ? std::string(entry->description) : "");
}

// Every category the console can name, so a profile's categories read in English before any
// list is imported.
Poco::JSON::Array::Ptr catalogueJson() {
  Poco::JSON::Array::Ptr catalogue = new Poco::JSON::Array;
  for (const auto& entry : common::categoryCatalogue()) {
    Poco::JSON::Object::Ptr item = new Poco::JSON::Object;
    item->set("category", std::string(entry.id));
    item->set("name", std::string(entry.name));
    item->set("description", std::string(entry.description));
    catalogue->add(item);
  }
  return catalogue;
}

// A profile holds up to 2 × 10,000 domain names.
constexpr std::size_t kMaxProfileBodyBytes = 8 * 1024 * 1024;
// JSON escapes each line ending in a list as two bytes: room for that on top of the text.
constexpr std::size_t kMaxListBodyBytes = kMaxListBytes + kMaxListBytes / 4;

// The "profile" object of a request, read by the policy's own rules: an error names the field.
common::Profile profileFromBody(const Poco::JSON::Object& body) {
  if (!body.has("profile") || body.get("profile").type() != typeid(Poco::JSON::Object::Ptr)) {
    throw ApiError(400, "The field \"profile\" is missing or is not an object.");
  }
  try {
    return common::parseProfile(*body.getObject("profile"), "profile");
  } catch (const common::PolicyError& error) {
    throw ApiError(400, error.what());
  }
}

Poco::JSON::Object::Ptr filterListJson(const FilterListRecord& list) {
  Poco::JSON::Object::Ptr bad = new Poco::JSON::Object;
  std::int64_t badLines = 0;
  for (const auto& [reason, count] : list.bad) {
    bad->set(reason, count);
    badLines += count;
  }
  Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
  json->set("id", list.id);
  json->set("category", list.category);
  json->set("source", list.source);
  json->set("format", list.format);
  json->set("sha256", list.sha256);
  json->set("bytes", list.bytes);
  json->set("lines", list.lines);
  json->set("names", list.names);
  json->set("ignored", list.ignored);
  json->set("unsupported", list.unsupported);
  json->set("bad_lines", badLines);
  json->set("bad_reasons", bad);
  json->set("imported_by", list.importedBy);
  json->set("imported_at", common::formatTimestamp(list.importedAt));
  return json;
}

Poco::Dynamic::Var indexJson(const PolicyDocument& policy) {
  if (policy.indexSha256.empty()) return {};
  Poco::JSON::Object::Ptr index = new Poco::JSON::Object;
  index->set("sha256", policy.indexSha256);
  index->set("bytes", policy.indexBytes);
  return index;
}

}  // namespace

void FilteringRoutes::addTo(ConsoleRoutes& routes) {
  using enum Access;
  using Self = FilteringRoutes;
  const Roles managers(Role::Manager);
  routes.add({.method = "GET",
              .path = "filtering/categories",
              // The categories' names in English, which the dashboard's readers need too.
              .roles = Roles(Role::Manager, Role::Dsl, Role::Trustee),
              .access = Read,
              .handler = handlerOf(this, &Self::listCategories)});
  routes.add({.method = "POST",
              .path = "filtering/lists",
              .roles = managers,
              .access = Change,
              .handler = handlerOf(this, &Self::importList),
              .maxBodyBytes = kMaxListBodyBytes});
  routes.add({.method = "POST",
              .path = "filtering/lists/{}/delete",
              .roles = managers,
              .access = Change,
              .handler = handlerOf(this, &Self::deleteList)});
  routes.add({.method = "GET",
              .path = "filtering/profiles",
              .roles = managers,
              .access = Read,
              .handler = handlerOf(this, &Self::listProfiles)});
  routes.add({.method = "POST",
              .path = "filtering/profiles",
              .roles = managers,
              .access = Change,
              .handler = handlerOf(this, &Self::createProfile),
              .maxBodyBytes = kMaxProfileBodyBytes});
  routes.add({.method = "POST",
              .path = "filtering/profiles/{}",
              .roles = managers,
              .access = Change,
              .handler = handlerOf(this, &Self::updateProfile),
              .maxBodyBytes = kMaxProfileBodyBytes});
  routes.add({.method = "POST",
              .path = "filtering/profiles/{}/delete",
              .roles = managers,
              .access = Change,
              .handler = handlerOf(this, &Self::deleteProfile)});
  routes.add({.method = "POST",
              .path = "filtering/default-profile",
              .roles = managers,
              .access = Change,
              .handler = handlerOf(this, &Self::setDefaultProfile)});
}

void FilteringRoutes::listCategories(Request& request, const AuthenticatedSession&) {
  const auto policy = store_.currentPolicy();
  Poco::JSON::Array::Ptr categories = new Poco::JSON::Array;
  Poco::JSON::Object::Ptr category;
  Poco::JSON::Array::Ptr lists;
  std::int64_t names = 0;
  // Lists come sorted by category, so each category's lists are next to each other.
  for (const auto& list : store_.listFilterLists()) {
    if (category.isNull() || category->getValue<std::string>("category") != list.category) {
      category = new Poco::JSON::Object;
      lists = new Poco::JSON::Array;
      names = 0;
      category->set("category", list.category);
      setCategoryText(*category, list.category);
      category->set("lists", lists);
      categories->add(category);
    }
    names += list.names;
    category->set("names", names);
    lists->add(filterListJson(list));
  }
  Poco::JSON::Object answer;
  answer.set("policy_version", policy.version);
  answer.set("index", indexJson(policy));
  answer.set("categories", categories);
  answer.set("catalogue", catalogueJson());
  sendJson(request.response, 200, answer);
}

void FilteringRoutes::importList(Request& request, const AuthenticatedSession& session) {
  const auto body = readJsonObject(request.http);
  std::vector<ListImport> lists;
  lists.push_back({.category = requireString(*body, "category", 100),
                   .source = requireString(*body, "source", 200),
                   .format = requireString(*body, "format", 20),
                   .text = requireString(*body, "text", kMaxListBytes)});
  std::vector<FilterListRecord> imported;
  applyFilteringChange(
      [&] { imported = filtering_.importLists(lists, changeAuthor(*body, session)); });
  Poco::JSON::Object answer;
  answer.set("policy_version", store_.currentPolicy().version);
  answer.set("list", filterListJson(imported.at(0)));
  sendJson(request.response, 201, answer);
}

void FilteringRoutes::deleteList(Request& request, const AuthenticatedSession& session) {
  const auto id = idParameter(request);
  const auto body = readJsonObject(request.http);
  applyFilteringChange([&] { filtering_.deleteList(id, changeAuthor(*body, session)); });
  sendPolicyVersion(store_, request, 200);
}

void FilteringRoutes::listProfiles(Request& request, const AuthenticatedSession&) {
  const auto policy = store_.currentPolicy();
  std::set<std::string> listed;
  for (const auto& list : store_.listFilterLists()) listed.insert(list.category);
  Poco::JSON::Array::Ptr profiles = new Poco::JSON::Array;
  // Beside the profiles, not in them, so a profile is sent back exactly as it came.
  Poco::JSON::Object::Ptr withoutLists = new Poco::JSON::Object;
  for (const auto& profile : store_.listFilterProfiles()) {
    profiles->add(common::profileToJson(profile));
    // A category blocked with no list imported blocks nothing; the console says so.
    Poco::JSON::Array::Ptr empty = new Poco::JSON::Array;
    for (const auto& blocked : profile.blockedCategories) {
      if (!listed.contains(blocked)) empty->add(blocked);
    }
    withoutLists->set(profile.id, empty);
  }
  Poco::JSON::Object answer;
  answer.set("policy_version", policy.version);
  answer.set("default_profile", store_.defaultFilterProfile());
  answer.set("profiles", profiles);
  answer.set("categories_without_lists", withoutLists);
  sendJson(request.response, 200, answer);
}

void FilteringRoutes::createProfile(Request& request, const AuthenticatedSession& session) {
  const auto body = readJsonObject(request.http);
  const auto profile = profileFromBody(*body);
  applyFilteringChange([&] { filtering_.createProfile(profile, changeAuthor(*body, session)); });
  sendPolicyVersion(store_, request, 201);
}

void FilteringRoutes::updateProfile(Request& request, const AuthenticatedSession& session) {
  const auto body = readJsonObject(request.http);
  const auto profile = profileFromBody(*body);
  if (profile.id != request.pathParameters.at(0)) {
    throw ApiError(400,
                   "profile.id: a profile's id cannot be changed; make a new profile instead.");
  }
  applyFilteringChange([&] { filtering_.updateProfile(profile, changeAuthor(*body, session)); });
  sendPolicyVersion(store_, request, 200);
}

void FilteringRoutes::deleteProfile(Request& request, const AuthenticatedSession& session) {
  const auto body = readJsonObject(request.http);
  applyFilteringChange([&] {
    filtering_.deleteProfile(request.pathParameters.at(0), changeAuthor(*body, session));
  });
  sendPolicyVersion(store_, request, 200);
}

void FilteringRoutes::setDefaultProfile(Request& request, const AuthenticatedSession& session) {
  const auto body = readJsonObject(request.http);
  const auto id = requireString(*body, "profile", 100);
  applyFilteringChange([&] { filtering_.setDefaultProfile(id, changeAuthor(*body, session)); });
  sendPolicyVersion(store_, request, 200);
}

}  // namespace clubsafe::collector
