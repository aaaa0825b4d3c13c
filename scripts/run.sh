#!/usr/bin/env bash
# Install the service on a fresh machine and serve it at http://127.0.0.1:8000 (HOST, PORT, DATABASE_URL honoured).
# On first start it creates the SQLite database in var/ and imports the bundled data/organisations.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
# WeasyPrint (the support sheet's PDF) needs Pango and HarfBuzz from the system, and a font like Arial.
if ! dpkg -s libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation >/dev/null 2>&1; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation >/dev/null
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
# Install only when pyproject.toml changed since the last install (a stamp holds its checksum): a second start is fast.
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e .
  rm -f .venv/.installed-* && touch "$stamp"
fi
exec .venv/bin/python main.py
