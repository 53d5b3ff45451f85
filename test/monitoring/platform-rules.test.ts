import { platformAlertGroups, platformRulesObject } from '../../constructs/addons/platform-alert-rules';
import { alertRuleProblems, promqlError } from './alert-rules';
import { rendered, STACKS } from '../helpers/stacks';
import { synth, validated } from '../helpers/synth';
import { platformAddons, type PlatformAddonsProps, WebService, WebServiceMonitoring } from '../../constructs';

const EVERY_SOURCE = { certManager: true, velero: true, loki: true, externalSecrets: true } as const;
const everyGroup = [
  ...platformAlertGroups({ ...EVERY_SOURCE, gitops: 'argo-cd', policy: 'kyverno' }),
  ...platformAlertGroups({ gitops: 'flux', policy: 'gatekeeper' }).filter(
    (g) => g.name === 'groundwork.flux' || g.name === 'groundwork.gatekeeper',
  ),
];

describe('platform alert rules', () => {
  test('every rule parses as PromQL, has a severity and a runbook in the README', () => {
    const rule = platformRulesObject('monitoring', everyGroup, { release: 'kube-prometheus-stack' });
    expect(validated([rule])).toHaveLength(1);
    expect(everyGroup.map((g) => g.name)).toHaveLength(9);
    expect(alertRuleProblems([rule])).toEqual([]);
  });

  test('the checks fail on a broken expression, a missing severity and a runbook elsewhere', () => {
    expect(promqlError('sum(rate(velero_backup_failure_total[1h]) >')).toMatch(/does not parse as PromQL/);
    expect(promqlError('kube_resourcequota{type=}')).toMatch(/does not parse as PromQL/);
    const planted = platformRulesObject(
      'monitoring',
      [
        {
          name: 'planted',
          rules: [
            {
              alert: 'Broken',
              expr: 'sum(rate(x[5m]) >',
              labels: { severity: 'warning' },
              annotations: { summary: 's', runbook_url: 'README.md#runbook-broken' },
            },
            {
              alert: 'NoSeverity',
              expr: 'up == 0',
              labels: { severity: 'page' as never },
              annotations: { summary: 's', runbook_url: 'https://example.org/x' },
            },
          ],
        },
      ],
      {},
    );
    expect(alertRuleProblems([planted])).toEqual([
      'monitoring/groundwork-platform-alerts planted Broken: expr does not parse as PromQL (error at offset 17, 17)',
      'monitoring/groundwork-platform-alerts planted Broken: README.md has no "### Runbook: Broken" entry',
      'monitoring/groundwork-platform-alerts planted NoSeverity: labels.severity ("page") must be one of critical, warning, info',
      'monitoring/groundwork-platform-alerts planted NoSeverity: annotations.runbook_url ("https://example.org/x") must be README.md#runbook-noseverity',
    ]);
  });

  test.each(STACKS)('%s: rules only for the add-ons the environment enables', (stack) => {
    const r = rendered(stack);
    const rules =
      r.addons.declarations
        .find((d) => d.id === 'kube-prometheus-stack')
        ?.companions.filter((o) => o.kind === 'PrometheusRule') ?? [];
    expect(rules).toHaveLength(1);
    expect(alertRuleProblems(rules)).toEqual([]);
    const groups = (rules[0] as unknown as { spec: { groups: { name: string }[] } }).spec.groups.map((g) => g.name);
    const ids = r.addons.declarations.map((d) => d.id);
    expect(groups.includes('groundwork.velero')).toBe(ids.includes('velero'));
    expect(groups.includes('groundwork.argo-cd')).toBe(ids.includes('argo-cd'));
    expect(groups.includes('groundwork.flux')).toBe(ids.includes('flux'));
    expect(groups.includes('groundwork.kyverno')).toBe(ids.includes('kyverno'));
    expect(groups.includes('groundwork.external-secrets')).toBe(ids.includes('external-secrets'));
    expect(groups.includes('groundwork.loki')).toBe(ids.includes('loki'));
    expect(groups).toContain('groundwork.tenancy');
  });
});

describe('monitoring.platformRules', () => {
  /** The kinds of the monitoring add-on's own objects with `platformRules` (every engine the rules know). */
  const kinds = (platformRules?: unknown): string[] => {
    const profile: PlatformAddonsProps = {
      certManager: {},
      gitops: { engine: 'flux' },
      policy: { engine: 'gatekeeper' },
      monitoring: platformRules === undefined ? {} : { platformRules: platformRules as false },
    };
    const d = platformAddons(profile).declarations.find((x) => x.id === 'kube-prometheus-stack');
    return [...new Set(d?.companions.map((o) => o.kind))].sort();
  };

  test('false (as documented) ships no platform rules and no platform monitors', () => {
    expect(kinds()).toEqual(['ConfigMap', 'PodMonitor', 'PrometheusRule', 'ServiceMonitor']);
    expect(kinds(false)).toEqual(['ConfigMap']);
  });

  test('anything but an object or false is refused, naming both', () => {
    expect(() => kinds(true)).toThrow(
      "Addon 'kube-prometheus-stack': platformRules (a boolean) must be an object or false",
    );
    expect(() => kinds('flux')).toThrow(
      "Addon 'kube-prometheus-stack': platformRules (a string) must be an object or false",
    );
  });
});

describe('WebServiceMonitoring alert rules', () => {
  test('parse, carry a severity and a runbook in the README', () => {
    const objs = synth((c) => {
      const api = new WebService(c, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080 });
      new WebServiceMonitoring(c, 'mon', { platform: rendered('kind').contract, service: api });
    });
    expect(objs.filter((o) => o.kind === 'PrometheusRule')).toHaveLength(1);
    expect(alertRuleProblems(objs)).toEqual([]);
  });
});
