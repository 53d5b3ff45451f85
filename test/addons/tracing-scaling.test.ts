import {
  type AddonDeclaration,
  CATALOG,
  clusterAutoscaler,
  jaeger,
  JAEGER_BADGER_CLAIM,
  kubePrometheusStack,
  LOKI_TENANT,
  PlatformContract,
  platformAddons,
  verticalPodAutoscaler,
} from '../../constructs';
import { renderedWithDemo, STACKS } from '../helpers/stacks';
import { validated, validationErrorOf } from '../helpers/synth';
import { v } from '../helpers/values';
import { as, first, ofKind } from '../helpers/kinds';

const CERTS = {
  letsEncrypt: {
    email: 'ops@acme.io',
    solver: { type: 'http01' as const, gateway: { name: 'public', namespace: 'gateway-system' } },
  },
};

describe('Jaeger (tracing backend)', () => {
  test('default: Jaeger v2 in memory, OTLP in, every listener on 0.0.0.0, restricted Pods, the OTLP endpoint offered', () => {
    // GIVEN / WHEN
    const d = jaeger();
    // THEN pinned chart, the whole configuration in userconfig
    expect(d.chart).toEqual(CATALOG.jaeger);
    expect(v(d, 'userconfig.service.pipelines.traces')).toEqual({
      receivers: ['otlp'],
      processors: ['batch'],
      exporters: ['jaeger_storage_exporter'],
    });
    expect(v(d, 'userconfig.extensions.jaeger_storage.backends.primary')).toEqual({ memory: { max_traces: 50000 } });
    expect(v(d, 'userconfig.exporters.jaeger_storage_exporter')).toEqual({ trace_storage: 'primary' });
    // the chart's probes call 13133 on the Pod IP (jaeger-4.11.1 templates/jaeger/jaeger-deploy.yaml)
    expect(v(d, 'userconfig.extensions.healthcheckv2.http.endpoint')).toBe('0.0.0.0:13133');
    expect(v(d, 'userconfig.receivers.otlp.protocols.grpc.endpoint')).toBe('0.0.0.0:4317');
    expect(v(d, 'jaeger.podSecurityContext')).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(v(d, 'jaeger.securityContext')).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(v(d, 'jaeger.extraVolumeMounts')).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(d.podSecurity).toBe('restricted');
    expect(d.prerequisites).toEqual([]);
    expect(d.provides.tracing).toEqual({
      otlpGrpcEndpoint: 'jaeger.observability.svc:4317',
      namespace: 'observability',
    });
  });

  test('badger: traces on a PersistentVolumeClaim created before the chart, with a retention', () => {
    const d = jaeger({ storage: { type: 'badger', size: '50Gi', storageClassName: 'gp3', retention: '336h' } });
    expect(v(d, 'userconfig.extensions.jaeger_storage.backends.primary')).toEqual({
      badger: {
        directories: { keys: '/badger/keys', values: '/badger/values' },
        ephemeral: false,
        ttl: { spans: '336h' },
      },
    });
    expect(v(d, 'jaeger.extraVolumes')).toContainEqual({
      name: 'badger',
      persistentVolumeClaim: { claimName: JAEGER_BADGER_CLAIM },
    });
    expect(v(d, 'jaeger.extraVolumeMounts')).toContainEqual({ name: 'badger', mountPath: '/badger' });
    const pvc = as(validated([...d.prerequisites])[0], 'PersistentVolumeClaim');
    expect(pvc).toMatchObject({
      kind: 'PersistentVolumeClaim',
      metadata: { name: JAEGER_BADGER_CLAIM, namespace: 'observability' },
    });
    expect(pvc.spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '50Gi' } },
      storageClassName: 'gp3',
    });
  });

  test.each([
    [{ storage: { type: 'cassandra' } }, "storage.type (\"cassandra\") must be 'memory' or 'badger'"],
    [{ storage: { type: 'memory', maxTraces: 0 } }, 'storage.maxTraces (0) must be'],
    [{ storage: { type: 'badger', size: 'lots' } }, 'storage.size ("lots") must be'],
    [
      { storage: { type: 'badger', size: '1Gi', retention: '7d' } },
      'storage.retention ("7d") must be whole hours such as "168h"',
    ],
    [{ retention: '1h' }, 'retention (a string) is not an option of jaeger'],
  ])('refused: %j', (props, message) => {
    expect(validationErrorOf(() => jaeger(props as never))).toContain(`Addon 'jaeger': ${message}`);
  });

  test('the collector exports traces to the backend the platform runs, unless told otherwise', () => {
    const base = { certManager: CERTS };
    const collector = (p: object) =>
      platformAddons({ ...base, ...p }).declarations.find(
        (d) => d.id === 'opentelemetry-collector',
      ) as AddonDeclaration;
    // GIVEN the default backend THEN the collector's trace pipeline ends at Jaeger
    const wired = collector({});
    expect(v(wired, 'config.exporters.otlp/traces')).toEqual({
      endpoint: 'jaeger.observability.svc:4317',
      tls: { insecure: true },
    });
    expect(v(wired, 'config.service.pipelines.traces.exporters')).toEqual(['debug', 'otlp/traces']);
    // a backend in another namespace moves the endpoint with it
    expect(v(collector({ tracingBackend: { namespace: 'tracing' } }), 'config.exporters.otlp/traces.endpoint')).toBe(
      'jaeger.tracing.svc:4317',
    );
    // an explicit endpoint wins; no backend: traces only reach the debug exporter
    expect(
      v(collector({ tracing: { tracesEndpoint: 'tempo.tempo:4317' } }), 'config.exporters.otlp/traces.endpoint'),
    ).toBe('tempo.tempo:4317');
    expect(v(collector({ tracingBackend: false }), 'config.service.pipelines.traces.exporters')).toEqual(['debug']);
  });
});

describe('Grafana reads the logs (Loki data source)', () => {
  const addon = (id: string, p: object = {}) =>
    platformAddons({ certManager: CERTS, ...p }).declarations.find((d) => d.id === id);

  test('the log store offers its query URL and tenant; Grafana gets a Loki data source sending that tenant', () => {
    // GIVEN the default profile (Loki in `logging`) WHEN the platform is planned
    const platform = platformAddons({ certManager: CERTS });
    // THEN the contract names Loki as the log store, with the tenant Alloy pushes as
    expect(platform.contract.logs).toEqual({
      value: { queryUrl: 'http://loki.logging.svc:3100', tenant: LOKI_TENANT, namespace: 'logging' },
      by: 'loki',
    });
    const kps = platform.declarations.find((d) => d.id === 'kube-prometheus-stack');
    expect(v(kps, 'grafana.additionalDataSources')).toEqual([
      {
        name: 'Loki',
        uid: 'loki',
        type: 'loki',
        access: 'proxy',
        url: 'http://loki.logging.svc:3100',
        isDefault: false,
        editable: false,
        jsonData: { httpHeaderName1: 'X-Scope-OrgID' },
        secureJsonData: { httpHeaderValue1: 'platform' },
      },
    ]);
    // the header Grafana sends is the tenant Alloy writes as: queries see the logs that were pushed
    expect(String(v(addon('alloy') as AddonDeclaration, 'alloy.configMap.content'))).toContain(
      `tenant_id = "${String(v(kps, 'grafana.additionalDataSources.0.secureJsonData.httpHeaderValue1'))}"`,
    );
  });

  test('the data source follows the log store: another namespace moves the URL, no log store means no data source', () => {
    expect(
      v(
        addon('kube-prometheus-stack', { logs: { namespace: 'logs' } }) as AddonDeclaration,
        'grafana.additionalDataSources.0.url',
      ),
    ).toBe('http://loki.logs.svc:3100');
    expect(
      v(addon('kube-prometheus-stack', { logs: false }) as AddonDeclaration, 'grafana.additionalDataSources'),
    ).toBeUndefined();
    expect(platformAddons({ certManager: CERTS, logs: false }).contract.logs).toBeUndefined();
  });

  test('a single-tenant log store gets no tenant header', () => {
    const d = kubePrometheusStack({ logs: { queryUrl: 'http://loki.logging.svc:3100', namespace: 'logging' } });
    expect(v(d, 'grafana.additionalDataSources.0')).not.toHaveProperty('jsonData');
    expect(v(d, 'grafana.additionalDataSources.0')).not.toHaveProperty('secureJsonData');
  });

  test.each([
    [
      { queryUrl: 'loki.logging:3100', tenant: 'platform', namespace: 'logging' },
      'logs.queryUrl ("loki.logging:3100") must be an http(s) URL such as "http://loki.logging.svc:3100"',
    ],
    [
      { queryUrl: 'http://loki.logging.svc:3100', tenant: 'team:a', namespace: 'logging' },
      'logs.tenant ("team:a") must be a Loki tenant ID',
    ],
    [
      { queryUrl: 'http://loki.logging.svc:3100', tenant: '..', namespace: 'logging' },
      'logs.tenant ("..") must be a Loki tenant ID',
    ],
    [
      { queryUrl: 'http://loki.logging.svc:3100', tenant: 'x'.repeat(151), namespace: 'logging' },
      `logs.tenant ("${'x'.repeat(151)}") must be a Loki tenant ID: 1-150 of letters, digits and !-_.*'(), not "." or ".."`,
    ],
  ])('refused: logs %j', (logs, message) => {
    expect(validationErrorOf(() => kubePrometheusStack({ logs }))).toContain(
      `Addon 'kube-prometheus-stack': ${message}`,
    );
  });
});

describe('Vertical Pod Autoscaler', () => {
  test('default: the recommender only (no updater, no webhook), CRDs served, restricted Pods', () => {
    const d = verticalPodAutoscaler();
    expect(d.chart).toEqual(CATALOG['vertical-pod-autoscaler']);
    expect(v(d, 'recommender.enabled')).toBe(true);
    expect(v(d, 'updater.enabled')).toBe(false);
    expect(v(d, 'admissionController.enabled')).toBe(false);
    expect(v(d, 'admissionController.certGen.enabled')).toBe(false);
    expect(d.providesCrds).toEqual(['autoscaling.k8s.io']);
    expect(d.requiresCrds).toEqual([]);
    expect(v(d, 'containerSecurityContext')).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(v(d, 'podSecurityContext')).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(d.provides.verticalPodAutoscaling).toEqual({ updater: false });
    expect(Object.keys(d.components)).toEqual(['recommender']);
  });

  test('updater: the updater and the admission controller, its certificate from cert-manager', () => {
    const d = verticalPodAutoscaler({ updater: true, replicas: 2 });
    expect(v(d, 'updater')).toMatchObject({ enabled: true, replicas: 2 });
    expect(v(d, 'admissionController')).toMatchObject({
      enabled: true,
      certGen: { enabled: false },
      certManager: { enabled: true, createSelfSignedIssuer: { enabled: true } },
    });
    expect(d.requiresCrds).toEqual(['cert-manager.io']);
    expect(d.provides.verticalPodAutoscaling).toEqual({ updater: true });
  });

  test('refused: an updater flag that is not a boolean (JavaScript callers)', () => {
    expect(validationErrorOf(() => verticalPodAutoscaler({ updater: 'yes' as never }))).toContain(
      "Addon 'vertical-pod-autoscaler': updater (a string) must be true or false",
    );
  });

  test('the contract: a VerticalPodAutoscaler needs the add-on, and acting modes need its updater', () => {
    const recommendOnly = new PlatformContract([verticalPodAutoscaler()]);
    expect(recommendOnly.verticalPodAutoscalerFor('x', 'Off')).toEqual({ updater: false });
    expect(validationErrorOf(() => recommendOnly.verticalPodAutoscalerFor('x', 'Recreate'))).toBe(
      "x: updateMode 'Recreate' needs the VPA updater, which is off (verticalPodAutoscaler.updater); use 'Off' or 'Initial'",
    );
    expect(
      new PlatformContract([verticalPodAutoscaler({ updater: true })]).verticalPodAutoscalerFor(
        'x',
        'InPlaceOrRecreate',
      ),
    ).toEqual({ updater: true });
    expect(validationErrorOf(() => new PlatformContract([]).verticalPodAutoscalerFor('x', 'Off'))).toBe(
      'x: a VerticalPodAutoscaler needs the Vertical Pod Autoscaler, which is not enabled; enable verticalPodAutoscaler in the add-on profile',
    );
  });
});

describe('Cluster Autoscaler (EKS)', () => {
  const props = {
    clusterName: 'shop-prod',
    region: 'eu-west-1',
    roleArn: 'arn:aws:iam::210987654321:role/groundwork-prod-cluster-autoscaler',
  };

  test('discovers the tagged node groups of the cluster, with its IRSA role, restricted', () => {
    const d = clusterAutoscaler(props);
    expect(d.chart).toEqual(CATALOG['cluster-autoscaler']);
    expect(v(d, 'cloudProvider')).toBe('aws');
    expect(v(d, 'autoDiscovery')).toEqual({ clusterName: 'shop-prod' });
    expect(v(d, 'awsRegion')).toBe('eu-west-1');
    expect(v(d, 'rbac.serviceAccount.annotations')).toEqual({ 'eks.amazonaws.com/role-arn': props.roleArn });
    expect(v(d, 'extraArgs')).toEqual({
      expander: 'least-waste',
      'balance-similar-node-groups': true,
      'scale-down-unneeded-time': '10m',
    });
    expect(v(d, 'containerSecurityContext')).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(d.podSecurity).toBe('restricted');
  });

  test.each([
    [{ clusterName: '-bad' }, 'clusterName ("-bad") must be an EKS cluster name'],
    [{ roleArn: 'role/autoscaler' }, 'roleArn ("role/autoscaler") must be an IAM role ARN'],
    [{ region: 'Ireland' }, 'region ("Ireland") must be an AWS region'],
    [{ expander: 'cheapest' }, 'expander ("cheapest") must be one of least-waste, random, most-pods, priority'],
    [{ scaleDownUnneededMinutes: 0 }, 'scaleDownUnneededMinutes (0) must be'],
  ])('refused: %j', (change, message) => {
    expect(validationErrorOf(() => clusterAutoscaler({ ...props, ...change } as never))).toContain(
      `Addon 'cluster-autoscaler': ${message}`,
    );
  });
});

describe('where the environments run them', () => {
  test.each(STACKS)('%s: Jaeger and the VPA (recommendations); Cluster Autoscaler on EKS only', (stack) => {
    const r = renderedWithDemo(stack);
    const ids = r.addons.declarations.map((d) => d.id);
    expect(ids).toEqual(expect.arrayContaining(['jaeger', 'opentelemetry-collector', 'vertical-pod-autoscaler']));
    expect(ids.includes('cluster-autoscaler')).toBe(r.env.cluster.provider === 'eks');
    expect(r.addons.contract.verticalPodAutoscaling?.value).toEqual({ updater: false });
    // the demo storefront gets right-sizing recommendations
    const vpa = first(r.objects, 'VerticalPodAutoscaler');
    expect(vpa.spec).toMatchObject({
      targetRef: { kind: 'Deployment', name: 'storefront' },
      updatePolicy: { updateMode: 'Off' },
    });
  });

  test('prod keeps traces on a 50Gi Badger volume; kind keeps them in memory; the EKS autoscaler reads the cluster name from stack config', () => {
    const prodJaeger = renderedWithDemo('prod').addons.declarations.find((d) => d.id === 'jaeger') as AddonDeclaration;
    expect(
      ofKind(prodJaeger.prerequisites, 'PersistentVolumeClaim').map((o) => o.spec.resources.requests.storage),
    ).toEqual(['50Gi']);
    const kindJaeger = renderedWithDemo('kind').addons.declarations.find((d) => d.id === 'jaeger') as AddonDeclaration;
    expect(v(kindJaeger, 'userconfig.extensions.jaeger_storage.backends.primary')).toEqual({
      memory: { max_traces: 20000 },
    });
    const ca = renderedWithDemo('prod').addons.declarations.find(
      (d) => d.id === 'cluster-autoscaler',
    ) as AddonDeclaration;
    expect(v(ca, 'autoDiscovery.clusterName')).toBe('groundwork-prod');
    expect((v(ca, 'rbac.serviceAccount.annotations') as Record<string, string>)['eks.amazonaws.com/role-arn']).toMatch(
      /^arn:aws:iam::\d{12}:role\/groundwork-prod-cluster-autoscaler$/,
    );
  });
});
