/**
 * A StatefulService's props, resolved once and rendered. Pure: `resolveStatefulService` runs every
 * check and every default (props in, {@link StatefulServiceSpec} out, or a GroundworkValidationError
 * listing every problem in the order the construct reports them); `renderStatefulService` turns the
 * spec into the StatefulService's objects.
 */
import type { ApiObjectProps } from 'cdk8s';
import type { Construct } from 'constructs';
import * as rules from '../internal/rules';
import { listOf, PropsValidator, type PropShapes } from '../internal/validator';
import { renderPodTemplate, renderScheduling } from './pod';
import type { DisruptionBudgetProps, PortProps, ProbesProps, SpreadProps } from './types';
import { resolvePorts, validateDisruptionBudget, validateProbes, validateReplicas } from './workload-checks';
import { LONG_RUNNING_SHAPES, type LongRunningProps, PORTS_SPEC, type ResolvedPort } from './workload-props';
import {
  renderDisruptionBudget,
  renderNetworkPolicy,
  renderService,
  type WorkloadPart,
  workloadMetadata,
} from './workload-render';
import { checkWorkload, defaultNameOf, defaultProbes, type WorkloadSpec } from './workload-spec';

/** A PersistentVolumeClaim template, one volume per replica. */
export interface VolumeClaimProps {
  /** Volume name (DNS-1123 label). */
  readonly name: string;
  /** Mount path in the container. */
  readonly mountPath: string;
  /** Requested size, e.g. `10Gi`. */
  readonly size: string;
  /**
   * StorageClass.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * Access mode.
   * @default 'ReadWriteOnce'
   */
  readonly accessMode?: 'ReadWriteOnce' | 'ReadWriteOncePod' | 'ReadWriteMany' | 'ReadOnlyMany';
}

/** Props of {@link StatefulService}. */
export interface StatefulServiceProps extends LongRunningProps {
  /**
   * Fixed replica count, each Pod with its own volumes.
   * @default 1
   */
  readonly replicas?: number;
  /** Port the container listens on. */
  readonly port: number;
  /**
   * Name of the main port.
   * @default 'tcp'
   */
  readonly portName?: string;
  /**
   * More ports.
   * @default - none
   */
  readonly extraPorts?: readonly PortProps[];
  /** Persistent volumes (at least one). */
  readonly volumes: readonly VolumeClaimProps[];
  /**
   * Pod management policy.
   * @default 'OrderedReady'
   */
  readonly podManagementPolicy?: 'OrderedReady' | 'Parallel';
  /**
   * Keep PVCs when the StatefulSet is deleted or scaled down.
   * @default true
   */
  readonly retainVolumes?: boolean;
}

/** The JavaScript shape of every prop (a Record over the props' keys: a new prop that is not listed fails to compile). */
export const KNOWN_STATEFULSERVICE_PROPS: PropShapes<StatefulServiceProps> = {
  ...LONG_RUNNING_SHAPES,
  port: 'number',
  portName: 'string',
  extraPorts: PORTS_SPEC,
  volumes: listOf<VolumeClaimProps>(
    { name: 'string', mountPath: 'string', size: 'string', storageClassName: 'string', accessMode: 'string' },
    ['name', 'mountPath', 'size'],
  ),
  podManagementPolicy: 'string',
  retainVolumes: 'boolean',
};

/** One persistent volume, defaults resolved. */
export interface VolumeClaimSpec {
  readonly name: string;
  readonly mountPath: string;
  readonly size: string;
  readonly storageClassName?: string;
  readonly accessMode: NonNullable<VolumeClaimProps['accessMode']>;
}

/** Every prop of a StatefulService checked and defaulted. */
export interface StatefulServiceSpec {
  /** The shared workload props. */
  readonly workload: WorkloadSpec;
  /** Every port, the main port first (the headless Service exposes each on its container port). */
  readonly ports: readonly ResolvedPort[];
  /** `spec.replicas` of the StatefulSet (default 1); the Pods are spread for it. */
  readonly replicas: number;
  /** Probes, TCP checks of the main port by default. */
  readonly probes: ProbesProps;
  readonly spread?: SpreadProps | false;
  readonly disruptionBudget?: DisruptionBudgetProps | false;
  readonly volumes: readonly VolumeClaimSpec[];
  readonly podManagementPolicy: NonNullable<StatefulServiceProps['podManagementPolicy']>;
  /** The PVC retention policy, on deletion and on scale-down alike (`retainVolumes`, default true). */
  readonly volumeRetention: 'Retain' | 'Delete';
}

/** The public member of StatefulService an object becomes. */
export type StatefulServiceRole = 'service' | 'statefulSet' | 'pdb' | 'networkPolicy';

/**
 * A StatefulService's props resolved, or a GroundworkValidationError listing every problem (named after `where`).
 * @param where the construct (its Chart's namespace is the default) or a path (namespace then required)
 * @param defaultName the name when props give none (default: the last component of `where`)
 */
export function resolveStatefulService(
  props: StatefulServiceProps,
  where: Construct | string,
  defaultName?: string,
): StatefulServiceSpec {
  const v = new PropsValidator('StatefulService', where);
  const workload = checkWorkload(v, props, where, {
    defaultName: defaultName ?? defaultNameOf(where),
    component: 'database',
    shapes: KNOWN_STATEFULSERVICE_PROPS,
  });
  const replicas = props.replicas ?? 1;
  v.check('name', workload.name, rules.dns1035Label);
  // the StatefulSet controller labels each Pod controller-revision-hash=<name>-<10-character hash>,
  // and a label value is at most 63 characters
  v.check(
    'name',
    workload.name,
    rules.maxLength(52, "its Pods' controller-revision-hash label adds 11 characters and must fit in 63"),
  );
  validateReplicas(v, 'replicas', props.replicas);
  const ports = resolvePorts(
    v,
    { name: props.portName ?? 'tcp', containerPort: props.port, servicePort: props.port },
    props.extraPorts ?? [],
  );
  validateProbes(
    v,
    props.probes,
    true,
    ports.map((p) => p.name),
  );
  validateDisruptionBudget(v, props.disruptionBudget, replicas);
  checkVolumes(v, props.volumes);
  v.throwIfInvalid();
  return {
    workload,
    ports,
    replicas,
    probes: defaultProbes(props.probes),
    spread: props.spread,
    disruptionBudget: props.disruptionBudget,
    volumes: props.volumes.map((vol) => ({
      name: vol.name,
      mountPath: vol.mountPath,
      size: vol.size,
      storageClassName: vol.storageClassName,
      accessMode: vol.accessMode ?? 'ReadWriteOnce',
    })),
    podManagementPolicy: props.podManagementPolicy ?? 'OrderedReady',
    volumeRetention: (props.retainVolumes ?? true) ? 'Retain' : 'Delete',
  };
}

/** At least one volume, each valid, names unique. */
function checkVolumes(v: PropsValidator, volumes: readonly VolumeClaimProps[]): void {
  if (volumes.length === 0)
    v.fail('volumes', [], 'must list at least one volume (use a WebService or Worker for stateless Pods)');
  volumes.forEach((vol, i) => {
    v.check(`volumes[${i}].name`, vol.name, rules.dns1123Label);
    v.check(`volumes[${i}].mountPath`, vol.mountPath, rules.absolutePath);
    v.check(`volumes[${i}].size`, vol.size, rules.bytesQuantity);
  });
  v.check(
    'volumes (names)',
    volumes.map((x) => x.name),
    rules.unique<string>('volume names'),
  );
}

/** Every object of the StatefulService but its ServiceAccount, in creation order: `Service`, `StatefulSet`, `Pdb`, `NetworkPolicy`. */
export function renderStatefulService(spec: StatefulServiceSpec): WorkloadPart<StatefulServiceRole>[] {
  const wl = spec.workload;
  const parts: WorkloadPart<StatefulServiceRole>[] = [
    {
      id: 'Service',
      manifest: renderService(wl, spec.ports, { clusterIP: 'None', publishNotReadyAddresses: true }),
      role: 'service',
    },
    { id: 'StatefulSet', manifest: renderStatefulSet(spec), role: 'statefulSet' },
  ];
  const pdb = renderDisruptionBudget(wl, spec.disruptionBudget);
  if (pdb) parts.push({ id: 'Pdb', manifest: pdb, role: 'pdb' });
  const np = renderNetworkPolicy(wl, spec.ports);
  if (np) parts.push({ id: 'NetworkPolicy', manifest: np, role: 'networkPolicy' });
  return parts;
}

/** The StatefulSet: headless Service name, ordered updates, one PVC per volume and replica. */
function renderStatefulSet(spec: StatefulServiceSpec): ApiObjectProps {
  const wl = spec.workload;
  const template = renderPodTemplate(wl, spec.ports, spec.probes, {
    spec: renderScheduling(wl.selectorLabels, spec.spread, spec.replicas, []),
    volumeMounts: spec.volumes.map((vol) => ({ name: vol.name, mountPath: vol.mountPath })),
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: workloadMetadata(wl, { podOwner: true }),
    spec: {
      serviceName: wl.name,
      replicas: spec.replicas,
      podManagementPolicy: spec.podManagementPolicy,
      selector: { matchLabels: { ...wl.selectorLabels } },
      updateStrategy: { type: 'RollingUpdate' },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: spec.volumeRetention, whenScaled: spec.volumeRetention },
      template,
      volumeClaimTemplates: spec.volumes.map((vol) => {
        const claim: Record<string, unknown> = {
          accessModes: [vol.accessMode],
          resources: { requests: { storage: vol.size } },
        };
        if (vol.storageClassName !== undefined) claim.storageClassName = vol.storageClassName;
        return { metadata: { name: vol.name, labels: { ...wl.selectorLabels } }, spec: claim };
      }),
    },
  };
}
