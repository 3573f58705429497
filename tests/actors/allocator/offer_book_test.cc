// Given offers recorded at known times, when frameworks accept, decline,
// suppress or revive, or agents go away, then the book says who is offered
// what, which agents are held, and which filters are live.
#include "actors/allocator/offer_book.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace regatta::allocator {
namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

ResourceVector R(double cpus, double mem) {
  return {Quantity::FromDouble(cpus), Quantity::FromDouble(mem), {}, {}};
}

Offer OfferOf(const std::string& framework, const std::string& agent, double cpus = 1, double mem = 128) {
  return {framework, agent, R(cpus, mem), {{31000, 31099}}};
}

std::vector<std::string> Ids(const std::vector<Rescinded>& rescinded) {
  std::vector<std::string> ids;
  for (const Rescinded& r : rescinded) ids.push_back(r.framework_id + "/" + r.offer_id);
  return ids;
}

std::vector<std::string> Describe(const std::vector<DeclineFilter>& filters) {
  std::vector<std::string> out;
  for (const DeclineFilter& f : filters) {
    out.push_back(f.framework_id + "/" + f.agent_id + "@" + std::to_string(f.until_nanos));
  }
  return out;
}

TEST(OfferBook, RecordGivesFreshIdsAndHoldsEachOfferedAgent) {
  OfferBook book;
  auto first = book.Record({OfferOf("f1", "a1"), OfferOf("f2", "a2")}, 7 * kSecond);
  auto second = book.Record({OfferOf("f1", "a3")}, 8 * kSecond);

  ASSERT_EQ(first.size(), 2u);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(first[0].offer_id, "offer-1");
  EXPECT_EQ(first[1].offer_id, "offer-2");
  EXPECT_EQ(second[0].offer_id, "offer-3");  // ids are never reused across cycles
  EXPECT_EQ(first[1].made_nanos, 7 * kSecond);
  EXPECT_EQ(second[0].made_nanos, 8 * kSecond);
  EXPECT_EQ(book.outstanding(), 3u);
  EXPECT_TRUE(book.Busy("a1"));
  EXPECT_TRUE(book.Busy("a3"));
  EXPECT_FALSE(book.Busy("a4"));
}

// One offer, then a sequence of accept attempts: only its framework's first
// accept of an outstanding id takes it.
TEST(OfferBook, AnOfferIsAcceptedOnceAndOnlyByItsFramework) {
  struct Attempt {
    std::string framework;
    std::string offer_id;
    bool accepted;
  };
  const std::vector<Attempt> attempts = {
      {"f2", "offer-1", false},   // someone else's offer
      {"f1", "offer-99", false},  // never made
      {"f1", "offer-1", true},
      {"f1", "offer-1", false},  // already accepted
      {"f2", "offer-1", false},
  };
  OfferBook book;
  book.Record({OfferOf("f1", "a1", 2, 512)}, 0);
  for (const Attempt& a : attempts) {
    SCOPED_TRACE(a.framework + " accepts " + a.offer_id);
    auto offer = book.Accept(a.framework, a.offer_id);
    ASSERT_EQ(offer.has_value(), a.accepted);
    if (!offer) continue;
    EXPECT_EQ(offer->framework_id, "f1");
    EXPECT_EQ(offer->agent_id, "a1");
    EXPECT_EQ(offer->resources, R(2, 512));
    EXPECT_EQ(offer->ports, (std::vector<PortRange>{{31000, 31099}}));
  }
  EXPECT_EQ(book.outstanding(), 0u);
}

TEST(OfferBook, AnAgentStaysBusyWhileItsAcceptIsInFlightUntilSettled) {
  OfferBook book;
  book.Record({OfferOf("f1", "a1")}, 0);
  ASSERT_TRUE(book.Accept("f1", "offer-1"));

  EXPECT_EQ(book.outstanding(), 0u);
  EXPECT_TRUE(book.Busy("a1"));
  EXPECT_TRUE(book.RescindAgent("a1").empty());  // nothing to rescind: the master has it
  EXPECT_TRUE(book.Busy("a1"));
  book.Settle("a2");  // another agent's answer changes nothing
  EXPECT_TRUE(book.Busy("a1"));
  book.Settle("a1");
  EXPECT_FALSE(book.Busy("a1"));
  book.Settle("a1");  // a second answer is harmless
  EXPECT_FALSE(book.Busy("a1"));
}

TEST(OfferBook, EachAcceptInFlightNeedsItsOwnSettle) {
  OfferBook book;
  book.Record({OfferOf("f1", "a1")}, 0);
  ASSERT_TRUE(book.Accept("f1", "offer-1"));
  book.Record({OfferOf("f2", "a1")}, 1);
  ASSERT_TRUE(book.Accept("f2", "offer-2"));

  book.Settle("a1");
  EXPECT_TRUE(book.Busy("a1"));
  book.Settle("a1");
  EXPECT_FALSE(book.Busy("a1"));
}

// f1 declines a1 at t=10s for 5s, f2 declines a2 with no refuse time. The
// filter is f1's alone and lives for exactly the refuse time.
TEST(OfferBook, ADeclineFiltersTheAgentForThatFrameworkForExactlyTheRefuseTime) {
  OfferBook book;
  book.Record({OfferOf("f1", "a1"), OfferOf("f2", "a2")}, 9 * kSecond);
  EXPECT_FALSE(book.Decline("f2", "offer-1", 5 * kSecond, 10 * kSecond));  // not f2's
  EXPECT_TRUE(book.Decline("f1", "offer-1", 5 * kSecond, 10 * kSecond));
  EXPECT_FALSE(book.Decline("f1", "offer-1", 5 * kSecond, 10 * kSecond));  // already gone
  EXPECT_TRUE(book.Decline("f2", "offer-2", 0, 10 * kSecond));

  EXPECT_FALSE(book.Busy("a1"));  // offerable again, to others
  EXPECT_FALSE(book.Busy("a2"));
  EXPECT_EQ(book.outstanding(), 0u);

  struct Probe {
    std::int64_t now;
    std::vector<std::string> filters;
  };
  const std::string f1_a1 = "f1/a1@" + std::to_string(15 * kSecond);
  const std::vector<Probe> probes = {  // in time order: Filters drops what expired
      {10 * kSecond, {f1_a1}},
      {15 * kSecond - 1, {f1_a1}},
      {15 * kSecond, {}},
      {14 * kSecond, {}},  // dropped for good
  };
  for (const Probe& p : probes) {
    SCOPED_TRACE(p.now);
    EXPECT_EQ(Describe(book.Filters(p.now)), p.filters);
  }
}

// The filter, fed to the allocator, steers a1 to f2 while it lives, although
// f1 holds less.
TEST(OfferBook, TheDeclinedAgentGoesToAnotherFrameworkWhileTheFilterLives) {
  OfferBook book;
  book.Record({OfferOf("f1", "a1")}, 0);
  ASSERT_TRUE(book.Decline("f1", "offer-1", 5 * kSecond, 10 * kSecond));

  AllocationInput in;
  in.cluster_total = R(10, 10000);
  in.agents = {{"a1", R(4, 4096), {}}};
  in.frameworks = {{"f1", "*", {}}, {"f2", "*", R(2, 100)}};
  for (auto [now, expected] : {std::pair{10 * kSecond, "f2"}, std::pair{15 * kSecond, "f1"}}) {
    in.now_nanos = now;
    in.filters = book.Filters(now);
    auto offers = Allocate(in);
    ASSERT_EQ(offers.size(), 1u);
    EXPECT_EQ(offers[0].framework_id, expected) << "at " << now;
  }
}

TEST(OfferBook, ReviveClearsThatFrameworksFiltersAndSuppressionOnly) {
  OfferBook book;
  book.Record({OfferOf("f1", "a1"), OfferOf("f2", "a2"), OfferOf("f1", "a3")}, 0);
  ASSERT_TRUE(book.Decline("f1", "offer-1", 60 * kSecond, 0));
  ASSERT_TRUE(book.Decline("f2", "offer-2", 60 * kSecond, 0));
  ASSERT_TRUE(book.Decline("f1", "offer-3", 60 * kSecond, 0));
  book.Suppress("f1");
  book.Suppress("f2");
  ASSERT_EQ(book.Filters(1).size(), 3u);

  book.Revive("f1");
  EXPECT_FALSE(book.Suppressed("f1"));
  EXPECT_TRUE(book.Suppressed("f2"));
  EXPECT_EQ(Describe(book.Filters(1)), (std::vector<std::string>{"f2/a2@" + std::to_string(60 * kSecond)}));

  book.Revive("f3");  // unknown: nothing changes
  EXPECT_TRUE(book.Suppressed("f2"));
  EXPECT_EQ(book.Filters(1).size(), 1u);
}

// OfferedTo is kept as a running sum: whatever way an offer leaves the book
// (accept, decline, rescind, timeout), it stops counting toward the share.
TEST(OfferBook, OfferedToCountsOnlyOutstandingOffers) {
  OfferBook book;
  book.Record({OfferOf("f1", "a1", 1, 100), OfferOf("f1", "a2", 2, 200), OfferOf("f1", "a3", 4, 400),
               OfferOf("f1", "a4", 8, 800), OfferOf("f2", "a5", 16, 1600)},
              0);
  EXPECT_EQ(book.OfferedTo("f1"), R(15, 1500));
  EXPECT_EQ(book.OfferedTo("f2"), R(16, 1600));
  ASSERT_TRUE(book.Accept("f1", "offer-1"));
  EXPECT_EQ(book.OfferedTo("f1"), R(14, 1400));
  ASSERT_TRUE(book.Decline("f1", "offer-2", kSecond, 0));
  EXPECT_EQ(book.OfferedTo("f1"), R(12, 1200));
  EXPECT_EQ(Ids(book.RescindAgent("a3")), (std::vector<std::string>{"f1/offer-3"}));
  EXPECT_EQ(book.OfferedTo("f1"), R(8, 800));
  book.Record({OfferOf("f1", "a6", 32, 3200)}, 5 * kSecond);
  EXPECT_EQ(Ids(book.Expire(10 * kSecond, 10 * kSecond)), (std::vector<std::string>{"f1/offer-4", "f2/offer-5"}));
  EXPECT_EQ(book.OfferedTo("f1"), R(32, 3200));
  EXPECT_EQ(book.OfferedTo("f2"), ResourceVector{});
  EXPECT_EQ(book.OfferedTo("f3"), ResourceVector{});
}

// FiltersOn is the per-agent view of Filters: the cycle reads it for each
// idle agent, and it too drops what has expired.
TEST(OfferBook, FiltersOnGivesOneAgentsLiveFilters) {
  OfferBook book;
  book.Record({OfferOf("f1", "a1"), OfferOf("f1", "a2")}, 0);
  ASSERT_TRUE(book.Decline("f1", "offer-1", 5 * kSecond, 0));
  ASSERT_TRUE(book.Decline("f1", "offer-2", 5 * kSecond, 0));
  book.Record({OfferOf("f2", "a1")}, 0);  // a1 goes to the next framework, which declines it too
  ASSERT_TRUE(book.Decline("f2", "offer-3", 9 * kSecond, 0));
  EXPECT_EQ(Describe(book.FiltersOn("a1", kSecond)),
            (std::vector<std::string>{"f1/a1@" + std::to_string(5 * kSecond), "f2/a1@" + std::to_string(9 * kSecond)}));
  EXPECT_EQ(Describe(book.FiltersOn("a1", 5 * kSecond)), (std::vector<std::string>{"f2/a1@" + std::to_string(9 * kSecond)}));
  EXPECT_TRUE(book.FiltersOn("a2", 5 * kSecond).empty());
  EXPECT_TRUE(book.FiltersOn("a3", 0).empty());
  EXPECT_EQ(Describe(book.Filters(5 * kSecond)), (std::vector<std::string>{"f2/a1@" + std::to_string(9 * kSecond)}));
}

TEST(OfferBook, RescindAgentVoidsItsOfferAndNamesTheFramework) {
  OfferBook book;
  book.Record({OfferOf("f1", "a1"), OfferOf("f2", "a2")}, 0);

  EXPECT_EQ(Ids(book.RescindAgent("a1")), (std::vector<std::string>{"f1/offer-1"}));
  EXPECT_FALSE(book.Busy("a1"));
  EXPECT_TRUE(book.Busy("a2"));
  EXPECT_EQ(book.outstanding(), 1u);
  EXPECT_FALSE(book.Accept("f1", "offer-1"));  // too late
  EXPECT_FALSE(book.Busy("a1"));               // and the failed accept holds nothing
  EXPECT_TRUE(book.RescindAgent("a1").empty());
  EXPECT_TRUE(book.RescindAgent("nobody").empty());
}

// Offers made at 0s, 5s and 10s; an offer of age >= timeout is void.
TEST(OfferBook, ExpireVoidsOnlyOffersAsOldAsTheTimeout) {
  struct Case {
    std::int64_t now;
    std::int64_t timeout;
    std::vector<std::string> expired;
  };
  const std::vector<Case> cases = {
      {12 * kSecond, 5 * kSecond, {"f1/offer-1", "f2/offer-2"}},
      {10 * kSecond, 5 * kSecond, {"f1/offer-1", "f2/offer-2"}},  // exactly 5s old
      {10 * kSecond - 1, 5 * kSecond, {"f1/offer-1"}},
      {10 * kSecond, 30 * kSecond, {}},
      {40 * kSecond, 30 * kSecond, {"f1/offer-1", "f2/offer-2", "f1/offer-3"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE("now " + std::to_string(c.now) + " timeout " + std::to_string(c.timeout));
    OfferBook book;
    book.Record({OfferOf("f1", "a1")}, 0);
    book.Record({OfferOf("f2", "a2")}, 5 * kSecond);
    book.Record({OfferOf("f1", "a3")}, 10 * kSecond);

    EXPECT_EQ(Ids(book.Expire(c.now, c.timeout)), c.expired);
    EXPECT_EQ(book.outstanding(), 3 - c.expired.size());
    EXPECT_EQ(book.Busy("a3"), c.expired.size() < 3);
    EXPECT_TRUE(book.Expire(c.now, c.timeout).empty());  // each offer expires once
  }
}

TEST(OfferBook, OfferedToSumsTheFrameworksOutstandingOffers) {
  OfferBook book;
  book.Record({OfferOf("f1", "a1", 1, 128), OfferOf("f1", "a2", 2.5, 256), OfferOf("f2", "a3", 4, 512)}, 0);

  EXPECT_EQ(book.OfferedTo("f1"), R(3.5, 384));
  EXPECT_EQ(book.OfferedTo("f2"), R(4, 512));
  EXPECT_EQ(book.OfferedTo("f3"), ResourceVector{});

  ASSERT_TRUE(book.Accept("f1", "offer-1"));  // now the master's, not an offer
  EXPECT_EQ(book.OfferedTo("f1"), R(2.5, 256));
  ASSERT_TRUE(book.Decline("f1", "offer-2", 0, 0));
  EXPECT_EQ(book.OfferedTo("f1"), ResourceVector{});
  EXPECT_EQ(book.OfferedTo("f2"), R(4, 512));
}

}  // namespace
}  // namespace regatta::allocator
