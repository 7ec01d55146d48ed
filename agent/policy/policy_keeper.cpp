#include "agent/policy/policy_keeper.hpp"

#include "agent/platform/private_file.hpp"
#include "agent/policy/policy_files.hpp"
#include "common/crypto.hpp"
#include "common/domain_index/mapped_file.hpp"

#include <Poco/Exception.h>

#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace clubsafe::agent::policy {

namespace di = common::domain_index;

namespace {

constexpr const char* kPolicyPath = "/api/device/v1/policy";
constexpr const char* kIndexPath = "/api/device/v1/index";
// Fifty profiles with two full lists of 10,000 names each come to about 30 MB.
constexpr std::uint64_t kMaxPolicyBytes = 64ULL * 1024 * 1024;

std::string fileSha256(const std::string& path) {
  const di::MappedFile file(path);
  const auto bytes = file.bytes();
  return common::sha256Hex({reinterpret_cast<const char*>(bytes.data()), bytes.size()});
}

std::string answered(const client::Reply& reply) {
  return "the collector answered " + std::to_string(reply.status) + " (" + reply.errorMessage() +
         ")";
}

void removeQuietly(const std::string& path) {
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
}

}  // namespace

PolicyKeeper::PolicyKeeper(PolicyKeeperOptions options, ActiveProfile& active,
                           client::CollectorClient* client, std::string bearerToken)
    : options_(std::move(options)),
      active_(active),
      client_(client),
      bearerToken_(std::move(bearerToken)),
      backoff_(options_.backoffInitial, options_.backoffMax) {}

bool PolicyKeeper::start() {
  const auto path = policyPath(options_.stateDir);
  std::optional<common::Policy> cached;
  try {
    if (const auto text = platform::readFileIfExists(path)) cached = common::parsePolicy(*text);
  } catch (const platform::FileError& error) {
    spdlog::error("{} The built-in profile applies until the collector sends a policy.",
                  error.what());
  } catch (const common::PolicyError& error) {
    spdlog::error(
        "The cached policy {} is broken ({}). The built-in profile applies until the "
        "collector sends a policy.",
        path, error.what());
  }
  if (!cached) {
    const std::lock_guard lock(mutex_);
    apply(options_.builtIn, builtInIndex_, "the built-in profile (filter.* settings)");
    return false;
  }
  std::shared_ptr<const di::DomainIndex> index;
  std::string sha256;
  if (cached->index) {
    const auto file = indexPath(options_.stateDir);
    try {
      index = di::DomainIndex::open(file);
      sha256 = fileSha256(file);
      if (sha256 != cached->index->sha256) {
        // A stop between renaming the index and writing the policy leaves the next index
        // beside the last policy. Its categories are found by name, so it still serves.
        spdlog::warn(
            "The cached domain index {} is not the one policy {} names; it is used until "
            "the collector sends the right one.",
            file, cached->version);
      }
    } catch (const std::exception& error) {
      spdlog::error(
          "{} Policy {} is enforced without its domain index (no category is blocked) "
          "until the collector sends it.",
          error.what(), cached->version);
      index.reset();
      sha256.clear();
    }
  }
  const std::lock_guard lock(mutex_);
  fromCollector_ = true;
  version_ = cached->version;
  indexSha256_ = sha256;
  policyIndex_ = index;
  apply(std::move(*cached), std::move(index), "the cache (" + path + ")");
  return true;
}

void PolicyKeeper::setBuiltInIndex(std::shared_ptr<const di::DomainIndex> index) {
  const std::lock_guard lock(mutex_);
  builtInIndex_ = std::move(index);
  if (!fromCollector_) {
    apply(options_.builtIn, builtInIndex_, "the built-in profile (filter.* settings)");
  }
}

PolicyKeeper::Outcome PolicyKeeper::refresh() {
  if (client_ == nullptr) return Outcome::Unchanged;
  const auto unreachable = [this](const std::string& why) {
    const std::lock_guard lock(mutex_);
    if (!unreachableSaid_) {
      spdlog::warn(
          "Cannot fetch the filtering policy from {}: {}. The DNS filter goes on with "
          "what it has and asks again later.",
          client_->serverUrl(), why);
      unreachableSaid_ = true;
    }
    return Outcome::Unreachable;
  };
  std::string etag;
  {
    const std::lock_guard lock(mutex_);
    etag = etag_;
  }
  client::Reply reply;
  try {
    reply = client_->get(kPolicyPath, bearerToken_, etag, kMaxPolicyBytes);
  } catch (const Poco::Exception& error) {
    return unreachable(error.displayText());
  }
  if (reply.status == 304) {
    const std::lock_guard lock(mutex_);
    unreachableSaid_ = false;
    return Outcome::Unchanged;
  }
  if (reply.status != 200) return unreachable(answered(reply));

  std::optional<common::Policy> policy;
  try {
    policy = common::parsePublishedPolicy(reply.body);
  } catch (const common::PolicyError& error) {
    const std::lock_guard lock(mutex_);
    unreachableSaid_ = false;
    etag_ = reply.etag;  // not asked for again until it changes
    spdlog::error(
        "The collector sent a filtering policy this agent cannot use ({}). The DNS "
        "filter keeps {}; check the collector's version.",
        error.what(),
        fromCollector_ ? "policy " + std::to_string(version_) : "the built-in profile");
    return Outcome::Refused;
  }
  {
    const std::lock_guard lock(mutex_);
    unreachableSaid_ = false;
    if (!policy) {
      etag_ = reply.etag;
      if (!noPolicySaid_) {
        spdlog::info(
            "The collector has no filtering policy yet: the built-in profile "
            "(filter.* settings) stays in force.");
        noPolicySaid_ = true;
      }
      return Outcome::NoPolicyYet;
    }
    if (fromCollector_ && policy->version == version_ &&
        (policy->index ? policy->index->sha256 : std::string()) == indexSha256_) {
      etag_ = reply.etag;
      return Outcome::Unchanged;
    }
  }

  const auto fetched = indexFor(*policy);
  if (fetched.outcome != Outcome::Applied) return fetched.outcome;
  try {
    platform::writePrivateFile(policyPath(options_.stateDir), reply.body);
  } catch (const platform::FileError& error) {
    spdlog::warn("{} Policy {} is in force but will not be after a restart without the collector.",
                 error.what(), policy->version);
  }
  const std::lock_guard lock(mutex_);
  fromCollector_ = true;
  etag_ = reply.etag;
  version_ = policy->version;
  indexSha256_ = policy->index ? policy->index->sha256 : std::string();
  policyIndex_ = fetched.index;
  apply(std::move(*policy), fetched.index, "the collector");
  return Outcome::Applied;
}

PolicyKeeper::Fetched PolicyKeeper::indexFor(const common::Policy& policy) {
  if (!policy.index) return {nullptr, Outcome::Applied};
  {
    const std::lock_guard lock(mutex_);
    if (policyIndex_ && policy.index->sha256 == indexSha256_) {
      return {policyIndex_, Outcome::Applied};
    }
  }
  const auto file = indexPath(options_.stateDir);
  const auto download = file + ".download";
  const auto refuse = [&](const std::string& why) {
    removeQuietly(download);
    spdlog::error(
        "The domain index the collector sent for policy {} is not usable: {}. The DNS "
        "filter keeps what it has and asks again later.",
        policy.version, why);
    return Fetched{nullptr, Outcome::Refused};
  };
  client::Reply reply;
  try {
    reply = client_->download(kIndexPath, bearerToken_, {}, download, policy.index->bytes);
  } catch (const Poco::DataFormatException& error) {
    return refuse(error.message());
  } catch (const Poco::Exception& error) {
    removeQuietly(download);
    spdlog::warn(
        "Cannot fetch the domain index of policy {} from {}: {}. The DNS filter keeps "
        "what it has and asks again later.",
        policy.version, client_->serverUrl(), error.displayText());
    return {nullptr, Outcome::Unreachable};
  }
  if (reply.status != 200) {
    removeQuietly(download);
    // The collector may have published a newer policy meanwhile; the next look finds it.
    spdlog::warn(
        "Cannot fetch the domain index of policy {}: {}. The DNS filter keeps what it "
        "has and asks again later.",
        policy.version, answered(reply));
    return {nullptr, Outcome::Unreachable};
  }
  std::shared_ptr<const di::DomainIndex> index;
  try {
    if (const auto bytes = std::filesystem::file_size(download); bytes != policy.index->bytes) {
      return refuse(std::to_string(bytes) + " bytes where the policy says " +
                    std::to_string(policy.index->bytes));
    }
    if (fileSha256(download) != policy.index->sha256) {
      return refuse("its SHA-256 is not the one the policy names");
    }
    index = di::DomainIndex::open(download);
  } catch (const std::exception& error) {
    return refuse(error.what());
  }
  std::error_code error;
  std::filesystem::rename(download, file, error);
  if (error) {
    // The index is open and mapped, so it serves now; only the cache for the next start fails.
    spdlog::warn("Cannot keep the domain index as {}: {}.", file, error.message());
  }
  spdlog::info("Fetched the domain index of policy {} ({} names, {} bytes).", policy.version,
               index->entryCount(), policy.index->bytes);
  return {std::move(index), Outcome::Applied};
}

void PolicyKeeper::apply(common::Policy policy, std::shared_ptr<const di::DomainIndex> index,
                         const std::string& source) {
  std::vector<std::string> unknown;
  const auto version = policy.version;
  const auto compiled = dns::CompiledPolicy::compile(std::move(policy), std::move(index), &unknown);
  const auto current = active_.setPolicy(compiled);
  if (options_.onPolicy) options_.onPolicy(compiled->policy());
  if (version > 0) {
    spdlog::info("Filtering policy {} from {} is in force; profile \"{}\" applies.", version,
                 source, current.profileId);
  } else {
    spdlog::info("Filtering follows {}.", source);
  }
  if (!unknown.empty()) {
    // One line, however many: a club that has imported few lists would otherwise get dozens.
    spdlog::warn(
        "{} blocked categories are not in the domain index, so they block nothing until "
        "their lists are imported on the console's Filtering page: {}.",
        unknown.size(), fmt::join(unknown, ", "));
  }
}

void PolicyKeeper::run() {
  std::unique_lock lock(runMutex_);
  while (!stopping_) {
    heartbeat_.beat();
    lock.unlock();
    const auto outcome = refresh();
    auto wait = options_.refreshInterval;
    if (outcome == Outcome::Unreachable) {
      wait = backoff_.next();
    } else if (outcome == Outcome::Refused) {
      // A refused index is fetched again with its policy: not more often than the interval.
      wait = std::max(wait, backoff_.next());
    } else {
      backoff_.reset();
    }
    lock.lock();
    (void)runtime::waitBeating(wake_, lock, wait, heartbeat_, [this] { return stopping_; });
  }
}

void PolicyKeeper::stop() {
  {
    const std::lock_guard lock(runMutex_);
    stopping_ = true;
  }
  wake_.notify_all();
}

}  // namespace clubsafe::agent::policy
