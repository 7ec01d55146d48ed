#pragma once

#include <sys/socket.h>
#include <sys/uio.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace clubsafe::agent::platform {

// One thread's UDP packets on a socket, read and answered a batch at a time with one system call
// each way (recvmmsg and sendmmsg on Linux): on loopback most of an answer's cost is the system
// calls. Allocated once per thread; it points into itself, so it is never copied or moved.
class DatagramBatch {
 public:
  static constexpr unsigned kSize = 32;
  // Longer packets are cut short; DNS queries are well under 512 bytes.
  static constexpr std::size_t kMaxPacket = 4096;

  explicit DatagramBatch(int fd);
  DatagramBatch(const DatagramBatch&) = delete;
  DatagramBatch& operator=(const DatagramBatch&) = delete;

  // Reads what is waiting, up to a batch, without waiting; how many packets came (0 or less:
  // none).
  [[nodiscard]] int receive();
  [[nodiscard]] std::span<const std::uint8_t> packet(unsigned i) const {
    return {packets_[i].data(), received_[i].msg_len};
  }

  // Keeps `answer` (swapped out, so no bytes are copied) to go to the sender of packet i.
  void hold(unsigned i, std::vector<std::uint8_t>& answer);
  // Sends every answer held; one that cannot go (the client's socket is gone) is dropped, as a
  // lost UDP answer is, and the client asks again.
  void sendHeld();

 private:
  int fd_;
  std::vector<std::array<std::uint8_t, kMaxPacket>> packets_;
  std::array<iovec, kSize> packetData_{};
  std::array<sockaddr_storage, kSize> from_{};
  std::array<mmsghdr, kSize> received_{};
  std::array<std::vector<std::uint8_t>, kSize> answerBytes_;
  std::array<iovec, kSize> answerData_{};
  std::array<mmsghdr, kSize> answers_{};
  unsigned held_ = 0;
};

}  // namespace clubsafe::agent::platform
