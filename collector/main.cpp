#include "collector/collector_application.hpp"

#include "common/settings.hpp"

#include <Poco/Net/SSLManager.h>

#include <iostream>

int main(int argc, char** argv) {
  Poco::Net::initializeSSL();
  int status = 0;
  try {
    clubsafe::collector::CollectorApplication application;
    status = application.run(argc, argv);
  } catch (const clubsafe::common::SettingsError& error) {
    std::cerr << error.what() << "\n";
    status = 78;  // EX_CONFIG
  } catch (const std::exception& error) {
    std::cerr << error.what() << "\n";
    status = 1;
  }
  Poco::Net::uninitializeSSL();
  return status;
}
