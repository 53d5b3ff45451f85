import * as rules from '../internal/rules';
import {
  type AddonDeclaration,
  type AddonProps,
  addonValidator,
  type ComponentSize,
  declareAddon,
  requestsOf,
  restrictedContainer,
  restrictedPod,
  SIZE_SPEC,
} from './addon';
import { part, registerAddon } from './register';

/** How Reloader rolls a workload: a changed env var (`env-vars`) or a changed annotation (`annotations`) in its Pod template. */
export const RELOAD_STRATEGIES = ['env-vars', 'annotations'] as const;

/** Props of the Reloader add-on. */
export interface ReloaderProps extends AddonProps {
  /**
   * Namespaces Reloader watches.
   * @default - every namespace
   */
  readonly namespaces?: readonly string[];
  /**
   * Namespaces Reloader leaves alone (only while it watches every namespace).
   * @default - none
   */
  readonly ignoreNamespaces?: readonly string[];
  /**
   * How a workload is rolled: `env-vars` adds an env var holding the ConfigMap's or Secret's hash
   * to the Pod template, `annotations` an annotation (keeps the containers' env as Git has it).
   * @default 'env-vars'
   */
  readonly reloadStrategy?: (typeof RELOAD_STRATEGIES)[number];
  /**
   * Roll every workload when a ConfigMap or Secret it references changes. Off: only workloads
   * annotated `reloader.stakater.com/auto: "true"` (or naming the objects to watch).
   * @default false
   */
  readonly autoReloadAll?: boolean;
  /**
   * Also roll Argo Rollouts `Rollout`s.
   * @default - true when Argo Rollouts is declared before it in the profile, else false
   */
  readonly argoRollouts?: boolean;
  /**
   * Controller requests.
   * @default { cpu: '10m', memory: '64Mi' }
   */
  readonly size?: ComponentSize;
}

/**
 * Reloader (stakater/Reloader): rolls Deployments, StatefulSets and DaemonSets when a ConfigMap or
 * Secret they reference changes, e.g. one an ExternalSecret refreshed from the secret store.
 */
export function reloader(props: ReloaderProps = {}): AddonDeclaration {
  const v = addonValidator('reloader', props, {
    namespaces: 'strings',
    ignoreNamespaces: 'strings',
    reloadStrategy: 'string',
    autoReloadAll: 'boolean',
    argoRollouts: 'boolean',
    size: SIZE_SPEC,
  });
  const strategy = props.reloadStrategy ?? 'env-vars';
  if (typeof strategy === 'string' && !RELOAD_STRATEGIES.includes(strategy))
    v.fail('reloadStrategy', strategy, `must be one of ${RELOAD_STRATEGIES.join(', ')}`);
  // a list of the wrong type was reported by the validator: read as empty
  const listOf = (x: readonly string[] | undefined): readonly string[] =>
    Array.isArray(x) ? (x as readonly string[]) : [];
  const namespaces = listOf(props.namespaces);
  const ignored = listOf(props.ignoreNamespaces);
  namespaces.forEach((n, i) => v.check(`namespaces[${i}]`, n, rules.dns1123Label));
  ignored.forEach((n, i) => v.check(`ignoreNamespaces[${i}]`, n, rules.dns1123Label));
  // the chart passes --namespaces-to-ignore only while watchGlobally (chart-v2.2.16 templates/deployment.yaml)
  if (props.namespaces !== undefined && props.ignoreNamespaces !== undefined)
    v.fail(
      'ignoreNamespaces',
      ignored.join(','),
      'applies only while Reloader watches every namespace: leave out namespaces, or this',
    );
  const size = { cpu: '10m', memory: '64Mi', ...props.size };
  // keys of the chart's values (stakater/Reloader chart-v2.2.16 deployments/kubernetes/chart/reloader/values.yaml)
  const values = {
    reloader: {
      watchGlobally: props.namespaces === undefined,
      namespaces: [...namespaces],
      ignoreNamespaces: ignored.join(','),
      reloadStrategy: strategy,
      autoReloadAll: props.autoReloadAll ?? false,
      isArgoRollouts: props.argoRollouts ?? false,
      // mounts an emptyDir on /tmp and sets readOnlyRootFilesystem on the container
      readOnlyRootFileSystem: true,
      deployment: {
        // the image runs as nobody (the chart's default securityContext.runAsUser)
        securityContext: restrictedPod(65534),
        containerSecurityContext: restrictedContainer(),
        resources: requestsOf(size),
      },
    },
  };
  return declareAddon({
    id: 'reloader',
    props,
    validator: v,
    defaultNamespace: 'reloader',
    values,
    podSecurity: 'restricted',
    components: { controller: size },
  });
}

/** The profile's `reloader` key: Reloader, off unless asked; it rolls Argo Rollouts too when they are declared before it. */
export const reloaderAddon = registerAddon({
  profileKey: 'reloader',
  defaultProps: false,
  declare: (props: ReloaderProps, ctx) => {
    const rollouts = ctx.declared.some((d) => d.provides.progressiveDelivery !== undefined);
    return reloader({ argoRollouts: rollouts, ...props });
  },
  example: { autoReloadAll: true },
  parts: [part('reloader', reloader, { autoReloadAll: true })],
});
