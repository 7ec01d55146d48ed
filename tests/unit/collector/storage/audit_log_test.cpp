#include "tests/unit/collector/storage/store_test.hpp"

namespace clubsafe::collector::store_test {
namespace {

namespace db = Poco::Data::Keywords;

class AuditLogTest : public StoreTest {};

TEST_F(AuditLogTest, AuditLogListsNewestFirstUpToTheLimit) {
  for (int i = 0; i < 3; ++i) {
    stores().audit.recordAudit({kNow + std::chrono::minutes(i), "alice", "device.revoke",
                                "dev_" + std::to_string(i), "because"});
  }
  const auto entries = stores().audit.listAudit(2);
  ASSERT_EQ(entries.size(), 2U);
  EXPECT_EQ(entries[0].target, "dev_2");
  EXPECT_EQ(entries[0].time, kNow + 2min);
  EXPECT_EQ(entries[0].actor, "alice");
  EXPECT_EQ(entries[0].action, "device.revoke");
  EXPECT_EQ(entries[0].detail, "because");
  EXPECT_EQ(entries[1].target, "dev_1");
}

}  // namespace
}  // namespace clubsafe::collector::store_test
