import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, parseAllDocuments } from 'yaml';
import type { ManifestObject } from '../../constructs';
import { findSecrets, secretMessage } from '../../constructs/internal/secrets';
import { writeRendering } from '../../stacks/render';
import { renderStack } from '../../stacks/render-stack';
import { synthStack } from '../../stacks/synth';
import { projectRoot } from '../../stacks/stack-config';
import { KIND_GATEWAY_NODE_PORTS } from '../../environments/kind';
import { validated } from '../helpers/synth';
import { renderedWithDemo, STACKS } from '../helpers/stacks';
import { as, first, ofKind } from '../helpers/kinds';

const WORKLOAD_KINDS = [
  'Deployment',
  'StatefulSet',
  'CronJob',
  'Job',
  'ConfigMap',
  'ExternalSecret',
  'HTTPRoute',
  'HorizontalPodAutoscaler',
];
const root = path.resolve(__dirname, '../..');

function hasKubectl(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * `o` without the fields that name a key rather than hold a value: an ExternalSecret's
 * `spec.data[].secretKey` is "the key in the Kubernetes Secret to store the value" (external-secrets
 * v2.9.0 config/crds/bases/external-secrets.io_externalsecrets.yaml), and a ResourceQuota's
 * `spec.hard` maps resource names (`secrets`: how many Secrets) to quantities (core/v1 ResourceList).
 */
function withoutKeyNames(o: ManifestObject): unknown {
  if (o.kind === 'ResourceQuota') {
    const copy = structuredClone(o) as ManifestObject & { spec?: { hard?: Record<string, string> } };
    for (const [k, v] of Object.entries(copy.spec?.hard ?? {})) if (/^\d+$/.test(v)) delete copy.spec?.hard?.[k];
    return copy;
  }
  if (o.kind !== 'ExternalSecret') return o;
  const copy = structuredClone(o) as ManifestObject & { spec?: { data?: { secretKey?: string }[] } };
  for (const d of copy.spec?.data ?? []) delete d.secretKey;
  return copy;
}

/** The fields of kind's cluster config this file reads (environments/kind/cluster.yaml). */
interface KindCluster {
  readonly name: string;
  readonly nodes: readonly {
    readonly role: string;
    readonly extraPortMappings?: readonly { readonly hostPort: number; readonly containerPort: number }[];
  }[];
}

const readAll = (dir: string, files: readonly string[]): ManifestObject[] =>
  files
    .filter((f) => f.endsWith('.yaml') && !f.endsWith('kustomization.yaml') && !f.includes('engine-values'))
    .flatMap((f) =>
      parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS() as ManifestObject),
    );

describe('synth', () => {
  let out: string;
  beforeAll(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'groundwork-synth-'));
  });
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  test.each(STACKS)('%s: every object is schema-valid and hardened, and every check passes', (stack) => {
    const r = renderedWithDemo(stack);
    const objs = validated([...r.objects]);
    for (const o of objs) expect(o.metadata?.labels?.environment).toBe(r.env.name);
    expect([r.checks.hardening, r.checks.platform, r.checks.budget]).toEqual([[], [], []]);
  });

  test.each(STACKS)('%s: the demo apps run in two tenants, each with quota, isolation and its own roles', (stack) => {
    const objs = renderedWithDemo(stack).objects;
    const tenants = ofKind(objs, 'Namespace').filter(
      (o) => o.metadata.labels['groundwork.io/tenant'] !== undefined && !o.metadata.name.startsWith('platform-secrets'),
    );
    expect(tenants.map((n) => [n.metadata.name, n.metadata.labels['groundwork.io/tenant']])).toEqual([
      ['shop', 'shop'],
      ['analytics', 'analytics'],
    ]);
    for (const ns of ['shop', 'analytics']) {
      const inNs = objs.filter((o) => o.metadata?.namespace === ns);
      expect(inNs.filter((o) => o.kind === 'ResourceQuota')).toHaveLength(1);
      expect(inNs.some((o) => o.kind === 'NetworkPolicy' && o.metadata?.name === 'default-deny')).toBe(true);
      expect(inNs.some((o) => o.kind === 'RoleBinding' && o.metadata?.name === 'tenant-deployer')).toBe(true);
    }
    // every workload of the demo runs inside a tenant namespace
    for (const o of objs.filter((x) => ['Deployment', 'StatefulSet', 'CronJob', 'Job', 'Rollout'].includes(x.kind)))
      expect(['shop', 'analytics']).toContain(o.metadata?.namespace);
  });

  test('staging and prod: the API rolls out as a canary through the Gateway; kind keeps a rolling Deployment', () => {
    for (const stack of ['staging', 'prod']) {
      const rollout = first(renderedWithDemo(stack).objects, 'Rollout');
      // the Rollout model types trafficRouting.plugins as free-form (each plugin defines its own config)
      const plugins = rollout.spec.strategy.canary.trafficRouting.plugins as Record<string, { httpRoute?: string }>;
      expect([stack, rollout.metadata.name, plugins['argoproj-labs/gatewayAPI'].httpRoute]).toEqual([
        stack,
        'api',
        'api',
      ]);
    }
    expect(renderedWithDemo('kind').objects.some((o) => o.kind === 'Rollout')).toBe(false);
    expect(renderedWithDemo('kind').objects.some((o) => o.kind === 'Deployment' && o.metadata?.name === 'api')).toBe(
      true,
    );
  });

  test.each(STACKS)(
    '%s: every file written is schema-valid with no unknown field, and nothing in it looks like a secret',
    (stack) => {
      // GIVEN the stack synthesized to disk: app waves, add-on waves, GitOps bootstrap and its inputs
      const result = synthStack(stack, out);
      const dir = path.join(out, stack);
      const written = [...result.files, ...result.addonFiles, ...result.bootstrapFiles];
      // WHEN every YAML document is read back (engine-values.yaml is Helm values, not objects)
      const objects = readAll(dir, written);
      const values = written
        .filter((f) => f.includes('engine-values'))
        .map((f) => parse(fs.readFileSync(path.join(dir, f), 'utf8')) as unknown);
      // THEN each object passes strict schema validation, and the secret rule finds nothing anywhere
      expect(objects.length).toBeGreaterThan(result.rendering.objects.length);
      validated(objects);
      const findings = [
        ...objects.flatMap((o, i) => findSecrets(withoutKeyNames(o), `${o.kind}/${o.metadata?.name ?? i}`)),
        ...values.flatMap((v) => findSecrets(v, 'engine-values')),
      ];
      expect(findings.map(secretMessage)).toEqual([]);
    },
  );

  test('kind: writes ordered wave files with one of each workload construct, read back identical', () => {
    const result = synthStack('kind', out);
    expect(result.rendering.ok).toBe(true);
    const dir = path.join(out, 'kind');
    const files = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.yaml') && f !== 'addons-bootstrap.yaml')
      .sort();
    expect(files).toEqual([...result.files].sort());
    const objs = readAll(dir, files);
    expect(objs).toHaveLength(result.rendering.objects.length);
    validated(objs);
    const kinds = new Set(objs.map((o) => o.kind));
    for (const k of WORKLOAD_KINDS) expect(kinds).toContain(k);
    // no secret material anywhere in the output
    const text = files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
    expect(text).not.toMatch(/^kind: Secret$/m);
    expect(text).not.toMatch(/stringData/);
  });

  test('kind: waves put namespaces first and routing after workloads', () => {
    expect(renderedWithDemo('kind').waves.map((w) => w.name)).toEqual([
      '00-namespaces',
      '15-tenancy',
      '20-identity',
      '30-config',
      '40-services',
      '50-workloads',
      '60-policies',
      '70-routing',
    ]);
  });

  test('kind: add-on wave files and bootstrap inputs are written, read back schema-valid, and fit the laptop budget', () => {
    const result = synthStack('kind', out);
    const r = result.rendering;
    expect(r.checks.budget).toEqual([]);
    expect(r.addons.footprint.cpuCores).toBeLessThanOrEqual(4);
    expect(r.addons.footprint.memoryBytes).toBeLessThanOrEqual(8 * 2 ** 30);
    expect(result.addonFiles).toEqual(
      r.addons.plan.waves.map((_, i) => `addons/wave-${String(i).padStart(2, '0')}.yaml`),
    );
    // no repository configured for kind: nothing points at Git, the script applies the wave files
    expect(result.bootstrapFiles).toEqual([
      'bootstrap/engine.env',
      'bootstrap/engine-values.yaml',
      'bootstrap/local-secrets.tsv',
    ]);
    const dir = path.join(out, 'kind');
    validated(readAll(dir, result.addonFiles));
    const env = fs.readFileSync(path.join(dir, 'bootstrap/engine.env'), 'utf8');
    expect(env).toContain("ENGINE_CHART='argo-cd'\n");
    expect(env).toContain(`ADDON_FILES='${result.addonFiles.join(' ')}'`);
    expect(parse(fs.readFileSync(path.join(dir, 'bootstrap/engine-values.yaml'), 'utf8'))).toEqual(
      r.gitops.engine.values,
    );
    // the secrets the local stores must hold: Grafana's admin (platform store), the shop's database
    // (the shop tenant's own store, in its own namespace), never values
    expect(fs.readFileSync(path.join(dir, 'bootstrap/local-secrets.tsv'), 'utf8')).toBe(
      'platform-secrets\tgrafana-admin\tpassword,username\nplatform-secrets-shop\tkind-demo-shop-db\tpassword,username\nplatform-secrets-shop\tkind-demo-shop-redis\tpassword\n',
    );
  });

  test('prod with groundwork:domain, acmeEmail and gitRepoUrl set: they are used everywhere and no example value is left', () => {
    // GIVEN a prod stack file with a user's own values
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'groundwork-stack-'));
    fs.writeFileSync(
      path.join(tmp, 'Pulumi.prod.yaml'),
      [
        'config:',
        '  groundwork:environment: prod',
        '  groundwork:kubeContext: arn:aws:eks:eu-central-1:210987654321:cluster/shop-prod',
        '  groundwork:domain: shop.acme.io',
        '  groundwork:acmeEmail: platform@acme.io',
        '  groundwork:gitRepoUrl: https://github.com/acme/platform.git',
        '  groundwork:gitRevision: release',
        '  groundwork:gitPath: clusters/prod',
        '  groundwork:awsAccountId: "210987654321"',
        '  groundwork:awsRegion: eu-central-1',
        '  groundwork:eksClusterName: shop-prod',
        '  groundwork:route53HostedZoneId: Z1D633PJN98FT9',
        '  groundwork:backupBucket: acme-prod-backups',
        '  groundwork:logsBucket: acme-prod-logs',
        '  groundwork:demo: "true"',
        '',
      ].join('\n'),
    );
    // WHEN it is rendered and written
    const r = renderStack('prod', tmp);
    const dir = path.join(tmp, 'out');
    const written = writeRendering(r, dir);
    // THEN preflight has nothing to set, and the values reach hosts, Gateway, issuers and GitOps sources
    expect(r.checks.preflight.ok).toBe(true);
    const text = [...written.files, ...written.addonFiles, ...written.bootstrapFiles]
      .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
      .join('\n');
    expect(text).not.toMatch(/example/i);
    const all = [...r.objects, ...r.gitops.files.flatMap((f) => f.objects), ...r.gitops.bootstrap];
    expect(
      ofKind(all, 'HTTPRoute')
        .filter((o) => o.spec.hostnames)
        .map((o) => o.spec.hostnames[0])
        .sort(),
    ).toEqual(['api.shop.acme.io', 'shop.shop.acme.io']);
    const addonObjects = r.addons.declarations.flatMap((d) => d.companions);
    const gateway = first(addonObjects, 'Gateway');
    expect(gateway.spec.listeners.find((l) => l.name === 'https')?.hostname).toBe('*.shop.acme.io');
    const issuers = ofKind(addonObjects, 'ClusterIssuer');
    expect(issuers.map((i) => i.spec.acme.email)).toEqual(['platform@acme.io', 'platform@acme.io']);
    expect(issuers[0].spec.acme.solvers[0].dns01.route53).toMatchObject({
      region: 'eu-central-1',
      hostedZoneID: 'Z1D633PJN98FT9',
      role: 'arn:aws:iam::210987654321:role/groundwork-prod-dns',
    });
    const root = as(
      r.gitops.bootstrap.find((o) => o.kind === 'Application'),
      'Application',
    );
    expect(root.spec.source).toEqual({
      repoURL: 'https://github.com/acme/platform.git',
      targetRevision: 'release',
      path: 'clusters/prod/addons',
    });
    expect(r.env.cluster.kubeContext).toBe('arn:aws:eks:eu-central-1:210987654321:cluster/shop-prod');
    expect(r.addons.plan.addons.get('external-dns')?.values.domainFilters).toEqual(['shop.acme.io']);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('prod with only domain, acmeEmail and gitRepoUrl replaced: no example.com left anywhere in the output', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'groundwork-stack-'));
    const shipped = fs.readFileSync(path.join(projectRoot(), 'Pulumi.prod.yaml'), 'utf8');
    fs.writeFileSync(
      path.join(tmp, 'Pulumi.prod.yaml'),
      shipped
        .replace(/groundwork:domain: \S+/, 'groundwork:domain: shop.acme.io')
        .replace(/groundwork:acmeEmail: \S+/, 'groundwork:acmeEmail: platform@acme.io')
        .replace(/groundwork:gitRepoUrl: \S+/, 'groundwork:gitRepoUrl: https://github.com/acme/platform.git'),
    );
    const r = renderStack('prod', tmp);
    const dir = path.join(tmp, 'out');
    const written = writeRendering(r, dir);
    const text = [...written.files, ...written.addonFiles, ...written.bootstrapFiles]
      .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
      .join('\n');
    expect(text).not.toContain('example.com');
    expect(text).toContain('shop.acme.io');
    // the account and buckets are still the shipped examples: preflight names exactly those
    expect(r.checks.preflight.findings.filter((f) => f.severity === 'must-set').map((f) => f.key)).toEqual([
      'awsAccountId',
      'backupBucket',
      'logsBucket',
    ]);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('kind cluster config maps host ports 80/443 to the node ports the Gateway is exposed on', () => {
    const cluster = parse(fs.readFileSync(path.join(root, 'environments/kind/cluster.yaml'), 'utf8')) as KindCluster;
    const mappings = cluster.nodes.flatMap((n) => n.extraPortMappings ?? []).map((m) => [m.hostPort, m.containerPort]);
    expect(mappings).toEqual([
      [80, KIND_GATEWAY_NODE_PORTS.http],
      [443, KIND_GATEWAY_NODE_PORTS.https],
    ]);
    const proxy = first(
      renderedWithDemo('kind').addons.declarations.flatMap((d) => d.companions),
      'EnvoyProxy',
    );
    const patched = proxy.spec.provider.kubernetes.envoyService;
    expect(patched.type).toBe('NodePort');
    // the host ports reach the control-plane node only, and Envoy runs on a worker: the node port must
    // forward from every node (Envoy Gateway's default, Local, answers only where an Envoy Pod runs)
    expect(patched.externalTrafficPolicy).toBe('Cluster');
    expect(cluster.nodes.filter((n) => (n.extraPortMappings ?? []).length > 0).map((n) => n.role)).toEqual([
      'control-plane',
    ]);
    expect(patched.patch.value.spec.ports).toEqual([
      { port: 80, nodePort: KIND_GATEWAY_NODE_PORTS.http },
      { port: 443, nodePort: KIND_GATEWAY_NODE_PORTS.https },
    ]);
    // the context the scripts create is the one the stack targets
    expect(`kind-${cluster.name}`).toBe(renderedWithDemo('kind').env.cluster.kubeContext);
  });

  (hasKubectl() ? test : test.skip)('kind: `kubectl kustomize` renders the directory with every object', () => {
    const result = synthStack('kind', out);
    const rendered = execFileSync('kubectl', ['kustomize', path.join(out, 'kind')], { encoding: 'utf8' });
    const docs = parseAllDocuments(rendered).map((d) => d.toJS() as ManifestObject);
    expect(docs).toHaveLength(result.rendering.objects.length);
    expect(docs[0].kind).toBe('Namespace');
  });
});
