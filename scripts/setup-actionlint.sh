#!/usr/bin/env bash
# Builds actionlint, the GitHub Actions workflow linter the workflow lint test runs, from the Go module
# proxy at a pinned version, like scripts/setup-kube.sh: GOPROXY's default, Go's own module and build
# caches, static binary. Result: .cache/actionlint/<version>/actionlint.
# Idempotent: nothing is built when the binary is there. Cold: about 1 min on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
ACTIONLINT_VERSION=1.7.12
bin="$PWD/.cache/actionlint/$ACTIONLINT_VERSION"
[ -x "$bin/actionlint" ] && exit 0
command -v go >/dev/null || { echo "setup-actionlint: Go is needed to build actionlint (https://go.dev/dl)" >&2; exit 1; }
mkdir -p "$bin"
export CGO_ENABLED=0
GOBIN="$bin" go install -trimpath -ldflags='-s -w' "github.com/rhysd/actionlint/cmd/actionlint@v$ACTIONLINT_VERSION"
echo "setup-actionlint: actionlint in $bin"
