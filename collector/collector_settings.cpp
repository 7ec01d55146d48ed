#include "collector/collector_settings.hpp"

#include "collector/mail/mail_settings.hpp"

#include <array>

namespace clubsafe::collector {
namespace {

using common::SettingType;

constexpr auto kCollectorOnly = std::to_array<common::SettingSpec>({
    {"collector.state_dir", SettingType::Text, "/var/lib/clubsafe/collector",
     "Folder for the database, the generated certificate, the first-login file and the "
     "compiled domain index (index/)."},
    {"database.path", SettingType::Text, "",
     "SQLite database file; empty means collector.db in collector.state_dir."},
    {"server.address", SettingType::Text, "0.0.0.0",
     "Address the HTTPS server listens on; 127.0.0.1 keeps it to this machine."},
    {"server.port", SettingType::Integer, "8443", "HTTPS port for the console and the laptops."},
    {"server.public_url", SettingType::Text, "",
     "How laptops reach this server, e.g. https://clubserver:8443; empty means this machine's "
     "name (or server.address) and server.port."},
    {"server.threads", SettingType::Integer, "16", "Requests handled at the same time."},
    {"server.max_connections", SettingType::Integer, "4096",
     "Connections held open at once, idle ones included."},
    {"server.max_connections_per_address", SettingType::Integer, "64",
     "Connections one address may hold open at once; a school or club network behind one "
     "router may need more."},
    {"server.handshake_timeout", SettingType::Seconds, "10",
     "A new connection must finish its TLS handshake within this time."},
    {"server.request_timeout", SettingType::Seconds, "30",
     "A request must arrive whole (headers and body), and its answer be taken, within this time."},
    {"server.idle_timeout", SettingType::Seconds, "15",
     "A kept-alive connection with no new request for this long is closed."},
    {"tls.certificate", SettingType::Text, "",
     "PEM certificate; empty means a self-signed one made on first start in collector.state_dir."},
    {"tls.private_key", SettingType::Text, "", "PEM private key for tls.certificate."},
    {"tls.hostnames", SettingType::Text, "",
     "Extra host names (comma-separated) to put in the self-signed certificate."},
    {"ingest.max_body_bytes", SettingType::Integer, "4194304",
     "Largest event batch accepted from a laptop, in bytes."},
    {"ingest.max_events", SettingType::Integer, "1000", "Most events accepted in one batch."},
    {"auth.lockout_failures", SettingType::Integer, "5",
     "Wrong passwords in a row before a console account is locked."},
    {"auth.lockout_duration", SettingType::Seconds, "900",
     "How long a locked account stays locked."},
    {"auth.session_idle_timeout", SettingType::Seconds, "1800",
     "A console session unused this long ends."},
    {"auth.session_max_age", SettingType::Seconds, "43200", "No console session lives longer."},
    {"auth.max_concurrent_password_checks", SettingType::Integer, "2",
     "Console password checks run at the same time (1 to 64); each takes 32 MiB for about a "
     "tenth of a second. More sign-ins wait their turn."},
    {"auth.password_check_wait", SettingType::Seconds, "5",
     "How long a sign-in waits for a password check before it is told the server is busy "
     "(503) and to try again."},
    {"auth.sign_in_attempts_per_minute", SettingType::Integer, "10",
     "Console sign-in attempts one computer (address) earns back each minute; more are refused "
     "(429) before any password is checked."},
    {"auth.sign_in_burst", SettingType::Integer, "10",
     "Console sign-in attempts one computer may make one after another."},
    {"auth.require_totp_for", SettingType::Text, "",
     "Roles (comma-separated: manager, dsl, worker, trustee) whose holders must use two-step "
     "sign-in with an authenticator app; such a user who has not set it up is taken to set it "
     "up at their next sign-in and can do nothing else until they have. Empty: optional for "
     "everyone. \"dsl,manager\" is recommended once the DSL and managers have a phone with an "
     "authenticator app."},
    {"auth.sign_in_tracked_addresses", SettingType::Integer, "10000",
     "Addresses whose sign-in attempts are remembered (about 100 bytes each); the least "
     "recently seen are forgotten first."},
    {"enrolment.token_lifetime", SettingType::Seconds, "86400",
     "How long an enrolment command from the console stays valid."},
    {"console.offline_after", SettingType::Seconds, "180",
     "A laptop not heard from for this long is shown as offline."},
    {"retention.health_days", SettingType::Integer, "30",
     "Days heartbeats are kept (they only show whether a laptop was reporting)."},
    {"retention.usage_days", SettingType::Integer, "365",
     "Days records of what was used and visited are kept, for the regular audit."},
    {"retention.safeguarding_days", SettingType::Integer, "2190",
     "Days alerts, worries, review requests, overrides and tamper evidence are kept. Set it to "
     "what your safeguarding policy says for safeguarding records."},
    {"retention.rollup_days", SettingType::Integer, "730",
     "Days the dashboard's hourly totals are kept (counts per laptop and member, no sites "
     "visited by name per person); longer than retention.usage_days so a year can be compared "
     "with the one before."},
    {"retention.access_log_days", SettingType::Integer, "2190",
     "Days the access log (who looked at a person's records, alerts and incidents, and when) is "
     "kept; as long as the safeguarding records it tells about, by default."},
    {"retention.member_days", SettingType::Integer, "365",
     "Days a young person stays on the member register without signing in on any laptop; then "
     "their name and age band are taken off it (and off the laptops). At most "
     "retention.rollup_days, where sign-ins are counted."},
    {"retention.check_interval", SettingType::Seconds, "3600",
     "How often events past their retention are deleted."},
    {"review.check_interval", SettingType::Seconds, "60",
     "How often the collector looks for sites allowed for a time (filtering review) whose time "
     "is up, and blocks them again."},
    {"subscriptions.check_interval", SettingType::Seconds, "300",
     "How often the collector looks for subscribed filter lists due for a refresh (each has its "
     "own refresh schedule)."},
    {"club.name", SettingType::Text, "our youth club",
     "The club's name on the first monitoring notice the laptops show; after the first start "
     "the notice (name included) is changed in the console."},
    {"club.timezone", SettingType::Text, "Europe/London",
     "The club's time zone (a name from /usr/share/zoneinfo, e.g. Europe/Dublin): the "
     "dashboard's days and opening hours are in its local time, clock changes included."},
    {"club.opening_hours", SettingType::Text, "",
     "When the club is open, in its local time, e.g. \"tue,thu 18:00-21:00; sat 10:00-13:00\" "
     "(days mon to sun, ranges like mon-fri). The dashboard shows laptops silent while open "
     "and laptops used while closed; empty leaves both out."},
});

// For tests only; never set on a real server.
constexpr std::array<common::SettingSpec, 1> kTestOnly{{
    {"ingest.test_refuse_marker", SettingType::Text, "",
     "TEST ONLY, leave empty: a batch holding an event whose payload contains this text is "
     "refused as malformed (400), so tests can see how a laptop handles a refused event."},
}};

const auto kCollectorSettings = common::joinSettings(
    common::joinSettings(common::joinSettings(common::commonSettings(), kCollectorOnly),
                         mailSettingSpecs()),
    kTestOnly);

}  // namespace

std::span<const common::SettingSpec> collectorSettings() {
  return kCollectorSettings;
}

}  // namespace clubsafe::collector
