#!/usr/bin/env bash
# The action runs the committed dist/, not src/: fail when the build changed it or left new files.
set -euo pipefail
cd "$(dirname "$0")/.."
untracked=$(git ls-files --others --exclude-standard -- dist)
stale=false
git diff --quiet --no-ext-diff -- dist || stale=true
if [ "$stale" = true ] || [ -n "$untracked" ]; then
  echo "dist/ does not match the source. Run 'npm run package' and commit dist/:" >&2
  # .gitattributes marks dist/ `-diff` (collapsed in pull requests), so git's own --stat would say
  # only "Bin"; the text patch's stat counts the changed lines.
  [ "$stale" = false ] || git diff --no-ext-diff --text -- dist | git apply --stat >&2
  [ -z "$untracked" ] || printf 'not committed: %s\n' $untracked >&2
  exit 1
fi
echo "dist/ matches the source."
