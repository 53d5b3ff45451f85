import { type ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { KubeObject } from '../internal/kube-object';
import { renderServiceAccount, type ResolvedWorkload, type WorkloadPart } from './workload-render';

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
export type { ResolvedWorkload, WorkloadPart } from './workload-render';

/**
 * The one shared base of the workload constructs. It has no protocol: its constructor resolves
 * the props (`resolve`, which throws before any object exists when they are invalid), creates the
 * ServiceAccount (role id `ServiceAccount`) and then every part `render` returns, each under its
 * role id, in order.
 *
 * Each workload resolves its props in a pure `resolveX(props, where)` (checks and defaults once)
 * and renders them in a pure `renderX(spec)`; the subclass only names its members.
 */
export abstract class Workload<
  S extends ResolvedWorkload = ResolvedWorkload,
  R extends string = string,
> extends Construct {
  /** Object name of the workload and its companions. */
  public readonly name: string;
  /** Namespace of every object. */
  public readonly namespace: string;
  /** Labels that select this workload's Pods. */
  public readonly selectorLabels: Readonly<Record<string, string>>;
  /** Labels on every object. */
  public readonly labels: Readonly<Record<string, string>>;
  /** The ServiceAccount the Pods run as (role id `ServiceAccount`). */
  public readonly serviceAccount: ApiObject;
  /** The objects created, by the public member each becomes (parts without a role are not listed). */
  protected readonly members: ReadonlyMap<R, ApiObject>;

  /**
   * @param resolve checks and defaults the props, named after the construct it is given (throws on invalid props)
   * @param render the objects besides the ServiceAccount, in creation order
   */
  protected constructor(
    scope: Construct,
    id: string,
    resolve: (where: Construct) => S,
    render: (spec: S) => readonly WorkloadPart<R>[],
  ) {
    super(scope, id);
    // the spec lives for construction only: the construct keeps what its members expose
    const spec = resolve(this);
    const wl = spec.workload;
    this.name = wl.name;
    this.namespace = wl.namespace;
    this.selectorLabels = wl.selectorLabels;
    this.labels = wl.labels;
    this.serviceAccount = new KubeObject(this, 'ServiceAccount', renderServiceAccount(wl));
    const members = new Map<R, ApiObject>();
    for (const part of render(spec)) {
      const obj = new KubeObject(this, part.id, part.manifest);
      if (part.role !== undefined) members.set(part.role, obj);
    }
    this.members = members;
  }

  /** The object that became `role` (a renderer that leaves out a required member is a bug of this package). */
  protected required(role: R): ApiObject {
    const obj = this.members.get(role);
    if (obj === undefined) throw new Error(`${this.node.path}: no ${role} was rendered`);
    return obj;
  }
}
