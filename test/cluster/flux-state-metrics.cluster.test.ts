/**
 * kube-state-metrics' Flux configuration against what Helm really renders (the vendored archives at
 * the catalog pins, with the dev stack's values): it reads every Flux kind the flux2 chart's CRDs
 * serve, at a served version, and kube-prometheus-stack renders it as kube-state-metrics' custom
 * resource state file, with list and watch of each kind's plural and of CRDs in its ClusterRole.
 * Only Helm runs here, no API server.
 */
import { parse } from 'yaml';
import type { AddonDeclaration, ManifestObject } from '../../constructs';
import { helmBinary } from '../../stacks/helm/package-chart';
import { helmTemplate } from '../../stacks/helm/template';
import { rendered } from '../helpers/stacks';

const helm = helmBinary();
const r = rendered('dev');
const decl = (id: string): AddonDeclaration => r.addons.declarations.find((d) => d.id === id) as AddonDeclaration;

function chartObjects(d: AddonDeclaration, values: unknown = d.values): ManifestObject[] {
  const out = helmTemplate(helm, d, values);
  if (out.error !== undefined) throw new Error(`${d.id}: ${out.error}`);
  return out.objects as unknown as ManifestObject[];
}

/** `group/kind` → plural and served versions of the CRDs in `objects`. */
function crdsOf(objects: readonly ManifestObject[]): Map<string, { plural: string; served: string[] }> {
  type CrdSpec = {
    group: string;
    names: { kind: string; plural: string };
    versions: { name: string; served: boolean }[];
  };
  return new Map(
    objects
      .filter((o) => o.kind === 'CustomResourceDefinition')
      .map((o) => o.spec as CrdSpec)
      .map((s) => [
        `${s.group}/${s.names.kind}`,
        { plural: s.names.plural, served: s.versions.filter((v) => v.served).map((v) => v.name) },
      ]),
  );
}

/** Kinds of the Flux chart kube-state-metrics need not read: ExternalArtifact is made by source-watcher, off. */
const NOT_READ = ['source.toolkit.fluxcd.io/ExternalArtifact'];

/** Why the rendered kube-state-metrics would not make `gotk_resource_info` of every Flux object (empty: it would). */
function problems(monitoring: readonly ManifestObject[], flux: readonly ManifestObject[]): string[] {
  const out: string[] = [];
  const crds = crdsOf(flux);
  const map = monitoring.find(
    (o) => o.kind === 'ConfigMap' && o.metadata?.name?.endsWith('customresourcestate-config'),
  );
  const deploy = monitoring.find((o) => o.kind === 'Deployment' && o.metadata?.name?.endsWith('kube-state-metrics'));
  const args = JSON.stringify((deploy?.spec as { template: { spec: unknown } } | undefined)?.template.spec ?? {});
  if (
    map === undefined ||
    !args.includes('--custom-resource-state-config-file') ||
    !args.includes(map.metadata?.name ?? '-')
  )
    return ['kube-state-metrics reads no custom resource state file'];
  type Gvk = { group: string; version: string; kind: string };
  const config = parse((map as { data?: Record<string, string> }).data?.['config.yaml'] ?? '') as {
    spec: { resources: { groupVersionKind: Gvk }[] };
  };
  const read = config.spec.resources.map((x) => x.groupVersionKind);
  const role = monitoring.find((o) => o.kind === 'ClusterRole' && o.metadata?.name?.endsWith('kube-state-metrics'));
  const grants =
    (role as { rules?: { apiGroups?: string[]; resources?: string[]; verbs?: string[] }[] } | undefined)?.rules ?? [];
  const may = (group: string, resource: string): boolean =>
    grants.some((g) => g.apiGroups?.includes(group) && g.resources?.includes(resource) && g.verbs?.includes('watch'));
  if (!may('apiextensions.k8s.io', 'customresourcedefinitions')) out.push('may not watch CustomResourceDefinitions');
  for (const key of [...crds.keys()].filter((k) => !NOT_READ.includes(k)))
    if (!read.some((g) => `${g.group}/${g.kind}` === key)) out.push(`${key}: not read`);
  for (const g of read) {
    const crd = crds.get(`${g.group}/${g.kind}`);
    if (crd === undefined || !crd.served.includes(g.version)) out.push(`${g.group}/${g.kind} ${g.version}: not served`);
    else if (!may(g.group, crd.plural)) out.push(`${g.group}/${g.kind}: may not list and watch ${crd.plural}`);
  }
  return out;
}

describe('kube-state-metrics reads every Flux object (dev stack, rendered charts)', () => {
  const monitoring = decl('kube-prometheus-stack');
  const flux = chartObjects(decl('flux'));

  test('every kind the Flux chart serves, at a served version, with RBAC and the file mounted', () => {
    expect(crdsOf(flux).size).toBeGreaterThanOrEqual(10);
    expect(problems(chartObjects(monitoring), flux)).toEqual([]);
  });

  test('the check fails on planted bad input', () => {
    type Ksm = { customResourceState: { config: { spec: { resources: { groupVersionKind: object }[] } } } };
    const values = structuredClone(monitoring.values) as { 'kube-state-metrics': Ksm & { rbac: unknown } };
    const ksm = values['kube-state-metrics'];
    const [first, , ...rest] = ksm.customResourceState.config.spec.resources;
    ksm.customResourceState.config.spec.resources = [
      { ...first, groupVersionKind: { ...first.groupVersionKind, version: 'v1beta1' } },
      ...rest,
    ];
    ksm.rbac = { customResourceState: { createClusterRoleRules: false } };
    expect(problems(chartObjects(monitoring, values), flux)).toEqual([
      'may not watch CustomResourceDefinitions',
      'helm.toolkit.fluxcd.io/HelmRelease: not read',
      'kustomize.toolkit.fluxcd.io/Kustomization v1beta1: not served',
      ...[
        ['source.toolkit.fluxcd.io', 'GitRepository', 'gitrepositories'],
        ['source.toolkit.fluxcd.io', 'OCIRepository', 'ocirepositories'],
        ['source.toolkit.fluxcd.io', 'HelmRepository', 'helmrepositories'],
        ['source.toolkit.fluxcd.io', 'HelmChart', 'helmcharts'],
        ['source.toolkit.fluxcd.io', 'Bucket', 'buckets'],
        ['notification.toolkit.fluxcd.io', 'Alert', 'alerts'],
        ['notification.toolkit.fluxcd.io', 'Provider', 'providers'],
        ['notification.toolkit.fluxcd.io', 'Receiver', 'receivers'],
      ].map(([g, k, p]) => `${g}/${k}: may not list and watch ${p}`),
    ]);
    const off = structuredClone(monitoring.values) as { 'kube-state-metrics': { customResourceState: object } };
    off['kube-state-metrics'].customResourceState = { enabled: false };
    expect(problems(chartObjects(monitoring, off), flux)).toEqual([
      'kube-state-metrics reads no custom resource state file',
    ]);
  });
});
