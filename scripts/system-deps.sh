#!/usr/bin/env bash
# Debian packages the tests use, installed only when missing: PostgreSQL (the store contract
# and two-replica tests start their own throwaway server), Chromium (the browser tests;
# Playwright never downloads a browser) and Redmine (the tracker contract also runs on a
# throwaway instance; about 55 MB, 20 s to install). Without root it only says what is
# missing, and those tests skip with the reason.
set -euo pipefail

missing=()
if ! command -v initdb >/dev/null && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    missing+=(postgresql)
fi
[ -x /usr/bin/chromium ] || missing+=(chromium)
redmine=()
[ -f /usr/share/redmine/config.ru ] || redmine=(redmine redmine-sqlite)
[ ${#missing[@]} -eq 0 ] && [ ${#redmine[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "not root: install ${missing[*]} ${redmine[*]} with apt-get to run every test" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
# Redmine's own default instance on SQLite, without questions (the tests make their own).
debconf-set-selections <<'EOF'
redmine redmine/instances/default/dbconfig-install boolean true
redmine redmine/instances/default/database-type select sqlite3
EOF
apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The Redmine tests are the trackers' second peer (the fake is the first): a failed install
# makes them skip with the reason, it does not stop the run.
if [ ${#redmine[@]} -gt 0 ] && ! apt-get install -y -qq --no-install-recommends "${redmine[@]}" >/dev/null; then
    echo "could not install ${redmine[*]}: the real-Redmine tests will skip" >&2
fi
