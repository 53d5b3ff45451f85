import * as rules from '../internal/rules';
import { type AddonDeclaration, type AddonProps, addonValidator, type ComponentSize, declareAddon, requestsOf, SIZE_SPEC } from './addon';
import { listOf } from '../internal/validator';

/** Props of the Argo CD add-on. */
export interface ArgoCdProps extends AddonProps {
  /**
   * Run the API server without TLS. Only for a server reached solely through a Gateway or
   * Ingress that terminates TLS; the platform exposes none, so the server keeps its own TLS.
   * @default false
   */
  readonly serverInsecure?: boolean;
  /**
   * Enable Dex for SSO.
   * @default false
   */
  readonly dex?: boolean;
  /**
   * Requests per component (controller, repo-server, server, redis).
   * @default { cpu: '100m', memory: '256Mi' } for the controller and repo-server, a quarter for the rest
   */
  readonly size?: ComponentSize;
  /**
   * OCI Helm registries to register (Argo CD's Helm source takes them without a scheme and needs
   * `enableOCI`); `platformAddons` lists every OCI chart of the profile here.
   * @default - none
   */
  readonly ociRepositories?: readonly { readonly name: string; readonly url: string }[];
}

const APPLICATION_HEALTH_LUA = [
  'hs = {}',
  'hs.status = "Progressing"',
  'hs.message = ""',
  'if obj.status ~= nil and obj.status.health ~= nil then',
  '  hs.status = obj.status.health.status',
  '  if obj.status.health.message ~= nil then hs.message = obj.status.health.message end',
  'end',
  'return hs',
].join('\n');

/** Argo CD: GitOps continuous delivery (the default GitOps engine). */
export function argoCd(props: ArgoCdProps = {}): AddonDeclaration {
  const v = addonValidator('argo-cd', props, {
    serverInsecure: 'boolean',
    dex: 'boolean',
    size: SIZE_SPEC,
    ociRepositories: listOf<{ name: string; url: string }>({ name: 'string', url: 'string' }, ['name', 'url']),
  });
  (props.ociRepositories ?? []).forEach((r, i) => {
    v.check(`ociRepositories[${i}].name`, r.name, rules.dns1123Label);
    if (r.url.includes('://')) v.fail(`ociRepositories[${i}].url`, r.url, 'must be a registry path without a scheme, e.g. "docker.io/envoyproxy"');
  });
  // argo-helm argo-cd-9.1.9 and 10.1.1 templates/argocd-configs/repository-secret.yaml: one repository Secret per
  // configs.repositories entry, every field base64-encoded as given
  const repositories = Object.fromEntries((props.ociRepositories ?? []).map((r) => [r.name, { name: r.name, url: r.url, type: 'helm', enableOCI: 'true' }]));
  const big = { cpu: '100m', memory: '256Mi', ...props.size };
  const small = { cpu: '25m', memory: '64Mi' };
  return declareAddon({
    id: 'argo-cd',
    props,
    validator: v,
    defaultNamespace: 'argocd',
    values: {
      crds: { install: true, keep: true },
      configs: {
        params: { 'server.insecure': props.serverInsecure ?? false },
        // app of apps: let sync waves wait for child Applications to be healthy
        cm: { 'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH_LUA },
        ...(Object.keys(repositories).length > 0 ? { repositories } : {}),
      },
      // the chart's per-component NetworkPolicies (argo-helm argo-cd 10.x values.yaml
      // global.networkPolicy.create, on by default since 10.0.0), plus deny-by-default ingress
      global: { networkPolicy: { create: true, defaultDenyIngress: true } },
      dex: { enabled: props.dex ?? false },
      controller: { resources: requestsOf(big) },
      repoServer: { resources: requestsOf(big) },
      server: { resources: requestsOf(small) },
      redis: { resources: requestsOf(small) },
      applicationSet: { resources: requestsOf(small) },
      notifications: { enabled: false },
    },
    providesCrds: ['argoproj.io'],
    // argoproj.io is shared with Argo Rollouts: this chart serves only Argo CD's kinds
    providesKinds: { 'argoproj.io': ['Application', 'AppProject', 'ApplicationSet'] },
    components: { controller: big, repoServer: big, server: small, redis: small, applicationSet: small },
  });
}
