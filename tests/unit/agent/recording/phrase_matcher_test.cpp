#include "agent/recording/phrase_matcher.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <set>
#include <string>
#include <thread>

namespace clubsafe::agent::recording {
namespace {

PhraseMatcher matcherFor(std::string_view libraryText) {
  PhraseLibrary library;
  library.addText(libraryText, "test.txt");
  EXPECT_TRUE(library.problems().empty()) << library.problems().front().describe();
  return PhraseMatcher(library);
}

std::vector<std::string> phrasesIn(const PhraseMatcher& matcher, std::string_view text) {
  std::vector<std::string> phrases;
  for (const auto& hit : matcher.match(text)) phrases.push_back(hit.phrase);
  return phrases;
}

using Phrases = std::vector<std::string>;

// A word of `size` letters with no letter three times in a row (which would be read once).
std::string notRepeated(std::size_t size) {
  std::string word;
  for (std::size_t i = 0; i < size; ++i) word.push_back(i % 2 == 0 ? 'x' : 'y');
  return word;
}

const PhraseMatcher& starter() {
  static const PhraseMatcher matcher = [] {
    PhraseLibrary library;
    library.addStarterLibraries();
    return PhraseMatcher(library);
  }();
  return matcher;
}

TEST(PhraseMatcherTest, AHitCarriesCategorySeverityPhraseAndWhereItIs) {
  const auto matcher = matcherFor("category: self-harm\n5 want to die\n");
  const std::string_view text = "why do I WANT to die?";
  const auto hits = matcher.match(text);
  ASSERT_EQ(hits.size(), 1U);
  EXPECT_EQ(hits[0].category, "self-harm");
  EXPECT_EQ(hits[0].severity, 5);
  EXPECT_EQ(hits[0].phrase, "want to die");
  EXPECT_EQ(text.substr(hits[0].offset, hits[0].length), "WANT to die");
  EXPECT_EQ(hits[0].context, text);
}

TEST(PhraseMatcherTest, WholeWordsOnly) {
  const auto matcher = matcherFor("category: weapons-violence\n5 kill\n4 gun\n");
  EXPECT_EQ(phrasesIn(matcher, "skill"), Phrases{});
  EXPECT_EQ(phrasesIn(matcher, "killer kills skilled"), Phrases{});
  EXPECT_EQ(phrasesIn(matcher, "begun gunner"), Phrases{});
  EXPECT_EQ(phrasesIn(matcher, "kill"), Phrases{"kill"});
  EXPECT_EQ(phrasesIn(matcher, "(kill)"), Phrases{"kill"});
  EXPECT_EQ(phrasesIn(matcher, "to-kill-a"), Phrases{"kill"});
  EXPECT_EQ(phrasesIn(matcher, "KILL!"), Phrases{"kill"});
  EXPECT_EQ(phrasesIn(matcher, "a gun, a kill"), (Phrases{"gun", "kill"}));
}

TEST(PhraseMatcherTest, WildcardsStayInsideOneWord) {
  const auto matcher = matcherFor(
      "category: self-harm\n"
      "5 kill* myself\n"
      "4 *cide\n"
      "4 sui*ide\n"
      "5 how many * to overdose\n");
  EXPECT_EQ(phrasesIn(matcher, "killing myself"), Phrases{"kill* myself"});
  EXPECT_EQ(phrasesIn(matcher, "kill myself"), Phrases{"kill* myself"});
  EXPECT_EQ(phrasesIn(matcher, "killed myself"), Phrases{"kill* myself"});
  EXPECT_EQ(phrasesIn(matcher, "kill them myself"), Phrases{});  // * is not a word gap
  EXPECT_EQ(phrasesIn(matcher, "skilling myself"), Phrases{});   // still a word start
  EXPECT_EQ(phrasesIn(matcher, "homicide"), Phrases{"*cide"});
  EXPECT_EQ(phrasesIn(matcher, "suicide"), (Phrases{"*cide", "sui*ide"}));
  EXPECT_EQ(phrasesIn(matcher, "cide"), Phrases{"*cide"});  // * may be empty
  EXPECT_EQ(phrasesIn(matcher, "how many pills to overdose"), Phrases{"how many * to overdose"});
  EXPECT_EQ(phrasesIn(matcher, "how many to overdose"), Phrases{});  // a lone * is one word
  EXPECT_EQ(phrasesIn(matcher, "how many big pills to overdose"), Phrases{});
  // A wildcard covers at most PhrasePattern::kMaxWildcardBytes characters.
  EXPECT_EQ(phrasesIn(matcher, "kill" + notRepeated(24) + " myself"), Phrases{"kill* myself"});
  EXPECT_EQ(phrasesIn(matcher, "kill" + notRepeated(25) + " myself"), Phrases{});
}

TEST(PhraseMatcherTest, ExclusionsCoverTheSameSpanInTheSameCategory) {
  const auto matcher = matcherFor(
      "category: weapons-violence\n"
      "3 kill\n"
      "3 shoot*\n"
      "except kill time\n"
      "except shoot* a video\n"
      "category: other\n"
      "2 time\n");
  EXPECT_EQ(phrasesIn(matcher, "waiting to kill time"), Phrases{"time"});
  EXPECT_EQ(phrasesIn(matcher, "how to shoot a video on a phone"), Phrases{});
  EXPECT_EQ(phrasesIn(matcher, "shooting a video"), Phrases{});
  EXPECT_EQ(phrasesIn(matcher, "shoot a person"), Phrases{"shoot*"});
  // The first occurrence is excluded, the second is not, and it is the one reported.
  const std::string_view text = "kill time then kill";
  const auto hits = matcher.match(text);
  ASSERT_EQ(hits.size(), 2U);
  EXPECT_EQ(hits[0].phrase, "time");
  EXPECT_EQ(hits[1].phrase, "kill");
  EXPECT_EQ(hits[1].offset, text.rfind("kill"));
}

TEST(PhraseMatcherTest, ExclusionsDoNotReachOtherCategories) {
  const auto matcher = matcherFor(
      "category: a\n3 kill\nexcept kill time\n"
      "category: b\n4 kill\n");
  const auto hits = matcher.match("kill time");
  ASSERT_EQ(hits.size(), 1U);
  EXPECT_EQ(hits[0].category, "b");
}

TEST(PhraseMatcherTest, CaseAccentsLeetAndPunctuationAreSeenThrough) {
  const auto matcher = matcherFor("category: self-harm\n5 kill* myself\n4 self harm\n");
  EXPECT_EQ(phrasesIn(matcher, "KILL MYSELF"), Phrases{"kill* myself"});
  EXPECT_EQ(phrasesIn(matcher, "k1ll mys3lf"), Phrases{"kill* myself"});
  EXPECT_EQ(phrasesIn(matcher, "kill... myself"), Phrases{"kill* myself"});
  EXPECT_EQ(phrasesIn(matcher, "self-harm"), Phrases{"self harm"});
  EXPECT_EQ(phrasesIn(matcher, "self_harm"), Phrases{"self harm"});
  EXPECT_EQ(phrasesIn(matcher, "s\xC3\xA9lf harm"), Phrases{"self harm"});
  EXPECT_EQ(phrasesIn(matcher, "self\xE2\x80\x94harm"), Phrases{"self harm"});
  EXPECT_EQ(phrasesIn(matcher, "https://example.com/blog/self-harm-recovery"),
            Phrases{"self harm"});
}

TEST(PhraseMatcherTest, UnicodeTextAroundAHitIsKeptWhole) {
  const auto matcher = matcherFor("category: self-harm\n5 want to die\n");
  std::string text;
  for (int i = 0; i < 100; ++i) text += "\xC3\xA9";  // é
  text += " want to die ";
  for (int i = 0; i < 100; ++i) text += "\xE6\x97\xA5";  // 日
  const auto hits = matcher.match(text);
  ASSERT_EQ(hits.size(), 1U);
  const auto& context = hits[0].context;
  // 60 characters either side: 59 é and the space before, the space and 59 日 after.
  std::string expected;
  for (int i = 0; i < 59; ++i) expected += "\xC3\xA9";
  expected += " want to die ";
  for (int i = 0; i < 59; ++i) expected += "\xE6\x97\xA5";
  EXPECT_EQ(context, expected);
  // Non-English letters are part of words: no match inside them.
  EXPECT_EQ(phrasesIn(matcher, "\xC3\xB0want to die"), Phrases{});  // ð folds to d
  EXPECT_EQ(phrasesIn(matcher, "\xE6\x97\xA5want to die"), Phrases{});
  EXPECT_EQ(phrasesIn(matcher, "\xE6\x97\xA5 want to die"), Phrases{"want to die"});
}

TEST(PhraseMatcherTest, ContextIsBoundedAndValidUtf8) {
  const auto matcher = matcherFor("category: self-harm\n5 kill myself\n");
  std::string text = std::string(1000, 'a') + " kill" + std::string(5000, '!') + "myself \xFF\xFE" +
                     std::string(1000, 'b');
  const auto hits = matcher.match(text);
  ASSERT_EQ(hits.size(), 1U);
  EXPECT_LE(hits[0].context.size(), PhraseMatcher::kMaxContextBytes);
  EXPECT_EQ(hits[0].context.substr(0, 60), std::string(59, 'a') + " ");
  EXPECT_EQ(hits[0].offset, 1001U);
  EXPECT_EQ(hits[0].length, 4U + 5000U + 6U);

  const auto bad = matcher.match("\xFF kill myself \xC3");
  ASSERT_EQ(bad.size(), 1U);
  EXPECT_EQ(bad[0].context, "\xEF\xBF\xBD kill myself \xEF\xBF\xBD");
}

TEST(PhraseMatcherTest, EmptyAndHugeTexts) {
  const auto matcher = matcherFor("category: self-harm\n5 want to die\n");
  EXPECT_TRUE(matcher.match("").empty());
  EXPECT_TRUE(matcher.match(" ").empty());
  EXPECT_TRUE(matcher.match(std::string_view("\0\0\0", 3)).empty());

  std::string huge(PhraseMatcher::kMaxTextBytes - 100, 'x');
  huge += " want to die ";
  huge += std::string(3 * PhraseMatcher::kMaxTextBytes, 'y');
  huge += " want to die ";  // past the limit: not looked at
  const auto start = std::chrono::steady_clock::now();
  const auto hits = matcher.match(huge);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(hits.size(), 1U);
  EXPECT_EQ(hits[0].offset, PhraseMatcher::kMaxTextBytes - 99);
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

TEST(PhraseMatcherTest, AtMostOneHitPerPhraseAndABoundedNumber) {
  std::string library = "category: many\n";
  for (int i = 0; i < 40; ++i) library += "3 word" + std::to_string(i) + "x\n";
  const auto matcher = matcherFor(library);
  std::string text;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 40; ++i) text += " word" + std::to_string(i) + "x";
  }
  const auto hits = matcher.match(text);
  ASSERT_EQ(hits.size(), PhraseMatcher::kMaxHits);
  EXPECT_EQ(hits[0].phrase, "word0x");
  EXPECT_EQ(hits[1].phrase, "word1x");
}

TEST(PhraseMatcherTest, OverlappingPhrasesAllHit) {
  const auto matcher =
      matcherFor("category: c\n3 he said\n3 said she\n3 she sells\n3 sells sea shells\n3 hells\n");
  EXPECT_EQ(phrasesIn(matcher, "he said she sells sea shells"),
            (Phrases{"he said", "said she", "she sells", "sells sea shells"}));
}

TEST(PhraseMatcherTest, OneMatcherServesSeveralThreads) {
  const auto matcher = matcherFor("category: self-harm\n5 want to die\n4 self harm\n");
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const std::string text = t % 2 == 0 ? "i want to die" : "self-harm help";
      const std::string expected = t % 2 == 0 ? "want to die" : "self harm";
      for (int i = 0; i < 2000; ++i) {
        const auto hits = matcher.match(text);
        if (hits.size() != 1 || hits[0].phrase != expected) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong, 0);
}

TEST(PhraseMatcherTest, WordFormsReadInflectionsTyposAndSlang) {
  const auto matcher = matcherFor(
      "forms: hurt, cut\ntypos: suicide\nspelling kill myself: kmself\n"
      "category: self-harm\n5 want to hurt myself\n5 suicide plan\n5 kill* myself\n"
      "4 cutting myself\nexcept cutting board\n");
  EXPECT_EQ(phrasesIn(matcher, "i want to hurting myself"), Phrases{"want to hurt myself"});
  EXPECT_EQ(phrasesIn(matcher, "my sucide plan"), Phrases{"suicide plan"});
  EXPECT_EQ(phrasesIn(matcher, "my suicdie plan"), Phrases{"suicide plan"});
  EXPECT_EQ(phrasesIn(matcher, "i want to kmself"), Phrases{"kill* myself"});
  EXPECT_EQ(phrasesIn(matcher, "cuts myself"), Phrases{"cutting myself"});
  EXPECT_EQ(phrasesIn(matcher, "cutting board"), Phrases{});
  const auto hits = matcher.match("gonna kmself tonight");
  ASSERT_EQ(hits.size(), 1U);
  EXPECT_EQ(hits[0].matched, "kmself");
}

TEST(PhraseMatcherTest, TheDroppedGOfAnIngFormIsReadFromTheRightStem) {
  const auto matcher = matcherFor(
      "forms: cut, starve, rob, beg\ncategory: self-harm\n4 cutting myself\n4 starving myself\n"
      "category: bullying\n3 robbing me\n3 begging me\n3 to begin\n3 robin\n");
  // "robin" and "begin" are words of their own, not "rob" and "beg" with the g dropped.
  const std::pair<std::string_view, Phrases> readings[] = {{"cuttin myself", {"cutting myself"}},
                                                           {"starvin myself", {"starving myself"}},
                                                           {"they keep robbin me", {"robbing me"}},
                                                           {"a robin me and you", {"robin"}},
                                                           {"to begin me", {"to begin"}}};
  for (const auto& [text, phrases] : readings) EXPECT_EQ(phrasesIn(matcher, text), phrases) << text;
}

TEST(PhraseMatcherTest, ProximityRulesExplainThemselves) {
  const auto matcher = matcherFor(
      "words harm-word: hurt, cut\nwords self-reference: myself\nwords intent: tonight\n"
      "words help-seeking: helpline\ncategory: self-harm\n4 near 4: harm-word, self-reference\n"
      "5 near 8: harm-word, self-reference, intent\nexcept cut myself shaving\n");
  auto hits = matcher.match("ways to hurt my self myself without anyone knowing");
  ASSERT_EQ(hits.size(), 1U);
  EXPECT_EQ(hits[0].severity, 4);
  EXPECT_EQ(hits[0].matched, "hurt \u2026 myself");
  EXPECT_EQ(hits[0].why, "harm-word near self-reference, within 4 words");
  EXPECT_EQ(matcher.match("i want to hurt myself")[0].matched, "hurt myself");  // no "…" between
  EXPECT_EQ(hits[0].rule, "test.txt line 6");
  EXPECT_FALSE(hits[0].helpSeeking);
  EXPECT_TRUE(matcher.match("hurt is what i did to the others not myself").empty());  // too far
  EXPECT_TRUE(matcher.match("cut myself shaving").empty());                           // excepted
  hits = matcher.match("going to cut myself tonight");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].severity, 5);
  hits = matcher.match("i cut myself is there a helpline");
  ASSERT_EQ(hits.size(), 1U);
  EXPECT_TRUE(hits[0].helpSeeking);
  EXPECT_EQ(hits[0].severity, PhraseMatcher::kHelpSeekingSeverity);
  EXPECT_NE(hits[0].why.find("helpline"), std::string::npos);
  hits = matcher.match("helpline? i will cut myself tonight");  // intent stays at the top
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].severity, 5);
  EXPECT_FALSE(hits[0].helpSeeking);
}

TEST(PhraseMatcherTest, AProximityWindowCountsAMemberOfSeveralWordsAsOne) {
  const auto matcher = matcherFor(
      "words school-fear: dont want to go to school\nwords cause: because of them\n"
      "category: bullying\n3 near 4: school-fear, cause\n");
  // Two ideas with two words between them: within 4, however many words each idea has.
  EXPECT_EQ(phrasesIn(matcher, "i dont want to go to school just because of them"),
            Phrases{"near 4: school-fear, cause"});
  // Three words between them are too far, as for members of one word.
  EXPECT_EQ(phrasesIn(matcher, "dont want to go to school and it is because of them"), Phrases{});
}

TEST(PhraseMatcherTest, SchoolWorkAndEverydayWordsQuietenWhatTheyShould) {
  const auto matcher = matcherFor(
      "words harm: hurt\nwords self: myself\nwords everyday: playing, by accident\n"
      "words school-work: essay\nwords first-person: i want\nwords intent: tonight\n"
      "category: self-harm\n4 near 4: harm, self unless everyday\n4 self harm\n5 suicide plan\n");
  EXPECT_EQ(phrasesIn(matcher, "hurt myself"), Phrases{"near 4: harm, self unless everyday"});
  EXPECT_EQ(phrasesIn(matcher, "hurt myself playing rugby"), Phrases{});
  EXPECT_EQ(phrasesIn(matcher, "i hurt myself by accident"), Phrases{});
  EXPECT_EQ(phrasesIn(matcher, "self harm essay"), Phrases{});                       // school work
  EXPECT_EQ(phrasesIn(matcher, "i want to self harm essay"), Phrases{"self harm"});  // own words
  EXPECT_EQ(phrasesIn(matcher, "suicide plan essay"), Phrases{"suicide plan"});      // severity 5
  EXPECT_EQ(phrasesIn(matcher, "self harm essay tonight"), Phrases{"self harm"});    // intent
}

TEST(PhraseMatcherTest, TheStarterLibrariesFindWhatTheyShould) {
  const auto& matcher = starter();
  const auto categoryOf = [&](std::string_view text) {
    const auto hits = matcher.match(text);
    return hits.empty() ? std::string() : hits.front().category;
  };
  EXPECT_EQ(categoryOf("how to kill myself"), "self-harm");
  EXPECT_EQ(categoryOf("I dont want to live anymore"), "self-harm");
  EXPECT_EQ(categoryOf("how many paracetamol to overdose"), "self-harm");
  EXPECT_EQ(categoryOf("im being bullied at school what do i do"), "bullying");
  EXPECT_EQ(categoryOf("kys"), "bullying");
  EXPECT_EQ(categoryOf("how to join isis"), "extremism");
  EXPECT_EQ(categoryOf("the great replacement is real"), "extremism");
  EXPECT_EQ(categoryOf("he said its our little secret"), "sexual-exploitation");
  EXPECT_EQ(categoryOf("someone is blackmailing me with pictures"), "sexual-exploitation");
  EXPECT_EQ(categoryOf("where to buy weed in margate"), "drugs");
  EXPECT_EQ(categoryOf("county lines"), "drugs");
  EXPECT_EQ(categoryOf("zombie knife for sale"), "weapons-violence");
  EXPECT_EQ(categoryOf("how to make a pipe bomb"), "weapons-violence");
  EXPECT_EQ(categoryOf("gas the jews"), "hate");
  EXPECT_EQ(categoryOf("shut up you retard"), "hate");
  EXPECT_EQ(categoryOf("i want to hurt myself"), "self-harm");
  EXPECT_EQ(categoryOf("im cutting myself again"), "self-harm");
  EXPECT_EQ(categoryOf("ways to hurt myself without anyone knowing"), "self-harm");
  EXPECT_EQ(categoryOf("how to unalive myself"), "self-harm");
  EXPECT_EQ(categoryOf("s-u-i-c-i-d-e tonight"), "self-harm");
  EXPECT_EQ(categoryOf("i wanna k.m.s"), "self-harm");
  EXPECT_EQ(categoryOf("he is 25 and wants me to send pictures"), "sexual-exploitation");
  EXPECT_EQ(categoryOf("someone says pay or they post my nudes"), "sexual-exploitation");
  EXPECT_EQ(matcher.match("self harm helpline").front().severity,
            PhraseMatcher::kHelpSeekingSeverity);
  // Welsh and Polish, with and without their own letters.
  EXPECT_EQ(categoryOf("sut i ladd fy hun"), "self-harm");
  EXPECT_EQ(categoryOf("dw i'n cael fy mwlio yn yr ysgol"), "bullying");
  EXPECT_EQ(categoryOf("Chc\xC4\x99 si\xC4\x99 zabi\xC4\x87"), "self-harm");
  EXPECT_EQ(categoryOf("chce sie zabic"), "self-harm");
  EXPECT_EQ(categoryOf("nie m\xC3\xB3w rodzicom"), "sexual-exploitation");
  EXPECT_TRUE(matcher.match("dw i ddim eisiau marw").empty());  // "I don't want to die"
  EXPECT_EQ(matcher.match("telefon zaufania samob\xC3\xB3jstwo").front().severity,
            PhraseMatcher::kHelpSeekingSeverity);

  for (const auto* benign :
       {"skill tree", "kill time before the bus", "how to shoot a video on iphone",
        "suicide squad cast", "faggots and peas recipe", "coon cheese on toast",
        "national action plan for climate", "kill the process with signal 9",
        "history of the second world war", "drugs education lesson plan", "islamic art",
        "mong kok market", "how to get away with murder season 2", "photo shoot ideas",
        "white power supply for pc",
        // from measuring on WordNet's glosses (docs/PHRASES.md)
        "an agent that retards growth", "small chinks in the wall", "a niggardly tip",
        "the river was embanked with a dyke", "female nudes in marble", "spastic paralysis",
        "the Korean name is Han-Gook", "killing myself laughing", "burnt myself out revising",
        "cut myself shaving", "hurt myself playing football", "maine coon kittens",
        "tranny fluid change", "hang all the pictures", "dont talk to strangers",
        "white power bank 20000mah", "trap house lyrics",
        // look-alikes of the proximity rules and word forms
        "cutting board", "drug store near me", "how to kill a process in linux",
        "suicide squad cast list", "shoot a video for tiktok", "i hurt myself playing rugby",
        "kill time at the airport", "gcloud kms keys list", "enable kms in the kernel"}) {
    EXPECT_EQ(phrasesIn(matcher, benign), Phrases{}) << benign;
  }
}

// Issue 13's third pass: the rules over wider classes, and the look-alikes their unless sets and
// exceptions keep quiet (docs/PHRASES.md, "The third pass of issue 13").
TEST(PhraseMatcherTest, TheThirdPassRulesReachTheYoungPersonsOwnWords) {
  const auto& matcher = starter();
  const auto categoryOf = [&](std::string_view text) {
    const auto hits = matcher.match(text);
    return hits.empty() ? std::string() : hits.front().category;
  };
  EXPECT_EQ(categoryOf("girls in my class keep calling me a freak"), "bullying");
  EXPECT_EQ(categoryOf("the boys in year 9 took my bag again"), "bullying");
  EXPECT_EQ(categoryOf("no one in my form talks to me"), "bullying");
  EXPECT_EQ(categoryOf("gang members threatening my family"), "weapons-violence");
  EXPECT_EQ(categoryOf("im scared of my stepdad when hes drunk"), "weapons-violence");
  EXPECT_EQ(categoryOf("i feel like a burden to everyone"), "self-harm");
  EXPECT_EQ(categoryOf("im literally a failure"), "self-harm");
  EXPECT_EQ(categoryOf("they want me to carry a bag to birmingham"), "drugs");
  EXPECT_EQ(categoryOf("mosque shooter manifesto pdf"), "extremism");
  EXPECT_EQ(categoryOf("racist jokes about muslims"), "hate");
  // Help-seeking words still lower a distress hit.
  EXPECT_EQ(matcher.match("i feel worthless who can i talk to childline").front().severity,
            PhraseMatcher::kHelpSeekingSeverity);

  for (const auto* benign :
       {"they told me im good at drawing", "how do you say im fat in french",
        "my mum is going to kill me when she sees my report", "im scared of spiders",
        "im scared of my exam tomorrow", "im hopeless at maths", "im useless at cooking lol",
        "my dad said he will pick me up", "he wants to meet my parents",
        "send pictures from iphone to android", "i want to cut my hair short",
        "american bully puppies how to train", "how to purge a radiator",
        "how high can a cat fall and survive", "how to tie a knot for a rope swing",
        // from the manual pages and WordNet (docs/PHRASES.md)
        "see the -K option for the config file", "these APIs are not safe when they are used",
        "--show-percs=yes", "it will return NULL if the base form is not found",
        "an extension of the Hindu Kush", "a price that is too high",
        "after the storm the boats were adrift"}) {
    EXPECT_EQ(phrasesIn(matcher, benign), Phrases{}) << benign;
  }
}

// Issue 13's fourth pass: the general classes and generated misspellings, and the look-alikes they
// must leave alone (docs/PHRASES.md, "The fourth pass of issue 13").
TEST(PhraseMatcherTest, TheFourthPassClassesGeneraliseAndLeaveLookAlikesAlone) {
  const auto& matcher = starter();
  const auto categories = [&](std::string_view text) {
    std::set<std::string> found;
    for (const auto& hit : matcher.match(text)) found.insert(hit.category);
    return found;
  };
  const auto has = [&](std::string_view text, const std::string& category) {
    return categories(text).contains(category);
  };
  EXPECT_TRUE(has("gays should be stoned", "hate"));
  EXPECT_TRUE(has("christians deserve to be killed", "hate"));
  EXPECT_TRUE(has("my dad hits my mum and me", "weapons-violence"));
  EXPECT_TRUE(has("my mums boyfriend throws stuff at us", "weapons-violence"));
  EXPECT_TRUE(has("how deep do you have to cut to hit a vein", "self-harm"));
  EXPECT_TRUE(has("i relapsed and cut again last night", "self-harm"));
  EXPECT_TRUE(has("whats the best way to cut so it doesnt scar", "self-harm"));
  EXPECT_TRUE(has("kms istg", "self-harm"));
  EXPECT_TRUE(has("they keep taking the mick out of my accent", "bullying"));
  EXPECT_TRUE(has("people imitate my lisp", "bullying"));
  EXPECT_TRUE(has("she wants me to strip on camera", "sexual-exploitation"));
  EXPECT_TRUE(has("older lads want me to run bags to another city", "drugs"));
  EXPECT_TRUE(has("i agree with what anders breivik did", "extremism"));
  // Generated misspellings of the words the libraries use, and more verbs' inflections.
  EXPECT_TRUE(has("they humilate me in class", "bullying"));
  EXPECT_TRUE(has("the boys keep humiliating me in front of everyone", "bullying"));
  // Help-seeking words still lower what the new classes find.
  EXPECT_EQ(matcher.match("my dad hits me what do i do childline").front().severity,
            PhraseMatcher::kHelpSeekingSeverity);

  for (const auto* benign :
       {"my boyfriend and i are both 15 and want to go to the cinema",
        "he pays for my phone contract is that normal for parents",
        "how to make a crossbow for a school dt project", "why do people hate mondays",
        "i want to disappear song lyrics", "how to get people to follow me on tiktok",
        "cutting out sugar diet", "how to cut a mango", "hair cut styles for boys",
        "what does being excluded from school mean for gcses", "my brother beat me at fifa again",
        "how to send a video to my teacher on teams", "how to remove space invaders"}) {
    EXPECT_EQ(phrasesIn(matcher, benign), Phrases{}) << benign;
  }
}

TEST(PhraseMatcherTest, TheFifthPassClassesGeneraliseAndLeaveLookAlikesAlone) {
  const auto& matcher = starter();
  const auto has = [&](std::string_view text, const std::string& category) {
    const auto hits = matcher.match(text);
    return std::any_of(hits.begin(), hits.end(),
                       [&](const PhraseHit& hit) { return hit.category == category; });
  };
  EXPECT_TRUE(has("i cant stop cutting", "self-harm"));
  EXPECT_TRUE(has("ive planned how im going to do it", "self-harm"));
  EXPECT_TRUE(has("i burnt my arm with a lighter on purpose", "self-harm"));
  EXPECT_TRUE(has("being excluded by my friends every break", "bullying"));
  EXPECT_TRUE(has("how to make a trans person cry", "hate"));
  EXPECT_TRUE(has("how long does coke stay in your system", "drugs"));
  EXPECT_TRUE(has("an adult wants to meet me without my parents knowing", "sexual-exploitation"));
  EXPECT_TRUE(has("how many stabs to kill someone", "weapons-violence"));
  EXPECT_TRUE(has("the nazis had the right idea", "extremism"));
  for (const auto* benign :
       {"coke zero vs diet coke", "how to cook crack crab legs", "acid rain effects geography",
        "my dad paid for my phone contract", "how to send pics on whatsapp in hd",
        "my sister is going to kill me for breaking her phone", "i want to disappear into a book",
        "how to make the new kid feel welcome", "omegle alternatives for school project"}) {
    EXPECT_EQ(phrasesIn(matcher, benign), Phrases{}) << benign;
  }
}

}  // namespace
}  // namespace clubsafe::agent::recording
