/**
 * The registry entries of the profile keys that choose between add-ons: `ingress` (Envoy Gateway,
 * ingress-nginx or both), `mesh` (Istio or Linkerd), `gitops` (Argo CD or Flux) and `policy`
 * (Kyverno or Gatekeeper). Each is one entry whose declaration picks the engine.
 */
import type { AddonDeclaration } from './addon';
import { argoCd, type ArgoCdProps } from './argo-cd';
import { envoyGateway, type EnvoyGatewayProps } from './envoy-gateway';
import { flux, type FluxProps } from './flux';
import { gatekeeper } from './gatekeeper';
import { ingressNginx, type IngressNginxProps } from './ingress-nginx';
import { istio, type IstioProps } from './istio';
import { kyverno, type PolicyProps } from './kyverno';
import { linkerd, type LinkerdProps } from './linkerd';
import { type AddonContext, declareEach, part, registerAddon, servesCrds } from './register';

const isOn = <T>(x: T | false | undefined): x is T => x !== undefined && x !== false;

/** Ingress controllers; at most one may be `default`. */
export interface IngressProfile {
  /**
   * Envoy Gateway; `false` or left out: not installed.
   * @default - not installed (without an `ingress` key the profile installs `{ envoyGateway: { default: true } }`)
   */
  readonly envoyGateway?: EnvoyGatewayProps | false;
  /**
   * ingress-nginx (retired upstream); `false` or left out: not installed.
   * @default - not installed
   */
  readonly ingressNginx?: IngressNginxProps | false;
}

const GATEWAY_EXAMPLE: EnvoyGatewayProps = { gateway: { name: 'public', namespace: 'gateway-system' } };

/** The profile's `ingress` key: Envoy Gateway alone, as the default, unless the profile says otherwise. */
export const ingressAddon = registerAddon({
  profileKey: 'ingress',
  defaultProps: { envoyGateway: { default: true } },
  declare: (ingress: IngressProfile) => {
    const eg = ingress.envoyGateway;
    const nginx = ingress.ingressNginx;
    const defaults = [
      isOn(eg) && eg.default && 'envoy-gateway',
      isOn(nginx) && nginx.default && 'ingress-nginx',
    ].filter(Boolean);
    const problems =
      defaults.length > 1
        ? [`PlatformAddons: ingress (${defaults.join(', ')}) must mark at most one controller as default`]
        : [];
    return declareEach(problems, [
      ...(isOn(eg) ? [() => envoyGateway(eg)] : []),
      ...(isOn(nginx) ? [() => ingressNginx(nginx)] : []),
    ]);
  },
  example: { envoyGateway: GATEWAY_EXAMPLE, ingressNginx: { replicas: 1 } },
  parts: [part('envoy-gateway', envoyGateway, GATEWAY_EXAMPLE), part('ingress-nginx', ingressNginx, { replicas: 1 })],
});

/** Service mesh. */
export type MeshProfile =
  | {
      readonly engine: 'istio';
      /**
       * Istio's settings.
       * @default - Istio's defaults
       */
      readonly istio?: IstioProps;
    }
  | { readonly engine: 'linkerd'; readonly linkerd: LinkerdProps };

const TRUST_ANCHORS = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

/** The profile's `mesh` key (off unless asked): Linkerd installs the Gateway API CRDs unless an add-on before it serves them. */
export const meshAddon = registerAddon({
  profileKey: 'mesh',
  defaultProps: false,
  engines: ['istio', 'linkerd'],
  declare: (mesh: MeshProfile, ctx) =>
    mesh.engine === 'istio'
      ? istio(mesh.istio)
      : linkerd({ installGatewayApiCrds: !servesCrds(ctx, 'gateway.networking.k8s.io'), ...mesh.linkerd }),
  example: { engine: 'istio' },
  parts: [part('istiod', istio, {}), part('linkerd-control-plane', linkerd, { trustAnchorsPem: TRUST_ANCHORS })],
});

/** GitOps engine. */
export type GitOpsProfile =
  | {
      readonly engine: 'argo-cd';
      /**
       * Argo CD's settings.
       * @default - Argo CD's defaults
       */
      readonly argoCd?: ArgoCdProps;
    }
  | {
      readonly engine: 'flux';
      /**
       * Flux's settings.
       * @default - Flux's defaults
       */
      readonly flux?: FluxProps;
    };

/**
 * The profile's `gitops` key (Argo CD unless told otherwise). Argo CD registers every OCI chart
 * repository declared before it (it needs enableOCI), and its server admits the Gateways' proxies
 * and its metrics ports the platform's Prometheus, read from their offers.
 */
export const gitopsAddon = registerAddon({
  profileKey: 'gitops',
  defaultProps: { engine: 'argo-cd' },
  engines: ['argo-cd', 'flux'],
  declare: (gitops: GitOpsProfile, ctx) =>
    gitops.engine === 'argo-cd' ? argoCd({ ...argoCdInputs(ctx), ...gitops.argoCd }) : flux(gitops.flux),
  example: { engine: 'flux' },
  parts: [part('argo-cd', argoCd, {}), part('flux', flux, {})],
});

/** What Argo CD reads from the add-ons declared before it. */
function argoCdInputs({ declared }: AddonContext): ArgoCdProps {
  const ociRepositories = [
    ...new Set(declared.map((d) => d.chart.repository).filter((r) => r.startsWith('oci://'))),
  ].map((r) => ({
    name: r.slice('oci://'.length).replace(/[^a-z0-9]+/g, '-'),
    url: r.slice('oci://'.length),
  }));
  const gatewayProxies = declared.flatMap((d) => d.provides.gateways ?? []).map((g) => g.proxies);
  const prometheus = declared.find((d) => d.provides.monitoring !== undefined)?.provides.monitoring?.prometheus;
  return {
    ...(ociRepositories.length > 0 ? { ociRepositories } : {}),
    ...(gatewayProxies.length > 0 ? { gatewayProxies } : {}),
    ...(prometheus ? { prometheus } : {}),
  };
}

/** Policy engine and its baseline. */
export interface PolicyProfile {
  readonly engine: 'kyverno' | 'gatekeeper';
  /**
   * The engine's settings.
   * @default - the engine's defaults (enforcing the baseline)
   */
  readonly settings?: PolicyProps;
}

/**
 * The profile's `policy` key (Kyverno unless told otherwise). It comes last so its baseline can
 * exempt every add-on namespace (their charts run node agents and controllers that the restricted
 * profile would reject) and the namespaces the cluster runs its own components in (kind's
 * local-path-provisioner starts unlabelled hostPath helper Pods in its own namespace:
 * rancher/local-path-provisioner v0.0.37 provisioner.go `helperPod.Namespace = p.namespace`).
 */
export const policyAddon = registerAddon({
  profileKey: 'policy',
  defaultProps: { engine: 'kyverno' },
  engines: ['kyverno', 'gatekeeper'],
  declare: (policy: PolicyProfile, { declared, systemNamespaces }): AddonDeclaration => {
    // every namespace an add-on's chart runs Pods in: its own, and those created before the chart (node-exporter's)
    const created = declared.flatMap((d) =>
      d.prerequisites.filter((o) => o.kind === 'Namespace').map((o) => o.metadata?.name ?? ''),
    );
    const excludeNamespaces =
      policy.settings?.excludeNamespaces ??
      [
        ...new Set([...systemNamespaces, ...declared.map((d) => d.namespace), ...created.filter((n) => n !== '')]),
      ].sort();
    const settings: PolicyProps = { ...policy.settings, excludeNamespaces };
    return policy.engine === 'kyverno' ? kyverno(settings) : gatekeeper(settings);
  },
  example: { engine: 'gatekeeper' },
  parts: [part('kyverno', kyverno, { enforce: true }), part('gatekeeper', gatekeeper, { enforce: true })],
});
