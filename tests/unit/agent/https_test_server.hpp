#pragma once

#include "common/tls.hpp"
#include "tests/support/temp_dir.hpp"

#include <Poco/Crypto/X509Certificate.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/StreamCopier.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace clubsafe::agent::testing {

// A real HTTPS server on 127.0.0.1 with a fresh self-signed certificate, answering each path
// with a scripted status and body and remembering what it was sent: the collector's side of
// the wire, for testing the agent's TLS pinning and status handling without the collector.
class HttpsTestServer {
 public:
  struct Answer {
    int status = 200;
    std::string body;
    std::string etag{};  // when set: sent as ETag, and a request with If-None-Match equal gets 304
  };
  struct Received {
    std::string path;
    std::string authorization;
    std::string body;
    std::string ifNoneMatch{};
  };

  HttpsTestServer() {
    writeSelfSignedCertificate(dir_.file("cert.pem"), dir_.file("key.pem"));
    fingerprint_ =
        common::certificateFingerprint(Poco::Crypto::X509Certificate(dir_.file("cert.pem")));
    Poco::Net::SecureServerSocket socket(
        Poco::Net::SocketAddress("127.0.0.1", 0),
        64, common::makeServerContext(dir_.file("cert.pem"), dir_.file("key.pem")));
    port_ = socket.address().port();
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket,
                                                      new Poco::Net::HTTPServerParams);
    server_->start();
  }
  ~HttpsTestServer() { server_->stopAll(true); }
  HttpsTestServer(const HttpsTestServer&) = delete;
  HttpsTestServer& operator=(const HttpsTestServer&) = delete;

  void answer(const std::string& path, Answer answer) {
    const std::lock_guard lock(mutex_);
    answers_[path] = std::move(answer);
  }
  [[nodiscard]] std::vector<Received> received() {
    const std::lock_guard lock(mutex_);
    return received_;
  }
  [[nodiscard]] std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] const std::string& fingerprint() const { return fingerprint_; }
  [[nodiscard]] std::string certificateFile() const { return dir_.file("cert.pem"); }

 private:
  class Handler : public Poco::Net::HTTPRequestHandler {
   public:
    explicit Handler(HttpsTestServer& server) : server_(server) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
      Received received{request.getURI(), request.get("Authorization", ""), {},
                        request.get("If-None-Match", "")};
      Poco::StreamCopier::copyToString(request.stream(), received.body);
      Answer answer{404, R"({"error": "no such path"})"};
      {
        const std::lock_guard lock(server_.mutex_);
        server_.received_.push_back(received);
        if (const auto found = server_.answers_.find(received.path); found != server_.answers_.end()) {
          answer = found->second;
        }
      }
      if (!answer.etag.empty()) {
        response.set("ETag", answer.etag);
        if (received.ifNoneMatch == answer.etag) answer = {304, {}, answer.etag};
      }
      response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
      response.setContentType("application/json");
      response.sendBuffer(answer.body.data(), answer.body.size());
    }

   private:
    HttpsTestServer& server_;
  };

  class Factory : public Poco::Net::HTTPRequestHandlerFactory {
   public:
    explicit Factory(HttpsTestServer& server) : server_(server) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
      return new Handler(server_);
    }

   private:
    HttpsTestServer& server_;
  };

  static void writeSelfSignedCertificate(const std::string& certFile, const std::string& keyFile) {
    const std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), &EVP_PKEY_free);
    const std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), &X509_free);
    if (!key || !cert) throw std::runtime_error("could not make a test key");
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
      throw std::runtime_error("could not sign the test certificate");
    }
    const auto write = [](const std::string& path, const auto& writer) {
      const std::unique_ptr<FILE, decltype(&std::fclose)> file(std::fopen(path.c_str(), "w"),
                                                               &std::fclose);
      if (!file || writer(file.get()) != 1) throw std::runtime_error("could not write " + path);
    };
    write(keyFile, [&](FILE* file) {
      return PEM_write_PrivateKey(file, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    });
    write(certFile, [&](FILE* file) { return PEM_write_X509(file, cert.get()); });
  }

  clubsafe::testing::TempDir dir_;
  std::string fingerprint_;
  std::uint16_t port_ = 0;
  std::mutex mutex_;
  std::map<std::string, Answer> answers_;
  std::vector<Received> received_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace clubsafe::agent::testing
