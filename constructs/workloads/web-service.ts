import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as rules from '../internal/rules';
import type { NetworkPeer, PortProps } from './types';
import { DeploymentProps, defaultProbes, Workload } from './workload';

/** Horizontal Pod Autoscaler settings (autoscaling/v2). */
export interface AutoscalingProps {
  /** Lowest replica count (>= 1). */
  readonly minReplicas: number;
  /** Highest replica count (>= minReplicas). */
  readonly maxReplicas: number;
  /**
   * Target average CPU utilization, percent of the request.
   * @default 70 when no memory target is set, otherwise no CPU target
   */
  readonly cpuUtilization?: number;
  /**
   * Target average memory utilization, percent of the request.
   * @default - no memory target
   */
  readonly memoryUtilization?: number;
  /**
   * Seconds the HPA waits before scaling down.
   * @default 300
   */
  readonly scaleDownStabilizationSeconds?: number;
}

/** Exposure through a networking.k8s.io/v1 Ingress. */
export interface IngressProps {
  /** Host name, e.g. `api.example.com` (lowercase, no port, wildcard only leftmost). */
  readonly host: string;
  /**
   * Path prefix routed to the service.
   * @default '/'
   */
  readonly path?: string;
  /**
   * IngressClass name.
   * @default - the cluster's default IngressClass
   */
  readonly className?: string;
  /**
   * Where the ingress controller's Pods run, admitted by the NetworkPolicy (read it from the
   * platform contract: `contract.ingressClass(...).controller`).
   * @default { namespace: 'ingress-nginx' }
   */
  readonly controller?: NetworkPeer;
  /**
   * TLS through cert-manager: the ClusterIssuer that signs `<name>-tls`.
   * @default - plain HTTP (no TLS section)
   */
  readonly clusterIssuer?: string;
  /**
   * Extra annotations for the controller.
   * @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Exposure through a Gateway API HTTPRoute attached to an existing Gateway. */
export interface HttpRouteProps {
  /** The Gateway to attach to. */
  readonly gateway: {
    /** Gateway name. */
    readonly name: string;
    /** Gateway namespace. */
    readonly namespace: string;
    /**
     * Where the Gateway's proxy Pods run, admitted by the NetworkPolicy. Implementations differ:
     * Envoy Gateway runs them in its controller namespace (read it from the platform contract:
     * `contract.gateway(...).proxies`).
     * @default { namespace: <the Gateway's namespace> }
     */
    readonly proxies?: NetworkPeer;
    /**
     * Listener name on the Gateway.
     * @default - every listener that admits the route
     */
    readonly sectionName?: string;
  };
  /** Host names the route answers for. */
  readonly hostnames: readonly string[];
  /**
   * Path prefix routed to the service.
   * @default '/'
   */
  readonly path?: string;
}

/** Props of {@link WebService}. */
export interface WebServiceProps extends DeploymentProps {
  /** Port the container listens on. */
  readonly port: number;
  /**
   * Name of the main port (IANA style, at most 15 characters).
   * @default 'http'
   */
  readonly portName?: string;
  /**
   * Port of the Service.
   * @default 80
   */
  readonly servicePort?: number;
  /**
   * More ports, exposed on the Service too.
   * @default - none
   */
  readonly extraPorts?: readonly PortProps[];
  /**
   * Horizontal autoscaling; when set, `spec.replicas` is left to the HPA.
   * @default - fixed `replicas`, no HPA
   */
  readonly autoscaling?: AutoscalingProps;
  /**
   * Expose through an Ingress. Mutually exclusive with `route`.
   * @default - not exposed outside the cluster
   */
  readonly ingress?: IngressProps;
  /**
   * Expose through a Gateway API HTTPRoute. Mutually exclusive with `ingress`.
   * @default - not exposed through a Gateway
   */
  readonly route?: HttpRouteProps;
}

/**
 * A stateless HTTP service: Deployment, Service, optional Ingress or HTTPRoute, optional HPA,
 * PodDisruptionBudget, NetworkPolicy and ServiceAccount, hardened by default.
 *
 * Role ids (a contract): `Deployment`, `Service`, `Ingress`, `HttpRoute`, `Hpa`, `Pdb`,
 * `NetworkPolicy`, `ServiceAccount`.
 */
export class WebService extends Workload {
  public readonly deployment: ApiObject;
  public readonly service: ApiObject;
  public readonly ingress?: ApiObject;
  public readonly route?: ApiObject;
  public readonly hpa?: ApiObject;
  public readonly pdb?: ApiObject;
  public readonly networkPolicy?: ApiObject;
  /** Port the Service exposes the main port on. */
  public readonly servicePort: number;
  /** Name of the main port (Service and container). */
  public readonly portName: string;

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id, 'WebService', 'web', props);
    const v = this.validator;
    const scaling = props.autoscaling;
    const replicas = props.replicas ?? 2;
    this.validateReplicas('replicas', props.replicas);
    if (scaling) {
      v.check('autoscaling.minReplicas', scaling.minReplicas, rules.integerBetween(1));
      v.check('autoscaling.maxReplicas', scaling.maxReplicas, rules.integerBetween(1));
      if (scaling.minReplicas > scaling.maxReplicas) {
        v.fail('minReplicas', scaling.minReplicas, `must be <= maxReplicas (${scaling.maxReplicas})`);
      }
      v.check('autoscaling.cpuUtilization', scaling.cpuUtilization, rules.integerBetween(1, 100));
      v.check('autoscaling.memoryUtilization', scaling.memoryUtilization, rules.integerBetween(1, 100));
      v.check('autoscaling.scaleDownStabilizationSeconds', scaling.scaleDownStabilizationSeconds, rules.integerBetween(0, 3600));
    }
    const ports = this.resolvePorts(
      { name: props.portName ?? 'http', containerPort: props.port, servicePort: props.servicePort ?? 80 },
      props.extraPorts ?? [],
    );
    this.servicePort = ports[0].servicePort;
    this.portName = ports[0].name;
    this.validateProbes(props.probes, true);
    this.validateDisruptionBudget(props.disruptionBudget, scaling?.minReplicas ?? replicas);
    this.validateRollingUpdate(props.rollingUpdate);
    if (props.ingress && props.route) v.fail('ingress', props.ingress.host, 'must not be combined with route: choose an Ingress or a Gateway API HTTPRoute');
    if (props.ingress) {
      v.check('ingress.host', props.ingress.host, rules.ingressHost);
      v.check('ingress.path', props.ingress.path, rules.httpPath);
      if (props.ingress.controller !== undefined) this.validatePeer('ingress.controller', props.ingress.controller);
      v.check('ingress.clusterIssuer', props.ingress.clusterIssuer, rules.dns1123Subdomain);
    }
    if (props.route) {
      v.check('route.gateway.name', props.route.gateway.name, rules.dns1123Subdomain);
      v.check('route.gateway.namespace', props.route.gateway.namespace, rules.dns1123Label);
      if (props.route.gateway.proxies !== undefined) this.validatePeer('route.gateway.proxies', props.route.gateway.proxies);
      if (props.route.hostnames.length === 0) v.fail('route.hostnames', [], 'must list at least one host name');
      props.route.hostnames.forEach((h, i) => v.check(`route.hostnames[${i}]`, h, rules.ingressHost));
      v.check('route.path', props.route.path, rules.httpPath);
    }
    this.validated();

    const effectiveReplicas = scaling ? scaling.minReplicas : replicas;
    const template = this.podTemplate(ports, defaultProbes(props.probes), {
      spec: this.scheduling(props.spread, effectiveReplicas),
    });
    this.deployment = this.addDeployment(template, scaling ? undefined : replicas, props.rollingUpdate);

    this.service = this.addService(ports, { type: 'ClusterIP' });

    const peers: NetworkPeer[] = [];
    if (props.ingress) {
      this.ingress = this.addIngress(props.ingress);
      peers.push(props.ingress.controller ?? { namespace: 'ingress-nginx' });
    }
    if (props.route) {
      this.route = this.addRoute(props.route);
      peers.push(props.route.gateway.proxies ?? { namespace: props.route.gateway.namespace });
    }
    if (scaling) this.hpa = this.addHpa(scaling);
    this.pdb = this.addDisruptionBudget(props.disruptionBudget);
    this.networkPolicy = this.addNetworkPolicy(ports, peers);
  }

  private addIngress(ing: IngressProps): ApiObject {
    const annotations: Record<string, string> = { ...ing.annotations };
    if (ing.clusterIssuer !== undefined) annotations['cert-manager.io/cluster-issuer'] = ing.clusterIssuer;
    const spec: Record<string, unknown> = {
      rules: [{
        host: ing.host,
        http: { paths: [{ path: ing.path ?? '/', pathType: 'Prefix', backend: { service: { name: this.name, port: { name: this.portName } } } }] },
      }],
    };
    if (ing.className !== undefined) spec.ingressClassName = ing.className;
    if (ing.clusterIssuer !== undefined) spec.tls = [{ hosts: [ing.host], secretName: `${this.name}-tls` }];
    return new ApiObject(this, 'Ingress', { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: this.metadata({ annotations }), spec });
  }

  private addRoute(route: HttpRouteProps): ApiObject {
    const parent: Record<string, unknown> = { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: route.gateway.name, namespace: route.gateway.namespace };
    if (route.gateway.sectionName !== undefined) parent.sectionName = route.gateway.sectionName;
    return new ApiObject(this, 'HttpRoute', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: this.metadata(),
      spec: {
        parentRefs: [parent],
        hostnames: [...route.hostnames],
        rules: [{
          matches: [{ path: { type: 'PathPrefix', value: route.path ?? '/' } }],
          backendRefs: [{ group: '', kind: 'Service', name: this.name, port: this.servicePort }],
        }],
      },
    });
  }

  private addHpa(s: AutoscalingProps): ApiObject {
    const metrics: Record<string, unknown>[] = [];
    const cpu = s.cpuUtilization ?? (s.memoryUtilization === undefined ? 70 : undefined);
    if (cpu !== undefined) metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } } });
    if (s.memoryUtilization !== undefined) {
      metrics.push({ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: s.memoryUtilization } } });
    }
    return new ApiObject(this, 'Hpa', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: this.metadata(),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.name },
        minReplicas: s.minReplicas,
        maxReplicas: s.maxReplicas,
        metrics,
        behavior: { scaleDown: { stabilizationWindowSeconds: s.scaleDownStabilizationSeconds ?? 300 } },
      },
    });
  }
}
