#include "collector/auth/device_auth.hpp"

#include "common/crypto.hpp"
#include "tests/unit/collector/test_storage.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace clubsafe::collector {
namespace {

using namespace std::chrono_literals;
using testing::at;

const Timestamp kNow = at("2026-11-24T20:00:00.000Z");
const DeviceInfo kLaptop{.name = "Laptop 3",
                         .hostname = "club-laptop-3",
                         .os = "Debian GNU/Linux 12",
                         .agentVersion = "0.1.0"};

class DeviceAuthTest : public ::testing::Test {
 protected:
  DeviceCredentials enrolled() {
    const auto token = auth_.createEnrolmentToken("trolley", "alice", kNow, 24h);
    const auto credentials = auth_.enrol(token.token, kLaptop, kNow);
    if (!credentials) throw std::logic_error("a fresh token did not enrol");
    return *credentials;
  }

  static std::string bearer(const DeviceCredentials& credentials) {
    return "Bearer " + credentials.deviceId + "." + credentials.deviceSecret;
  }

  const Stores& stores() { return test_.stores; }

  testing::TestStorage test_;
  DeviceAuth auth_{test_.stores.devices};
};

TEST_F(DeviceAuthTest, TokenIsStoredOnlyAsItsHash) {
  const auto created = auth_.createEnrolmentToken("trolley", "alice", kNow, 24h);
  EXPECT_EQ(created.token.size(), 43U);  // 256 bits in base64url
  EXPECT_EQ(created.expiresAt, kNow + 24h);
  const auto tokens = stores().devices.listEnrolmentTokens();
  ASSERT_EQ(tokens.size(), 1U);
  EXPECT_EQ(tokens[0].id, created.id);
  EXPECT_EQ(tokens[0].label, "trolley");
  EXPECT_EQ(tokens[0].createdBy, "alice");
}

TEST_F(DeviceAuthTest, TokenEnrolsOnceAndStoresOnlyTheSecretsHash) {
  const auto token = auth_.createEnrolmentToken("trolley", "alice", kNow, 24h);
  const auto credentials = auth_.enrol(token.token, kLaptop, kNow);
  ASSERT_TRUE(credentials.has_value());
  const auto& id = credentials->deviceId;
  EXPECT_TRUE(id.size() == 20 && id.starts_with("dev_") &&
              std::all_of(id.begin() + 4, id.end(),
                          [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }))
      << id;
  EXPECT_EQ(credentials->deviceSecret.size(), 43U);
  EXPECT_EQ(stores().devices.activeDeviceSecretHash(credentials->deviceId),
            common::sha256Hex(credentials->deviceSecret));
  const auto device = stores().devices.findDevice(credentials->deviceId);
  ASSERT_TRUE(device.has_value());
  EXPECT_EQ(device->name, "Laptop 3");
  EXPECT_EQ(device->hostname, "club-laptop-3");
  EXPECT_EQ(device->os, "Debian GNU/Linux 12");
  EXPECT_EQ(device->agentVersion, "0.1.0");

  EXPECT_FALSE(auth_.enrol(token.token, kLaptop, kNow).has_value());
  EXPECT_EQ(stores().devices.listDevices().size(), 1U);
}

TEST_F(DeviceAuthTest, DeadTokensEnrolNothing) {
  const auto expired = auth_.createEnrolmentToken("old", "alice", kNow - 2h, 1h);
  const auto revoked = auth_.createEnrolmentToken("withdrawn", "alice", kNow, 24h);
  ASSERT_TRUE(stores().devices.revokeEnrolmentToken(revoked.id, {}));

  EXPECT_FALSE(auth_.enrol(expired.token, kLaptop, kNow).has_value());
  EXPECT_FALSE(auth_.enrol(revoked.token, kLaptop, kNow).has_value());
  EXPECT_FALSE(auth_.enrol(common::randomToken(32), kLaptop, kNow).has_value());
  EXPECT_FALSE(auth_.enrol("", kLaptop, kNow).has_value());
  EXPECT_TRUE(stores().devices.listDevices().empty());
}

TEST_F(DeviceAuthTest, RightCredentialsAuthenticate) {
  const auto credentials = enrolled();
  EXPECT_EQ(auth_.authenticate(bearer(credentials)), credentials.deviceId);
}

TEST_F(DeviceAuthTest, WrongSecretIsRefused) {
  const auto credentials = enrolled();
  const auto other = enrolled();
  auto tampered = credentials.deviceSecret;
  tampered[0] = tampered[0] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(auth_.authenticate("Bearer " + credentials.deviceId + "." + tampered));
  EXPECT_FALSE(auth_.authenticate("Bearer " + credentials.deviceId + "." + other.deviceSecret));
  EXPECT_FALSE(auth_.authenticate("Bearer dev_0123456789abcdef." + credentials.deviceSecret));
}

TEST_F(DeviceAuthTest, RevokedDeviceIsRefused) {
  const auto credentials = enrolled();
  ASSERT_TRUE(stores().devices.revokeDevice(credentials.deviceId, {}));
  EXPECT_FALSE(auth_.authenticate(bearer(credentials)).has_value());
}

TEST_F(DeviceAuthTest, MalformedHeadersAreRefused) {
  const auto credentials = enrolled();
  const auto& id = credentials.deviceId;
  const auto& secret = credentials.deviceSecret;
  const std::vector<std::string> malformed = {
      "",
      "Bearer",
      "Bearer ",
      "Bearer .",
      "bearer " + id + "." + secret,
      "Basic " + id + "." + secret,
      "Bearer  " + id + "." + secret,
      " Bearer " + id + "." + secret,
      "Bearer " + id + "." + secret + " ",
      "Bearer " + id + "." + secret + "\n",
      "Bearer " + id,
      "Bearer " + id + ".",
      "Bearer ." + secret,
      "Bearer " + id + ":" + secret,
      "Bearer " + id + "." + secret + ".x",
      "Bearer " + id + "." + secret + "=",
      "Bearer " + id + "x." + secret,
      "Bearer " + id.substr(0, id.size() - 1) + "." + secret,
      "Bearer " + id.substr(4) + "." + secret,
      "Bearer DEV_" + id.substr(4) + "." + secret,
      "Bearer " + std::string(1, '\0') + id + "." + secret,
      "Bearer " + id + "." + std::string(200, 'A'),
  };
  for (const auto& header : malformed) {
    EXPECT_FALSE(auth_.authenticate(header).has_value()) << header;
  }
  EXPECT_EQ(auth_.authenticate(bearer(credentials)), id);
}

}  // namespace
}  // namespace clubsafe::collector
