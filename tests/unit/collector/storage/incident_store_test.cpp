#include "tests/unit/collector/storage/store_test.hpp"

#include <Poco/Data/Session.h>

#include <algorithm>

namespace clubsafe::collector::store_test {
namespace {

using Reason = IncidentRefused::Reason;

const std::string kHostile = "<img src=x onerror=alert(1)> & \"quotes\" </td>";

NewIncident bullying() {
  return {.category = "cyberbullying",
          .title = "Messages about Sam in a group chat",
          .involved = {.members = {"sam", "alex"},
                       .staff = {"Jo (youth worker)"},
                       .laptops = {"dev_a"},
                       .events = {{"dev_a", 4}},
                       .alerts = {7}},
          .reviewDate = "2027-01-15",
          .openedBy = "dee",
          .openedAt = kNow,
          .firstEntry = "Sam told Jo about the messages."};
}

class IncidentStoreTest : public StoreTest {
 protected:
  IncidentStore& incidents() { return stores().incidents; }

  Incident read(std::int64_t id) {
    auto incident = incidents().findIncident(id);
    if (!incident) throw std::logic_error("no such incident");
    return *incident;
  }

  // What the database says to a statement that tries to change the record by hand.
  std::string refusalOf(const std::string& sql) {
    try {
      test_.sqlite.database().write("change the record by hand", [&](Poco::Data::Session& session) {
        session << sql, Poco::Data::Keywords::now;
      });
    } catch (const std::runtime_error& error) {
      return error.what();
    }
    return "";
  }

  static Reason reasonOf(const std::function<void()>& change) {
    try {
      change();
    } catch (const IncidentRefused& refused) {
      return refused.reason();
    }
    throw std::logic_error("the change was not refused");
  }
};

TEST_F(IncidentStoreTest, AnOpenedIncidentReadsBackWithItsChronology) {
  auto opened = bullying();
  opened.title = kHostile;
  const auto id = incidents().openIncident(opened);
  const auto incident = read(id);

  EXPECT_EQ(incident.summary.category, "cyberbullying");
  EXPECT_EQ(incident.summary.title, kHostile);  // kept as text, as typed
  EXPECT_EQ(incident.summary.reviewDate, "2027-01-15");
  EXPECT_TRUE(incident.summary.held);
  EXPECT_FALSE(incident.summary.closedAt);
  EXPECT_EQ(incident.involved.members, (std::vector<std::string>{"alex", "sam"}));
  EXPECT_EQ(incident.involved.staff, std::vector<std::string>{"Jo (youth worker)"});
  EXPECT_EQ(incident.involved.laptops, std::vector<std::string>{"dev_a"});
  EXPECT_EQ(incident.involved.events, (std::vector<LinkedEvent>{{"dev_a", 4}}));
  EXPECT_EQ(incident.involved.alerts, std::vector<std::int64_t>{7});
  ASSERT_EQ(incident.chronology.size(), 2U);
  EXPECT_TRUE(incident.chronology[0].automatic);
  EXPECT_EQ(incident.chronology[0].text, "Incident opened: Cyberbullying. " + kHostile);
  EXPECT_FALSE(incident.chronology[1].automatic);
  EXPECT_EQ(incident.chronology[1].author, "dee");
  EXPECT_EQ(incident.chronology[1].text, "Sam told Jo about the messages.");
  EXPECT_EQ(incidents().countIncidents().open, 1);
  EXPECT_EQ(incidents().listIncidents().front().id, id);
}

TEST_F(IncidentStoreTest, BadValuesAreRefusedAndChangeNothing) {
  auto wrongCategory = bullying();
  wrongCategory.category = "gossip";
  EXPECT_EQ(reasonOf([&] { (void)incidents().openIncident(wrongCategory); }), Reason::Invalid);
  auto noTitle = bullying();
  noTitle.title = "  ";
  EXPECT_EQ(reasonOf([&] { (void)incidents().openIncident(noTitle); }), Reason::Invalid);
  auto badDay = bullying();
  badDay.reviewDate = "2027-02-30";
  EXPECT_EQ(reasonOf([&] { (void)incidents().openIncident(badDay); }), Reason::Invalid);
  EXPECT_EQ(incidents().countIncidents().open, 0);

  const auto id = incidents().openIncident(bullying());
  EXPECT_EQ(reasonOf([&] {
              (void)incidents().tickAction(
                  id, {.action = "referral_police", .tickedBy = "dee", .tickedAt = kNow});
            }),
            Reason::Invalid);  // a referral needs the agency's reference
  EXPECT_EQ(reasonOf([&] {
              (void)incidents().tickAction(
                  id, {.action = "tea_made", .tickedBy = "dee", .tickedAt = kNow});
            }),
            Reason::Invalid);
  EXPECT_EQ(reasonOf([&] {
              (void)incidents().recordSharing(id, {.shared = true,
                                                   .what = "the messages",
                                                   .withWhom = "police",
                                                   .purpose = "investigation",
                                                   .reason = "a crime may have been committed",
                                                   .decidedBy = "dee",
                                                   .decidedAt = kNow});
            }),
            Reason::Invalid);  // sharing needs a lawful basis or consent
  EXPECT_EQ(reasonOf([&] {
              (void)incidents().addEntry(id, {.time = kNow, .author = "dee", .text = " \n"});
            }),
            Reason::Invalid);
  const auto incident = read(id);
  EXPECT_TRUE(incident.ticks.empty());
  EXPECT_TRUE(incident.sharing.empty());
  EXPECT_EQ(incident.chronology.size(), 2U);
  EXPECT_EQ(reasonOf([&] {
              (void)incidents().addEntry(999, {.time = kNow, .author = "dee", .text = "x"});
            }),
            Reason::NotFound);
}

TEST_F(IncidentStoreTest, TheChecklistRecordsWhoAndWhenWithReferences) {
  const auto id = incidents().openIncident(bullying());
  (void)incidents().tickAction(id, {.action = "dsl_notified",
                                    .note = "told at 19:10",
                                    .tickedBy = "jo",
                                    .tickedAt = kNow + 1min});
  (void)incidents().tickAction(id, {.action = "referral_ceop",
                                    .reference = "CEOP-2026-" + kHostile,
                                    .tickedBy = "dee",
                                    .tickedAt = kNow + 2min});
  const auto incident = read(id);
  ASSERT_EQ(incident.ticks.size(), 2U);
  EXPECT_EQ(incident.ticks[0].action, "dsl_notified");
  EXPECT_EQ(incident.ticks[0].tickedBy, "jo");
  EXPECT_EQ(incident.ticks[0].tickedAt, kNow + 1min);
  EXPECT_EQ(incident.ticks[1].reference, "CEOP-2026-" + kHostile);
  EXPECT_EQ(incident.chronology.back().text,
            "Checklist: Report to CEOP (reference CEOP-2026-" + kHostile + ")");
  EXPECT_TRUE(incident.chronology.back().automatic);
}

TEST_F(IncidentStoreTest, DecisionsToShareAndNotToShareAreBothRecorded) {
  const auto id = incidents().openIncident(bullying());
  (void)incidents().recordSharing(id, {.shared = true,
                                       .what = "screenshots of the messages",
                                       .withWhom = "Kent Police",
                                       .purpose = "to investigate harassment",
                                       .lawfulBasis = "public task; safeguarding",
                                       .reason = "threats of violence",
                                       .decidedBy = "dee",
                                       .decidedAt = kNow});
  (void)incidents().recordSharing(id, {.shared = false,
                                       .what = "Alex's browsing history",
                                       .withWhom = "Alex's school",
                                       .purpose = "the school asked for it",
                                       .reason = "not necessary or proportionate",
                                       .decidedBy = "dee",
                                       .decidedAt = kNow + 1min});
  const auto incident = read(id);
  ASSERT_EQ(incident.sharing.size(), 2U);
  EXPECT_TRUE(incident.sharing[0].shared);
  EXPECT_EQ(incident.sharing[0].lawfulBasis, "public task; safeguarding");
  EXPECT_FALSE(incident.sharing[1].shared);
  EXPECT_EQ(incident.sharing[1].reason, "not necessary or proportionate");
  EXPECT_EQ(incident.chronology.back().text,
            "Decided not to share with Alex's school: Alex's browsing history");
}

TEST_F(IncidentStoreTest, EntriesTicksAndDecisionsCannotBeChangedOrDeleted) {
  const auto id = incidents().openIncident(bullying());
  const auto first = read(id).chronology[1].id;
  const auto correction = incidents().addEntry(id, {.time = kNow + 1min,
                                                    .author = "dee",
                                                    .text = "It was Tuesday, not Monday.",
                                                    .corrects = first});
  (void)incidents().tickAction(id,
                               {.action = "parents_informed", .tickedBy = "dee", .tickedAt = kNow});
  (void)incidents().recordSharing(id, {.shared = false,
                                       .what = "names",
                                       .withWhom = "a journalist",
                                       .purpose = "a story",
                                       .reason = "no lawful basis",
                                       .decidedBy = "dee",
                                       .decidedAt = kNow});
  const auto incident = read(id);
  EXPECT_EQ(incident.chronology.at(2).id, correction);
  EXPECT_EQ(incident.chronology.at(2).corrects, first);

  EXPECT_NE(refusalOf("UPDATE incident_entries SET text = 'changed'").find("cannot be changed"),
            std::string::npos);
  EXPECT_NE(refusalOf("DELETE FROM incident_entries").find("cannot be deleted"), std::string::npos);
  EXPECT_NE(refusalOf("UPDATE incident_action_ticks SET note = 'x'"), "");
  EXPECT_NE(refusalOf("DELETE FROM incident_action_ticks"), "");
  EXPECT_NE(refusalOf("UPDATE incident_sharing SET reason = 'x'"), "");
  EXPECT_NE(refusalOf("DELETE FROM incident_sharing"), "");
  EXPECT_NE(refusalOf("DELETE FROM incidents"), "");
  EXPECT_NE(refusalOf("UPDATE incidents SET title = 'x'"), "");
  EXPECT_NE(refusalOf("DELETE FROM incident_involved"), "");
  const auto after = read(id);
  EXPECT_EQ(after.chronology.size(), incident.chronology.size());
  EXPECT_EQ(after.chronology[1].text, "Sam told Jo about the messages.");
  EXPECT_EQ(after.ticks.size(), 1U);
  EXPECT_EQ(after.sharing.size(), 1U);
}

TEST_F(IncidentStoreTest, PeopleAndAlertsAddedLaterAreInTheChronology) {
  const auto id = incidents().openIncident(bullying());
  incidents().addInvolved(id, {.members = {"jo", "sam"}, .alerts = {9}}, "dee", kNow + 1min);
  const auto incident = read(id);
  EXPECT_EQ(incident.involved.members, (std::vector<std::string>{"alex", "jo", "sam"}));
  EXPECT_EQ(incident.involved.alerts, (std::vector<std::int64_t>{7, 9}));
  EXPECT_EQ(incident.chronology.back().text,
            "Added to the incident: young people jo, sam; alerts 9");
  EXPECT_EQ(reasonOf([&] { incidents().addInvolved(id, {}, "dee", kNow); }), Reason::Invalid);
  EXPECT_EQ(reasonOf([&] { incidents().addInvolved(id, {.staff = {" "}}, "dee", kNow); }),
            Reason::Invalid);
  EXPECT_EQ(read(id).chronology.size(), incident.chronology.size());
}

TEST_F(IncidentStoreTest, ACorrectionNamesAnEntryOfTheSameIncident) {
  const auto one = incidents().openIncident(bullying());
  const auto two = incidents().openIncident(bullying());
  const auto ofOne = read(one).chronology[1].id;
  EXPECT_EQ(reasonOf([&] {
              (void)incidents().addEntry(
                  two, {.time = kNow, .author = "dee", .text = "a fix", .corrects = ofOne});
            }),
            Reason::Invalid);
}

TEST_F(IncidentStoreTest, ClosingNeedsOutcomeAndLessonsAndThenNothingChanges) {
  const auto id = incidents().openIncident(bullying());
  EXPECT_EQ(
      reasonOf([&] {
        incidents().closeIncident(
            id, {.outcome = "Resolved", .lessonsLearnt = "", .closedBy = "dee", .closedAt = kNow});
      }),
      Reason::Invalid);
  EXPECT_FALSE(read(id).closure);

  incidents().closeIncident(id, {.outcome = "Resolved with both families",
                                 .lessonsLearnt = "Remind members how to report",
                                 .closedBy = "dee",
                                 .closedAt = kNow + 1h});
  const auto closed = read(id);
  ASSERT_TRUE(closed.closure);
  EXPECT_EQ(closed.closure->lessonsLearnt, "Remind members how to report");
  EXPECT_EQ(closed.summary.closedAt, kNow + 1h);
  EXPECT_FALSE(closed.summary.held);
  EXPECT_EQ(closed.holdReleasedAt, kNow + 1h);
  EXPECT_EQ(closed.holdReleaseReason, "the incident was closed");
  EXPECT_EQ(closed.chronology.back().text,
            "Incident closed. Outcome: Resolved with both families Lessons learnt: Remind "
            "members how to report");
  EXPECT_EQ(incidents().countIncidents().closed, 1);
  EXPECT_EQ(incidents().countIncidents().open, 0);

  EXPECT_EQ(reasonOf([&] {
              (void)incidents().addEntry(id, {.time = kNow, .author = "dee", .text = "more"});
            }),
            Reason::Closed);
  EXPECT_EQ(reasonOf([&] { incidents().releaseHold(id, "dee", kNow, "why"); }), Reason::Closed);
  EXPECT_NE(refusalOf("UPDATE incidents SET outcome = 'x'"), "");
}

TEST_F(IncidentStoreTest, AHoldIsReleasedOnceWithAReason) {
  const auto id = incidents().openIncident(bullying());
  EXPECT_EQ(reasonOf([&] { incidents().releaseHold(id, "dee", kNow, " "); }), Reason::Invalid);
  incidents().releaseHold(id, "dee", kNow + 1min, "police have taken copies");
  const auto released = read(id);
  EXPECT_FALSE(released.summary.held);
  EXPECT_EQ(released.holdReleaseReason, "police have taken copies");
  EXPECT_EQ(reasonOf([&] { incidents().releaseHold(id, "dee", kNow, "again"); }), Reason::Invalid);

  incidents().closeIncident(
      id,
      {.outcome = "done", .lessonsLearnt = "none new", .closedBy = "dee", .closedAt = kNow + 1h});
  EXPECT_EQ(read(id).holdReleaseReason, "police have taken copies");
}

}  // namespace
}  // namespace clubsafe::collector::store_test
