#include "agent/platform/datagram_batch.hpp"

#include <cerrno>
#include <utility>

namespace clubsafe::agent::platform {

DatagramBatch::DatagramBatch(int fd) : fd_(fd), packets_(kSize) {
  for (unsigned i = 0; i < kSize; ++i) {
    packetData_[i] = {packets_[i].data(), packets_[i].size()};
    received_[i].msg_hdr.msg_iov = &packetData_[i];
    received_[i].msg_hdr.msg_iovlen = 1;
    received_[i].msg_hdr.msg_name = &from_[i];
    answers_[i].msg_hdr.msg_iov = &answerData_[i];
    answers_[i].msg_hdr.msg_iovlen = 1;
    answerBytes_[i].reserve(kMaxPacket);
  }
}

int DatagramBatch::receive() {
  for (auto& message : received_) message.msg_hdr.msg_namelen = sizeof(sockaddr_storage);
  return ::recvmmsg(fd_, received_.data(), kSize, MSG_DONTWAIT, nullptr);
}

void DatagramBatch::hold(unsigned i, std::vector<std::uint8_t>& answer) {
  std::swap(answerBytes_[held_], answer);
  answerData_[held_] = {answerBytes_[held_].data(), answerBytes_[held_].size()};
  answers_[held_].msg_hdr.msg_name = &from_[i];
  answers_[held_].msg_hdr.msg_namelen = received_[i].msg_hdr.msg_namelen;
  ++held_;
}

void DatagramBatch::sendHeld() {
  for (unsigned sent = 0; sent < held_;) {
    const int n = ::sendmmsg(fd_, &answers_[sent], held_ - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<unsigned>(n);
    } else if (n < 0 && errno != EINTR) {
      ++sent;
    }
  }
  held_ = 0;
}

}  // namespace clubsafe::agent::platform
