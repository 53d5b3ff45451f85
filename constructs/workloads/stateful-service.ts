import { type ApiObject } from 'cdk8s';
import { KubeObject } from '../internal/kube-object';
import { type Construct } from 'constructs';
import * as rules from '../internal/rules';
import type { PortProps } from './types';
import { listOf, type PropShapes } from '../internal/validator';
import { defaultProbes, LONG_RUNNING_SHAPES, type LongRunningProps, PORTS_SPEC, Workload } from './workload';

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
const KNOWN_STATEFULSERVICE_PROPS: PropShapes<StatefulServiceProps> = {
  ...LONG_RUNNING_SHAPES,
  port: 'number',
  portName: 'string',
  extraPorts: PORTS_SPEC,
  volumes: listOf<VolumeClaimProps>({ name: 'string', mountPath: 'string', size: 'string', storageClassName: 'string', accessMode: 'string' }, [
    'name',
    'mountPath',
    'size',
  ]),
  podManagementPolicy: 'string',
  retainVolumes: 'boolean',
};

/**
 * A stateful set of Pods with stable identities and storage: StatefulSet, headless Service,
 * volumeClaimTemplates, PodDisruptionBudget, NetworkPolicy and ServiceAccount.
 *
 * Role ids: `StatefulSet`, `Service`, `Pdb`, `NetworkPolicy`, `ServiceAccount`.
 */
export class StatefulService extends Workload {
  public readonly statefulSet: ApiObject;
  public readonly service: ApiObject;
  public readonly pdb?: ApiObject;
  public readonly networkPolicy?: ApiObject;

  constructor(scope: Construct, id: string, props: StatefulServiceProps) {
    super(scope, id, 'StatefulService', 'database', props, KNOWN_STATEFULSERVICE_PROPS);
    const v = this.validator;
    const replicas = props.replicas ?? 1;
    v.check('name', this.name, rules.dns1035Label);
    // the StatefulSet controller labels each Pod controller-revision-hash=<name>-<10-character hash>,
    // and a label value is at most 63 characters
    v.check('name', this.name, rules.maxLength(52, "its Pods' controller-revision-hash label adds 11 characters and must fit in 63"));
    this.validateReplicas('replicas', props.replicas);
    const ports = this.resolvePorts({ name: props.portName ?? 'tcp', containerPort: props.port, servicePort: props.port }, props.extraPorts ?? []);
    this.validateProbes(props.probes, true);
    this.validateDisruptionBudget(props.disruptionBudget, replicas);
    if (props.volumes.length === 0) v.fail('volumes', [], 'must list at least one volume (use a WebService or Worker for stateless Pods)');
    props.volumes.forEach((vol, i) => {
      v.check(`volumes[${i}].name`, vol.name, rules.dns1123Label);
      v.check(`volumes[${i}].mountPath`, vol.mountPath, rules.absolutePath);
      v.check(`volumes[${i}].size`, vol.size, rules.bytesQuantity);
    });
    v.check(
      'volumes (names)',
      props.volumes.map((x) => x.name),
      rules.unique<string>('volume names'),
    );
    this.validated();

    const template = this.podTemplate(ports, defaultProbes(props.probes), {
      spec: this.scheduling(props.spread, replicas, []),
      volumeMounts: props.volumes.map((vol) => ({ name: vol.name, mountPath: vol.mountPath })),
    });
    const retain = (props.retainVolumes ?? true) ? 'Retain' : 'Delete';
    this.service = this.addService(ports, { clusterIP: 'None', publishNotReadyAddresses: true });
    this.statefulSet = new KubeObject(this, 'StatefulSet', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: this.metadata({ podOwner: true }),
      spec: {
        serviceName: this.name,
        replicas,
        podManagementPolicy: props.podManagementPolicy ?? 'OrderedReady',
        selector: { matchLabels: { ...this.selectorLabels } },
        updateStrategy: { type: 'RollingUpdate' },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: retain, whenScaled: retain },
        template,
        volumeClaimTemplates: props.volumes.map((vol) => {
          const spec: Record<string, unknown> = {
            accessModes: [vol.accessMode ?? 'ReadWriteOnce'],
            resources: { requests: { storage: vol.size } },
          };
          if (vol.storageClassName !== undefined) spec.storageClassName = vol.storageClassName;
          return { metadata: { name: vol.name, labels: { ...this.selectorLabels } }, spec };
        }),
      },
    });
    this.pdb = this.addDisruptionBudget(props.disruptionBudget);
    this.networkPolicy = this.addNetworkPolicy(ports);
  }
}
