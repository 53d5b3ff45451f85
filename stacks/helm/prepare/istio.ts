/**
 * Istio's release stamp of a chart's values.yaml: `updateValues` in istio/release-builder
 * pkg/build/helm.go (branch release-1.28, run by release/build.sh with `docker: docker.io/istio` and
 * `version: <release>`). Chart.yaml's version and appVersion become the release (the packager's
 * `releaseVersion`); the development hub and tag defaults become the released ones.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ReleaseContext } from '../source-types';

/** The hub release/build.sh embeds in the charts (`DOCKER_HUB`). */
const RELEASE_HUB = 'docker.io/istio';
const DEV_HUBS = ['gcr.io/istio-testing', 'gcr.io/istio-release'];
const TAG_PATTERNS = [/tag: .*-latest-daily/g, /tag: latest/g, /tag: 1\..-dev/g];

/** Rewrites the chart's values.yaml as release-builder's `updateValues` does. */
export function stampIstioValues(chartDir: string, release: ReleaseContext): void {
  const file = path.join(chartDir, 'values.yaml');
  let contents = fs.readFileSync(file, 'utf8');
  for (const hub of DEV_HUBS) {
    contents = contents
      .replaceAll(`hub: ${hub}`, `hub: ${RELEASE_HUB}`)
      .replaceAll(`"hub": "${hub}"`, `"hub": "${RELEASE_HUB}"`);
  }
  for (const pattern of TAG_PATTERNS) contents = contents.replace(pattern, `tag: ${release.version}`);
  contents = contents.replace(/"tag": "latest"/g, `"tag": "${release.version}"`);
  fs.writeFileSync(file, contents);
}
