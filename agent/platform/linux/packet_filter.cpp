#include "agent/platform/packet_filter.hpp"

#include <nftables/libnftables.h>

#include <mutex>

namespace clubsafe::agent::platform {
namespace {

// nftables through its own library rather than the nft program: each buffer of commands is
// one kernel transaction, the messages come back as text to log, and nothing depends on PATH.
class Nftables : public PacketFilter {
 public:
  Nftables() : context_(nft_ctx_new(NFT_CTX_DEFAULT)) {
    if (context_ == nullptr) throw PacketFilterError("nftables could not be started.");
    nft_ctx_output_set_flags(context_, NFT_CTX_OUTPUT_STATELESS);
    nft_ctx_buffer_output(context_);
    nft_ctx_buffer_error(context_);
  }
  ~Nftables() override { nft_ctx_free(context_); }
  Nftables(const Nftables&) = delete;
  Nftables& operator=(const Nftables&) = delete;

  void replaceTable(const std::string& table, const std::string& ruleset) override {
    // Declaring the table first makes the delete succeed when there is none yet.
    run("table " + table + "\ndelete table " + table + "\n" + ruleset);
  }

  std::optional<std::string> listTable(const std::string& table) override {
    const std::lock_guard lock(mutex_);
    if (nft_run_cmd_from_buffer(context_, ("list table " + table).c_str()) == 0) {
      return std::string(nft_ctx_get_output_buffer(context_));
    }
    const std::string error = nft_ctx_get_error_buffer(context_);
    // Told apart by the list of tables rather than by the message, which may be translated.
    if (nft_run_cmd_from_buffer(context_, "list tables") == 0) {
      const std::string tables = nft_ctx_get_output_buffer(context_);
      if (tables.find("table " + table + "\n") == std::string::npos) return std::nullopt;
    }
    throw PacketFilterError("nftables could not list the table " + table + ": " + error);
  }

  void deleteTable(const std::string& table) override {
    run("table " + table + "\ndelete table " + table + "\n");
  }

 private:
  void run(const std::string& commands) {
    const std::lock_guard lock(mutex_);
    if (nft_run_cmd_from_buffer(context_, commands.c_str()) != 0) {
      throw PacketFilterError(std::string("nftables refused the rules: ") +
                              nft_ctx_get_error_buffer(context_));
    }
    (void)nft_ctx_get_output_buffer(context_);  // empties it for the next listing
  }

  nft_ctx* context_;
  std::mutex mutex_;  // a context runs one command at a time
};

}  // namespace

std::unique_ptr<PacketFilter> makePacketFilter() {
  return std::make_unique<Nftables>();
}

}  // namespace clubsafe::agent::platform
