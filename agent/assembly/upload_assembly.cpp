#include "agent/assembly/upload_assembly.hpp"

#include <algorithm>

namespace clubsafe::agent::assembly {
namespace {

upload::UploaderOptions uploaderOptions(const AgentCore& core) {
  const auto& settings = core.settings;
  upload::UploaderOptions options;
  options.deviceId = core.credentials.deviceId;
  options.batchSize =
      static_cast<std::size_t>(std::max<std::int64_t>(settings.integer("upload.batch_size"), 1));
  options.idleInterval = settings.duration("upload.interval");
  options.backoffInitial = settings.duration("upload.backoff_initial");
  options.backoffMax = settings.duration("upload.backoff_max");
  return options;
}

}  // namespace

UploadAssembly::UploadAssembly(const AgentCore& core)
    : core_(core),
      sender_(core.credentials.serverUrl, core.credentials.trust(),
              core.settings.duration("upload.timeout"), core.credentials.deviceId,
              core.credentials.deviceSecret),
      uploader_(core.outbox, sender_, uploaderOptions(core)) {}

void UploadAssembly::addServices(runtime::ServiceGroup& group) {
  // One request may take upload.timeout to connect and as long again for each answer.
  core_.progress.watch("uploader", uploader_.heartbeat(),
                       std::max(core_.stuckAfter(), 4 * core_.settings.duration("upload.timeout")));
  group.addThread(
      "the uploader", [this] { uploader_.run(); }, [this] { uploader_.stop(); });
}

}  // namespace clubsafe::agent::assembly
