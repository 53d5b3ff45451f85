import { AddonDeclaration, AddonProps, addonValidator, ComponentSize, declareAddon, requestsOf } from './addon';

/** Props of the Argo CD add-on. */
export interface ArgoCdProps extends AddonProps {
  /**
   * Run the API server without TLS (TLS terminates at the ingress/gateway).
   * @default true
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
  const v = addonValidator('argo-cd', props, ['serverInsecure', 'dex', 'size']);
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
        params: { 'server.insecure': props.serverInsecure ?? true },
        // app of apps: let sync waves wait for child Applications to be healthy
        cm: { 'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH_LUA },
      },
      dex: { enabled: props.dex ?? false },
      controller: { resources: requestsOf(big) },
      repoServer: { resources: requestsOf(big) },
      server: { resources: requestsOf(small) },
      redis: { resources: requestsOf(small) },
      applicationSet: { resources: requestsOf(small) },
      notifications: { enabled: false },
    },
    providesCrds: ['argoproj.io'],
    components: { controller: big, repoServer: big, server: small, redis: small, applicationSet: small },
  });
}
