// NameIds: the numbers of names it remembers across batches, in bounded memory.
#include "collector/storage/migrations.hpp"
#include "collector/storage/sqlite_names.hpp"
#include "common/time.hpp"
#include "tests/support/temp_dir.hpp"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace clubsafe::collector {
namespace {

// This process's resident memory, from /proc/self/statm.
std::size_t residentBytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t pages = 0;
  std::size_t resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

TEST(NameIds, RemembersBoundedTextHoweverLongTheNames) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer keeps freed memory resident in its quarantine.";
#endif
  testing::TempDir directory;
  Poco::Data::SQLite::Connector::registerConnector();
  Poco::Data::Session session(Poco::Data::SQLite::Connector::KEY, directory.file("collector.db"));
  applyMigrations(session, sqliteMigrations(), *common::parseTimestamp("2026-01-01T00:00:00Z"));
  NameIds names;
  const auto before = residentBytes();
  // A laptop may send names of up to 16 KiB (BatchLimits::maxStringBytes), each new: 94 MiB of
  // them here in batches of 200, 8 GB before the count of names remembered started again.
  for (int batch = 0; batch < 30; ++batch) {
    names.begin(session);
    session.begin();
    for (int i = 0; i < 200; ++i) {
      (void)names.idOf(session,
                       std::string(16 * 1024 - 8, 'x') + fmt::format("{:04}{:04}", batch, i));
    }
    session.commit();
  }
  // The 32 MiB NameIds may hold, the allocator's slack and SQLite's cache: 43 MiB here; 146
  // before the names remembered were counted in bytes.
  const auto grown = residentBytes() - before;
  EXPECT_LT(grown, std::size_t{80} << 20) << "grew by " << (grown >> 20) << " MiB";
}

}  // namespace
}  // namespace clubsafe::collector
