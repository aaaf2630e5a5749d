#!/usr/bin/env bash
# The Debian packages a task needs beyond Python, by group; installed only when missing, and
# only where we may (root with apt-get); otherwise it says what to install and fails.
#   base     gettext: compiled translation catalogs (`make install`, so `make test` and `make demo`)
#   browser  Debian's Chromium and its driver: the browser tests
#   nginx    nginx: tests/deploy/ runs it in front of gunicorn; the shared cache in
#            production (deploy/nginx/). `make browser-deps` installs browser and nginx,
#            which is what `.ci/run` installs before the suite
#   bench    wrk and nginx: `make bench`
#   audit    the browser, node >= 18.16 with npm (Lighthouse 12) and a Java runtime (Nu Html
#            Checker): `make audit`
# Usage: scripts/system-packages.sh GROUP...
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 base|browser|nginx|bench|audit..." >&2; exit 2; }
missing=()
want() {  # want PACKAGE PRESENT-TEST...: PACKAGE is missing unless the test succeeds
  local package=$1; shift
  "$@" >/dev/null 2>&1 || missing+=("$package")
}
# nginx lives in /usr/sbin, outside the PATH of users other than root.
has_nginx() { command -v nginx || test -x /usr/sbin/nginx; }
for group in "$@"; do
  case "$group" in
    base)
      want gettext command -v msgfmt ;;
    nginx)
      want nginx-light has_nginx ;;
    bench)
      want wrk command -v wrk
      want nginx-light has_nginx ;;
    browser|audit)
      # Browser tests drive Debian's Chromium through Playwright (never a downloaded browser).
      want chromium test -x /usr/bin/chromium
      want chromium-driver test -x /usr/bin/chromedriver
      if [ "$group" = audit ]; then
        want nodejs command -v node
        want npm command -v npm
        want default-jre-headless command -v java
      fi ;;
    *)
      echo "$0: unknown group $group (base, browser, nginx, bench, audit)" >&2; exit 2 ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0
# Each group may name the browser: list every package once.
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | awk '!seen[$0]++')
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages: ${missing[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Please install these Debian packages: ${missing[*]}" >&2
  exit 1
fi
