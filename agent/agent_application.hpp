#pragma once

#include "agent/enrolment/enrolment.hpp"
#include "common/app_options.hpp"
#include "common/settings.hpp"

#include <Poco/Util/ServerApplication.h>

#include <span>
#include <string>
#include <vector>

namespace clubsafe::agent {

// clubsafe-agent enrol | run | status | prepare | give-back. `run` is the daemon: it records into
// the outbox and uploads until SIGTERM or SIGINT.
class AgentApplication : public Poco::Util::ServerApplication {
 public:
  AgentApplication();

 protected:
  void defineOptions(Poco::Util::OptionSet& options) override;
  void handleOption(const std::string& name, const std::string& value) override;
  int main(const std::vector<std::string>& arguments) override;

 private:
  int enrolCommand(const common::Settings& settings);
  int runCommand(const common::Settings& settings);
  int statusCommand(const common::Settings& settings);
  // prepare | give-back: the service's privileged steps around run (protection/system_steps).
  int systemStepCommand(const std::string& command, const common::Settings& settings);

  std::vector<common::SettingSpec> settingsTable_;
  common::StandardOptions standardOptions_;
  enrolment::EnrolArguments enrolArguments_;
  std::string firstEnrolOption_;  // to refuse enrol options given to another command
};

}  // namespace clubsafe::agent
