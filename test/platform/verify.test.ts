import { type ManifestObject, platformAddons, verifyPlatform } from '../../constructs';
import { rendered, STACKS } from '../helpers/stacks';

const addons = platformAddons({
  certManager: { selfSignedCa: true },
  externalSecrets: {
    storeName: 'store',
    backend: { provider: 'kubernetes', namespace: 'secrets' },
    allowedNamespaces: ['shop'],
  },
  monitoring: false,
  logs: false,
  tracing: false,
  policy: false,
  rollouts: false,
});
const ns = (name: string): ManifestObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const pod = (name: string, spec: Record<string, unknown>): ManifestObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'shop' },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: 'x:1' }], ...spec } },
  },
});
const verify = (...units: ManifestObject[][]) =>
  verifyPlatform({ plan: addons.plan, apps: units.map((objects, i) => ({ name: `w${i}`, objects })) });

describe('verifyPlatform', () => {
  test.each(STACKS)('%s: the shipped order leaves nothing dangling', (stack) => {
    const r = rendered(stack);
    expect(verifyPlatform({ plan: r.addons.plan, cluster: r.env.addons.cluster, apps: r.waves })).toEqual([]);
  });

  test('a namespace nothing creates', () => {
    expect(verify([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'nowhere' } }])).toEqual([
      {
        object: 'ConfigMap nowhere/c (apps w0)',
        message: "namespace 'nowhere' does not exist yet: nothing before it creates it",
      },
    ]);
  });

  test('a kind no installed CRD serves', () => {
    expect(
      verify([
        ns('shop'),
        { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'm', namespace: 'shop' } },
      ]),
    ).toEqual([
      {
        object: 'ServiceMonitor shop/m (apps w0)',
        message:
          'kind ServiceMonitor (monitoring.coreos.com/v1) is not served yet: no CRD of group monitoring.coreos.com is installed before it',
      },
    ]);
  });

  test('an issuer, a secret store and a Gateway that do not exist; one that does', () => {
    const problems = verify([
      ns('shop'),
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: {
          name: 'i',
          namespace: 'shop',
          annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt-prod' },
        },
        spec: { ingressClassName: 'nginx' },
      },
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'a', namespace: 'shop' },
        spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' } },
      },
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'b', namespace: 'shop' },
        spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'store' } },
      },
      {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        metadata: { name: 'c', namespace: 'shop' },
        spec: { secretName: 'c', issuerRef: { kind: 'ClusterIssuer', name: 'selfsigned-ca' } },
      },
    ]);
    expect(problems.map((p) => `${p.object}: ${p.message}`)).toEqual([
      'Ingress shop/i (apps w0): metadata.annotations["cert-manager.io/cluster-issuer"] refers to ClusterIssuer letsencrypt-prod, which does not exist yet: nothing before it creates it',
      'Ingress shop/i (apps w0): spec.ingressClassName refers to IngressClass nginx, which does not exist yet: nothing before it creates it',
      'ExternalSecret shop/a (apps w0): spec.secretStoreRef refers to ClusterSecretStore vault, which does not exist yet: nothing before it creates it',
    ]);
  });

  test('a Secret produced by an ExternalSecret counts once applied; a ConfigMap or ServiceAccount nothing creates does not', () => {
    const es: ManifestObject = {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'db', namespace: 'shop' },
      spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'store' }, target: { name: 'db-creds' } },
    };
    const uses = pod('api', {
      serviceAccountName: 'api',
      containers: [
        {
          name: 'api',
          image: 'x:1',
          env: [
            { name: 'P', valueFrom: { secretKeyRef: { name: 'db-creds', key: 'p' } } },
            { name: 'Q', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'q', optional: true } } },
          ],
          envFrom: [{ configMapRef: { name: 'missing' } }],
        },
      ],
    });
    expect(verify([ns('shop'), es], [uses]).map((p) => p.message)).toEqual([
      'spec.template.spec.serviceAccountName refers to ServiceAccount shop/api, which does not exist yet: nothing before it creates it',
      'spec.template.spec.containers[api].envFrom refers to ConfigMap shop/missing, which does not exist yet: nothing before it creates it',
    ]);
    // the Secret would not exist before the ExternalSecret: order matters
    expect(
      verify(
        [ns('shop')],
        [
          pod('api', {
            containers: [
              {
                name: 'api',
                image: 'x:1',
                env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'db-creds', key: 'p' } } }],
              },
            ],
          }),
        ],
        [es],
      ).map((p) => p.message),
    ).toEqual([
      'spec.template.spec.containers[api].env[P] refers to Secret shop/db-creds, which does not exist yet: nothing before it creates it',
    ]);
  });

  test("implicit objects: default ServiceAccount, kube-root-ca.crt, built-in ClusterRoles, the cluster's StorageClasses", () => {
    const r = verifyPlatform({
      plan: addons.plan,
      cluster: { storageClasses: [{ name: 'standard', default: true }] },
      apps: [
        {
          name: 'w',
          objects: [
            ns('shop'),
            pod('a', {
              serviceAccountName: 'default',
              volumes: [{ name: 'ca', configMap: { name: 'kube-root-ca.crt' } }],
            }),
            {
              apiVersion: 'v1',
              kind: 'PersistentVolumeClaim',
              metadata: { name: 'p', namespace: 'shop' },
              spec: { storageClassName: 'standard' },
            },
            {
              apiVersion: 'rbac.authorization.k8s.io/v1',
              kind: 'RoleBinding',
              metadata: { name: 'rb', namespace: 'shop' },
              roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
              subjects: [{ kind: 'Group', name: 'devs' }],
            },
          ],
        },
      ],
    });
    expect(r).toEqual([]);
  });
});
