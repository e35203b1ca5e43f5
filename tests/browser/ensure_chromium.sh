#!/usr/bin/env bash
# The browser tests drive the system's Chromium (Debian's `chromium`, with CJK fonts): install it when it is missing
# and this user may (root with apt-get). Otherwise say so; the browser tests then skip with the same advice.
set -u
if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "noto sans cjk"; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing chromium and fonts-noto-cjk for the browser tests ..." >&2
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null \
    || echo "could not install chromium; the browser tests will be skipped" >&2
else
  echo "chromium is missing: apt-get install chromium fonts-noto-cjk (the browser tests will be skipped)" >&2
fi
exit 0
