#!/usr/bin/env bash
# Builds the Kubernetes control plane the EKS tests run against, from the Go module proxy, at pinned
# versions: etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok (simulated nodes).
# Result: .cache/kube/<versions>/bin/. Idempotent: nothing is built when every binary is there.
# Cold: about 5 min on 2 cores and ~5 GB of Go caches; warm Go caches: about 1 min.
set -euo pipefail
cd "$(dirname "$0")/.."
K8S_VERSION=1.34.3
ETCD_VERSION=3.6.5
KWOK_VERSION=0.7.0
out="$PWD/.cache/kube/k8s-$K8S_VERSION-etcd-$ETCD_VERSION-kwok-$KWOK_VERSION"
bin="$out/bin"
binaries=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)
missing=0
for b in "${binaries[@]}"; do [ -x "$bin/$b" ] || missing=1; done
[ "$missing" = 0 ] && exit 0
command -v go >/dev/null || { echo "setup-kube: Go is needed to build the test control plane (https://go.dev/dl)" >&2; exit 1; }
mkdir -p "$bin"
export GOFLAGS=-mod=mod CGO_ENABLED=0
flags=(-trimpath -ldflags=-s\ -w)

# k8s.io/kubernetes points its staging modules at ./staging/...; a module of our own requires it and
# replaces each of those with the published module of the same minor version.
k8s_src="$out/src/kubernetes"
if [ ! -f "$k8s_src/go.mod" ]; then
  mkdir -p "$k8s_src"
  modfile=$(go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" | python3 -c 'import json,sys; print(json.load(sys.stdin)["GoMod"])')
  staging_version="v0.${K8S_VERSION#1.}"
  {
    echo "module kubecontrolplane"
    echo "go 1.24"
    echo "require k8s.io/kubernetes v$K8S_VERSION"
    grep -oE '^\s*k8s\.io/[a-z0-9-]+ => \./staging/' "$modfile" | awk -v v="$staging_version" '{print "replace " $1 " => " $1 " " v}'
  } >"$k8s_src/go.mod.tmp"
  mv "$k8s_src/go.mod.tmp" "$k8s_src/go.mod"
fi
for b in kube-apiserver kube-controller-manager kube-scheduler; do
  [ -x "$bin/$b" ] || (cd "$k8s_src" && go build "${flags[@]}" -o "$bin/$b" "k8s.io/kubernetes/cmd/$b")
done

# etcd's server module carries replace directives, so `go install pkg@version` refuses it.
etcd_src="$out/src/etcd"
if [ ! -x "$bin/etcd" ]; then
  mkdir -p "$etcd_src"
  printf 'module etcdbuild\ngo 1.24\nrequire go.etcd.io/etcd/server/v3 v%s\n' "$ETCD_VERSION" >"$etcd_src/go.mod"
  (cd "$etcd_src" && go build "${flags[@]}" -o "$bin/etcd" go.etcd.io/etcd/server/v3)
fi

[ -x "$bin/kwok" ] || GOBIN="$bin" go install "${flags[@]}" "sigs.k8s.io/kwok/cmd/kwok@v$KWOK_VERSION"
echo "setup-kube: control plane binaries in $bin"
