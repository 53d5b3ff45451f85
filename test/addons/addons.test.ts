import {
  CATALOG,
  LOKI_TENANT,
  argoCd,
  argoRollouts,
  certManager,
  envoyGateway,
  externalDns,
  externalSecrets,
  flux,
  gatekeeper,
  ingressNginx,
  istio,
  kubePrometheusStack,
  kyverno,
  linkerd,
  loki,
  metricsServer,
  openTelemetryCollector,
  telepresence,
  velero,
} from '../../constructs';
import { as, first, type Obj, ofKind } from '../helpers/kinds';
import { validated } from '../helpers/synth';
import { v } from '../helpers/values';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIQ\n-----END CERTIFICATE-----\n';
const dns = { provider: 'route53' as const, region: 'eu-west-1', roleArn: 'arn:aws:iam::1:role/dns' };

/** A Gatekeeper constraint (its kind is the template's; schema in crd-schemas.ts). */
interface GatekeeperConstraint {
  readonly spec: { readonly enforcementAction: string; readonly parameters?: Readonly<Record<string, unknown>> };
}

/**
 * A Kyverno rule's failureAction: newer than the @kubernetes-models/kyverno schema (kyverno v1.15.3
 * config/crds/kyverno/kyverno.io_clusterpolicies.yaml; checked in crd-schemas.ts).
 */
const failureAction = (p: Obj<'ClusterPolicy'>): unknown =>
  (p.spec.rules[0].validate as { failureAction?: string }).failureAction;

describe('add-on declarations', () => {
  test('ingress-nginx: pinned chart, IngressClass, requests, hostPorts for kind, and a retirement warning', () => {
    const d = ingressNginx({ default: true, hostPorts: true, replicas: 1 });
    expect(d.chart).toEqual(CATALOG['ingress-nginx']);
    // 4.14.5 ships controller v1.14.5: CVE-2026-1580, CVE-2026-24512, CVE-2025-15566 (fixed in v1.14.3) and CVE-2026-3288 (v1.14.4)
    expect(d.chart.version).toBe('4.14.5');
    expect(v(d, 'controller.ingressClassResource')).toEqual({ name: 'nginx', default: true });
    expect(v(d, 'controller.hostPort.enabled')).toBe(true);
    expect(v(d, 'controller.resources.requests')).toEqual({ cpu: '100m', memory: '128Mi' });
    expect(v(d, 'controller.allowSnippetAnnotations')).toBe(false);
    expect(d.warnings[0]).toMatch(/retired upstream in March 2026/);
    expect(ingressNginx({ serviceMonitor: true }).requiresCrds).toEqual(['monitoring.coreos.com']);
  });

  test('envoy-gateway: Gateway API CRDs, a GatewayClass and an HTTPS Gateway with a cert-manager certificate', () => {
    const d = envoyGateway({
      gateway: {
        name: 'public',
        namespace: 'gateway-system',
        httpsHostname: '*.example.com',
        clusterIssuer: 'letsencrypt-prod',
      },
    });
    expect(d.providesCrds).toContain('gateway.networking.k8s.io');
    expect(first(d.companions, 'Gateway')?.metadata?.annotations).toEqual({
      'cert-manager.io/cluster-issuer': 'letsencrypt-prod',
    });
    const [ns, gcObject, gwObject] = validated([...d.companions]);
    const [gc, gw] = [as(gcObject, 'GatewayClass'), as(gwObject, 'Gateway')];
    expect(ns.kind).toBe('Namespace');
    expect(gc.spec.controllerName).toBe('gateway.envoyproxy.io/gatewayclass-controller');
    expect(gw.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt-prod' });
    expect(gw.spec.listeners.map((l) => [l.name, l.port])).toEqual([
      ['http', 80],
      ['https', 443],
    ]);
  });

  test('envoy-gateway: with HTTPS on, plain HTTP only redirects and admits no app routes', () => {
    // GIVEN a Gateway with an HTTPS listener
    const d = envoyGateway({
      gateway: {
        name: 'public',
        namespace: 'gateway-system',
        httpsHostname: '*.example.com',
        clusterIssuer: 'letsencrypt-prod',
      },
    });
    const objects = validated([...d.companions]);
    // THEN apps may attach to HTTPS from tenant namespaces only (whose admission policy holds each
    // route to its tenant's hostnames), to HTTP from the Gateway's own only
    const gw = first(objects, 'Gateway');
    const tenantsOnly = {
      from: 'Selector',
      selector: { matchExpressions: [{ key: 'groundwork.io/tenant', operator: 'Exists' }] },
    };
    expect(gw.spec.listeners.map((l) => [l.name, l.allowedRoutes.namespaces])).toEqual([
      ['http', { from: 'Same' }],
      ['https', tenantsOnly],
    ]);
    // and a route on the HTTP listener answers every request with a 301 to HTTPS
    const redirect = first(objects, 'HTTPRoute');
    expect(redirect.metadata).toMatchObject({ name: 'public-https-redirect', namespace: 'gateway-system' });
    expect(redirect.spec).toEqual({
      parentRefs: [
        {
          group: 'gateway.networking.k8s.io',
          kind: 'Gateway',
          name: 'public',
          namespace: 'gateway-system',
          sectionName: 'http',
        },
      ],
      rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
    });
    // without HTTPS there is nothing to redirect to: HTTP serves the tenants' routes, never every namespace's
    const plain = envoyGateway({ gateway: { name: 'public', namespace: 'gateway-system' } });
    expect(plain.companions.some((o) => o.kind === 'HTTPRoute')).toBe(false);
    expect(first(plain.companions, 'Gateway').spec.listeners[0].allowedRoutes.namespaces).toEqual(tenantsOnly);
  });

  test('external-dns: provider and credentials reference per cloud, never a secret value', () => {
    const aws = externalDns({ dns, domainFilters: ['example.com'], txtOwnerId: 'prod' });
    expect(v(aws, 'provider.name')).toBe('aws');
    expect(v(aws, 'serviceAccount.annotations')).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/dns' });
    expect(v(aws, 'policy')).toBe('upsert-only');
    const cf = externalDns({
      dns: { provider: 'cloudflare', apiTokenSecret: { name: 'cf', key: 'token' } },
      domainFilters: ['example.com'],
      txtOwnerId: 'prod',
    });
    expect(v(cf, 'env')).toEqual([{ name: 'CF_API_TOKEN', valueFrom: { secretKeyRef: { name: 'cf', key: 'token' } } }]);
    const gcp = externalDns({
      dns: { provider: 'cloud-dns', project: 'p', gcpServiceAccount: 'dns@p.iam.gserviceaccount.com' },
      domainFilters: ['example.com'],
      txtOwnerId: 'prod',
    });
    expect(v(gcp, 'provider.name')).toBe('google');
    const az = externalDns({
      dns: {
        provider: 'azure-dns',
        subscriptionId: 's',
        resourceGroup: 'rg',
        hostedZoneName: 'example.com',
        managedIdentityClientId: 'c',
      },
      domainFilters: ['example.com'],
      txtOwnerId: 'prod',
    });
    expect(v(az, 'extraArgs')).toEqual(['--azure-resource-group=rg', '--azure-subscription-id=s']);
    // no --ignore-hostname-annotation: without --fqdn-template external-dns refuses to start with it
    // (v0.21.0 validation.go); the tenants' admission policy refuses the annotations instead
    expect(v(aws, 'extraArgs')).toEqual([]);
  });

  test("cert-manager: CRDs on, a self-signed CA chain for kind, Let's Encrypt staging and production issuers", () => {
    const local = certManager({ selfSignedCa: true });
    expect(v(local, 'crds')).toEqual({ enabled: true, keep: true });
    expect(validated([...local.companions]).map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual([
      'ClusterIssuer/selfsigned-bootstrap',
      'Certificate/groundwork-root-ca',
      'ClusterIssuer/selfsigned-ca',
    ]);
    const http = certManager({
      letsEncrypt: { email: 'ops@example.com', solver: { type: 'http01', ingressClassName: 'nginx' } },
    });
    const [staging, prod] = validated([...http.companions]).map((o) => as(o, 'ClusterIssuer'));
    expect(staging.spec.acme.server).toBe('https://acme-staging-v02.api.letsencrypt.org/directory');
    expect(prod.spec.acme.server).toBe('https://acme-v02.api.letsencrypt.org/directory');
    expect(prod.spec.acme.solvers).toEqual([{ http01: { ingress: { ingressClassName: 'nginx' } } }]);
    const gw = certManager({ gatewayApi: true });
    expect(gw.requiresCrds).toEqual(['gateway.networking.k8s.io']);
    expect(v(gw, 'config.enableGatewayAPI')).toBe(true);
  });

  test('cert-manager Route 53 DNS-01: the solver authenticates as its own ServiceAccount, never with node credentials (defect 4)', () => {
    // cert-manager v1.19.1 pkg/apis/acme/v1/types_issuer.go: Route53Auth.Kubernetes.ServiceAccountRef; the
    // controller requests a bound token for it (pkg/issuer/acme/dns/dns.go createToken, audience
    // sts.amazonaws.com) in the cluster resource namespace, which needs RBAC to create that token
    const d = certManager({
      letsEncrypt: {
        email: 'ops@acme.io',
        solver: { type: 'dns01', dns: { ...dns, hostedZoneId: 'Z1D633PJN98FT9' } },
        staging: false,
      },
    });
    const objs = validated([...d.companions]);
    const issuer = first(objs, 'ClusterIssuer');
    expect(issuer.spec.acme.solvers[0].dns01.route53).toEqual({
      region: 'eu-west-1',
      hostedZoneID: 'Z1D633PJN98FT9',
      role: 'arn:aws:iam::1:role/dns',
      auth: { kubernetes: { serviceAccountRef: { name: 'cert-manager-route53' } } },
    });
    const sa = first(objs, 'ServiceAccount');
    expect([sa.metadata.name, sa.metadata.namespace]).toEqual(['cert-manager-route53', 'cert-manager']);
    const role = first(objs, 'Role');
    expect(role.rules).toEqual([
      {
        apiGroups: [''],
        resources: ['serviceaccounts/token'],
        resourceNames: ['cert-manager-route53'],
        verbs: ['create'],
      },
    ]);
    // bound to the controller's ServiceAccount: the chart's fullname for release cert-manager (_helpers.tpl)
    const binding = first(objs, 'RoleBinding');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'cert-manager', namespace: 'cert-manager' }]);
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name });
    expect(d.provides.chartObjects).toEqual([
      { kind: 'ServiceAccount', name: 'cert-manager', namespace: 'cert-manager' },
    ]);
  });

  test('Argo CD and Flux', () => {
    const a = argoCd();
    // the API server keeps its own TLS; the chart's NetworkPolicies (argocd-server open to all) are off
    // and the add-on ships its own (test/addons/gitops-hardening.test.ts)
    expect(v(a, 'configs.params')).toEqual({ 'server.insecure': false });
    expect(v(a, 'global.networkPolicy')).toEqual({ create: false, defaultDenyIngress: false });
    expect(String(v(a, 'configs.cm')!['resource.customizations.health.argoproj.io_Application' as never])).toContain(
      'obj.status.health.status',
    );
    const f = flux();
    expect(v(f, 'imageAutomationController.create')).toBe(false);
    expect(f.chart.chart).toBe('flux2');
  });

  test('istiod: replicas, autoscaling floor and resources as the 1.28 chart reads them (top level, not pilot.*)', () => {
    // istio 1.28.0 (and 1.28.10) manifests/charts/istio-control/istio-discovery/templates: deployment.yaml reads
    // .Values.replicaCount and .Values.resources, autoscale.yaml .Values.autoscaleMin
    const [base, cni, istiod] = istio({ replicas: 3, size: { cpu: '200m', memory: '512Mi' } });
    expect([base.id, cni.id, istiod.id, istiod.namespace]).toEqual([
      'istio-base',
      'istio-cni',
      'istiod',
      'istio-system',
    ]);
    // with the CNI agent the injector drops istio-init (NET_ADMIN): top-level cni.enabled becomes pilot.cni.enabled
    // (istio-discovery/templates/istiod-injector-configmap.yaml `pick .Values "cni" "env"`)
    expect(v(istiod, 'cni')).toEqual({ enabled: true });
    expect(istiod.dependsOn).toEqual(['istio-cni']);
    expect(istio({ cni: false }).map((d) => d.id)).toEqual(['istio-base', 'istiod']);
    expect(v(istiod, 'replicaCount')).toBe(3);
    expect(v(istiod, 'autoscaleMin')).toBe(3);
    expect(v(istiod, 'resources')).toEqual({
      requests: { cpu: '200m', memory: '512Mi' },
      limits: { memory: '1024Mi' },
    });
    expect(v(istiod, 'pilot')).toBeUndefined();
    // ordered after istio-base through the CRD groups it needs, not a hand-written dependency
    expect(istiod.requiresCrds).toEqual(['networking.istio.io', 'security.istio.io']);
    expect(base.providesCrds).toEqual(expect.arrayContaining(istiod.requiresCrds));
  });

  test("Linkerd: trust roots created (externalCA stops the chart), resources in the chart's shape, Gateway API CRDs required", () => {
    const [crds, cp] = linkerd({ trustAnchorsPem: PEM, size: { cpu: '75m', memory: '160Mi' } });
    expect(crds.id).toBe('linkerd-crds');
    expect(v(cp, 'identity')).toEqual({ externalCA: true, issuer: { scheme: 'kubernetes.io/tls' } });
    // linkerd2 edge-25.11.2 linkerd-control-plane/templates/identity.yaml: `if not .Values.identity.externalCA`
    // guards the linkerd-identity-trust-roots ConfigMap, so it comes from the prerequisites
    const pre = validated([...cp.prerequisites]);
    expect(pre.map((o) => o.kind)).toEqual(['Namespace', 'ConfigMap', 'Issuer', 'Certificate']);
    const trustRoots = as(pre[1], 'ConfigMap');
    expect(trustRoots.metadata.name).toBe('linkerd-identity-trust-roots');
    expect(trustRoots.data['ca-bundle.crt']).toBe(PEM.trim());
    // templates/namespace.yaml only renders for the CLI: the Helm install gets the same labels from us
    expect(pre[0].metadata?.labels).toMatchObject({
      'linkerd.io/is-control-plane': 'true',
      'pod-security.kubernetes.io/enforce': 'privileged',
    });
    // charts/partials/templates/_resources.tpl reads .cpu.request / .memory.limit
    expect(v(cp, 'destinationResources')).toEqual({
      cpu: { request: '75m' },
      memory: { request: '160Mi', limit: '160Mi' },
    });
    expect(v(cp, 'identityResources')).toEqual(v(cp, 'destinationResources'));
    expect(v(cp, 'proxyInjectorResources')).toEqual(v(cp, 'destinationResources'));
    // linkerd-crds values.yaml: installGatewayAPI defaults to false; the controllers watch gateway.networking.k8s.io
    expect(cp.requiresCrds).toContain('gateway.networking.k8s.io');
    expect(v(crds, 'installGatewayAPI')).toBe(false);
    const [own] = linkerd({ trustAnchorsPem: PEM, installGatewayApiCrds: true });
    expect([v(own, 'installGatewayAPI'), own.providesCrds.includes('gateway.networking.k8s.io')]).toEqual([true, true]);
  });

  test('Velero: plugin, IRSA, a default BackupStorageLocation and a daily Schedule', () => {
    const d = velero({
      storage: { provider: 'aws', bucket: 'backups', region: 'eu-west-1', roleArn: 'arn:aws:iam::1:role/velero' },
    });
    expect(v(d, 'initContainers')).toEqual([
      {
        name: 'velero-plugin-for-aws',
        image: 'velero/velero-plugin-for-aws:v1.13.1',
        volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
      },
    ]);
    const [bsl, schedule] = ((objs) => [as(objs[0], 'BackupStorageLocation'), as(objs[1], 'Schedule')] as const)(
      validated([...d.companions]),
    );
    expect(bsl.spec).toEqual({
      provider: 'aws',
      default: true,
      accessMode: 'ReadWrite',
      objectStorage: { bucket: 'backups' },
      config: { region: 'eu-west-1' },
    });
    expect(schedule.spec.schedule).toBe('0 3 * * *');
    expect(schedule.spec.template).toMatchObject({ ttl: '720h', storageLocation: 'default' });
  });

  test('Kyverno: the baseline ClusterPolicies, enforced or audited', () => {
    const d = kyverno({ enforce: true, excludeNamespaces: ['kube-system', 'monitoring'] });
    const policies = validated([...d.companions]).map((o) => as(o, 'ClusterPolicy'));
    expect(policies.map((p) => p.metadata.name)).toEqual([
      'require-environment-label',
      'disallow-latest-tag',
      'require-requests-limits',
      'require-probes',
      'restrict-pod-security',
    ]);
    for (const p of policies) {
      expect(p.spec.rules[0].exclude).toEqual({ any: [{ resources: { namespaces: ['kube-system', 'monitoring'] } }] });
      expect(failureAction(p)).toBe('Enforce');
    }
    expect(policies[0].spec.rules[0].validate.pattern).toEqual({ metadata: { labels: { environment: '?*' } } });
    expect(policies[4].spec.rules[0].validate.podSecurity).toEqual({ level: 'restricted', version: 'latest' });
    expect(failureAction(as(kyverno({ enforce: false }).companions[0], 'ClusterPolicy'))).toBe('Audit');
  });

  test('Gatekeeper: ConstraintTemplates with Rego, then constraints', () => {
    const d = gatekeeper({ enforce: false });
    const objs = validated([...d.companions]);
    const templates = ofKind(objs, 'ConstraintTemplate');
    expect(templates.map((t) => t.spec.crd.spec.names.kind)).toEqual([
      'GroundworkRequiredLabel',
      'GroundworkPinnedImages',
      'GroundworkRequestsLimits',
      'GroundworkProbes',
    ]);
    for (const t of templates) expect(t.spec.targets[0].rego).toMatch(new RegExp(`^package ${t.metadata.name}\\n`));
    const constraints = objs.filter(
      (o) => o.apiVersion === 'constraints.gatekeeper.sh/v1beta1',
    ) as unknown as GatekeeperConstraint[];
    expect(constraints.map((c) => c.spec.enforcementAction)).toEqual(['dryrun', 'dryrun', 'dryrun', 'dryrun']);
    expect(constraints[0].spec.parameters).toEqual({ label: 'environment' });
  });

  test('monitoring: kube-prometheus-stack picks up ServiceMonitors labelled for its release; dashboards as ConfigMaps', () => {
    const d = kubePrometheusStack({ storageSize: '50Gi' });
    expect(v(d, 'prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues')).toBe(true);
    expect(v(d, 'prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage')).toBe(
      '50Gi',
    );
    expect(v(d, 'grafana.sidecar.dashboards.label')).toBe('grafana_dashboard');
    const cm = as(validated([...d.companions])[0], 'ConfigMap');
    expect(cm.metadata.labels.grafana_dashboard).toBe('1');
    expect((JSON.parse(cm.data['platform-overview.json']) as { uid: string }).uid).toBe('groundwork-overview');
  });

  test("monitoring: Grafana's dashboard sidecar reads ConfigMaps of its own namespace, through a namespaced Role (no cluster-wide Secret read)", () => {
    const d = kubePrometheusStack({ namespace: 'observability' });
    expect(v(d, 'grafana.rbac')).toEqual({ namespaced: true });
    expect(v(d, 'grafana.sidecar.dashboards')).toMatchObject({
      searchNamespace: 'observability',
      resource: 'configmap',
    });
    expect(d.companions.every((o) => o.metadata?.namespace === 'observability')).toBe(true);
  });

  test('logs: single-binary Loki with a v13 TSDB schema, Alloy shipping to it', () => {
    const [l, alloy] = loki({
      storage: { type: 's3', bucket: 'logs', region: 'eu-west-1', roleArn: 'arn:aws:iam::1:role/loki' },
    });
    expect(v(l, 'deploymentMode')).toBe('Monolithic');
    expect(l.chart.repository).toBe('https://grafana-community.github.io/helm-charts');
    expect(v(l, 'loki.schemaConfig.configs')).toEqual([
      {
        from: '2024-04-01',
        store: 'tsdb',
        object_store: 's3',
        schema: 'v13',
        index: { prefix: 'loki_index_', period: '24h' },
      },
    ]);
    expect(alloy.dependsOn).toEqual(['loki']);
    expect(v(alloy, 'alloy.configMap.content')).toContain('url = "http://loki.logging.svc:3100/loki/api/v1/push"');
    expect(v(alloy, 'alloy.configMap.content')).toContain('field = "spec.nodeName=" + sys.env("NODE_NAME")');
    expect(v(alloy, 'alloy.extraEnv')).toEqual([
      { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
    ]);
  });

  test('logs: Alloy may read Pods and their logs, nothing else (no Secrets, no kubelet proxy)', () => {
    const alloy = loki()[1];
    expect(v(alloy, 'rbac')).toEqual({
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }],
      clusterRules: [{ apiGroups: [''], resources: ['pods/log'], verbs: ['get', 'list', 'watch'] }],
    });
  });

  test("logs: Loki requires a tenant on every request, Alloy pushes as the platform tenant, and the chart's NetworkPolicies are on", () => {
    const [s3, alloy] = loki({
      storage: { type: 's3', bucket: 'logs', region: 'eu-west-1', roleArn: 'arn:aws:iam::1:role/loki' },
    });
    expect(v(s3, 'loki.auth_enabled')).toBe(true);
    expect(String(v(alloy, 'alloy.configMap.content'))).toContain(`tenant_id = "${LOKI_TENANT}"`);
    // object storage needs egress on 443 (S3, and STS for the IRSA role); a filesystem Loki needs none
    expect(v(s3, 'networkPolicy.enabled')).toBe(true);
    expect(v(s3, 'networkPolicy.externalStorage')).toEqual({ ports: [443], cidrs: [] });
    expect(v(loki()[0], 'networkPolicy.enabled')).toBe(true);
    expect(v(loki()[0], 'networkPolicy.externalStorage')).toBeUndefined();
  });

  test('tracing, metrics-server, telepresence, rollouts, external secrets', () => {
    const otel = openTelemetryCollector({ tracesEndpoint: 'jaeger-collector.tracing:4317' });
    expect(v(otel, 'config.service.pipelines.traces.exporters')).toEqual(['debug', 'otlp/traces']);
    expect(v(otel, 'image.repository')).toBe('otel/opentelemetry-collector-k8s');
    expect(v(metricsServer({ kubeletInsecureTls: true }), 'args')).toEqual(['--kubelet-insecure-tls']);
    expect(telepresence({ managedNamespaces: ['shop'] }).values.namespaces).toEqual(['shop']);
    expect(v(argoRollouts(), 'dashboard.enabled')).toBe(false);
    const eso = externalSecrets({
      storeName: 'platform-secrets',
      backend: { provider: 'aws-secrets-manager', region: 'eu-west-1', roleArn: 'arn:aws:iam::1:role/eso' },
    });
    const store = as(validated([...eso.companions])[0], 'ClusterSecretStore');
    expect(store.spec.provider.aws).toMatchObject({ service: 'SecretsManager', region: 'eu-west-1' });
    const local = externalSecrets({
      storeName: 'platform-secrets',
      backend: { provider: 'kubernetes', namespace: 'platform-secrets' },
    });
    expect(validated([...local.companions]).map((o) => o.kind)).toEqual(['Namespace', 'ClusterSecretStore']);
  });

  test('the raw values escape hatch deep-merges over typed values; version overrides stay exact pins', () => {
    const d = ingressNginx({
      values: { controller: { config: { 'use-forwarded-headers': 'true' }, replicaCount: 3 } },
      version: '4.14.0',
    });
    expect(v(d, 'controller.config')).toEqual({ 'use-forwarded-headers': 'true' });
    expect(v(d, 'controller.replicaCount')).toBe(3);
    expect(v(d, 'controller.ingressClassResource.name')).toBe('nginx');
    expect(d.chart.version).toBe('4.14.0');
  });
});
