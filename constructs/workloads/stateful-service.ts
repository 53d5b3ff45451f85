import { type ApiObject } from 'cdk8s';
import { type Construct } from 'constructs';
import {
  renderStatefulService,
  resolveStatefulService,
  type StatefulServiceProps,
  type StatefulServiceRole,
  type StatefulServiceSpec,
} from './stateful-service-spec';
import { Workload } from './workload';

export type { StatefulServiceProps, VolumeClaimProps } from './stateful-service-spec';

/**
 * A stateful set of Pods with stable identities and storage: StatefulSet, headless Service,
 * volumeClaimTemplates, PodDisruptionBudget, NetworkPolicy and ServiceAccount.
 *
 * Props are resolved by `resolveStatefulService` and rendered by `renderStatefulService` (stateful-service-spec.ts).
 *
 * Role ids: `StatefulSet`, `Service`, `Pdb`, `NetworkPolicy`, `ServiceAccount`.
 */
export class StatefulService extends Workload<StatefulServiceSpec, StatefulServiceRole> {
  public readonly statefulSet: ApiObject;
  public readonly service: ApiObject;
  public readonly pdb?: ApiObject;
  public readonly networkPolicy?: ApiObject;

  constructor(scope: Construct, id: string, props: StatefulServiceProps) {
    super(scope, id, (where) => resolveStatefulService(props, where, id), renderStatefulService);
    this.service = this.required('service');
    this.statefulSet = this.required('statefulSet');
    this.pdb = this.members.get('pdb');
    this.networkPolicy = this.members.get('networkPolicy');
  }
}
