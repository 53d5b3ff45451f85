import { ApiObject, type Chart } from 'cdk8s';
import { deployableProblems, type EnvironmentDefinition, renderEnvironment } from '../../constructs';
import { kind } from '../../environments';
import { demoApps } from '../../apps/demo';
import { loadStack } from '../../stacks/stack-config';
import { rendered } from '../helpers/stacks';

const { config } = loadStack('kind');

describe('renderEnvironment and what blocks a deployment', () => {
  test('the shipped kind stack renders with nothing blocking it', () => {
    expect(deployableProblems(rendered('kind'))).toEqual([]);
  });

  test('preflight, hardening, platform order and budget problems each block, one line each', () => {
    // GIVEN kind with a tiny budget, an example domain and an app object that breaks hardening and order
    const tight: EnvironmentDefinition = {
      ...kind,
      build: (c, s) => ({ ...kind.build(c, s), addonBudget: { cpuCores: 0.5, memoryGiB: 1 } }),
    };
    const r = renderEnvironment(
      tight,
      { ...config, domain: 'example.com' },
      {
        stack: 'kind',
        apps: (chart: Chart, ctx) => {
          demoApps(chart, ctx);
          new ApiObject(chart, 'rogue', {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name: 'rogue', namespace: 'nowhere' },
            spec: {
              selector: { matchLabels: { app: 'rogue' } },
              template: {
                metadata: { labels: { app: 'rogue' } },
                spec: { containers: [{ name: 'rogue', image: 'nginx:latest' }] },
              },
            },
          });
        },
      },
    );
    // WHEN
    const problems = deployableProblems(r);
    // THEN
    expect(r.ok).toBe(false);
    expect(problems.filter((p) => p.startsWith('preflight: '))).toEqual([
      'preflight: groundwork:domain ("example.com") in Pulumi.kind.yaml uses a reserved example domain (RFC 2606): set your own value',
    ]);
    expect(problems.some((p) => p.startsWith('hardening image-pinned: Deployment nowhere/rogue'))).toBe(true);
    expect(problems).toContain(
      "platform: Deployment nowhere/rogue (apps 50-workloads): namespace 'nowhere' does not exist yet: nothing before it creates it",
    );
    expect(problems.filter((p) => p.startsWith('over budget: '))).toEqual([
      expect.stringMatching(/^over budget: add-on CPU requests \d\.\d\d > 0\.5 cores$/),
      expect.stringMatching(/^over budget: add-on memory requests \d\.\d\d GiB > 1 GiB$/),
    ]);
  });

  test('the apps apply after the last add-on wave they need (the Gateway, the store, the CRDs)', () => {
    const r = rendered('kind');
    const plan = r.addons.plan;
    const lastStep = plan.waves[r.appsAfterWave];
    expect(lastStep).toContain('envoy-gateway/resources');
    expect(r.appsAfterWave).toBeGreaterThanOrEqual(plan.waveOf.get('external-secrets/resources') as number);
  });
});

describe('an environment chooses its apps', () => {
  /** An app builder that records it ran and adds one ConfigMap. */
  const team =
    (name: string, ran: string[]) =>
    (chart: Chart): void => {
      ran.push(name);
      new ApiObject(chart, name, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace: 'team-a' },
        data: { k: 'v' },
      });
    };
  const names = (r: ReturnType<typeof renderEnvironment>): string[] =>
    r.objects.filter((o) => o.kind === 'ConfigMap').map((o) => String(o.metadata?.name));

  test("the definition's apps are built in order; without any, the environment renders add-ons only", () => {
    const ran: string[] = [];
    const own: EnvironmentDefinition = { ...kind, apps: [team('first', ran), team('second', ran)] };
    expect(names(renderEnvironment(own, config, { stack: 'kind' }))).toEqual(['first', 'second']);
    expect(ran).toEqual(['first', 'second']);
    const none: EnvironmentDefinition = { ...kind, apps: undefined };
    expect(renderEnvironment(none, config, { stack: 'kind' }).objects).toEqual([]);
  });

  test("the kind definition runs the demo unless groundwork:demo is 'false'; options.apps replaces the definition's", () => {
    expect(kind.apps).toEqual([demoApps]);
    expect(rendered('kind').objects.some((o) => o.metadata?.namespace === 'shop')).toBe(true);
    expect(renderEnvironment(kind, { ...config, demo: 'false' }, { stack: 'kind' }).objects).toEqual([]);
    const ran: string[] = [];
    expect(names(renderEnvironment(kind, config, { stack: 'kind', apps: team('only', ran) }))).toEqual(['only']);
  });
});
