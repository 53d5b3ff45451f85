import type { ManifestObject } from '../policy/check-manifests';
import * as rules from '../internal/rules';
import type { PropsValidator } from '../internal/validator';
import { type AddonDeclaration, type AddonProps, addonValidator, companion, type ComponentSize, declareAddon, requestsOf, SIZE_SPEC } from './addon';
import { type DnsProvider, validateDnsProvider } from './dns';
import { PROMETHEUS_SELECTOR_LABELS } from './kube-prometheus-stack';

/** How Let's Encrypt proves control of a name. */
export type AcmeSolver =
  | {
      readonly type: 'http01';
      /** IngressClass or Gateway that serves the challenge. */ readonly ingressClassName?: string;
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
   * Create `letsencrypt-staging` (untrusted certificates, generous rate limits).
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
      ? { http01: { gatewayHTTPRoute: { parentRefs: [{ name: s.gateway.name, namespace: s.gateway.namespace, kind: 'Gateway' }] } } }
      : { http01: { ingress: { ingressClassName: s.ingressClassName ?? 'nginx' } } };
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
    spec: { acme: { email: le.email, server, privateKeySecretRef: { name: `${name}-account-key` }, solvers: [solver] } },
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
      rules: [{ apiGroups: [''], resources: ['serviceaccounts/token'], resourceNames: [ROUTE53_SERVICE_ACCOUNT], verbs: ['create'] }],
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
  if (solverType !== 'http01' && solverType !== 'dns01') v.fail('letsEncrypt.solver.type', solverType, "must be 'http01' or 'dns01'");
  if (le.solver.type === 'http01' && le.solver.gateway) {
    // the solver's HTTPRoute needs a parent Gateway by name and namespace (cert-manager v1.19 ACMEChallengeSolverHTTP01GatewayHTTPRoute parentRefs)
    // JavaScript callers may leave either out: a missing one is checked as empty
    const { name, namespace }: { name?: string; namespace?: string } = le.solver.gateway;
    v.check('letsEncrypt.solver.gateway.name', name ?? '', rules.dns1123Subdomain);
    v.check('letsEncrypt.solver.gateway.namespace', namespace ?? '', rules.dns1123Label);
    if (!gatewayApi) v.fail('letsEncrypt.solver.gateway', le.solver.gateway.name, 'needs gatewayApi: true');
  }
  if (le.staging === false && le.production === false) v.fail('letsEncrypt', 'staging and production false', 'must create at least one issuer');
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
  const values: Record<string, unknown> = {
    crds: { enabled: true, keep: true },
    resources: requestsOf(size),
    webhook: { resources: requestsOf(small) },
    cainjector: { resources: requestsOf(small) },
    // labelled as the platform's Prometheus selects monitors (cert-manager v1.19.6 deploy/charts/cert-manager values.yaml
    // prometheus.servicemonitor.labels, copied onto the ServiceMonitor by templates/servicemonitor.yaml)
    prometheus: { enabled: true, servicemonitor: { enabled: props.serviceMonitor ?? false, labels: { ...PROMETHEUS_SELECTOR_LABELS } } },
  };
  if (props.gatewayApi) values.config = { apiVersion: 'controller.config.cert-manager.io/v1alpha1', kind: 'ControllerConfiguration', enableGatewayAPI: true };
  const requiresCrds: string[] = [];
  if (props.serviceMonitor) requiresCrds.push('monitoring.coreos.com');
  if (props.gatewayApi) requiresCrds.push('gateway.networking.k8s.io');
  return declareAddon({
    id: 'cert-manager',
    props,
    validator: v,
    defaultNamespace: 'cert-manager',
    values,
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
    }),
    companions: (namespace) => {
      const out: ManifestObject[] = [];
      if (props.selfSignedCa) {
        out.push(
          companion(CERT_API, 'ClusterIssuer', 'selfsigned-bootstrap', undefined, { spec: { selfSigned: {} } }),
          companion(CERT_API, 'Certificate', 'groundwork-root-ca', namespace, {
            spec: {
              isCA: true,
              commonName: 'k8s-groundwork local root CA',
              secretName: 'groundwork-root-ca',
              duration: '87600h',
              privateKey: { algorithm: 'ECDSA', size: 256 },
              issuerRef: { name: 'selfsigned-bootstrap', kind: 'ClusterIssuer', group: 'cert-manager.io' },
            },
          }),
          companion(CERT_API, 'ClusterIssuer', 'selfsigned-ca', undefined, { spec: { ca: { secretName: 'groundwork-root-ca' } } }),
        );
      }
      if (le?.solver.type === 'dns01' && le.solver.dns.provider === 'route53') out.push(...route53TokenAccess(namespace));
      if (le && le.staging !== false) out.push(acmeIssuer('letsencrypt-staging', 'https://acme-staging-v02.api.letsencrypt.org/directory', le));
      if (le && le.production !== false) out.push(acmeIssuer('letsencrypt-prod', 'https://acme-v02.api.letsencrypt.org/directory', le));
      return out;
    },
  });
}
