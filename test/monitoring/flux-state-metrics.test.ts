/**
 * FluxResourceNotReady can fire: with Flux's rule group on, kube-state-metrics is configured to make
 * `gotk_resource_info` from the Flux objects (the controllers at the pins do not set
 * `gotk_reconcile_condition`), may list and watch every kind it reads, and makes every label the
 * alert reads. test/cluster/flux-state-metrics.cluster.test.ts checks the kinds against the Flux
 * chart's CRDs and the configuration against Helm's rendering of kube-prometheus-stack.
 */
import { type AddonDeclaration, platformAddons } from '../../constructs';
import { FLUX_RESOURCE_INFO } from '../../constructs/addons/flux-state-metrics';
import { type AlertRule, platformAlertGroups } from '../../constructs/addons/platform-alert-rules';
import { rendered } from '../helpers/stacks';

interface Resource {
  readonly groupVersionKind: { readonly group: string; readonly version: string; readonly kind: string };
  readonly metricNamePrefix: string;
  readonly metrics: readonly {
    readonly name: string;
    readonly each: { readonly info: { readonly labelsFromPath: Record<string, unknown> } };
    readonly labelsFromPath: Record<string, unknown>;
  }[];
}
interface StateValues {
  readonly rbac?: { readonly extraRules?: readonly { apiGroups: string[]; resources: string[]; verbs: string[] }[] };
  readonly customResourceState?: { readonly enabled?: boolean; readonly config?: { spec: { resources: Resource[] } } };
}

/** kube-state-metrics' values in the monitoring add-on of `decls`. */
const ksmOf = (decls: readonly AddonDeclaration[]): StateValues =>
  (decls.find((d) => d.id === 'kube-prometheus-stack')?.values as Record<string, StateValues>)['kube-state-metrics'];

/** Labels kube-state-metrics puts on every custom resource metric (v2.20.0 docs/metrics/extend/customresourcestate-metrics.md). */
const CR_LABELS = ['customresource_group', 'customresource_version', 'customresource_kind'];

/** Why `rule` could not fire on what `ksm` makes of the Flux objects the add-on `flux` serves (empty: it can). */
function stateProblems(ksm: StateValues, flux: AddonDeclaration, rule: AlertRule): string[] {
  const state = ksm.customResourceState;
  if (state?.enabled !== true || state.config === undefined) return ['custom resource state is off'];
  const problems: string[] = [];
  const rules = ksm.rbac?.extraRules ?? [];
  for (const r of state.config.spec.resources) {
    const { group, kind } = r.groupVersionKind;
    // the English plural, as Flux's CRDs name them (the cluster test reads the CRDs' own)
    const plural = kind.toLowerCase().replace(/y$/, 'ie') + 's';
    if (!flux.providesCrds.includes(group)) problems.push(`${kind}: ${group} is not a group the Flux add-on serves`);
    if (!rules.some((x) => x.apiGroups.includes(group) && x.resources.includes(plural) && x.verbs.includes('watch')))
      problems.push(`${kind}: kube-state-metrics may not list and watch ${plural}`);
    const m = r.metrics.find((x) => `${r.metricNamePrefix}_${x.name}` === FLUX_RESOURCE_INFO);
    if (m === undefined) {
      problems.push(`${kind}: makes no ${FLUX_RESOURCE_INFO}`);
      continue;
    }
    const made = [...CR_LABELS, ...Object.keys(m.labelsFromPath), ...Object.keys(m.each.info.labelsFromPath)];
    const read = [
      ...[...rule.annotations.summary.matchAll(/\$labels\.(\w+)/g)].map((x) => x[1]),
      ...[...rule.expr.matchAll(/[{,]\s*(\w+)\s*(?:=~|!~|!=|=)\s*"/g)].map((x) => x[1]),
    ];
    for (const l of read.filter((x) => !made.includes(x))) problems.push(`${kind}: ${FLUX_RESOURCE_INFO} has no ${l}`);
  }
  return problems;
}

const RULE = platformAlertGroups({ gitops: 'flux' })
  .flatMap((g) => g.rules)
  .find((r) => r.alert === 'FluxResourceNotReady') as AlertRule;

describe("Flux objects' readiness comes from kube-state-metrics", () => {
  const dev = rendered('dev').addons.declarations;
  const flux = dev.find((d) => d.id === 'flux') as AddonDeclaration;

  test('the dev stack (Flux) configures it, and the alert reads what it makes', () => {
    expect(RULE.expr).toContain(FLUX_RESOURCE_INFO);
    expect(ksmOf(dev).customResourceState?.config?.spec.resources.length).toBeGreaterThanOrEqual(10);
    expect(stateProblems(ksmOf(dev), flux, RULE)).toEqual([]);
  });

  test('Argo CD stacks, and platformRules false, leave kube-state-metrics as it was', () => {
    expect(ksmOf(rendered('kind').addons.declarations)).not.toHaveProperty('customResourceState');
    const off = platformAddons({ certManager: {}, gitops: { engine: 'flux' }, monitoring: { platformRules: false } });
    expect(Object.keys(ksmOf(off.declarations)).sort()).toEqual(['collectorsExclude', 'resources']);
  });

  test('the check fails on planted bad input', () => {
    const ksm = ksmOf(dev);
    const config = ksm.customResourceState?.config as { spec: { resources: Resource[] } };
    const [first, ...rest] = config.spec.resources;
    const [metric] = first.metrics;
    const { ready: _dropped, ...labels } = metric.labelsFromPath;
    const planted: StateValues = {
      rbac: { extraRules: [] },
      customResourceState: {
        enabled: true,
        config: {
          spec: {
            resources: [
              { ...first, metrics: [{ ...metric, labelsFromPath: labels }] },
              { ...rest[0], groupVersionKind: { ...rest[0].groupVersionKind, group: 'image.toolkit.fluxcd.io' } },
            ],
          },
        },
      },
    };
    expect(stateProblems(planted, flux, RULE)).toEqual([
      'Kustomization: kube-state-metrics may not list and watch kustomizations',
      `Kustomization: ${FLUX_RESOURCE_INFO} has no ready`,
      'HelmRelease: image.toolkit.fluxcd.io is not a group the Flux add-on serves',
      'HelmRelease: kube-state-metrics may not list and watch helmreleases',
    ]);
    expect(stateProblems({ ...ksm, customResourceState: { enabled: false } }, flux, RULE)).toEqual([
      'custom resource state is off',
    ]);
  });
});
