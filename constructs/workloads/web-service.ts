import { type ApiObject } from 'cdk8s';
import { type Construct } from 'constructs';
import { KubeObject } from '../internal/kube-object';
import { KNOWN_WEBSERVICE_PROPS, type WebServiceProps } from './web-service-props';
import { renderWebService, type WebServiceRole } from './web-service-render';
import { checkWebService } from './web-service-spec';
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
 * Props are resolved by `checkWebService` / `resolveWebService` (web-service-spec.ts) and rendered by
 * `renderWebService` (web-service-render.ts).
 *
 * Role ids (a contract): `Deployment` (or `Rollout`, or `Deployment-blue` and `Deployment-green`),
 * `Service`, `CanaryService`/`PreviewService`, `AnalysisTemplate`, `Ingress`, `HttpRoute`, `Hpa`
 * (`Hpa-blue`, `Hpa-green`), `Vpa` (`Vpa-blue`, `Vpa-green`), `Pdb`, `NetworkPolicy`, `ServiceAccount`.
 */
export class WebService extends Workload {
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
    super(scope, id, 'WebService', 'web', props, KNOWN_WEBSERVICE_PROPS);
    const spec = checkWebService(this.validator, props, this.workloadSpec);
    this.validated();
    this.ports = spec.ports;
    this.servicePort = spec.ports[0].servicePort;
    this.portName = spec.ports[0].name;
    const members = new Map<WebServiceRole, ApiObject>();
    for (const part of renderWebService(spec)) {
      const obj = new KubeObject(this, part.id, part.manifest);
      if (part.role !== undefined) members.set(part.role, obj);
    }
    const service = members.get('service');
    if (service === undefined) throw new Error(`${this.node.path}: every delivery renders a Service`);
    this.service = service;
    this.deployment = members.get('deployment');
    this.rollout = members.get('rollout');
    this.ingress = members.get('ingress');
    this.route = members.get('route');
    this.hpa = members.get('hpa');
    this.vpa = members.get('vpa');
    this.pdb = members.get('pdb');
    this.networkPolicy = members.get('networkPolicy');
  }
}
