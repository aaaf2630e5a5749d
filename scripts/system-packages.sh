#!/usr/bin/env bash
# Debian packages the project needs beyond Python: gettext (translation catalogs), chromium,
# and for `make audit`: node >= 18.16 with npm (Lighthouse 12) and a Java runtime (Nu Html Checker).
# Installed only when missing, and only where we may (root); otherwise say what to install.
set -euo pipefail
missing=()
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
# Browser tests drive Debian's Chromium through Playwright (never a downloaded browser).
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages: ${missing[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Please install these Debian packages: ${missing[*]}" >&2
  exit 1
fi
