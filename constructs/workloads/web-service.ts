import { type ApiObject } from 'cdk8s';
import { type Construct } from 'constructs';
import type { WebServiceProps } from './web-service-props';
import { renderWebService, type WebServiceRole } from './web-service-render';
import { resolveWebService, type WebServiceSpec } from './web-service-spec';
import { type ResolvedPort, Workload } from './workload';

export type {
  VerticalUpdateMode,
  VerticalBounds,
  VerticalScalingProps,
  AutoscalingProps,
  IngressProps,
  HttpRouteProps,
  WebServiceProps,
  CanaryStep,
  CanaryAnalysisProps,
  CanaryDeliveryProps,
  BlueGreenDeliveryProps,
  DeliveryProps,
} from './web-service-props';
export { COLOUR_LABEL } from './web-service-render';

/**
 * A stateless HTTP service: Deployment, Service, optional Ingress or HTTPRoute, optional HPA,
 * PodDisruptionBudget, NetworkPolicy and ServiceAccount, hardened by default.
 *
 * Props are resolved by `resolveWebService` (web-service-spec.ts) and rendered by
 * `renderWebService` (web-service-render.ts).
 *
 * Role ids (a contract): `Deployment` (or `Rollout`, or `Deployment-blue` and `Deployment-green`),
 * `Service`, `CanaryService`/`PreviewService`, `AnalysisTemplate`, `Ingress`, `HttpRoute`, `Hpa`
 * (`Hpa-blue`, `Hpa-green`), `Vpa` (`Vpa-blue`, `Vpa-green`), `Pdb`, `NetworkPolicy`, `ServiceAccount`.
 */
export class WebService extends Workload<WebServiceSpec, WebServiceRole> {
  /** The Deployment (rolling delivery; the active colour's with blue-green Deployments). */
  public readonly deployment?: ApiObject;
  /** The Argo Rollouts Rollout (canary, or blue-green through Argo Rollouts). */
  public readonly rollout?: ApiObject;
  public readonly service: ApiObject;
  public readonly ingress?: ApiObject;
  public readonly route?: ApiObject;
  public readonly hpa?: ApiObject;
  /** The VerticalPodAutoscaler (the active colour's with blue-green Deployments). */
  public readonly vpa?: ApiObject;
  public readonly pdb?: ApiObject;
  public readonly networkPolicy?: ApiObject;
  /** Port the Service exposes the main port on. */
  public readonly servicePort: number;
  /** Name of the main port (Service and container). */
  public readonly portName: string;
  /** Every port of the container and the Service, the main port first (a ServiceMonitor names one of them). */
  public readonly ports: readonly ResolvedPort[];

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    let ports: readonly ResolvedPort[] = [];
    const resolve = (where: Construct): WebServiceSpec => {
      const spec = resolveWebService(props, where, id);
      ports = spec.ports;
      return spec;
    };
    super(scope, id, resolve, renderWebService);
    this.ports = ports;
    this.servicePort = ports[0].servicePort;
    this.portName = ports[0].name;
    this.service = this.required('service');
    this.deployment = this.members.get('deployment');
    this.rollout = this.members.get('rollout');
    this.ingress = this.members.get('ingress');
    this.route = this.members.get('route');
    this.hpa = this.members.get('hpa');
    this.vpa = this.members.get('vpa');
    this.pdb = this.members.get('pdb');
    this.networkPolicy = this.members.get('networkPolicy');
  }
}
