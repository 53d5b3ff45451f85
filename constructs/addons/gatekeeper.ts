import type { ManifestObject } from '../policy/check-manifests';
import { type AddonDeclaration, addonValidator, companion, declareAddon, requestsOf } from './addon';
import { checkPolicyProps, POLICY_SHAPES, type PolicyProps } from './kyverno';
import type { MetricsPodsOffer } from './offers';

const TARGET = 'admission.k8s.gatekeeper.sh';

/** Rego helpers shared by the templates: the containers of a Pod or a workload's Pod template. */
const CONTAINERS = `
pod_spec = input.review.object.spec { input.review.object.kind == "Pod" }
pod_spec = input.review.object.spec.template.spec { input.review.object.kind != "Pod"; input.review.object.kind != "CronJob" }
pod_spec = input.review.object.spec.jobTemplate.spec.template.spec { input.review.object.kind == "CronJob" }
containers[c] { c := pod_spec.containers[_] }
containers[c] { c := pod_spec.initContainers[_] }
`;

const TEMPLATES: ReadonlyArray<{ kind: string; name: string; params?: Record<string, unknown>; rego: string }> = [
  {
    kind: 'GroundworkRequiredLabel',
    name: 'groundworkrequiredlabel',
    params: { type: 'object', properties: { label: { type: 'string' } } },
    rego: `package groundworkrequiredlabel
violation[{"msg": msg}] {
  label := input.parameters.label
  not input.review.object.metadata.labels[label]
  msg := sprintf("%v %v must carry the %v label", [input.review.object.kind, input.review.object.metadata.name, label])
}`,
  },
  {
    kind: 'GroundworkPinnedImages',
    name: 'groundworkpinnedimages',
    rego: `package groundworkpinnedimages
${CONTAINERS}
unpinned(image) { endswith(image, ":latest") }
unpinned(image) { not contains(image, "@"); parts := split(image, "/"); not contains(parts[count(parts) - 1], ":") }
violation[{"msg": msg}] {
  c := containers[_]
  unpinned(c.image)
  msg := sprintf("container %v image %v must be pinned by a tag other than latest or by digest", [c.name, c.image])
}`,
  },
  {
    kind: 'GroundworkRequestsLimits',
    name: 'groundworkrequestslimits',
    rego: `package groundworkrequestslimits
${CONTAINERS}
missing(c) { not c.resources.requests.cpu }
missing(c) { not c.resources.requests.memory }
missing(c) { not c.resources.limits.memory }
violation[{"msg": msg}] {
  c := containers[_]
  missing(c)
  msg := sprintf("container %v must request CPU and memory and set a memory limit", [c.name])
}`,
  },
  {
    kind: 'GroundworkProbes',
    name: 'groundworkprobes',
    rego: `package groundworkprobes
${CONTAINERS}
violation[{"msg": msg}] {
  c := pod_spec.containers[_]
  not c.livenessProbe
  msg := sprintf("container %v must have a liveness probe", [c.name])
}
violation[{"msg": msg}] {
  c := pod_spec.containers[_]
  not c.readinessProbe
  msg := sprintf("container %v must have a readiness probe", [c.name])
}`,
  },
];

const POD_KINDS = [{ apiGroups: [''], kinds: ['Pod'] }];
const WORKLOAD_KINDS = [{ apiGroups: ['apps'], kinds: ['Deployment', 'StatefulSet', 'DaemonSet'] }];

function gatekeeperPolicies(props: PolicyProps): ManifestObject[] {
  const enforcementAction = (props.enforce ?? true) ? 'deny' : 'dryrun';
  const excludedNamespaces = [...(props.excludeNamespaces ?? ['kube-system'])];
  const templates = TEMPLATES.map((t) =>
    companion('templates.gatekeeper.sh/v1', 'ConstraintTemplate', t.name, undefined, {
      spec: {
        crd: { spec: { names: { kind: t.kind }, ...(t.params ? { validation: { openAPIV3Schema: t.params } } : {}) } },
        targets: [{ target: TARGET, rego: t.rego }],
      },
    }),
  );
  const constraint = (
    kind: string,
    name: string,
    kinds: unknown[],
    parameters?: Record<string, unknown>,
  ): ManifestObject =>
    companion(
      'constraints.gatekeeper.sh/v1beta1',
      kind,
      name,
      undefined,
      {
        spec: { enforcementAction, match: { kinds, excludedNamespaces }, ...(parameters ? { parameters } : {}) },
      },
      { annotations: { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' } },
    );
  return [
    ...templates,
    constraint('GroundworkRequiredLabel', 'require-environment-label', POD_KINDS, {
      label: props.requiredLabel ?? 'environment',
    }),
    constraint('GroundworkPinnedImages', 'disallow-latest-tag', POD_KINDS),
    constraint('GroundworkRequestsLimits', 'require-requests-limits', POD_KINDS),
    constraint('GroundworkProbes', 'require-probes', WORKLOAD_KINDS),
  ];
}

/**
 * The controller manager's Pods (the admission webhook), which serve its metrics behind no Service
 * (gatekeeper v3.21.1 charts/gatekeeper: templates/gatekeeper-webhook-service-service.yaml exposes only
 * the webhook and healthz ports; templates/gatekeeper-controller-manager-deployment.yaml labels the Pod
 * template `app`/`chart` `gatekeeper` (templates/_helpers.tpl gatekeeper.name), `control-plane:
 * controller-manager`, `release: <release>` and names the container port `metrics`
 * (values.yaml `controllerManager.metricsPort` 8888, `metricsBackends: ["prometheus"]`);
 * `controllerManager.networkPolicy.enabled` is false, and we add no policy to its namespace). The
 * webhook counts `validation_request_count{admission_status}` (pkg/webhook/stats_reporter.go) and the
 * Prometheus exporter serves it on `/metrics` of that port (pkg/metrics/exporters/prometheus/prometheus_exporter.go).
 * The audit Pods (`control-plane: audit-controller`) serve other metrics and are left out.
 */
export function gatekeeperMetricsPods(namespace: string, release = 'gatekeeper'): MetricsPodsOffer {
  return {
    name: 'gatekeeper-controller-manager',
    namespace,
    matchLabels: { app: 'gatekeeper', 'control-plane': 'controller-manager', release },
    port: 'metrics',
    path: '/metrics',
  };
}

/**
 * OPA Gatekeeper with the baseline as ConstraintTemplates and constraints. The restricted Pod
 * Security profile is enforced by Pod Security admission labels on app namespaces (AppNamespace),
 * which Gatekeeper does not replace.
 */
export function gatekeeper(props: PolicyProps = {}): AddonDeclaration {
  const v = addonValidator('gatekeeper', props, POLICY_SHAPES);
  checkPolicyProps(v, props);
  const replicas = props.replicas ?? 1;
  const size = { cpu: '100m', memory: '256Mi', ...props.size, replicas };
  const audit = { cpu: '100m', memory: '256Mi' };
  return declareAddon({
    id: 'gatekeeper',
    props,
    validator: v,
    defaultNamespace: 'gatekeeper-system',
    values: {
      replicas,
      controllerManager: {
        resources: requestsOf(size),
        exemptNamespaces: [...(props.excludeNamespaces ?? ['kube-system'])],
      },
      audit: { resources: requestsOf(audit) },
    },
    providesCrds: ['templates.gatekeeper.sh', 'constraints.gatekeeper.sh', 'config.gatekeeper.sh'],
    components: { controller: size, audit },
    provides: (namespace) => ({ metricsPods: [gatekeeperMetricsPods(namespace)] }),
    companions: () => gatekeeperPolicies(props),
  });
}
