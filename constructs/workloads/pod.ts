/**
 * The hardened Pod template of a workload and its scheduling, rendered from a resolved
 * {@link WorkloadSpec}. Pure: spec in, JSON out.
 */
import type { EnvVar, ProbeProps, ProbesProps, SpreadProps } from './types';
import type { ResolvedPort } from './workload-props';
import type { WorkloadSpec } from './workload-spec';

type Json = Record<string, unknown>;

const PROBE_DEFAULTS = {
  periodSeconds: 10,
  timeoutSeconds: 2,
  failureThreshold: 3,
  successThreshold: 1,
  initialDelaySeconds: 0,
};

/** What a workload adds to its Pod template: pod-spec fields (restartPolicy, spread, volumes) and volume mounts. */
export interface PodExtras {
  readonly spec?: Json;
  readonly volumeMounts?: Json[];
}

/**
 * The hardened Pod template.
 * @param ports container ports
 * @param probes resolved probes (long-running workloads) or undefined (jobs)
 * @param extra pod-spec fields the workload adds (restartPolicy, spread, volumes)
 */
export function renderPodTemplate(
  spec: WorkloadSpec,
  ports: readonly ResolvedPort[],
  probes: ProbesProps | undefined,
  extra: PodExtras = {},
): Json {
  const volumes: Json[] = [];
  const mounts: Json[] = [...(extra.volumeMounts ?? [])];
  spec.writablePaths.forEach((path, i) => {
    volumes.push({ name: `writable-${i}`, emptyDir: { sizeLimit: '256Mi' } });
    mounts.push({ name: `writable-${i}`, mountPath: path });
  });
  spec.fileMounts.forEach((m, i) => {
    volumes.push(
      m.configMap !== undefined
        ? { name: `files-${i}`, configMap: { name: m.configMap } }
        : { name: `files-${i}`, secret: { secretName: m.secret } },
    );
    mounts.push({ name: `files-${i}`, mountPath: m.mountPath, readOnly: true });
  });
  const sec = spec.security;
  const podSpec: Json = {
    serviceAccountName: spec.name,
    automountServiceAccountToken: spec.serviceAccount.automountToken,
    enableServiceLinks: false,
    terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: sec.runAsUser,
      runAsGroup: sec.runAsGroup,
      fsGroup: sec.fsGroup,
      seccompProfile: { ...sec.seccompProfile },
    },
    containers: [renderContainer(spec, ports, probes, mounts)],
    ...extra.spec,
  };
  if (spec.priorityClassName !== undefined) podSpec.priorityClassName = spec.priorityClassName;
  if (volumes.length > 0 || extra.spec?.volumes)
    podSpec.volumes = [...volumes, ...((extra.spec?.volumes as Json[] | undefined) ?? [])];
  return { metadata: { labels: { ...spec.labels } }, spec: podSpec };
}

/** The workload's one container. */
function renderContainer(
  spec: WorkloadSpec,
  ports: readonly ResolvedPort[],
  probes: ProbesProps | undefined,
  mounts: Json[],
): Json {
  const sec = spec.security;
  const container: Json = {
    name: spec.name,
    image: spec.image,
    imagePullPolicy: spec.imagePullPolicy,
    resources: { requests: { ...spec.resources.requests }, limits: { ...spec.resources.limits } },
    securityContext: {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: sec.readOnlyRootFilesystem,
      capabilities: sec.allowNetBindService ? { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } : { drop: ['ALL'] },
    },
  };
  if (spec.command) container.command = [...spec.command];
  if (spec.args) container.args = [...spec.args];
  if (ports.length > 0)
    container.ports = ports.map((x) => ({ name: x.name, containerPort: x.containerPort, protocol: x.protocol }));
  if (spec.env.length > 0) container.env = spec.env.map(renderEnv);
  if (spec.envFrom.length > 0) {
    container.envFrom = spec.envFrom.map((e) =>
      'configMap' in e ? { configMapRef: { name: e.configMap } } : { secretRef: { name: e.secret } },
    );
  }
  if (mounts.length > 0) container.volumeMounts = mounts;
  if (probes) {
    const mainPort = ports[0]?.name;
    if (probes.readiness) container.readinessProbe = renderProbe(probes.readiness, mainPort);
    if (probes.liveness) container.livenessProbe = renderProbe(probes.liveness, mainPort);
    if (probes.startup) container.startupProbe = renderProbe(probes.startup, mainPort);
  }
  return container;
}

/**
 * Scheduling for `replicas` Pods: topology spread across nodes and zones, plus a preferred host
 * anti-affinity when spreading across nodes (schedulers and linters that read only anti-affinity
 * see the intent too). Nothing below 2 replicas or when opted out. Every constraint honours node
 * taints (`nodeTaintsPolicy: Honor`: nodes the Pods cannot run on, such as a tainted control plane,
 * are no domain a required spread waits for) and, for workloads that roll out ReplicaSets, counts
 * only Pods of the same revision (`matchLabelKeys`: Deployments label Pods `pod-template-hash`,
 * Argo Rollouts `rollouts-pod-template-hash`; keys a Pod lacks are ignored), so a rolling update
 * is never blocked by the old revision's Pods.
 */
export function renderScheduling(
  selectorLabels: Readonly<Record<string, string>>,
  spread: SpreadProps | false | undefined,
  replicas: number,
  revisionLabels: readonly string[] = ['pod-template-hash', 'rollouts-pod-template-hash'],
): Json {
  if (spread === false || replicas < 2) return {};
  const constraints: Json[] = [];
  const add = (mode: 'required' | 'preferred' | 'off', topologyKey: string): void => {
    if (mode === 'off') return;
    const constraint: Json = {
      maxSkew: 1,
      topologyKey,
      whenUnsatisfiable: mode === 'required' ? 'DoNotSchedule' : 'ScheduleAnyway',
      labelSelector: { matchLabels: { ...selectorLabels } },
      nodeTaintsPolicy: 'Honor',
    };
    if (revisionLabels.length > 0) constraint.matchLabelKeys = [...revisionLabels];
    constraints.push(constraint);
  };
  const nodes = spread?.nodes ?? 'required';
  add(nodes, 'kubernetes.io/hostname');
  add(spread?.zones ?? 'preferred', 'topology.kubernetes.io/zone');
  const out: Json = {};
  if (constraints.length > 0) out.topologySpreadConstraints = constraints;
  if (nodes !== 'off') {
    out.affinity = {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 100,
            podAffinityTerm: {
              topologyKey: 'kubernetes.io/hostname',
              labelSelector: { matchLabels: { ...selectorLabels } },
            },
          },
        ],
      },
    };
  }
  return out;
}

function renderEnv(e: EnvVar): Json {
  if ('value' in e) return { name: e.name, value: e.value };
  if ('fromConfigMap' in e)
    return {
      name: e.name,
      valueFrom: {
        configMapKeyRef: {
          name: e.fromConfigMap.name,
          key: e.fromConfigMap.key,
          optional: e.fromConfigMap.optional ?? false,
        },
      },
    };
  if ('fromSecret' in e)
    return {
      name: e.name,
      valueFrom: {
        secretKeyRef: { name: e.fromSecret.name, key: e.fromSecret.key, optional: e.fromSecret.optional ?? false },
      },
    };
  return { name: e.name, valueFrom: { fieldRef: { fieldPath: e.fromField } } };
}

function renderProbe(p: ProbeProps, mainPort: string | undefined): Json {
  const port = p.port ?? mainPort;
  const out: Json = {
    initialDelaySeconds: p.initialDelaySeconds ?? PROBE_DEFAULTS.initialDelaySeconds,
    periodSeconds: p.periodSeconds ?? PROBE_DEFAULTS.periodSeconds,
    timeoutSeconds: p.timeoutSeconds ?? PROBE_DEFAULTS.timeoutSeconds,
    failureThreshold: p.failureThreshold ?? PROBE_DEFAULTS.failureThreshold,
    successThreshold: p.successThreshold ?? PROBE_DEFAULTS.successThreshold,
  };
  switch (p.type) {
    case 'http':
      out.httpGet = { path: p.path ?? '/', port };
      break;
    case 'tcp':
      out.tcpSocket = { port };
      break;
    case 'grpc':
      out.grpc = { port };
      break;
    case 'exec':
      out.exec = { command: [...(p.command ?? [])] };
      break;
  }
  return out;
}
