#!/usr/bin/env bash
# The action runs the committed dist/, not src/: fail when the build changed it or left new files.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "$(git status --porcelain -- dist)" ]; then
  echo "dist/ does not match the source. Run 'npm run package' and commit dist/:" >&2
  git status --short -- dist >&2
  git diff --stat -- dist >&2
  exit 1
fi
echo "dist/ matches the source."
