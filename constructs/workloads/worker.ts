import { type ApiObject } from 'cdk8s';
import { type Construct } from 'constructs';
import type { PortProps } from './types';
import { type PropShapes } from '../internal/validator';
import { defaultProbes, DEPLOYMENT_SHAPES, type DeploymentProps, PORTS_SPEC, Workload } from './workload';

/** Props of {@link Worker}. */
export interface WorkerProps extends DeploymentProps {
  /**
   * Ports the worker listens on (e.g. a metrics port). No Service is created.
   * @default - none; then readiness and liveness probes must be given or set to false
   */
  readonly ports?: readonly PortProps[];
}

/** The JavaScript shape of every prop (a Record over the props' keys: a new prop that is not listed fails to compile). */
const KNOWN_WORKER_PROPS: PropShapes<WorkerProps> = { ...DEPLOYMENT_SHAPES, ports: PORTS_SPEC };

/**
 * A long-running background process with no Service: Deployment, ServiceAccount,
 * PodDisruptionBudget and a NetworkPolicy that admits only the declared peers.
 *
 * Role ids: `Deployment`, `Pdb`, `NetworkPolicy`, `ServiceAccount`.
 */
export class Worker extends Workload {
  public readonly deployment: ApiObject;
  public readonly pdb?: ApiObject;
  public readonly networkPolicy?: ApiObject;

  constructor(scope: Construct, id: string, props: WorkerProps) {
    super(scope, id, 'Worker', 'worker', props, KNOWN_WORKER_PROPS);
    const replicas = props.replicas ?? 2;
    this.validateReplicas('replicas', props.replicas);
    const ports = this.resolvePorts(undefined, props.ports ?? []);
    this.validateProbes(props.probes, ports.length > 0);
    this.validateDisruptionBudget(props.disruptionBudget, replicas);
    this.validateRollingUpdate(props.rollingUpdate);
    this.validated();

    const probes = ports.length > 0 ? defaultProbes(props.probes) : props.probes;
    const template = this.podTemplate(ports, probes, { spec: this.scheduling(props.spread, replicas) });
    this.deployment = this.addDeployment(template, replicas, props.rollingUpdate);
    this.pdb = this.addDisruptionBudget(props.disruptionBudget);
    this.networkPolicy = this.addNetworkPolicy(ports);
  }
}
