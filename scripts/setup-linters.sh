#!/usr/bin/env bash
# Installs the IAM policy linter (parliament, whose community auditors find privilege escalation)
# into the project-local virtualenv, for the policy linter tests.
# Idempotent: a second call with the pinned version installed does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
PARLIAMENT_VERSION=1.6.4
if [ -x .venv/bin/parliament ] &&
  .venv/bin/python -c "
import sys
from importlib.metadata import version
sys.exit(version('parliament') != '$PARLIAMENT_VERSION')
" 2>/dev/null; then
  exit 0
fi
# moto's set-up makes the same virtualenv; whichever runs first creates it.
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check "parliament==$PARLIAMENT_VERSION"
