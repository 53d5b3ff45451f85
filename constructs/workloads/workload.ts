import { type ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { KubeObject } from '../internal/kube-object';
import { PropsValidator, type Spec } from '../internal/validator';
import { type PodExtras, renderPodTemplate, renderScheduling } from './pod';
import type { DisruptionBudgetProps, NetworkPeer, PortProps, ProbesProps, RollingUpdateProps, SpreadProps } from './types';
import { resolvePorts, validateDisruptionBudget, validatePeer, validateProbes, validateReplicas, validateRollingUpdate } from './workload-checks';
import type { ResolvedPort, WorkloadProps } from './workload-props';
import {
  type MetadataExtras,
  renderDeployment,
  renderDisruptionBudget,
  renderNetworkPolicy,
  renderService,
  renderServiceAccount,
  type ServiceAs,
  workloadMetadata,
} from './workload-render';
import { checkWorkload, type WorkloadSpec } from './workload-spec';

export {
  NAME_LABEL,
  PEER_SHAPES,
  PORTS_SPEC,
  WORKLOAD_SHAPES,
  LONG_RUNNING_SHAPES,
  DEPLOYMENT_SHAPES,
  type WorkloadProps,
  type LongRunningProps,
  type DeploymentProps,
  type ResolvedPort,
} from './workload-props';
export { defaultProbes, resolveResources } from './workload-spec';

type Json = Record<string, unknown>;

/**
 * The one shared base of the workload constructs: resolves name, namespace and labels, validates
 * the container props and renders the hardened Pod template and the companion objects
 * (ServiceAccount, NetworkPolicy, PodDisruptionBudget). Subclasses add the controller object.
 *
 * Shared props are resolved by `checkWorkload` (workload-spec.ts, checks in workload-checks.ts) and
 * rendered by pod.ts and workload-render.ts; this class keeps the validator and creates the objects.
 */
export abstract class Workload extends Construct {
  /** Object name of the workload and its companions. */
  public readonly name: string;
  /** Namespace of every object. */
  public readonly namespace: string;
  /** Labels that select this workload's Pods. */
  public readonly selectorLabels: Readonly<Record<string, string>>;
  /** Labels on every object. */
  public readonly labels: Readonly<Record<string, string>>;
  protected readonly validator: PropsValidator;
  /** The shared props, checked and defaulted. */
  protected readonly workloadSpec: WorkloadSpec;
  private account?: ApiObject;
  /** Names of the container ports, once resolved (probes may name them). */
  private portNames: readonly string[] = [];

  /** @param shapes the JavaScript shape of every prop of the subclass's props (checked before anything reads them) */
  protected constructor(scope: Construct, id: string, typeName: string, component: string, props: WorkloadProps, shapes: Readonly<Record<string, Spec>>) {
    super(scope, id);
    this.validator = new PropsValidator(typeName, this);
    this.workloadSpec = checkWorkload(this.validator, props, this, { defaultName: id, component, shapes });
    this.name = this.workloadSpec.name;
    this.namespace = this.workloadSpec.namespace;
    this.selectorLabels = this.workloadSpec.selectorLabels;
    this.labels = this.workloadSpec.labels;
  }

  /** The ServiceAccount the Pods run as (role id `ServiceAccount`). */
  public get serviceAccount(): ApiObject {
    if (!this.account) throw new Error(`${this.node.path}: the ServiceAccount exists only once the props are validated`);
    return this.account;
  }

  /**
   * Throws every problem recorded so far; otherwise creates the ServiceAccount. Subclasses call it
   * once, after their own checks and before creating any object, so invalid props create nothing.
   */
  protected validated(): void {
    this.validator.throwIfInvalid();
    this.account = new KubeObject(this, 'ServiceAccount', renderServiceAccount(this.workloadSpec));
  }

  /** Standard metadata for an object of this workload. */
  protected metadata(extra: MetadataExtras = {}): Json {
    return workloadMetadata(this.workloadSpec, extra);
  }

  /** Validates probe props; without a port, readiness and liveness must be given or explicitly set to false. */
  protected validateProbes(probes: ProbesProps | undefined, hasPort: boolean): void {
    validateProbes(this.validator, probes, hasPort, this.portNames);
  }

  /** Validates and resolves the main port plus extra ports; checks for duplicate names and numbers. */
  protected resolvePorts(main: { name: string; containerPort: number; servicePort: number } | undefined, extra: readonly PortProps[]): ResolvedPort[] {
    const ports = resolvePorts(this.validator, main, extra);
    this.portNames = ports.map((p) => p.name);
    return ports;
  }

  /** Validates a replica count (integer >= 0). */
  protected validateReplicas(field: string, value: number | undefined): void {
    validateReplicas(this.validator, field, value);
  }

  /** Validates rolling-update knobs: each a count or percentage, and not both zero. */
  protected validateRollingUpdate(ru: RollingUpdateProps | undefined): void {
    validateRollingUpdate(this.validator, ru);
  }

  /** Validates the disruption budget against the smallest replica count it must allow evictions for. */
  protected validateDisruptionBudget(pdb: DisruptionBudgetProps | false | undefined, minReplicas: number): void {
    validateDisruptionBudget(this.validator, pdb, minReplicas);
  }

  /** Validates one NetworkPolicy peer (namespace, app or Pod labels). */
  protected validatePeer(field: string, p: NetworkPeer): void {
    validatePeer(this.validator, field, p);
  }

  /**
   * Adds a Deployment (role id `Deployment`, or `as.id`); `replicas` undefined leaves scaling to an
   * HPA. `as` renames it and narrows its selector (blue-green colours).
   */
  protected addDeployment(
    template: Json,
    replicas: number | undefined,
    ru: RollingUpdateProps | undefined,
    as: { id: string; name: string; selector: Readonly<Record<string, string>> } | undefined = undefined,
  ): ApiObject {
    return new KubeObject(this, as?.id ?? 'Deployment', renderDeployment(this.workloadSpec, template, replicas, ru, as));
  }

  /**
   * Renders the hardened Pod template. Call after `validated()`.
   * @param ports container ports
   * @param probes resolved probes (long-running workloads) or undefined (jobs)
   * @param extra pod-spec fields the subclass adds (restartPolicy, spread, volumes)
   */
  protected podTemplate(ports: readonly ResolvedPort[], probes: ProbesProps | undefined, extra: PodExtras = {}): Json {
    return renderPodTemplate(this.workloadSpec, ports, probes, extra);
  }

  /** Spread across nodes and zones for `replicas` Pods (see `renderScheduling` in pod.ts). */
  protected scheduling(
    spread: SpreadProps | false | undefined,
    replicas: number,
    revisionLabels: readonly string[] = ['pod-template-hash', 'rollouts-pod-template-hash'],
  ): Json {
    return renderScheduling(this.selectorLabels, spread, replicas, revisionLabels);
  }

  /**
   * Adds a Service (role id `Service`, or `as.id`) selecting the Pods (narrowed by `as.selector`),
   * each port targeting its named container port.
   */
  protected addService(ports: readonly ResolvedPort[], spec: Json, as: ServiceAs = {}): ApiObject {
    return new KubeObject(this, as.id ?? 'Service', renderService(this.workloadSpec, ports, spec, as));
  }

  /** Adds the PodDisruptionBudget (role id `Pdb`) unless opted out. */
  protected addDisruptionBudget(pdb: DisruptionBudgetProps | false | undefined): ApiObject | undefined {
    const manifest = renderDisruptionBudget(this.workloadSpec, pdb);
    return manifest && new KubeObject(this, 'Pdb', manifest);
  }

  /**
   * Adds the NetworkPolicy (role id `NetworkPolicy`): denies all ingress to the Pods except
   * `ports` from the declared peers plus `extraPeers` (e.g. the ingress controller's namespace).
   */
  protected addNetworkPolicy(ports: readonly ResolvedPort[], extraPeers: readonly NetworkPeer[] = []): ApiObject | undefined {
    const manifest = renderNetworkPolicy(this.workloadSpec, ports, extraPeers);
    return manifest && new KubeObject(this, 'NetworkPolicy', manifest);
  }
}
