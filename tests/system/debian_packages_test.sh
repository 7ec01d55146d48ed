#!/usr/bin/env bash
# The system test (ctest label "system"): builds the Debian packages, boots Debian 12 in
# systemd-nspawn (a real systemd and logind, no network but its own loopback) and, as a club
# would, installs the collector, then the agent on the same machine, enrols it, uses it, kills
# it, upgrades both, removes and purges them, checking each step on the way. Run as root.
#
# Usage: debian_packages_test.sh BUILD_DIR
#   BUILD_DIR: a configured build folder whose clubsafe-agent, clubsafe-collector and
#   clubsafe-notice are packaged (scripts/run-tests.sh passes its Release build).
# KEEP=1 leaves a failed run's Debian booted and says how to look inside.
# The Debian root (debootstrap, then the packages' dependencies) is made once and kept in
# /var/cache/clubsafe-system-test; each run boots an overlay of it, so the cache stays clean.
set -euo pipefail

build_dir=$(readlink -f "$1")
# systemd-nspawn needs / to be a mount point and a cgroup file system: neither is there in a
# plain chroot (such as ../shared/tools/fresh-debian.sh makes), where the test is skipped.
if ! mountpoint -q / || ! mountpoint -q /sys/fs/cgroup; then
  echo "system test skipped: systemd-nspawn cannot boot a container here (/ is not a mount point"
  echo "or no cgroup file system is mounted at /sys/fs/cgroup: a chroot?)"
  exit 77
fi
cache=/var/cache/clubsafe-system-test
base=$cache/bookworm
started=$SECONDS
mkdir -p "$cache"
exec 9>"$cache/lock"
flock 9  # one run at a time: the base root must not change under a booted overlay

work=$(mktemp -d /var/tmp/clubsafe-system-test.XXXXXX)
root=$work/root
nspawn=""
leader=""
cleanup() {
  local status=$?
  if [ "$status" -ne 0 ] && [ "${KEEP:-0}" = 1 ]; then
    echo "kept: nsenter --target $leader --all; then kill $nspawn, umount $root, rm -rf $work"
    return
  fi
  if [ -n "$nspawn" ] && kill -0 "$nspawn" 2>/dev/null; then
    if [ "$status" -ne 0 ]; then
      inside 'journalctl -b --no-pager -n 150 -u clubsafe-agent -u clubsafe-collector' || true
    fi
    kill -TERM "$nspawn"
    wait "$nspawn" 2>/dev/null || true
  fi
  mountpoint -q "$root" && umount "$root"
  rm -rf "$work"
  echo "system test: $((SECONDS - started)) s in all"
}
trap cleanup EXIT

step() { echo "[system test $((SECONDS - started)) s] $*"; }
fail() {
  echo "FAILED: $*" >&2
  exit 1
}

# --- The packages, and an upgrade: the same with a higher version --------------------------
step "building the packages from $build_dir"
cmake --build "$build_dir" -j2 --target clubsafe-agent clubsafe-collector clubsafe-notice >/dev/null
cpack --config "$build_dir/CPackConfig.cmake" -G DEB -B "$work/v1" >/dev/null
version=$(dpkg-deb -f "$work"/v1/clubsafe-collector_*.deb Version)
upgrade=$version+systemtest1
mkdir -p "$work/v2"
for deb in "$work"/v1/*.deb; do
  rm -rf "$work/unpacked"
  dpkg-deb -R "$deb" "$work/unpacked"
  sed -i "s/^Version: .*/Version: $upgrade/" "$work/unpacked/DEBIAN/control"
  dpkg-deb -Zgzip -z1 --root-owner-group -b "$work/unpacked" \
    "$work/v2/$(basename "${deb/$version/$upgrade}")" >/dev/null
done

# --- The Debian root, made once ------------------------------------------------------------
if [ ! -f "$base/.done" ]; then
  step "making the Debian 12 root in $base (once)"
  mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  rm -rf "$base"
  debootstrap --variant=minbase \
    --include=systemd-sysv,systemd,dbus,libpam-systemd,ca-certificates,curl,sqlite3,procps \
    bookworm "$base" "$mirror" >"$cache/debootstrap.log" 2>&1 || fail "debootstrap (see $cache/debootstrap.log)"
  touch "$base/.done"
fi
# What the packages depend on, installed in the base root when missing (the packages themselves
# are installed fresh in each run), so a run needs no network; netcat-openbsd, which talks
# to the notice socket as a person's notice program would; systemd-resolved, off until the
# test starts it (its package makes it the resolver, which the base root's start undoes).
missing=()
touch "$base/.dependencies"  # those installed before: some are names other packages provide
for dependency in $(for deb in "$work"/v1/*.deb; do dpkg-deb -f "$deb" Depends; done |
  tr ',' '\n' | sed 's/(.*)//; s/ //g' | sort -u) netcat-openbsd systemd-resolved; do
  grep -qxF "$dependency" "$base/.dependencies" ||
    chroot "$base" dpkg-query -W -f='${Status}' "$dependency" 2>/dev/null | grep -q 'install ok installed' ||
    missing+=("$dependency")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "installing the packages' dependencies in the base root: ${missing[*]}"
  systemd-nspawn --register=no --keep-unit -q --resolv-conf=off -D "$base" /bin/sh -c \
    "cp /etc/resolv.conf /etc/resolv.conf.plain && apt-get update -q &&
     DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ${missing[*]} &&
     apt-get clean && systemctl disable systemd-resolved.service 2>/dev/null;
     rm -f /etc/resolv.conf && mv /etc/resolv.conf.plain /etc/resolv.conf" \
    >"$cache/dependencies.log" 2>&1 || fail "installing dependencies (see $cache/dependencies.log)"
  printf '%s\n' "${missing[@]}" >>"$base/.dependencies"
fi

# --- Boot ----------------------------------------------------------------------------------
mkdir -p "$work/upper" "$work/overlay-work" "$root"
mount -t overlay overlay -o "lowerdir=$base,upperdir=$work/upper,workdir=$work/overlay-work" "$root"
mkdir -p "$root/root/packages"
cp -r "$work/v1" "$work/v2" "$root/root/packages/"
step "booting"
systemd-nspawn --register=no --keep-unit --boot --private-network -D "$root" >"$work/console.log" 2>&1 &
nspawn=$!
for _ in $(seq 100); do
  leader=$(pgrep -P "$nspawn" -x systemd || true)
  [ -n "$leader" ] && break
  sleep 0.1
done
[ -n "$leader" ] || fail "the container did not start: $(cat "$work/console.log")"

# Runs a shell command inside the booted Debian.
inside() {
  nsenter --target "$leader" --all env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 /bin/sh -c "$1"
}
# Waits up to $2 seconds for the command $1 to succeed inside; fails the test with $3.
wait_inside() {
  local deadline=$((SECONDS + $2))
  until inside "$1" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || fail "$3"
    sleep 0.5
  done
}
wait_inside 'systemctl is-system-running | grep -Eq "running|degraded"' 60 "the container did not boot"
database=/var/lib/clubsafe/collector/collector.db
# Counts the collector's events matching an SQL condition (read-only, beside the collector).
count_events() { inside "sqlite3 -readonly $database \"SELECT COUNT(*) FROM events_as_text WHERE $1\""; }
# Waits up to $2 seconds for an event matching the condition $1 at the collector; fails with $3.
wait_for_event() {
  wait_inside "[ \$(sqlite3 -readonly $database \"SELECT COUNT(*) FROM events_as_text WHERE $1\") -gt 0 ]" \
    "$2" "$3"
}

# --- The server ----------------------------------------------------------------------------
step "installing clubsafe-collector $version"
inside "apt-get install -y -q /root/packages/v1/clubsafe-collector_*.deb" >"$work/collector-install.log" 2>&1 ||
  fail "apt install of the collector: $(cat "$work/collector-install.log")"
grep -q "Console:  https://" "$work/collector-install.log" || fail "postinst did not show the console's address"
grep -q "first-login.txt" "$work/collector-install.log" || fail "postinst did not say where the password is"
inside 'systemctl is-active -q clubsafe-collector' || fail "the collector service is not active"
user=$(inside 'ps -o user= -p "$(systemctl show -p MainPID --value clubsafe-collector)"')
[ "$user" = clubsafe ] || fail "the collector runs as '$user', not as its own user clubsafe"
inside 'grep -q "^password ." /var/lib/clubsafe/collector/first-login.txt' ||
  fail "no one-time password in /var/lib/clubsafe/collector/first-login.txt (README)"
password=$(inside 'sed -n "s/^password //p" /var/lib/clubsafe/collector/first-login.txt')
inside "journalctl -q -u clubsafe-collector | grep -qF -- '$password'" &&
  fail "the one-time password is in the journal"
status=$(inside 'curl -sk -o /dev/null -w "%{http_code}" https://127.0.0.1:8443/')
[ "$status" = 200 ] || fail "the console did not answer over TLS (HTTP status '$status')"
inside 'clubsafe-collector backup --to /root/first.db' >/dev/null || fail "backup of the running collector"

# --- A laptop: the agent on the same machine, enrolled --------------------------------------
step "a list to block, and installing clubsafe-agent $version"
inside 'printf "casino-systemtest.example\n" >/tmp/test-list.txt && chmod 644 /tmp/test-list.txt &&
  clubsafe-collector import-list --category gambling --format plain --file /tmp/test-list.txt' >/dev/null ||
  fail "import-list as root"
inside "apt-get install -y -q /root/packages/v1/clubsafe-agent_*.deb" >"$work/agent-install.log" 2>&1 ||
  fail "apt install of the agent: $(cat "$work/agent-install.log")"
grep -q "clubsafe-agent enrol" "$work/agent-install.log" || fail "postinst did not show how to enrol"
inside 'cp /etc/resolv.conf /root/resolv.conf.before'
command=$(inside 'clubsafe-collector create-enrolment-token system-test')
fingerprint=$(sed -n 's/.*--fingerprint \([^ ]*\).*/\1/p' <<<"$command")
token=$(sed -n 's/.*--token \([^ ]*\).*/\1/p' <<<"$command")
[ -n "$token" ] || fail "no enrolment command: $command"
inside "clubsafe-agent enrol --server https://127.0.0.1:8443 --fingerprint $fingerprint --token $token" >/dev/null ||
  fail "enrolment"
inside 'systemctl start clubsafe-agent' || fail "the agent did not start"
wait_inside 'systemctl is-active -q clubsafe-agent' 30 "the agent service is not active"
wait_inside 'grep -q "^nameserver 127.0.0.1" /etc/resolv.conf' 30 "resolv.conf does not point at the agent"
[ "$(inside 'readlink /etc/resolv.conf')" = /run/clubsafe/resolv.conf ] ||
  fail "resolv.conf is not the link to the agent's file"
# The sandbox: / read-only to the agent (ProtectSystem=strict), /etc included.
inside 'awk '"'"'$5 == "/" {print $6}'"'"' /proc/$(systemctl show -p MainPID --value clubsafe-agent)/mountinfo' |
  grep -q '^ro' || fail "the agent can write /etc"
wait_inside 'getent ahosts casino-systemtest.example | grep -q "^127.0.0.2 "' 60 \
  "the blocked name did not get the block answer through the system resolver"

# --- A person logs in: a real logind session ------------------------------------------------
# su on a terminal (script gives it one), as at a laptop's console: without a terminal logind
# makes a "background" session, which is nobody at the laptop.
step "a login through PAM"
inside 'useradd -m -s /bin/sh member1 &&
  setsid script -qc "su - member1 -c \"sleep 120\"" /dev/null >/dev/null 2>&1 </dev/null &'
wait_inside 'loginctl list-sessions --no-legend | grep -q member1' 20 "logind has no session for member1"
wait_for_event "type = 'session' AND os_user = 'member1'" 60 "the collector has no session event of member1"
# The notice socket answers the account with a session and closes on one without.
cat >"$root/usr/local/bin/notice-hello" <<'HELLO'
#!/bin/sh
printf '{"type":"hello","id":1}\n' | setpriv --reuid="$1" --regid="$1" --init-groups \
  nc -U -W 1 -w 5 /run/clubsafe/notice.sock
HELLO
chmod 755 "$root/usr/local/bin/notice-hello"
inside 'useradd -m -s /bin/sh member2'
inside '/usr/local/bin/notice-hello member1' | grep -q '"notice"' ||
  fail "the notice socket did not answer member1"
[ -z "$(inside '/usr/local/bin/notice-hello member2' || true)" ] ||
  fail "the notice socket answered member2, who has no session"

# --- Killed: systemd restarts it, and the collector hears of the unclean stop ---------------
step "systemctl kill -s KILL clubsafe-agent"
first_pid=$(inside 'systemctl show -p MainPID --value clubsafe-agent')
inside 'systemctl kill -s KILL clubsafe-agent'
wait_inside "[ \"\$(systemctl show -p MainPID --value clubsafe-agent)\" != $first_pid ] && systemctl is-active -q clubsafe-agent" \
  30 "the agent did not come back after being killed"
wait_for_event "type = 'tamper' AND payload LIKE '%unclean_stop%'" 60 "no unclean-stop event at the collector"

# --- A stuck source: reported, then systemd's watchdog restarts the agent --------------------
step "a stuck source trips the watchdog"
dropin=/etc/systemd/system/clubsafe-agent.service.d
inside "mkdir -p $dropin && printf '[Service]\nWatchdogSec=20\n' >$dropin/watchdog-test.conf &&
  cp /etc/clubsafe/agent.properties /root/agent.properties.before &&
  printf 'recording.stuck_after = 2\nrecording.test_stuck_for = 600\n' >>/etc/clubsafe/agent.properties &&
  systemctl daemon-reload && systemctl restart clubsafe-agent"
wait_for_event "type = 'tamper' AND payload LIKE '%source_stuck%'" 40 "no source_stuck event at the collector"
wait_inside 'journalctl -u clubsafe-agent --no-pager | grep -q "Watchdog timeout"' 60 \
  "the watchdog did not restart the agent with a stuck source"
# Back to the packaged settings; a clean stop would wait for the stuck look, so it is killed.
stuck_pid=$(inside 'systemctl show -p MainPID --value clubsafe-agent')
inside "rm -r $dropin && cp /root/agent.properties.before /etc/clubsafe/agent.properties &&
  systemctl daemon-reload && systemctl kill -s KILL clubsafe-agent"
wait_inside "[ \"\$(systemctl show -p MainPID --value clubsafe-agent)\" != $stuck_pid ] && systemctl is-active -q clubsafe-agent" \
  30 "the agent did not come back with its packaged settings"

# --- The same with systemd-resolved as the system's resolver --------------------------------
step "the same with systemd-resolved running"
inside 'systemctl stop clubsafe-agent && cmp -s /etc/resolv.conf /root/resolv.conf.before' ||
  fail "a clean stop did not give resolv.conf back"
stub=../run/systemd/resolve/stub-resolv.conf
inside "systemctl start systemd-resolved && ln -sf $stub /etc/resolv.conf && systemctl start clubsafe-agent"
wait_inside '[ -f /etc/systemd/resolved.conf.d/clubsafe.conf ]' 30 "the agent did not set systemd-resolved up"
wait_inside 'getent ahosts casino-systemtest.example | grep -q "^127.0.0.2 "' 60 \
  "with systemd-resolved, the blocked name did not get the block answer"
inside 'systemctl stop clubsafe-agent'
inside "[ ! -e /etc/systemd/resolved.conf.d/clubsafe.conf ] && [ \"\$(readlink /etc/resolv.conf)\" = $stub ]" ||
  fail "a clean stop did not give systemd-resolved its settings back"
inside 'systemctl stop systemd-resolved && rm /etc/resolv.conf && cp /root/resolv.conf.before /etc/resolv.conf &&
  systemctl start clubsafe-agent'
wait_inside 'systemctl is-active -q clubsafe-agent' 30 "the agent did not start again without systemd-resolved"

# --- Upgrade: state and enrolment kept ------------------------------------------------------
step "upgrading both to $upgrade"
events_before=$(count_events 1)
inside "apt-get install -y -q /root/packages/v2/clubsafe-collector_*.deb /root/packages/v2/clubsafe-agent_*.deb" \
  >"$work/upgrade.log" 2>&1 || fail "apt upgrade: $(cat "$work/upgrade.log")"
for package in clubsafe-collector clubsafe-agent; do
  installed=$(inside "dpkg-query -W -f='\${Version}' $package")
  [ "$installed" = "$upgrade" ] || fail "$package is $installed after the upgrade"
  wait_inside "systemctl is-active -q $package" 30 "$package is not active after the upgrade"
done
[ "$(count_events 1)" -ge "$events_before" ] || fail "events were lost in the upgrade"
inside 'clubsafe-agent status' >/dev/null || fail "the agent is not enrolled after the upgrade"

# --- Removal gives the resolver back; purge deletes the state -------------------------------
step "removing and purging"
inside 'apt-get remove -y -q clubsafe-agent' >/dev/null || fail "apt remove clubsafe-agent"
inside 'cmp -s /etc/resolv.conf /root/resolv.conf.before' || fail "resolv.conf was not given back on removal"
inside '[ -f /var/lib/clubsafe/agent/credentials.json ]' || fail "remove deleted the agent's state"
inside 'apt-get purge -y -q clubsafe-agent' >/dev/null || fail "apt purge clubsafe-agent"
inside '[ ! -e /var/lib/clubsafe/agent ]' || fail "purge left the agent's state"
inside 'apt-get remove -y -q clubsafe-collector' >/dev/null || fail "apt remove clubsafe-collector"
inside '! systemctl is-active -q clubsafe-collector && [ -f /var/lib/clubsafe/collector/collector.db ]' ||
  fail "remove left the collector running or deleted its database"
inside 'apt-get purge -y -q clubsafe-collector' >/dev/null || fail "apt purge clubsafe-collector"
inside '[ ! -e /var/lib/clubsafe ]' || fail "purge left /var/lib/clubsafe"
step "passed"
