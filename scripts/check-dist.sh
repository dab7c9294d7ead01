#!/usr/bin/env bash
# The action runs the committed dist/, not src/: fail when the build changed it or left new files.
set -euo pipefail
cd "$(dirname "$0")/.."
untracked=$(git ls-files --others --exclude-standard -- dist)
if ! git diff --quiet -- dist || [ -n "$untracked" ]; then
  echo "dist/ does not match the source. Run 'npm run package' and commit dist/:" >&2
  git diff --stat -- dist >&2
  [ -z "$untracked" ] || printf 'not committed: %s\n' $untracked >&2
  exit 1
fi
echo "dist/ matches the source."
