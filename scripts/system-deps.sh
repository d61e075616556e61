#!/usr/bin/env bash
# Debian packages the tests use, installed only when missing: PostgreSQL (the store contract
# and two-replica tests start their own throwaway server) and Chromium (the browser tests;
# Playwright never downloads a browser). Without root it only says what is missing, and
# those tests skip with the reason.
set -euo pipefail

missing=()
if ! command -v initdb >/dev/null && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    missing+=(postgresql)
fi
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "not root: install ${missing[*]} with apt-get to run every test" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
