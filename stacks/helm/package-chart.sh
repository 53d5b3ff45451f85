#!/usr/bin/env bash
# Packages a chart from its source repository at the pinned tag into stacks/helm/charts/ (no chart
# repository is reachable here): templates, values, schema and CRDs only (no docs, tests or CI files).
#   stacks/helm/package-chart.sh <git-dir> <tag> <chart-path-in-repo>
# The git directory is a clone or mirror of the chart's source (e.g. grafana/alloy). The archive's
# Chart.yaml version must equal the catalog pin (a test checks it).
set -euo pipefail
GIT_DIR="${1:?usage: package-chart.sh <git-dir> <tag> <chart-path>}"
TAG="${2:?tag}"
CHART_PATH="${3:?chart path}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HELM="$(bash "$ROOT/stacks/helm/build-helm.sh")"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
git -C "$GIT_DIR" archive "$TAG" "$CHART_PATH" | tar -x -C "$WORK"
CHART="$WORK/$CHART_PATH"
# keep what renders: drop docs, tests and CI values
find "$CHART" \( -name 'README*' -o -name 'CHANGELOG*' -o -name '*.md.gotmpl' -o -name 'tests' -o -name 'ci' \) -prune -exec rm -rf {} +
"$HELM" package "$CHART" --destination "$ROOT/stacks/helm/charts" >/dev/null
ls "$ROOT/stacks/helm/charts"
