/**
 * A tenant's admission policy: what the API server refuses in the tenant's namespaces whoever
 * writes it (an editor, the CI deployer, a GitOps engine), because RBAC can grant a kind but not
 * limit its contents. One ValidatingAdmissionPolicy and its binding per tenant (admissionregistration.k8s.io/v1,
 * GA in Kubernetes 1.30), selecting the tenant's namespaces by their tenant label, which tenants
 * cannot edit (Namespaces are cluster-scoped; no tenant role writes them). Pure: spec in, objects out.
 *
 * The expressions read `object` untyped (unstructured), so every field is tested with `has()` or
 * `in` before use and each validation first checks which resource it is looking at.
 */
import { MANAGED_BY } from '../internal/labels';
import type { ApiObjectProps } from 'cdk8s';

/** What the tenant's policy enforces. */
export interface TenantAdmissionSpec {
  /** Tenant name. */
  readonly tenant: string;
  /** Label selecting the tenant's namespaces (key and value). */
  readonly namespaceLabel: readonly [string, string];
  /** Hostnames the tenant owns: exact names and `*.` wildcards (validated DNS names). */
  readonly hostnames: readonly string[];
  /** The only ServiceAccount that may create CertificateRequests here (cert-manager's controller); undefined: nobody. */
  readonly certificateController?: { readonly namespace: string; readonly name: string };
  /** The only analysis provider tenants may use: the platform's Prometheus query URL; undefined: no analysis. */
  readonly prometheusUrl?: string;
  /** Labels on both objects. */
  readonly labels: Readonly<Record<string, string>>;
}

/** A scrape endpoint `e` that names no file on Prometheus's filesystem. */
const FILE_FREE_ENDPOINT =
  '!has(e.bearerTokenFile) && (!has(e.tlsConfig) || (!has(e.tlsConfig.caFile) && !has(e.tlsConfig.certFile) && !has(e.tlsConfig.keyFile)))';

/** A scrape endpoint `e` whose series keep their namespace label. */
const OWN_NAMESPACE_ENDPOINT =
  "(!has(e.honorLabels) || e.honorLabels == false) && (!has(e.relabelings) || e.relabelings.all(r, !has(r.targetLabel) || r.targetLabel != 'namespace')) && (!has(e.metricRelabelings) || e.metricRelabelings.all(r, !has(r.targetLabel) || r.targetLabel != 'namespace'))";

/** The CEL test that host `x` is owned: an exact name, or below one of the wildcards (`*.example.com` covers names ending in `.example.com`). */
const owns = (x: string): string => `(${x} in variables.exact || variables.suffixes.exists(s, ${x}.endsWith(s)))`;

/** A CEL string literal (JSON's escapes are CEL's for the characters our validated values hold). */
const lit = (s: string): string => JSON.stringify(s);

/** Name of the tenant's policy and binding. */
export const admissionPolicyName = (tenant: string): string => `groundwork-tenant-${tenant}`;

/** The validations, each `[expression, message]`; exported for tests that evaluate them. */
export function tenantValidations(spec: TenantAdmissionSpec): { expression: string; message: string }[] {
  const owned = `the tenant ${spec.tenant} owns only ${spec.hostnames.length > 0 ? spec.hostnames.join(', ') : 'no hostnames'}`;
  const certificateController =
    spec.certificateController !== undefined
      ? `system:serviceaccount:${spec.certificateController.namespace}:${spec.certificateController.name}`
      : '';
  return [
    {
      expression: `!(variables.resource in ['httproutes', 'grpcroutes', 'tlsroutes']) || (has(object.spec.hostnames) && size(object.spec.hostnames) > 0 && object.spec.hostnames.all(h, ${owns('h')}))`,
      message: `a route must list its hostnames, each one the tenant owns (a route without hostnames takes every name of the listener); ${owned}`,
    },
    {
      expression: `variables.resource != 'ingresses' || (!has(object.spec.defaultBackend) && (!has(object.spec.rules) || object.spec.rules.all(r, has(r.host) && ${owns('r.host')})) && (!has(object.spec.tls) || object.spec.tls.all(t, !has(t.hosts) || t.hosts.all(h, ${owns('h')}))))`,
      message: `an Ingress must name a host the tenant owns on every rule and TLS entry, and have no default backend; ${owned}`,
    },
    {
      expression: `variables.resource != 'certificates' || ((has(object.spec.dnsNames) || has(object.spec.commonName)) && (!has(object.spec.dnsNames) || object.spec.dnsNames.all(h, ${owns('h')})) && (!has(object.spec.commonName) || ${owns('object.spec.commonName')}) && !has(object.spec.ipAddresses) && !has(object.spec.uris) && !has(object.spec.emailAddresses))`,
      message: `a Certificate may name only DNS names the tenant owns (no IP addresses, URIs or emails); ${owned}`,
    },
    {
      // a CA certificate from a CA issuer signs any name; a literal subject or other names bypass the DNS names
      expression:
        "variables.resource != 'certificates' || ((!has(object.spec.isCA) || object.spec.isCA == false) && !has(object.spec.literalSubject) && !has(object.spec.otherNames) && (!has(object.spec.usages) || object.spec.usages.all(u, u in ['digital signature', 'key encipherment', 'server auth', 'client auth'])))",
      message:
        'a Certificate may not be a CA, set a literal subject or other names, or ask for usages beyond a TLS server or client',
    },
    {
      // external-dns publishes the names in these annotations for Services and routes (its hostname
      // annotation is ignored by the platform's external-dns, its target would point a name elsewhere)
      expression:
        "!(variables.resource in ['services', 'ingresses', 'httproutes', 'grpcroutes', 'tlsroutes']) || !has(object.metadata.annotations) || !object.metadata.annotations.exists(k, k.startsWith('external-dns.alpha.kubernetes.io/'))",
      message: "external-dns annotations are the platform's: a tenant publishes the hostnames its routes serve",
    },
    {
      expression: `variables.resource != 'certificaterequests' || request.userInfo.username == ${lit(certificateController)}`,
      message:
        'CertificateRequests are created by cert-manager for Certificates and annotated Ingresses (their signing request cannot be checked here): request a Certificate instead',
    },
    {
      expression:
        "variables.resource != 'rollouts' || !has(object.spec.strategy) || !has(object.spec.strategy.canary) || !has(object.spec.strategy.canary.trafficRouting) || (object.spec.strategy.canary.trafficRouting.all(k, k in ['plugins', 'managedRoutes', 'maxTrafficWeight']) && (!has(object.spec.strategy.canary.trafficRouting.plugins) || object.spec.strategy.canary.trafficRouting.plugins.all(p, !('namespace' in object.spec.strategy.canary.trafficRouting.plugins[p]) || object.spec.strategy.canary.trafficRouting.plugins[p].namespace == request.namespace)))",
      // built-in providers name objects as name.namespace (argo-rollouts rollout/trafficrouting/istio GetVirtualServiceNamespaceName)
      message: "a Rollout routes traffic only through the platform's plugin, and only on routes in its own namespace",
    },
    {
      // without a platform Prometheus no analysis is allowed at all (no address matches)
      expression: `!(variables.resource in ['analysistemplates', 'analysisruns']) || !has(object.spec.metrics) || object.spec.metrics.all(m, ${spec.prometheusUrl !== undefined ? '' : 'false && '}has(m.provider) && m.provider.all(k, k == 'prometheus') && has(m.provider.prometheus) && has(m.provider.prometheus.address) && m.provider.prometheus.address == ${lit(spec.prometheusUrl ?? '')} && !has(m.provider.prometheus.authentication) && !has(m.provider.prometheus.headers))`,
      message: `analysis may query only the platform's Prometheus (${spec.prometheusUrl ?? 'none in this platform'}), without authentication or headers: the web and job providers and other addresses make the Rollouts controller fetch or run what the tenant names`,
    },
    {
      expression:
        "!(variables.resource in ['analysistemplates', 'analysisruns']) || !has(object.spec.args) || object.spec.args.all(a, !has(a.valueFrom) || !has(a.valueFrom.secretKeyRef))",
      message: 'analysis arguments may not read Secrets (valueFrom.secretKeyRef)',
    },
    {
      // prometheus-operator Endpoint / PodMetricsEndpoint (v0.93 pkg/apis/monitoring/v1): bearerTokenFile and
      // tlsConfig caFile/certFile/keyFile are read from Prometheus's own filesystem, where its service
      // account token and every scraped target's credentials live (`arbitraryFSAccessThroughSMs`)
      expression: `!(variables.resource in ['servicemonitors', 'podmonitors']) || ${['endpoints', 'podMetricsEndpoints']
        .map((list) => `(!has(object.spec.${list}) || object.spec.${list}.all(e, ${FILE_FREE_ENDPOINT}))`)
        .join(' && ')}`,
      message:
        "a ServiceMonitor or PodMonitor may not read files from Prometheus's filesystem (bearerTokenFile, tlsConfig caFile, certFile or keyFile)",
    },
    {
      // a monitor scrapes its own namespace and its series keep it: no namespaceSelector reaching others,
      // no honorLabels or relabeling that writes the namespace label (another tenant's series faked)
      expression: `!(variables.resource in ['servicemonitors', 'podmonitors']) || ((!has(object.spec.namespaceSelector) || ((!has(object.spec.namespaceSelector.any) || object.spec.namespaceSelector.any == false) && (!has(object.spec.namespaceSelector.matchNames) || object.spec.namespaceSelector.matchNames.all(n, n == request.namespace)))) && ${[
        'endpoints',
        'podMetricsEndpoints',
      ]
        .map((list) => `(!has(object.spec.${list}) || object.spec.${list}.all(e, ${OWN_NAMESPACE_ENDPOINT}))`)
        .join(' && ')})`,
      message:
        'a ServiceMonitor or PodMonitor scrapes only its own namespace and may not rewrite the namespace label (honorLabels, relabelings)',
    },
  ];
}

/** The tenant's ValidatingAdmissionPolicy and its binding. */
export function renderTenantAdmission(spec: TenantAdmissionSpec): ApiObjectProps[] {
  const name = admissionPolicyName(spec.tenant);
  const metadata = { name, labels: { ...spec.labels, ...MANAGED_BY } };
  const exact = spec.hostnames.filter((h) => !h.startsWith('*.'));
  // `*.example.com` covers every name ending in `.example.com` (and wildcards below it)
  const suffixes = spec.hostnames.filter((h) => h.startsWith('*.')).map((h) => h.slice(1));
  const rule = (apiGroup: string, resources: string[]) => ({
    apiGroups: [apiGroup],
    apiVersions: ['*'],
    operations: ['CREATE', 'UPDATE'],
    resources,
  });
  return [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata,
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [
            rule('gateway.networking.k8s.io', ['httproutes', 'grpcroutes', 'tlsroutes']),
            rule('networking.k8s.io', ['ingresses']),
            rule('', ['services']),
            rule('cert-manager.io', ['certificates', 'certificaterequests']),
            rule('argoproj.io', ['rollouts', 'analysistemplates', 'analysisruns']),
            rule('monitoring.coreos.com', ['servicemonitors', 'podmonitors']),
          ],
        },
        variables: [
          { name: 'resource', expression: 'request.resource.resource' },
          { name: 'exact', expression: `[${exact.map(lit).join(', ')}]` },
          { name: 'suffixes', expression: `[${suffixes.map(lit).join(', ')}]` },
        ],
        validations: tenantValidations(spec).map((v) => ({ ...v, reason: 'Forbidden' })),
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata,
      spec: {
        policyName: name,
        validationActions: ['Deny'],
        matchResources: { namespaceSelector: { matchLabels: { [spec.namespaceLabel[0]]: spec.namespaceLabel[1] } } },
      },
    },
  ];
}
