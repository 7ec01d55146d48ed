// Whether standard output is the journal, told from JOURNAL_STREAM as systemd sets it: the real
// fstat on a real file standing in for the journal's stream.
#include "common/service_notify.hpp"

#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace clubsafe::common {
namespace {

// Standard output pointed at `path` for the test's lifetime, JOURNAL_STREAM as given.
class StandardOutputAt {
 public:
  explicit StandardOutputAt(const std::string& path) : saved_(::dup(STDOUT_FILENO)) {
    std::fflush(stdout);
    const int file = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    ::dup2(file, STDOUT_FILENO);
    ::close(file);
  }
  ~StandardOutputAt() {
    std::fflush(stdout);
    ::dup2(saved_, STDOUT_FILENO);
    ::close(saved_);
    ::unsetenv("JOURNAL_STREAM");
  }
  StandardOutputAt(const StandardOutputAt&) = delete;
  StandardOutputAt& operator=(const StandardOutputAt&) = delete;

 private:
  int saved_;
};

std::string streamOf(const std::string& path) {
  struct stat status {};
  EXPECT_EQ(::stat(path.c_str(), &status), 0);
  return std::to_string(status.st_dev) + ":" + std::to_string(status.st_ino);
}

TEST(StandardOutputIsJournalTest, OnlyWhenTheStreamIsStandardOutputItself) {
  testing::TempDir dir;
  const StandardOutputAt output(dir.file("journal"));
  ::unsetenv("JOURNAL_STREAM");
  EXPECT_FALSE(standardOutputIsJournal()) << "no variable: not a service";

  ::setenv("JOURNAL_STREAM", streamOf(dir.file("journal")).c_str(), 1);
  EXPECT_TRUE(standardOutputIsJournal());

  std::fclose(std::fopen(dir.file("terminal").c_str(), "w"));
  ::setenv("JOURNAL_STREAM", streamOf(dir.file("terminal")).c_str(), 1);
  EXPECT_FALSE(standardOutputIsJournal()) << "inherited by a shell that writes elsewhere";

  ::setenv("JOURNAL_STREAM", "not numbers", 1);
  EXPECT_FALSE(standardOutputIsJournal());
}

}  // namespace
}  // namespace clubsafe::common
