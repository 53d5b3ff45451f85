/**
 * A Worker's props, resolved once and rendered. Pure: `resolveWorker` runs every check and every
 * default (props in, {@link WorkerSpec} out, or a GroundworkValidationError listing every problem in
 * the order the construct reports them); `renderWorker` turns the spec into the Worker's objects.
 */
import type { Construct } from 'constructs';
import { PropsValidator, type PropShapes } from '../internal/validator';
import { renderPodTemplate, renderScheduling } from './pod';
import type { DisruptionBudgetProps, PortProps, ProbesProps, RollingUpdateProps, SpreadProps } from './types';
import {
  resolvePorts,
  validateDisruptionBudget,
  validateProbes,
  validateReplicas,
  validateRollingUpdate,
} from './workload-checks';
import { DEPLOYMENT_SHAPES, type DeploymentProps, PORTS_SPEC, type ResolvedPort } from './workload-props';
import { renderDeployment, renderDisruptionBudget, renderNetworkPolicy, type WorkloadPart } from './workload-render';
import { checkWorkload, defaultNameOf, defaultProbes, type WorkloadSpec } from './workload-spec';

/** Props of {@link Worker}. */
export interface WorkerProps extends DeploymentProps {
  /**
   * Ports the worker listens on (e.g. a metrics port). No Service is created.
   * @default - none; then readiness and liveness probes must be given or set to false
   */
  readonly ports?: readonly PortProps[];
}

/** The JavaScript shape of every prop (a Record over the props' keys: a new prop that is not listed fails to compile). */
export const KNOWN_WORKER_PROPS: PropShapes<WorkerProps> = { ...DEPLOYMENT_SHAPES, ports: PORTS_SPEC };

/** Every prop of a Worker checked and defaulted. */
export interface WorkerSpec {
  /** The shared workload props. */
  readonly workload: WorkloadSpec;
  /** The container ports (none by default). */
  readonly ports: readonly ResolvedPort[];
  /** `spec.replicas` of the Deployment (default 2); the Pods are spread for it. */
  readonly replicas: number;
  /** Probes: TCP checks by default when the worker has a port, else exactly as given. */
  readonly probes?: ProbesProps;
  readonly spread?: SpreadProps | false;
  readonly rollingUpdate?: RollingUpdateProps;
  readonly disruptionBudget?: DisruptionBudgetProps | false;
}

/** The public member of Worker an object becomes. */
export type WorkerRole = 'deployment' | 'pdb' | 'networkPolicy';

/**
 * A Worker's props resolved, or a GroundworkValidationError listing every problem (named after `where`).
 * @param where the construct (its Chart's namespace is the default) or a path (namespace then required)
 * @param defaultName the name when props give none (default: the last component of `where`)
 */
export function resolveWorker(props: WorkerProps, where: Construct | string, defaultName?: string): WorkerSpec {
  const v = new PropsValidator('Worker', where);
  const workload = checkWorkload(v, props, where, {
    defaultName: defaultName ?? defaultNameOf(where),
    component: 'worker',
    shapes: KNOWN_WORKER_PROPS,
  });
  const replicas = props.replicas ?? 2;
  validateReplicas(v, 'replicas', props.replicas);
  const ports = resolvePorts(v, undefined, props.ports ?? []);
  validateProbes(
    v,
    props.probes,
    ports.length > 0,
    ports.map((p) => p.name),
  );
  validateDisruptionBudget(v, props.disruptionBudget, replicas);
  validateRollingUpdate(v, props.rollingUpdate);
  v.throwIfInvalid();
  return {
    workload,
    ports,
    replicas,
    probes: ports.length > 0 ? defaultProbes(props.probes) : props.probes,
    spread: props.spread,
    rollingUpdate: props.rollingUpdate,
    disruptionBudget: props.disruptionBudget,
  };
}

/** Every object of the Worker but its ServiceAccount, in creation order: `Deployment`, `Pdb`, `NetworkPolicy`. */
export function renderWorker(spec: WorkerSpec): WorkloadPart<WorkerRole>[] {
  const wl = spec.workload;
  const template = renderPodTemplate(wl, spec.ports, spec.probes, {
    spec: renderScheduling(wl.selectorLabels, spec.spread, spec.replicas),
  });
  const parts: WorkloadPart<WorkerRole>[] = [
    {
      id: 'Deployment',
      manifest: renderDeployment(wl, template, spec.replicas, spec.rollingUpdate),
      role: 'deployment',
    },
  ];
  const pdb = renderDisruptionBudget(wl, spec.disruptionBudget);
  if (pdb) parts.push({ id: 'Pdb', manifest: pdb, role: 'pdb' });
  const np = renderNetworkPolicy(wl, spec.ports);
  if (np) parts.push({ id: 'NetworkPolicy', manifest: np, role: 'networkPolicy' });
  return parts;
}
