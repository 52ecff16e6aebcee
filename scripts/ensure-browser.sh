#!/usr/bin/env bash
# The end-to-end tests drive Debian's chromium through Playwright (no browser download is possible
# here). Install it with apt when missing and we are allowed to; otherwise say how.
set -uo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing chromium and CJK fonts for the browser tests (apt-get)..."
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }
else
  echo "NOTE: /usr/bin/chromium is missing; install it with: sudo apt-get install chromium fonts-noto-cjk" >&2
  echo "      (the browser tests fail without it)." >&2
fi
exit 0
