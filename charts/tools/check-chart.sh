#!/usr/bin/env bash
# Checks the operator chart: helm lint --strict, helm template with the default values and each
# ci/*-values.yaml, every rendered manifest and the CRD validated against the Kubernetes
# schemas, the example MoonClusters validated against the CRD, and values the chart must
# refuse refused. Run by ChartCheckTest (mvn verify); needs charts/tools/install.sh first.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
tools="${MOON_K8S_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/moon-k8s-tools}"
export MOON_K8S_TOOLS="$tools"
helm="$tools/bin/helm"
[ -x "$helm" ] || { echo "check-chart: no helm in $tools; run charts/tools/install.sh" >&2; exit 3; }
chart="$root/charts/moon-operator"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

"$helm" lint --strict "$chart"
"$helm" lint --strict "$chart" -f "$chart/ci/namespaced-values.yaml"

"$helm" template moon "$chart" --namespace moon-system > "$out/default.yaml"
for values in "$chart"/ci/*-values.yaml; do
  "$helm" template moon "$chart" --namespace moon-system -f "$values" > "$out/$(basename "$values" .yaml).yaml"
done
node "$root/charts/tools/validate-manifests.mjs" "$out"/*.yaml "$chart"/crds/*.yml "$root"/charts/examples/*.yaml

# What the chart must refuse, with the reason it gives.
refuse() {
  local why="$1"; shift
  if "$helm" template moon "$chart" "$@" > "$out/refused.txt" 2>&1; then
    echo "check-chart: expected a refusal ($why) for: $*" >&2; exit 1
  fi
  grep -q "$why" "$out/refused.txt" || { echo "check-chart: refusal without '$why':" >&2; cat "$out/refused.txt" >&2; exit 1; }
}
refuse "rbac.scope must be cluster or namespaced" --set rbac.scope=everywhere
refuse "needs leaderElection.enabled" --set replicaCount=2 --set leaderElection.enabled=false
refuse "logFormat must be text or json" --set logFormat=xml
refuse "serviceAccount.name is required" --set serviceAccount.create=false
echo "check-chart: ok"
