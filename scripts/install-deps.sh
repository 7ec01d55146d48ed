#!/usr/bin/env bash
# Installs every system package clubsafe needs to build, run and test on Debian 12.
# Idempotent: safe to run again; apt-get skips what is already there.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "Please run this as root (for example: sudo $0)." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# dnsmasq-base (the program without its system service), dig and dnsperf: the DNS filter's
# integration tests and benchmarks use them as a local upstream and as clients. firefox-esr: the
# browser-history test lets it write a real places.sqlite (headless).
# libx11-dev, libxss-dev and libsystemd-dev: app usage and sessions (foreground window, idle time,
# logind). xvfb, openbox, xdotool, xterm, x11-apps (xlogo) and x11-utils (xprop): the app-usage
# test's real X server, window manager, programs and focus switching.
# libgtkmm-3.0-dev and libnotify-dev: clubsafe-notice's windows and desktop notifications; dunst,
# dbus (dbus-daemon) and imagemagick (import): its desktop test's notification service, session
# bus and screenshots.
# xauth: the app-usage test writes X authority files (X11AuthorityTest); xvfb does not pull it in.
# openssl: the TLS test's s_client and the club certificate it makes. mount (mount, umount): the
# outbox test's small tmpfs. util-linux (setpriv, taskset; Essential, listed for what uses it):
# the end-to-end test runs a program as another user, the DNS benchmark pins servers to CPUs.
# python3: bench/generate_names.py makes the synthetic names of the index benchmark.
# python3-aiosmtpd: the mail test's real SMTP server (STARTTLS and a password required).
# libjs-chart.js: the console's charts, embedded in the collector when it is built.
# libhowardhinnant-date-dev and tzdata: the club's local time zone in the collector's read model.
# libcairo2-dev and libpango1.0-dev (pangocairo) with fonts-dejavu-core: the collector draws the
# audit report's PDF itself (docs/DEPENDENCIES.md). poppler-utils (pdftotext): tests read the
# PDF's text back.
# oathtool: the two-step sign-in test computes its codes (RFC 6238) with it, as a phone's app would.
# libqrencode-dev: the two-step set-up's QR code, which the phone's app scans.
# libnftables-dev: the agent's outbound lock-down (docs/DEPENDENCIES.md); nftables (nft) and
# iproute2 (ip): the young person's toolkit test flushes the rules and builds its own network.
# debootstrap and systemd-container (systemd-nspawn): the system test makes a Debian 12 root and
# boots it, to install, run, upgrade and purge the packages under a real systemd and logind.
# dpkg-dev (dpkg-shlibdeps; build-essential brings it too): CPack works out the packages' Depends.
packages=(
  build-essential cmake ninja-build pkg-config ccache git ca-certificates
  libpoco-dev libspdlog-dev libfmt-dev libsqlite3-dev sqlite3 libssl-dev openssl libpq-dev
  zlib1g-dev libjs-chart.js libhowardhinnant-date-dev tzdata
  libcairo2-dev libpango1.0-dev libnftables-dev nftables iproute2
  libgtest-dev libgmock-dev googletest libbenchmark-dev poppler-utils oathtool libqrencode-dev
  clang clang-format clang-tidy libclang-rt-14-dev
  nodejs chromium firefox-esr fonts-dejavu-core
  curl procps psmisc mount util-linux python3 python3-aiosmtpd
  dnsmasq-base bind9-dnsutils dnsperf
  libx11-dev libxss-dev libsystemd-dev
  xvfb xauth openbox xdotool xterm x11-apps x11-utils
  libgtkmm-3.0-dev libnotify-dev dunst dbus imagemagick
  debootstrap systemd-container dpkg-dev
)

# Debian's nodejs ships npm separately; other nodejs builds already contain it.
command -v npm >/dev/null 2>&1 || packages+=(npm)

# Skip the slow index refresh when everything is already installed.
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "All system packages are already installed."
  exit 0
fi
echo "Installing: ${missing[*]}"
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
