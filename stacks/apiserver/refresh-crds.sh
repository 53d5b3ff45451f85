#!/usr/bin/env bash
# Rebuilds the vendored CRDs under stacks/apiserver/crds/ from each project's own source, at the exact
# version pinned in constructs/addons/catalog.ts (test/cluster/crds.cluster.test.ts checks the names).
#
# Usage: stacks/apiserver/refresh-crds.sh <project>=<git-dir> [<project>=<git-dir> ...]
#   <git-dir> is a clone (bare or not) of the project's repository holding the tag named below, e.g.
#     stacks/apiserver/refresh-crds.sh envoy-gateway=/work/.mirror/envoyproxy+gateway/repo
#   Only the projects named are rebuilt; when the version in the table changes, delete the old file.
#
# Each output is `gzip -9n` of the CRD documents (kind CustomResourceDefinition) of the listed files, in
# order, and nothing else. Helm chart templates (marked helm below) are read by dropping every line holding `{{` (the
# `if`/`with`/`end` directives and the templated labels of the CRDs' metadata); every document
# that is left must then parse as YAML and a kept CRD must still hold a group, names and versions,
# or the script fails.
#
# project            repository                               tag (= catalog pin, or the app version of the pinned chart)   files
# gateway-api        kubernetes-sigs/gateway-api              v1.4.1 (not an add-on pin: the Gateway API the stacks target; kept as vendored before)
# envoy-gateway      envoyproxy/gateway                       v1.7.5                         charts/gateway-helm/crds/generated/gateway.envoyproxy.io_envoyproxies.yaml
# argo-cd            argoproj/argo-helm                       argo-cd-10.1.1                 charts/argo-cd/templates/crds/*.yaml (Helm templates)
# argo-rollouts      argoproj/argo-helm                       argo-rollouts-2.40.10          charts/argo-rollouts/templates/crds/*.yaml (Helm templates)
# kube-prometheus-stack prometheus-community/helm-charts      kube-prometheus-stack-88.5.3   charts/kube-prometheus-stack/charts/crds/crds/*.yaml
# cert-manager       cert-manager/cert-manager                v1.19.6                        deploy/crds/*.yaml
# external-secrets   external-secrets/external-secrets        helm-chart-2.9.0               config/crds/bases/external-secrets.io_*.yaml (the core kinds; not the generators)
# kyverno            kyverno/kyverno                          v1.15.3 (appVersion of chart 3.5.3)       config/crds/kyverno/*.yaml
# velero             vmware-tanzu/velero                      v1.18.1 (appVersion of chart 12.1.0, vmware-tanzu/helm-charts velero-12.1.0)  config/crd/v1/bases/*.yaml
# vertical-pod-autoscaler kubernetes/autoscaler               vertical-pod-autoscaler-chart-0.11.0  vertical-pod-autoscaler/charts/vertical-pod-autoscaler/crds/vpa-v1-crd-gen.yaml
# flux2              fluxcd-community/helm-charts             flux2-2.17.2                   charts/flux2/templates/*.crds.yaml (Helm templates)
# istio-base         istio/istio                              1.28.10                        manifests/charts/base/files/crd-all.gen.yaml
# gatekeeper         open-policy-agent/gatekeeper             v3.21.1 (chart 3.21.1 lives in the same repository)  charts/gatekeeper/crds/constrainttemplate-customresourcedefinition.yaml
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/stacks/apiserver/crds"

# project -> "tag|output name|directory|extended regex on the file's path[|helm: the files are Helm templates]"
declare -A spec=(
  [envoy-gateway]='v1.7.5|envoy-gateway-v1.7.5|charts/gateway-helm/crds/generated|/gateway\.envoyproxy\.io_envoyproxies\.yaml$'
  [argo-cd]='argo-cd-10.1.1|argo-cd-10.1.1|charts/argo-cd/templates/crds|\.yaml$|helm'
  [argo-rollouts]='argo-rollouts-2.40.10|argo-rollouts-2.40.10|charts/argo-rollouts/templates/crds|\.yaml$|helm'
  [kube-prometheus-stack]='kube-prometheus-stack-88.5.3|kube-prometheus-stack-88.5.3|charts/kube-prometheus-stack/charts/crds/crds|\.yaml$'
  [cert-manager]='v1.19.6|cert-manager-v1.19.6|deploy/crds|\.yaml$'
  [external-secrets]='helm-chart-2.9.0|external-secrets-2.9.0|config/crds/bases|/external-secrets\.io_[a-z]+\.yaml$'
  [kyverno]='v1.15.3|kyverno-v1.15.3|config/crds/kyverno|\.yaml$'
  [velero]='v1.18.1|velero-v1.18.1|config/crd/v1/bases|\.yaml$'
  [vertical-pod-autoscaler]='vertical-pod-autoscaler-chart-0.11.0|vertical-pod-autoscaler-0.11.0|vertical-pod-autoscaler/charts/vertical-pod-autoscaler/crds|/vpa-v1-crd-gen\.yaml$'
  [flux2]='flux2-2.17.2|flux2-2.17.2|charts/flux2/templates|\.crds\.yaml$|helm'
  [istio-base]='1.28.10|istio-base-1.28.10|manifests/charts/base/files|/crd-all\.gen\.yaml$'
  [gatekeeper]='v3.21.1|gatekeeper-3.21.1|charts/gatekeeper/crds|/constrainttemplate-customresourcedefinition\.yaml$'
)

# stdin: YAML documents (Helm template lines included); stdout: the CRDs only
filter() {
  # shellcheck disable=SC2016 # JavaScript, not shell
  (cd "$root" && HELM="$1" node -e '
    const { parseAllDocuments } = require("yaml");
    let text = require("fs").readFileSync(0, "utf8");
    if (process.env.HELM === "helm") text = text.split("\n").filter((l) => !l.includes("{{")).join("\n");
    const kept = [];
    parseAllDocuments(text).forEach((doc, i) => {
      if (doc.errors.length > 0) throw new Error(`document ${i + 1}: ${doc.errors[0].message}`);
      const o = doc.toJS();
      if (!o || o.kind !== "CustomResourceDefinition") return;
      const s = o.spec || {};
      if (!s.group || !s.names || !s.names.kind || !Array.isArray(s.versions) || s.versions.length === 0) throw new Error(`${o.metadata && o.metadata.name}: incomplete once the template lines are gone`);
      kept.push(doc.toString({ lineWidth: 0 }).replace(/^---\n/, ""));
    });
    if (kept.length === 0) throw new Error("no CustomResourceDefinition");
    process.stderr.write(`${kept.length} CRDs\n`);
    process.stdout.write(kept.map((d) => "---\n" + d).join(""));
  ')
}

[ $# -gt 0 ] || { sed -n '2,12p' "$0"; exit 2; }
for arg in "$@"; do
  project="${arg%%=*}"
  gitdir="${arg#*=}"
  [ -n "${spec[$project]:-}" ] || { echo "unknown project $project (known: ${!spec[*]})" >&2; exit 2; }
  IFS='|' read -r tag name dir pattern helm <<<"${spec[$project]}"
  files=$(git -C "$gitdir" ls-tree -r --name-only "$tag" -- "$dir/" | grep -E "$pattern" | sort)
  [ -n "$files" ] || { echo "$project: nothing matches $dir $pattern at $tag" >&2; exit 1; }
  echo "$project $tag: $(echo "$files" | wc -l) files -> crds/$name.yaml.gz" >&2
  for f in $files; do
    printf -- '---\n'
    git -C "$gitdir" show "$tag:$f"
    printf '\n'
  done | filter "${helm:-}" | gzip -9n >"$out/$name.yaml.gz.tmp"
  mv "$out/$name.yaml.gz.tmp" "$out/$name.yaml.gz"
done
