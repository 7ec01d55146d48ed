#pragma once

#include "collector/filtering/filtering_service.hpp"
#include "collector/storage/filtering_store.hpp"
#include "collector/storage/read_model.hpp"

#include <chrono>

namespace clubsafe::collector {

// The member register keeps a young person's name only while they come to the club
// (retention.member_days): takes off it everyone added longer ago than `keepFor` who has not
// signed in on any laptop since `now - keepFor` (names matched as common::memberKey matches
// them). Each removal is a policy change by "system", with its audit row, that reaches the
// laptops. Returns how many went.
std::size_t removeLapsedMembers(FilteringStore& store, ReadModel& readModel,
                                FilteringService& filtering, std::chrono::days keepFor,
                                common::Timestamp now);

}  // namespace clubsafe::collector
