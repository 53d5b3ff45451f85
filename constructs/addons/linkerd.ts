import type { ManifestObject } from '../policy/check-manifests';
import {
  type AddonDeclaration,
  type AddonProps,
  addonValidator,
  companion,
  type ComponentSize,
  declareAddon,
  SIZE_SPEC,
} from './addon';

/** Props of the Linkerd add-on (CRDs and control plane). */
export interface LinkerdProps extends AddonProps {
  /**
   * PEM bundle of the trust anchor (a public CA certificate). cert-manager issues the identity
   * issuer certificate from the `linkerd-trust-anchor` CA Secret you create once in the Linkerd
   * namespace (its key never enters the synthesized YAML); the control plane installs after it.
   */
  readonly trustAnchorsPem: string;
  /**
   * Control-plane requests (destination, identity, proxy-injector each).
   * @default { cpu: '50m', memory: '128Mi' }
   */
  readonly size?: ComponentSize;
  /**
   * Let `linkerd-crds` install the Gateway API route CRDs Linkerd's controllers watch. Set when no
   * other add-on (Envoy Gateway) provides them; `platformAddons` decides from the profile.
   * @default false
   */
  readonly installGatewayApiCrds?: boolean;
}

/**
 * Linkerd's chart reads resources as `{ cpu: { request, limit }, memory: { request, limit } }`
 * (linkerd2 edge-25.11.2 charts/partials/templates/_resources.tpl), not the Kubernetes shape.
 */
function linkerdResources(c: ComponentSize): Record<string, unknown> {
  return { cpu: { request: c.cpu }, memory: { request: c.memory, limit: c.memory } };
}

/** Everything the control plane mounts at start: its namespace, the trust roots, and the issuer certificate cert-manager signs. */
function linkerdPrerequisites(ns: string, trustAnchorsPem: string | undefined): ManifestObject[] {
  return [
    companion(
      'v1',
      'Namespace',
      ns,
      undefined,
      {},
      {
        labels: {
          'linkerd.io/is-control-plane': 'true',
          'config.linkerd.io/admission-webhooks': 'disabled',
          'linkerd.io/control-plane-ns': ns,
          'pod-security.kubernetes.io/enforce': 'privileged',
        },
        annotations: { 'linkerd.io/inject': 'disabled' },
      },
    ),
    companion('v1', 'ConfigMap', 'linkerd-identity-trust-roots', ns, {
      data: { 'ca-bundle.crt': trustAnchorsPem?.trim() ?? '' },
    }),
    companion('cert-manager.io/v1', 'Issuer', 'linkerd-trust-anchor', ns, {
      spec: { ca: { secretName: 'linkerd-trust-anchor' } },
    }),
    companion('cert-manager.io/v1', 'Certificate', 'linkerd-identity-issuer', ns, {
      spec: {
        secretName: 'linkerd-identity-issuer',
        duration: '48h',
        renewBefore: '25h',
        isCA: true,
        commonName: 'identity.linkerd.cluster.local',
        dnsNames: ['identity.linkerd.cluster.local'],
        privateKey: { algorithm: 'ECDSA' },
        usages: ['cert sign', 'crl sign', 'server auth', 'client auth'],
        issuerRef: { name: 'linkerd-trust-anchor', kind: 'Issuer' },
      },
    }),
  ];
}

/**
 * Linkerd: `linkerd-crds` then `linkerd-control-plane`, with the identity issuer from cert-manager.
 *
 * Read from linkerd2 edge-25.11.2 (the 2025.11.2 charts; unchanged in edge-25.11.3):
 * - `identity.externalCA: true` makes the chart skip the `linkerd-identity-trust-roots` ConfigMap
 *   (linkerd-control-plane/templates/identity.yaml) that identity and the proxy injector mount, so
 *   it is created here from `trustAnchorsPem`, before the chart installs;
 * - the chart creates its namespace only for the CLI (templates/namespace.yaml); Helm and GitOps
 *   installs must create it with the same labels, `privileged` because linkerd-init needs NET_ADMIN;
 * - linkerd-crds installs the Gateway API CRDs only with `installGatewayAPI` (default false), and the
 *   destination controller watches `gateway.networking.k8s.io` routes (destination-rbac.yaml).
 */
export function linkerd(props: LinkerdProps): AddonDeclaration[] {
  const v = addonValidator('linkerd-control-plane', props, {
    trustAnchorsPem: 'string',
    size: SIZE_SPEC,
    installGatewayApiCrds: 'boolean',
  });
  if (!/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*$/.test(props.trustAnchorsPem ?? '')) {
    v.fail(
      'trustAnchorsPem',
      '<pem>',
      'must be a PEM certificate bundle (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)',
    );
  }
  const size = { cpu: '50m', memory: '128Mi', ...props.size };
  const namespace = props.namespace ?? 'linkerd';
  const installGatewayApi = props.installGatewayApiCrds ?? false;
  const crds = declareAddon({
    id: 'linkerd-crds',
    props: { namespace, version: props.version },
    validator: addonValidator('linkerd-crds', {}, {}),
    defaultNamespace: namespace,
    values: { installGatewayAPI: installGatewayApi },
    providesCrds: ['policy.linkerd.io', 'linkerd.io', ...(installGatewayApi ? ['gateway.networking.k8s.io'] : [])],
    components: {},
  });
  const controlPlane = declareAddon({
    id: 'linkerd-control-plane',
    props,
    validator: v,
    defaultNamespace: namespace,
    values: {
      identityTrustAnchorsPEM: props.trustAnchorsPem,
      identity: { externalCA: true, issuer: { scheme: 'kubernetes.io/tls' } },
      destinationResources: linkerdResources(size),
      identityResources: linkerdResources(size),
      proxyInjectorResources: linkerdResources(size),
    },
    requiresCrds: ['policy.linkerd.io', 'linkerd.io', 'gateway.networking.k8s.io'],
    // linkerd-init needs NET_ADMIN without the Linkerd CNI (templates/namespace.yaml labels it privileged too)
    podSecurity: 'privileged',
    components: { destination: size, identity: size, proxyInjector: size },
    provides: (ns) => ({ mesh: { engine: 'linkerd', namespace: ns, cni: false } }),
    // everything the control plane mounts at start: trust roots, and the issuer certificate cert-manager signs
    prerequisites: (ns) => linkerdPrerequisites(ns, props.trustAnchorsPem),
  });
  return [crds, controlPlane];
}
