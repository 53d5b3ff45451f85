/**
 * cert-manager's release step for its chart: the `$(bin_dir)/helm/cert-manager/*` targets of
 * cert-manager/cert-manager make/manifests.mk build the released chart folder from
 * deploy/charts/cert-manager: Chart.yaml from Chart.template.yaml with yq (signKey annotation from
 * signkey_annotation.txt, `artifacthub.io/prerelease` = IS_PRERELEASE from the Makefile, version and
 * appVersion = VERSION), and copies only values.yaml, values.schema.json, templates/*.yaml,
 * templates/_helpers.tpl and templates/NOTES.txt (README.md is dropped by the packager anyway);
 * then `helm package --app-version=$(VERSION) --version=$(VERSION)` (the packager's `releaseVersion`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseDocument } from 'yaml';
import type { ReleaseContext } from '../source-types';

/** The files make/manifests.mk copies into the released chart folder (besides Chart.yaml). */
const RELEASED = new Set(['Chart.yaml', 'values.yaml', 'values.schema.json', 'templates']);

/** Turns deploy/charts/cert-manager into the folder make/manifests.mk packages. */
export function prepareCertManagerChart(chartDir: string, release: ReleaseContext): void {
  const chart = parseDocument(fs.readFileSync(path.join(chartDir, 'Chart.template.yaml'), 'utf8'));
  // `IFS= read -rd ''` keeps the file whole, trailing newline included
  chart.setIn(
    ['annotations', 'artifacthub.io/signKey'],
    fs.readFileSync(path.join(chartDir, 'signkey_annotation.txt'), 'utf8'),
  );
  // Makefile: IS_PRERELEASE := $(shell git describe --tags --always --match='v*' --abbrev=0 | grep -q '-' && echo true || echo false)
  chart.setIn(['annotations', 'artifacthub.io/prerelease'], String(release.tag.includes('-')));
  chart.set('version', release.version);
  chart.set('appVersion', release.version);
  fs.writeFileSync(path.join(chartDir, 'Chart.yaml'), chart.toString());
  for (const entry of fs.readdirSync(chartDir)) {
    if (!RELEASED.has(entry)) fs.rmSync(path.join(chartDir, entry), { recursive: true, force: true });
  }
  const templates = path.join(chartDir, 'templates');
  for (const entry of fs.readdirSync(templates)) {
    if (!entry.endsWith('.yaml') && entry !== '_helpers.tpl' && entry !== 'NOTES.txt')
      fs.rmSync(path.join(templates, entry), { recursive: true, force: true });
  }
}
