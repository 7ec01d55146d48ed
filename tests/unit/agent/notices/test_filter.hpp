#pragma once

#include "agent/dns/profile_filter.hpp"
#include "common/domain_index/domain_index_builder.hpp"
#include "tests/support/temp_dir.hpp"

#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

namespace clubsafe::agent::notices::testing {

// The real profile filter the agent runs, on a small index written to a temporary folder, with
// a fixed local clock (the one OS seam; the real clock is tested in agent/dns).
class TestFilter {
 public:
  class FixedClock final : public dns::LocalClock {
   public:
    [[nodiscard]] dns::LocalTime now() const noexcept override { return {0, 12 * 60}; }
  };

  // `categories` in this order, so that their ids differ between two indexes.
  std::shared_ptr<const common::domain_index::DomainIndex> index(
      std::initializer_list<std::string> categories = {"gambling", "malware"}) {
    common::domain_index::DomainIndexBuilder builder;
    for (const auto& category : categories) {
      const auto id = builder.addCategory(category);
      if (category == "gambling") {
        builder.addBlocked("0-casino.info", id);
        builder.addBlocked("bet.test", id);
      }
      if (category == "malware") builder.addBlocked("virus.test", id);
    }
    const auto path = dir_.file("domains" + std::to_string(++files_) + ".index");
    (void)builder.write(path);
    return common::domain_index::DomainIndex::open(path);
  }

  // gambling and malware blocked; example.org on the block list, homework.test on the allow list.
  static common::Policy policy(std::vector<std::string> blocked = {"gambling", "malware"}) {
    common::Profile profile;
    profile.id = "juniors";
    profile.name = "Juniors";
    profile.blockedCategories = std::move(blocked);
    profile.block = {"example.org"};
    profile.allow = {"homework.test"};
    common::Policy policy;
    policy.version = 1;
    policy.defaultProfile = "juniors";
    policy.profiles = {profile};
    return policy;
  }

  void install(common::Policy policy,
               std::shared_ptr<const common::domain_index::DomainIndex> index) {
    filter.install(dns::CompiledPolicy::compile(std::move(policy), std::move(index)), "juniors");
  }

  TestFilter() { install(policy(), index()); }

  clubsafe::testing::TempDir dir_;
  int files_ = 0;
  FixedClock clock;
  dns::ProfileFilter filter{clock, ""};
};

}  // namespace clubsafe::agent::notices::testing
