import type { ManifestObject } from '../policy/check-manifests';
import type { MetricsServiceOffer } from './offers';
import * as rules from '../internal/rules';
import type { PropShapes, PropsValidator } from '../internal/validator';
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

/** Props shared by the policy engines. */
export interface PolicyProps extends AddonProps {
  /**
   * Block violating objects (`true`) or only report them (`false`, audit).
   * @default true
   */
  readonly enforce?: boolean;
  /**
   * Namespaces the baseline does not apply to (system and add-on namespaces).
   * @default ['kube-system']
   */
  readonly excludeNamespaces?: readonly string[];
  /**
   * Label every Pod must carry.
   * @default 'environment'
   */
  readonly requiredLabel?: string;
  /**
   * Admission controller replicas.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Requests of the admission controller.
   * @default { cpu: '100m', memory: '256Mi' }
   */
  readonly size?: ComponentSize;
}

/** The JavaScript shape of the policy engines' own options. */
export const POLICY_SHAPES: PropShapes<Omit<PolicyProps, keyof AddonProps>> = {
  enforce: 'boolean',
  excludeNamespaces: 'strings',
  requiredLabel: 'string',
  replicas: 'number',
  size: SIZE_SPEC,
};

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];

/** Validates the shared policy props into the add-on's validator. */
export function checkPolicyProps(v: PropsValidator, props: PolicyProps): void {
  v.check('requiredLabel', props.requiredLabel, (l) =>
    /^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(l) ? undefined : 'must be a label key',
  );
  (props.excludeNamespaces ?? []).forEach((n, i) => v.check(`excludeNamespaces[${i}]`, n, rules.dns1123Label));
  v.check('replicas', props.replicas, rules.integerBetween(1));
}

/** The rule refusing `:latest` and untagged images. */
function pinnedImagesRule(failureAction: string, pods: Record<string, unknown>): Record<string, unknown> {
  return {
    match: pods,
    validate: {
      failureAction,
      message: 'Images must be pinned by a tag other than latest, or by digest.',
      // '*:*' needs a tag or digest; a registry port without a tag (registry:5000/app) passes this
      // cluster-side check, which is why checkManifests and the constructs also refuse it
      pattern: {
        spec: { '=(initContainers)': [{ image: '!*:latest & *:*' }], containers: [{ image: '!*:latest & *:*' }] },
      },
    },
  };
}

/** The rule requiring CPU and memory requests and a memory limit. */
function requestsLimitsRule(failureAction: string, pods: Record<string, unknown>): Record<string, unknown> {
  return {
    match: pods,
    validate: {
      failureAction,
      message: 'Containers must request CPU and memory and set a memory limit.',
      pattern: {
        spec: { containers: [{ resources: { requests: { cpu: '?*', memory: '?*' }, limits: { memory: '?*' } } }] },
      },
    },
  };
}

/** The rule requiring liveness and readiness probes on long-running workloads. */
function probesRule(failureAction: string): Record<string, unknown> {
  return {
    match: { any: [{ resources: { kinds: WORKLOAD_KINDS } }] },
    validate: {
      failureAction,
      message: 'Long-running containers must have liveness and readiness probes.',
      pattern: {
        spec: {
          template: {
            spec: { containers: [{ livenessProbe: { periodSeconds: '>0' }, readinessProbe: { periodSeconds: '>0' } }] },
          },
        },
      },
    },
  };
}

/** The baseline as Kyverno ClusterPolicies. */
function kyvernoPolicies(props: PolicyProps): ManifestObject[] {
  const failureAction = (props.enforce ?? true) ? 'Enforce' : 'Audit';
  const label = props.requiredLabel ?? 'environment';
  const exclude = { any: [{ resources: { namespaces: [...(props.excludeNamespaces ?? ['kube-system'])] } }] };
  const policy = (
    name: string,
    title: string,
    rule: Record<string, unknown>,
    extraAnnotations: Record<string, string> = {},
  ): ManifestObject => {
    return companion(
      'kyverno.io/v1',
      'ClusterPolicy',
      name,
      undefined,
      {
        spec: { background: true, rules: [{ name, exclude, ...rule }] },
      },
      {
        annotations: {
          'policies.kyverno.io/title': title,
          'policies.kyverno.io/category': 'k8s-groundwork baseline',
          ...extraAnnotations,
        },
      },
    );
  };
  const pods = { any: [{ resources: { kinds: ['Pod'] } }] };
  return [
    policy('require-environment-label', `Require the ${label} label`, {
      match: pods,
      validate: {
        failureAction,
        message: `Pods must carry the "${label}" label.`,
        pattern: { metadata: { labels: { [label]: '?*' } } },
      },
    }),
    policy('disallow-latest-tag', 'Disallow :latest and untagged images', pinnedImagesRule(failureAction, pods)),
    policy(
      'require-requests-limits',
      'Require CPU/memory requests and a memory limit',
      requestsLimitsRule(failureAction, pods),
    ),
    policy('require-probes', 'Require liveness and readiness probes', probesRule(failureAction), {
      'pod-policies.kyverno.io/autogen-controllers': 'none',
    }),
    policy('restrict-pod-security', 'Pod Security Standards restricted', {
      match: pods,
      validate: { failureAction, podSecurity: { level: 'restricted', version: 'latest' } },
    }),
  ];
}

/**
 * The admission controller's metrics Service (kyverno 3.5.3 templates/admission-controller/service.yaml,
 * on by default: values.yaml `admissionController.metricsService.create: true`): `<fullname>-svc-metrics`
 * (templates/_helpers/_names.tpl kyverno.fullname: the release name when it contains the chart name)
 * with the admission controller's labels (templates/admission-controller/_helpers.tpl: part-of
 * `<fullname>`, instance `<release>`, component `admission-controller`; the webhook Service `-svc`
 * carries them too, without the port), port `metrics-port`. The admission controller counts
 * `kyverno_policy_results` (kyverno v1.15.3 pkg/metrics/metrics.go) and serves it on `/metrics`.
 */
export function kyvernoMetricsService(namespace: string, release = 'kyverno'): MetricsServiceOffer {
  const fullname = release.includes('kyverno') ? release : `${release}-kyverno`;
  return {
    name: `${fullname}-svc-metrics`,
    namespace,
    matchLabels: {
      'app.kubernetes.io/part-of': fullname,
      'app.kubernetes.io/instance': release,
      'app.kubernetes.io/component': 'admission-controller',
    },
    port: 'metrics-port',
    path: '/metrics',
  };
}

/** Kyverno (the default policy engine) with the baseline ClusterPolicies. */
export function kyverno(props: PolicyProps = {}): AddonDeclaration {
  const v = addonValidator('kyverno', props, POLICY_SHAPES);
  checkPolicyProps(v, props);
  const replicas = props.replicas ?? 1;
  const size = { cpu: '100m', memory: '256Mi', ...props.size, replicas };
  const small = { cpu: '25m', memory: '64Mi' };
  return declareAddon({
    id: 'kyverno',
    props,
    validator: v,
    defaultNamespace: 'kyverno',
    values: {
      admissionController: { replicas, container: { resources: requestsOf(size) } },
      backgroundController: { resources: requestsOf(small) },
      cleanupController: { resources: requestsOf(small) },
      reportsController: { resources: requestsOf(small) },
    },
    providesCrds: ['kyverno.io', 'policies.kyverno.io', 'wgpolicyk8s.io', 'reports.kyverno.io'],
    components: { admission: size, background: small, cleanup: small, reports: small },
    provides: (namespace) => ({ metricsServices: [kyvernoMetricsService(namespace)] }),
    companions: () => kyvernoPolicies(props),
  });
}
