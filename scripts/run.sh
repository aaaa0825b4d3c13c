#!/usr/bin/env bash
# Install the service on a fresh machine and serve it at http://127.0.0.1:8000 (HOST, PORT, DATABASE_URL honoured).
# On first start it creates the SQLite database in var/ and imports the bundled data/organisations.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
exec .venv/bin/python main.py
