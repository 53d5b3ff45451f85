import type { ManifestObject } from '../policy/check-manifests';
import * as rules from '../internal/rules';
import type { PropsValidator } from '../internal/validator';
import {
  type AddonDeclaration,
  type AddonProps,
  addonValidator,
  companion,
  type ComponentSize,
  declareAddon,
  requestsOf,
  SIZE_SPEC,
} from './addon';
import { type DnsProvider, validateDnsProvider } from './dns';
import { INGRESS_NGINX_CLASS } from './ingress-nginx';
import { PROMETHEUS_SELECTOR_LABELS } from './kube-prometheus-stack';
import type { MetricsServiceOffer } from './offers';
import { declareEach, part, registerAddon, servesCrds } from './register';

/** The ClusterIssuers cert-manager's companions create: environments and Gateways name them from here. */
export const CLUSTER_ISSUERS = {
  /** Backed by the local root CA (`selfSignedCa`). */
  selfSignedCa: 'selfsigned-ca',
  /** Self-signs the local root CA itself (`selfSignedCa`). */
  selfSignedBootstrap: 'selfsigned-bootstrap',
  /** Let's Encrypt staging (`letsEncrypt.staging`): untrusted certificates, generous rate limits. */
  letsEncryptStaging: 'letsencrypt-staging',
  /** Let's Encrypt production (`letsEncrypt.production`). */
  letsEncryptProd: 'letsencrypt-prod',
} as const;

/** The name of a ClusterIssuer cert-manager creates. */
export type ClusterIssuerName = (typeof CLUSTER_ISSUERS)[keyof typeof CLUSTER_ISSUERS];

/** How Let's Encrypt proves control of a name. */
export type AcmeSolver =
  | {
      readonly type: 'http01';
      /**
       * IngressClass that serves the challenge.
       * @default - the class ingress-nginx offers in the profile ({@link INGRESS_NGINX_CLASS} outside one)
       */
      readonly ingressClassName?: string;
      /**
       * Gateway whose HTTPRoute serves the challenge instead of an Ingress (needs `gatewayApi`).
       * @default - none: an Ingress of `ingressClassName` serves it
       */
      readonly gateway?: { readonly name: string; readonly namespace: string };
    }
  | { readonly type: 'dns01'; readonly dns: DnsProvider };

/** Let's Encrypt ClusterIssuers. */
export interface LetsEncryptProps {
  /** ACME account email (expiry notices). */
  readonly email: string;
  /** Challenge solver. */
  readonly solver: AcmeSolver;
  /**
   * Create `letsencrypt-staging` ({@link CLUSTER_ISSUERS}; untrusted certificates, generous rate limits).
   * @default true
   */
  readonly staging?: boolean;
  /**
   * Create `letsencrypt-prod`.
   * @default true
   */
  readonly production?: boolean;
}

/** Props of the cert-manager add-on. */
export interface CertManagerProps extends AddonProps {
  /**
   * A self-signed root CA and the `selfsigned-ca` ClusterIssuer it backs (local clusters).
   * @default false
   */
  readonly selfSignedCa?: boolean;
  /**
   * Let's Encrypt ClusterIssuers.
   * @default - none
   */
  readonly letsEncrypt?: LetsEncryptProps;
  /**
   * Issue certificates for Gateway API Gateways (needs the Gateway API CRDs from envoy-gateway).
   * @default false
   */
  readonly gatewayApi?: boolean;
  /**
   * Controller requests (webhook and cainjector get a quarter each).
   * @default { cpu: '50m', memory: '128Mi' }
   */
  readonly size?: ComponentSize;
  /**
   * Create ServiceMonitors (needs kube-prometheus-stack).
   * @default false
   */
  readonly serviceMonitor?: boolean;
}

const CERT_API = 'cert-manager.io/v1';

/** ServiceAccount whose bound token the Route 53 solver exchanges for the DNS role (no node credentials). */
export const ROUTE53_SERVICE_ACCOUNT = 'cert-manager-route53';

function acmeIssuer(name: string, server: string, le: LetsEncryptProps): ManifestObject {
  const s = le.solver;
  let solver: Record<string, unknown>;
  if (s.type === 'http01') {
    solver = s.gateway
      ? {
          http01: {
            gatewayHTTPRoute: {
              parentRefs: [{ name: s.gateway.name, namespace: s.gateway.namespace, kind: 'Gateway' }],
            },
          },
        }
      : { http01: { ingress: { ingressClassName: s.ingressClassName ?? INGRESS_NGINX_CLASS } } };
  } else {
    const d = s.dns;
    const dns01 =
      // cert-manager v1.19.1 (unchanged in v1.19.6) pkg/apis/acme/v1/types_issuer.go Route53Auth: the controller requests a
      // bound token for serviceAccountRef (audience sts.amazonaws.com) and assumes `role` with it
      // (pkg/issuer/acme/dns/dns.go), so only this issuer gets the DNS role, never the node's
      d.provider === 'route53'
        ? {
            route53: {
              region: d.region,
              ...(d.hostedZoneId ? { hostedZoneID: d.hostedZoneId } : {}),
              role: d.roleArn,
              auth: { kubernetes: { serviceAccountRef: { name: ROUTE53_SERVICE_ACCOUNT } } },
            },
          }
        : d.provider === 'cloud-dns'
          ? { cloudDNS: { project: d.project } }
          : d.provider === 'azure-dns'
            ? {
                azureDNS: {
                  subscriptionID: d.subscriptionId,
                  resourceGroupName: d.resourceGroup,
                  hostedZoneName: d.hostedZoneName,
                  environment: 'AzurePublicCloud',
                  managedIdentity: { clientID: d.managedIdentityClientId },
                },
              }
            : { cloudflare: { apiTokenSecretRef: { name: d.apiTokenSecret.name, key: d.apiTokenSecret.key } } };
    solver = { dns01 };
  }
  return companion(CERT_API, 'ClusterIssuer', name, undefined, {
    spec: {
      acme: { email: le.email, server, privateKeySecretRef: { name: `${name}-account-key` }, solvers: [solver] },
    },
  });
}

/**
 * The ServiceAccount the Route 53 solver authenticates as, and the right for cert-manager's own
 * ServiceAccount (`cert-manager`: the chart's fullname for release `cert-manager`, _helpers.tpl
 * `cert-manager.serviceAccountName`) to request its tokens, in the cluster resource namespace where
 * ClusterIssuers resolve their references (the release namespace by default).
 */
function route53TokenAccess(namespace: string): ManifestObject[] {
  const name = `${ROUTE53_SERVICE_ACCOUNT}-tokenrequest`;
  return [
    companion('v1', 'ServiceAccount', ROUTE53_SERVICE_ACCOUNT, namespace, { automountServiceAccountToken: false }),
    companion('rbac.authorization.k8s.io/v1', 'Role', name, namespace, {
      rules: [
        {
          apiGroups: [''],
          resources: ['serviceaccounts/token'],
          resourceNames: [ROUTE53_SERVICE_ACCOUNT],
          verbs: ['create'],
        },
      ],
    }),
    companion('rbac.authorization.k8s.io/v1', 'RoleBinding', name, namespace, {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name: 'cert-manager', namespace }],
    }),
  ];
}

/** Checks the Let's Encrypt issuers' email, solver and gateway. */
function validateLetsEncrypt(v: PropsValidator, le: LetsEncryptProps, gatewayApi: boolean | undefined): void {
  v.check('letsEncrypt.email', le.email, rules.email);
  if (le.solver.type === 'dns01') validateDnsProvider(v, 'letsEncrypt.solver.dns', le.solver.dns);
  const solverType: unknown = le.solver.type;
  if (solverType !== 'http01' && solverType !== 'dns01')
    v.fail('letsEncrypt.solver.type', solverType, "must be 'http01' or 'dns01'");
  if (le.solver.type === 'http01' && le.solver.gateway) {
    // the solver's HTTPRoute needs a parent Gateway by name and namespace (cert-manager v1.19 ACMEChallengeSolverHTTP01GatewayHTTPRoute parentRefs)
    // JavaScript callers may leave either out: a missing one is checked as empty
    const { name, namespace }: { name?: string; namespace?: string } = le.solver.gateway;
    v.check('letsEncrypt.solver.gateway.name', name ?? '', rules.dns1123Subdomain);
    v.check('letsEncrypt.solver.gateway.namespace', namespace ?? '', rules.dns1123Label);
    if (!gatewayApi) v.fail('letsEncrypt.solver.gateway', le.solver.gateway.name, 'needs gatewayApi: true');
  }
  if (le.staging === false && le.production === false)
    v.fail('letsEncrypt', 'staging and production false', 'must create at least one issuer');
}

/** The chart values: CRDs kept, requests per component, the Prometheus monitor, Gateway API support. */
function certManagerValues(
  props: CertManagerProps,
  size: ComponentSize,
  small: ComponentSize,
): Record<string, unknown> {
  const values: Record<string, unknown> = {
    crds: { enabled: true, keep: true },
    resources: requestsOf(size),
    webhook: { resources: requestsOf(small) },
    cainjector: { resources: requestsOf(small) },
    // labelled as the platform's Prometheus selects monitors (cert-manager v1.19.6 deploy/charts/cert-manager values.yaml
    // prometheus.servicemonitor.labels, copied onto the ServiceMonitor by templates/servicemonitor.yaml)
    prometheus: {
      enabled: true,
      servicemonitor: { enabled: props.serviceMonitor ?? false, labels: { ...PROMETHEUS_SELECTOR_LABELS } },
    },
  };
  if (props.gatewayApi)
    values.config = {
      apiVersion: 'controller.config.cert-manager.io/v1alpha1',
      kind: 'ControllerConfiguration',
      enableGatewayAPI: true,
    };
  return values;
}

/** The self-signed bootstrap issuer, the local root CA it signs and the CA ClusterIssuer over it. */
function selfSignedCaObjects(namespace: string): ManifestObject[] {
  return [
    companion(CERT_API, 'ClusterIssuer', CLUSTER_ISSUERS.selfSignedBootstrap, undefined, { spec: { selfSigned: {} } }),
    companion(CERT_API, 'Certificate', 'groundwork-root-ca', namespace, {
      spec: {
        isCA: true,
        commonName: 'k8s-groundwork local root CA',
        secretName: 'groundwork-root-ca',
        duration: '87600h',
        privateKey: { algorithm: 'ECDSA', size: 256 },
        issuerRef: { name: CLUSTER_ISSUERS.selfSignedBootstrap, kind: 'ClusterIssuer', group: 'cert-manager.io' },
      },
    }),
    companion(CERT_API, 'ClusterIssuer', CLUSTER_ISSUERS.selfSignedCa, undefined, {
      spec: { ca: { secretName: 'groundwork-root-ca' } },
    }),
  ];
}

/** The companions: the self-signed CA chain, the Route 53 token access and the Let's Encrypt issuers asked for. */
function certManagerCompanions(props: CertManagerProps, namespace: string): ManifestObject[] {
  const le = props.letsEncrypt;
  const out: ManifestObject[] = [];
  if (props.selfSignedCa) out.push(...selfSignedCaObjects(namespace));
  if (le?.solver.type === 'dns01' && le.solver.dns.provider === 'route53') out.push(...route53TokenAccess(namespace));
  if (le && le.staging !== false)
    out.push(
      acmeIssuer(CLUSTER_ISSUERS.letsEncryptStaging, 'https://acme-staging-v02.api.letsencrypt.org/directory', le),
    );
  if (le && le.production !== false)
    out.push(acmeIssuer(CLUSTER_ISSUERS.letsEncryptProd, 'https://acme-v02.api.letsencrypt.org/directory', le));
  return out;
}

/**
 * The controller's metrics Service (cert-manager v1.19.6 deploy/charts/cert-manager
 * templates/service.yaml, with values.yaml `prometheus.enabled` and no PodMonitor): `<fullname>`
 * (templates/_helpers.tpl cert-manager.fullname: the release name when it contains the chart name),
 * labelled name `cert-manager`, instance `<release>`, component `controller`, port
 * `tcp-prometheus-servicemonitor` (9402) onto the controller's `http-metrics` port, which serves the
 * certificate metrics (internal/collectors/certificate_collector.go) on `/metrics` (values.yaml
 * `prometheus.servicemonitor.path`). The platform scrapes it when the chart's own ServiceMonitor is off.
 */
export function certManagerMetricsService(namespace: string, release = 'cert-manager'): MetricsServiceOffer {
  return {
    name: release.includes('cert-manager') ? release : `${release}-cert-manager`,
    namespace,
    matchLabels: {
      'app.kubernetes.io/name': 'cert-manager',
      'app.kubernetes.io/instance': release,
      'app.kubernetes.io/component': 'controller',
    },
    port: 'tcp-prometheus-servicemonitor',
    path: '/metrics',
  };
}

/** cert-manager with its CRDs and the ClusterIssuers the environment asks for. */
export function certManager(props: CertManagerProps = {}): AddonDeclaration {
  const v = addonValidator('cert-manager', props, {
    selfSignedCa: 'boolean',
    letsEncrypt: 'object',
    gatewayApi: 'boolean',
    size: SIZE_SPEC,
    serviceMonitor: 'boolean',
  });
  const le = props.letsEncrypt;
  if (le) validateLetsEncrypt(v, le, props.gatewayApi);
  const size = { cpu: '50m', memory: '128Mi', ...props.size };
  const small = { cpu: '10m', memory: '64Mi' };
  const requiresCrds: string[] = [];
  if (props.serviceMonitor) requiresCrds.push('monitoring.coreos.com');
  if (props.gatewayApi) requiresCrds.push('gateway.networking.k8s.io');
  return declareAddon({
    id: 'cert-manager',
    props,
    validator: v,
    defaultNamespace: 'cert-manager',
    values: certManagerValues(props, size, small),
    providesCrds: ['cert-manager.io', 'acme.cert-manager.io'],
    requiresCrds,
    // chart values (v1.19.1 and v1.19.6 values.yaml): runAsNonRoot, RuntimeDefault seccomp, drop ALL, read-only root fs for every component
    podSecurity: 'restricted',
    components: { controller: size, webhook: small, cainjector: small },
    // the controller's ServiceAccount: the chart's fullname, `cert-manager` for our release name (cert-manager
    // v1.19.6 deploy/charts/cert-manager/templates/serviceaccount.yaml, _helpers.tpl cert-manager.serviceAccountName)
    provides: (namespace) => ({
      chartObjects: [{ kind: 'ServiceAccount', name: 'cert-manager', namespace }],
      certificates: { controller: { namespace, name: 'cert-manager' } },
      ...(props.serviceMonitor === true ? {} : { metricsServices: [certManagerMetricsService(namespace)] }),
    }),
    companions: (namespace) => certManagerCompanions(props, namespace),
  });
}

/**
 * The profile's `certManager` key: cert-manager and its ClusterIssuers; `false` installs none (then
 * no add-on may ask it for a certificate: a Gateway's `clusterIssuer`, Linkerd's identity issuer, an
 * acting VPA's webhook). It serves Gateways when an add-on before it serves the Gateway API, and its
 * HTTP-01 solver answers through the IngressClass ingress-nginx offers.
 */
export const certManagerAddon = registerAddon({
  profileKey: 'certManager',
  defaultProps: false,
  declare: (props: CertManagerProps, ctx) => {
    const solver = props.letsEncrypt?.solver;
    const nginx = ctx.declared.find((d) => d.id === 'ingress-nginx')?.provides.ingressClasses?.[0];
    const problems: string[] = [];
    let withClass = props;
    // what a failed ingress entry would have offered is unknown: its own problems are reported instead
    const ingressFailed = ctx.failed.includes('ingress');
    if (solver?.type === 'http01' && solver.gateway === undefined && props.letsEncrypt !== undefined) {
      // the challenge is answered through the IngressClass ingress-nginx offers, unless the solver names one
      if (nginx !== undefined)
        withClass = {
          ...props,
          letsEncrypt: { ...props.letsEncrypt, solver: { ingressClassName: nginx.name, ...solver } },
        };
      else if (!ingressFailed)
        problems.push(
          `PlatformAddons: certManager.letsEncrypt.solver (http01 through IngressClass '${solver.ingressClassName ?? INGRESS_NGINX_CLASS}') needs ingress-nginx; set solver.gateway to answer challenges through the Gateway`,
        );
    }
    return declareEach(problems, [
      () => certManager({ gatewayApi: ingressFailed || servesCrds(ctx, 'gateway.networking.k8s.io'), ...withClass }),
    ]);
  },
  example: { selfSignedCa: true },
  parts: [part('cert-manager', certManager, { selfSignedCa: true })],
});
