#include "agent/runtime/service.hpp"

#include <spdlog/spdlog.h>

#include <utility>

namespace clubsafe::agent::runtime {

ThreadService::ThreadService(std::string name, std::function<void()> body,
                             std::function<void()> halt)
    : name_(std::move(name)), body_(std::move(body)), halt_(std::move(halt)) {}

ThreadService::~ThreadService() {
  stop();
}

void ThreadService::start() {
  if (thread_.joinable()) return;
  thread_ = std::thread(body_);
}

void ThreadService::stop() {
  if (!thread_.joinable()) return;
  halt_();
  thread_.join();
}

ActionService::ActionService(std::string name, std::function<void()> onStart,
                             std::function<void()> onStop)
    : name_(std::move(name)), onStart_(std::move(onStart)), onStop_(std::move(onStop)) {}

void ActionService::start() {
  if (started_) return;
  onStart_();
  started_ = true;
}

void ActionService::stop() {
  if (!started_) return;
  started_ = false;
  onStop_();
}

ServiceGroup::~ServiceGroup() {
  stop();
}

void ServiceGroup::add(std::unique_ptr<Service> service) {
  services_.push_back(std::move(service));
}

void ServiceGroup::addThread(std::string name, std::function<void()> body,
                             std::function<void()> halt) {
  add(std::make_unique<ThreadService>(std::move(name), std::move(body), std::move(halt)));
}

void ServiceGroup::addAction(std::string name, std::function<void()> onStart,
                             std::function<void()> onStop) {
  add(std::make_unique<ActionService>(std::move(name), std::move(onStart), std::move(onStop)));
}

void ServiceGroup::start() {
  while (started_ < services_.size()) {
    auto& service = *services_[started_];
    try {
      service.start();
    } catch (const std::exception& error) {
      const auto message = "The agent could not start " + std::string(service.name()) + ": " +
                           error.what() + " What had started has been stopped again.";
      // The failed service may have done part of its start; its stop undoes what it did.
      service.stop();
      stopStarted();
      throw ServiceStartError(message);
    }
    ++started_;
  }
}

void ServiceGroup::stop() {
  stopStarted();
}

void ServiceGroup::stopStarted() {
  while (started_ > 0) {
    auto& service = *services_[--started_];
    try {
      service.stop();
    } catch (const std::exception& error) {
      // The rest still have to stop: they may hold the system's settings.
      spdlog::error("Stopping {} failed: {}", service.name(), error.what());
    }
  }
}

}  // namespace clubsafe::agent::runtime
