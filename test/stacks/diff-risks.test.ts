/**
 * The risk families of `npm run diff` (stacks/diff/), each over (before, after) object pairs: no
 * git, no rendering.
 */
import { compareRenderings, riskRules } from '../../stacks/diff/classify';
import { imageRisks } from '../../stacks/diff/images';
import type { DiffObject, Finding, Json, ObjectChange } from '../../stacks/diff/model';
import { networkRisks } from '../../stacks/diff/network';
import { normalize } from '../../stacks/diff/normalize';
import { optOutRisks } from '../../stacks/diff/opt-out';
import { crdChanges, pinRisksWith } from '../../stacks/diff/pins';
import { podSecurityRisks } from '../../stacks/diff/pod-security';
import { rbacRisks } from '../../stacks/diff/rbac';
import { secretRisks } from '../../stacks/diff/secrets';

function object(
  apiVersion: string,
  kind: string,
  name: string,
  body: Record<string, Json> = {},
  meta: Record<string, Json> = {},
): DiffObject {
  return { apiVersion, kind, metadata: { name, namespace: 'shop', ...meta }, ...body };
}

const change = (before?: DiffObject, after?: DiffObject): ObjectChange => ({ key: 'k', before, after });
const messages = (fs: readonly Finding[]): string[] => fs.map((f) => `${f.risk}: ${f.message}`);

describe('rbac', () => {
  const role = (rules: Json[]): DiffObject => object('rbac.authorization.k8s.io/v1', 'Role', 'r', { rules });
  const reader = role([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }]);

  test('a new wildcard Role is RBAC widened', () => {
    expect(
      messages(rbacRisks(change(undefined, role([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }])))),
    ).toEqual(['rbac: new role grants: * on *.* (wildcard)']);
  });

  test('a new verb or resource is reported; a grant already covered is not', () => {
    const wider = role([{ apiGroups: [''], resources: ['pods', 'secrets'], verbs: ['get', 'list', 'delete'] }]);
    expect(messages(rbacRisks(change(reader, wider)))).toEqual([
      'rbac: grants newly: delete on pods; get, list, delete on secrets',
    ]);
    const narrower = role([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]);
    expect(rbacRisks(change(reader, narrower))).toEqual([]);
    expect(rbacRisks(change(role([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]), wider))).toEqual([]);
  });

  test('a ClusterRoleBinding gaining a subject is cluster-scoped', () => {
    const binding = (subjects: Json[]): DiffObject =>
      object('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'b', {
        roleRef: { kind: 'ClusterRole', name: 'view' },
        subjects,
      });
    const before = binding([{ kind: 'ServiceAccount', name: 'a', namespace: 'shop' }]);
    const after = binding([
      { kind: 'ServiceAccount', name: 'a', namespace: 'shop' },
      { kind: 'Group', name: 'system:authenticated' },
    ]);
    expect(messages(rbacRisks(change(before, after)))).toEqual([
      'rbac: new subjects bound to ClusterRole view (cluster-scoped binding: every namespace): Group system:authenticated',
    ]);
  });
});

describe('network', () => {
  const policy = (ingress: Json[], policyTypes: Json[] = ['Ingress']): DiffObject =>
    object('networking.k8s.io/v1', 'NetworkPolicy', 'p', { spec: { podSelector: {}, policyTypes, ingress } });
  const base = policy([
    { from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080, protocol: 'TCP' }] },
  ]);

  test('a new peer and a new port are NetworkPolicy widened', () => {
    const after = policy([
      { from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] },
      { from: [{ namespaceSelector: {} }], ports: [{ port: 9090 }] },
    ]);
    expect(messages(networkRisks(change(normalize(base), normalize(after))))).toEqual([
      'network: ingress now admits from {"namespaceSelector":{}}',
      'network: ingress now admits port {"port":9090}',
    ]);
  });

  test('a removed policy, or one no longer restricting a direction, is widened; the same rules are not', () => {
    expect(messages(networkRisks(change(base, undefined)))).toEqual([
      'network: policy removed: the pods it selected lose its restrictions',
    ]);
    expect(messages(networkRisks(change(base, policy([], ['Egress']))))).toEqual([
      'network: no longer restricts ingress (policyTypes Egress)',
    ]);
    expect(
      networkRisks(
        change(
          normalize(base),
          normalize(policy([{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] }])),
        ),
      ),
    ).toEqual([]);
  });

  test('a new deny-all policy widens nothing; a new allow-all one does', () => {
    expect(networkRisks(change(undefined, policy([])))).toEqual([]);
    expect(messages(networkRisks(change(undefined, policy([{}]))))).toEqual([
      'network: ingress now admits from any peer',
      'network: ingress now admits port any port',
    ]);
  });
});

describe('pod-security and opt-out', () => {
  const ns = (level: string | undefined, annotations: Record<string, Json> = {}): DiffObject =>
    object(
      'v1',
      'Namespace',
      'shop',
      {},
      { labels: level === undefined ? {} : { 'pod-security.kubernetes.io/enforce': level }, annotations },
    );

  test('restricted -> baseline, or the label removed, lowers the level; raising it does not', () => {
    expect(messages(podSecurityRisks(change(ns('restricted'), ns('baseline'))))).toEqual([
      'pod-security: enforce lowered from restricted to baseline',
    ]);
    expect(messages(podSecurityRisks(change(ns('baseline'), ns(undefined))))).toEqual([
      'pod-security: enforce lowered from baseline to the cluster default (label removed)',
    ]);
    expect(podSecurityRisks(change(ns('baseline'), ns('restricted')))).toEqual([]);
  });

  test('an opt-out annotation added (or on a new object) is reported with its reason', () => {
    const optedOut = ns('restricted', { 'groundwork.io/allow-probes': 'batch only' });
    expect(messages(optOutRisks(change(ns('restricted'), optedOut)))).toEqual([
      'opt-out: opts out of probes: "batch only"',
    ]);
    expect(messages(optOutRisks(change(undefined, optedOut)))).toEqual(['opt-out: opts out of probes: "batch only"']);
    expect(optOutRisks(change(optedOut, optedOut))).toEqual([]);
  });
});

describe('pins, images, removed and secrets', () => {
  const app = (version: string, image = 'ghcr.io/x/y:1.0'): DiffObject =>
    object('argoproj.io/v1alpha1', 'Application', 'cert-manager', {
      spec: {
        source: {
          repoURL: 'https://charts.jetstack.io',
          chart: 'cert-manager',
          targetRevision: version,
          helm: { valuesObject: { image: { repository: 'quay.io/jetstack/cm', tag: version } } },
        },
      },
      containers: [{ name: 'c', image }],
    });

  test('a chart version change is a pin change, naming the CRDs whose schema changed when vendored', () => {
    const crds = (v: string): ReadonlyMap<string, string> =>
      new Map([
        ['certificates.cert-manager.io', v === '1' ? 'a' : 'b'],
        ['issuers.cert-manager.io', 'same'],
      ]);
    expect(messages(pinRisksWith()(change(app('1'), app('2'))))).toEqual(['pin: cert-manager 1 -> 2']);
    expect(messages(pinRisksWith((_chart, v) => crds(v))(change(app('1'), app('2'))))).toEqual([
      'pin: cert-manager 1 -> 2; CRD schemas changed: certificates.cert-manager.io',
    ]);
    expect(crdChanges(new Map([['a', 'x']]), new Map([['b', 'y']]))).toEqual(['a (dropped)', 'b (new)']);
  });

  test('an image tag change is an image change (containers and chart values)', () => {
    expect(messages(imageRisks(change(app('1'), app('1', 'ghcr.io/x/y:1.1'))))).toEqual([
      'image: containers[c].image: ghcr.io/x/y:1.0 -> ghcr.io/x/y:1.1',
    ]);
    expect(messages(imageRisks(change(app('1'), app('2'))))).toContain(
      'image: spec.source.helm.valuesObject.image: quay.io/jetstack/cm:1 -> quay.io/jetstack/cm:2',
    );
  });

  test('an object removed is what prune would delete', () => {
    const diffs = compareRenderings(new Map([['k', app('1')]]), new Map(), riskRules());
    expect(diffs.map((d) => [d.status, messages(d.findings)])).toEqual([
      ['removed', ['removed: no longer rendered: pruning deletes it from the cluster']],
    ]);
  });

  test('a secretKeyRef or an ExternalSecret remoteRef change is a secrets change', () => {
    const pod = (key: string): DiffObject =>
      object('v1', 'Pod', 'p', { env: [{ name: 'DB', valueFrom: { secretKeyRef: { name: 'db', key } } }] });
    expect(messages(secretRisks(change(pod('password'), pod('token'))))).toEqual([
      'secrets: env[DB].valueFrom.secretKeyRef: {"key":"password","name":"db"} -> {"key":"token","name":"db"}',
    ]);
    const es = (key: string): DiffObject =>
      object('external-secrets.io/v1', 'ExternalSecret', 'e', {
        spec: { data: [{ secretKey: 'pw', remoteRef: { key } }] },
      });
    expect(messages(secretRisks(change(es('prod-db'), es('prod-db-2'))))).toEqual([
      'secrets: spec.data[pw].remoteRef: {"key":"prod-db"} -> {"key":"prod-db-2"}',
    ]);
  });
});

describe('noise', () => {
  test('key order and defaulted fields are not changes; Secret values never show', () => {
    const a = object('v1', 'Service', 's', { spec: { type: 'ClusterIP', ports: [{ port: 80, protocol: 'TCP' }] } });
    const b: DiffObject = {
      kind: 'Service',
      metadata: { namespace: 'shop', name: 's' },
      apiVersion: 'v1',
      spec: { ports: [{ port: 80 }] },
    };
    expect(compareRenderings(new Map([['k', normalize(a)]]), new Map([['k', normalize(b)]]))).toEqual([]);
    const secret = normalize(object('v1', 'Secret', 's', { stringData: { password: 'hunter2' } }));
    expect(JSON.stringify(secret)).not.toContain('hunter2');
  });
});
