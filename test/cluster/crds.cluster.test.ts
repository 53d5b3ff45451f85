/**
 * The CRDs the real-server checks install (stacks/apiserver/crds, made by refresh-crds.sh) are those
 * of the versions the add-on catalog pins: every vendored file's name carries its version, and that
 * version is the catalog pin it comes from (or, where the CRDs come from the application's own
 * repository, the version the pinned chart ships).
 */
import * as fs from 'fs';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { parseAllDocuments } from 'yaml';
import { CATALOG, type AddonId } from '../../constructs/addons/catalog';

const DIR = path.resolve(__dirname, '../../stacks/apiserver/crds');
const REFRESH = fs.readFileSync(path.resolve(__dirname, '../../stacks/apiserver/refresh-crds.sh'), 'utf8');

/** File prefix → the catalog entry it comes from. */
const SOURCES: Record<string, { addon: AddonId; derived?: { chart: string; version: string; why: string } }> = {
  // The Gateway API bundle is not an add-on of its own: Envoy Gateway's chart installs it.
  'gateway-api': {
    addon: 'envoy-gateway',
    derived: {
      chart: 'v1.7.5',
      version: 'v1.4.1',
      why: 'envoyproxy/gateway v1.7.5 charts/gateway-helm/crds/gatewayapi-crds.yaml',
    },
  },
  'envoy-gateway': { addon: 'envoy-gateway' },
  'argo-cd': { addon: 'argo-cd' },
  'argo-rollouts': { addon: 'argo-rollouts' },
  'kube-prometheus-stack': { addon: 'kube-prometheus-stack' },
  'cert-manager': { addon: 'cert-manager' },
  'external-secrets': { addon: 'external-secrets' },
  // From the application's repository at the chart's appVersion (kyverno/kyverno charts/kyverno/Chart.yaml at kyverno-chart-3.5.3).
  kyverno: {
    addon: 'kyverno',
    derived: { chart: '3.5.3', version: 'v1.15.3', why: 'appVersion of the kyverno chart 3.5.3' },
  },
  // From the application's repository at the chart's appVersion (vmware-tanzu/helm-charts charts/velero/Chart.yaml at velero-12.1.0).
  velero: {
    addon: 'velero',
    derived: { chart: '12.1.0', version: 'v1.18.1', why: 'appVersion of the velero chart 12.1.0' },
  },
  'vertical-pod-autoscaler': { addon: 'vertical-pod-autoscaler' },
  flux2: { addon: 'flux' },
  'istio-base': { addon: 'istio-base' },
  gatekeeper: { addon: 'gatekeeper' },
};

const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.yaml.gz'));

test('every vendored CRD file comes from a known source', () => {
  expect(files.length).toBeGreaterThan(1);
  for (const f of files) {
    const prefix = Object.keys(SOURCES).find((p) => new RegExp(`^${p}-v?\\d`).test(f));
    expect([f, prefix]).toEqual([f, expect.any(String)]);
  }
});

test.each(files)('%s: its version is the catalog pin it comes from', (f) => {
  const prefix = Object.keys(SOURCES).find((p) => new RegExp(`^${p}-v?\\d`).test(f))!;
  const version = f.slice(prefix.length + 1, -'.yaml.gz'.length);
  const { addon, derived } = SOURCES[prefix];
  if (derived) {
    // the chart pin this version was read from, and the version read
    expect([f, CATALOG[addon].version]).toEqual([f, derived.chart]);
    expect([f, version]).toEqual([f, derived.version]);
  } else {
    expect([f, version]).toEqual([f, CATALOG[addon].version]);
  }
});

test.each(files)('%s: CustomResourceDefinitions only, and refresh-crds.sh makes it', (f) => {
  const docs = parseAllDocuments(gunzipSync(fs.readFileSync(path.join(DIR, f))).toString('utf8'));
  const kinds = docs.map((d) => (d.toJS() as { kind?: string } | null)?.kind).filter((k) => k !== undefined);
  expect(kinds.length).toBeGreaterThan(0);
  expect(new Set(kinds)).toEqual(new Set(['CustomResourceDefinition']));
  if (!f.startsWith('gateway-api-')) expect(REFRESH).toContain(`|${f.slice(0, -'.yaml.gz'.length)}|`);
});
