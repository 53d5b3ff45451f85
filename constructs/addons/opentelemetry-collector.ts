import * as rules from '../internal/rules';
import {
  type AddonDeclaration,
  type AddonProps,
  addonValidator,
  type ComponentSize,
  declareAddon,
  requestsOf,
  SIZE_SPEC,
} from './addon';
import { part, registerAddon } from './register';

/** Props of the OpenTelemetry Collector add-on. */
export interface OpenTelemetryCollectorProps extends AddonProps {
  /**
   * OTLP/gRPC endpoint traces are exported to (e.g. a Jaeger or Tempo collector, `host:4317`).
   * @default - the debug exporter only (traces are logged, not stored)
   */
  readonly tracesEndpoint?: string;
  /**
   * Collector replicas.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Requests.
   * @default { cpu: '50m', memory: '128Mi' }
   */
  readonly size?: ComponentSize;
}

/** OpenTelemetry Collector (deployment mode): receives OTLP from apps and forwards traces. */
export function openTelemetryCollector(props: OpenTelemetryCollectorProps = {}): AddonDeclaration {
  const v = addonValidator('opentelemetry-collector', props, {
    tracesEndpoint: 'string',
    replicas: 'number',
    size: SIZE_SPEC,
  });
  v.check('tracesEndpoint', props.tracesEndpoint, (e) =>
    /^[a-z0-9.-]+:\d{1,5}$/.test(e) ? undefined : 'must be host:port, e.g. "jaeger-collector.tracing:4317"',
  );
  v.check('replicas', props.replicas, rules.integerBetween(1));
  const replicas = props.replicas ?? 1;
  const size = { cpu: '50m', memory: '128Mi', ...props.size, replicas };
  const exporters: Record<string, unknown> = { debug: { verbosity: 'basic' } };
  const traceExporters = ['debug'];
  if (props.tracesEndpoint) {
    exporters['otlp/traces'] = { endpoint: props.tracesEndpoint, tls: { insecure: true } };
    traceExporters.push('otlp/traces');
  }
  return declareAddon({
    id: 'opentelemetry-collector',
    props,
    validator: v,
    defaultNamespace: 'observability',
    values: {
      mode: 'deployment',
      replicaCount: replicas,
      image: { repository: 'otel/opentelemetry-collector-k8s' },
      resources: requestsOf(size),
      config: {
        receivers: {
          otlp: {
            protocols: { grpc: { endpoint: '${env:MY_POD_IP}:4317' }, http: { endpoint: '${env:MY_POD_IP}:4318' } },
          },
        },
        processors: {
          batch: {},
          memory_limiter: { check_interval: '5s', limit_percentage: 80, spike_limit_percentage: 25 },
        },
        exporters,
        service: {
          pipelines: {
            traces: { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: traceExporters },
          },
        },
      },
    },
    components: { collector: size },
  });
}

/** The profile's `tracing` key: the OpenTelemetry Collector, exporting traces where the tracing backend says it receives them. */
export const openTelemetryCollectorAddon = registerAddon({
  profileKey: 'tracing',
  defaultProps: {},
  declare: (props: OpenTelemetryCollectorProps, ctx) => {
    const endpoint = ctx.declared.find((d) => d.provides.tracing !== undefined)?.provides.tracing?.otlpGrpcEndpoint;
    return openTelemetryCollector({ ...(endpoint !== undefined ? { tracesEndpoint: endpoint } : {}), ...props });
  },
  example: {},
  parts: [part('opentelemetry-collector', openTelemetryCollector, {})],
});
