#pragma once

#include "common/app_options.hpp"

#include <Poco/Util/ServerApplication.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace clubsafe::collector {

class SqliteStores;
struct Stores;

// clubsafe-collector: with no command it serves the console and the device API until
// stopped; `create-enrolment-token` and `show-fingerprint` help set laptops up from a shell,
// `import-list` loads filter lists for first set-up and the demo, `backup` and `restore` copy
// the database out and back.
class CollectorApplication : public Poco::Util::ServerApplication {
 public:
  CollectorApplication();
  ~CollectorApplication() override;

 protected:
  void defineOptions(Poco::Util::OptionSet& options) override;
  void handleOption(const std::string& name, const std::string& value) override;
  void initialize(Poco::Util::Application& self) override;
  int main(const std::vector<std::string>& args) override;

 private:
  int serve();
  int createEnrolmentToken(const std::vector<std::string>& args);
  int showFingerprint();
  int importList();

  [[nodiscard]] std::string stateDir() const;
  [[nodiscard]] std::string indexFolder() const;
  [[nodiscard]] std::string databaseFile() const;
  [[nodiscard]] std::string commandOption(const std::string& name) const;
  [[nodiscard]] std::string certificateFile() const;
  [[nodiscard]] std::string privateKeyFile() const;
  [[nodiscard]] std::string publicUrl() const;
  [[nodiscard]] std::string fingerprint() const;
  void ensureCertificate() const;
  const Stores& stores();

  common::StandardOptions standardOptions_;
  std::map<std::string, std::string> commandOptions_;  // the commands' options, by name
  std::unique_ptr<SqliteStores> stores_;
};

}  // namespace clubsafe::collector
