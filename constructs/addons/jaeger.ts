import * as rules from '../internal/rules';
import {
  type AddonDeclaration,
  type AddonProps,
  addonValidator,
  restrictedContainer,
  restrictedPod,
  companion,
  type ComponentSize,
  declareAddon,
  requestsOf,
  SIZE_SPEC,
} from './addon';
import { ownAddon } from './register';

/** Where Jaeger keeps traces. */
export type JaegerStorage =
  | {
      /** In memory: lost on restart. For kind and dev. */
      readonly type: 'memory';
      /**
       * Traces kept before the oldest are dropped.
       * @default 50000
       */
      readonly maxTraces?: number;
    }
  | {
      /** Badger on a PersistentVolumeClaim: survives restarts; one replica (Badger is single-writer). */
      readonly type: 'badger';
      /** Size of the claim, e.g. "20Gi". */
      readonly size: string;
      /**
       * StorageClass of the claim.
       * @default - the cluster's default StorageClass
       */
      readonly storageClassName?: string;
      /**
       * How long spans are kept, in hours (e.g. "168h").
       * @default '168h'
       */
      readonly retention?: string;
    };

/** Props of the Jaeger add-on. */
export interface JaegerProps extends AddonProps {
  /**
   * Trace storage.
   * @default { type: 'memory' }
   */
  readonly storage?: JaegerStorage;
  /**
   * Requests (limits: the memory request).
   * @default { cpu: '50m', memory: '256Mi' }
   */
  readonly size?: ComponentSize;
}

/** The claim Badger keeps its files on. */
export const JAEGER_BADGER_CLAIM = 'jaeger-badger';

const OTLP_GRPC_PORT = 4317;

/**
 * The Jaeger v2 configuration (an OpenTelemetry Collector distribution). Keys as in jaeger v2.19.0
 * `cmd/jaeger/config-badger.yaml` and `cmd/jaeger/internal/all-in-one.yaml`; storage options as in
 * `internal/storage/v2/memory/config.go` (`max_traces`) and `internal/storage/v1/badger/config.go`
 * (`directories.keys/values`, `ephemeral`, `ttl.spans`). Every listener binds 0.0.0.0 explicitly:
 * the chart's probes call 13133 on the Pod IP, and the collector reaches 4317 through the Service.
 */
function jaegerConfig(storage: JaegerStorage): Record<string, unknown> {
  const backend =
    storage.type === 'memory'
      ? { memory: { max_traces: storage.maxTraces ?? 50000 } }
      : {
          badger: {
            directories: { keys: '/badger/keys', values: '/badger/values' },
            ephemeral: false,
            ttl: { spans: storage.retention ?? '168h' },
          },
        };
  return {
    service: {
      extensions: ['jaeger_storage', 'jaeger_query', 'healthcheckv2'],
      pipelines: { traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['jaeger_storage_exporter'] } },
      telemetry: {
        resource: { 'service.name': 'jaeger' },
        metrics: { level: 'basic', readers: [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: 8888 } } } }] },
      },
    },
    extensions: {
      healthcheckv2: { use_v2: true, http: { endpoint: '0.0.0.0:13133' } },
      jaeger_query: {
        storage: { traces: 'primary' },
        http: { endpoint: '0.0.0.0:16686' },
        grpc: { endpoint: '0.0.0.0:16685' },
      },
      jaeger_storage: { backends: { primary: backend } },
    },
    receivers: {
      otlp: { protocols: { grpc: { endpoint: `0.0.0.0:${OTLP_GRPC_PORT}` }, http: { endpoint: '0.0.0.0:4318' } } },
    },
    processors: { batch: {} },
    exporters: { jaeger_storage_exporter: { trace_storage: 'primary' } },
  };
}

/**
 * Jaeger v2 (all-in-one: collector, storage and query UI in one Deployment) as the tracing backend
 * the OpenTelemetry Collector exports to. Chart: jaegertracing/helm-charts jaeger 4.11.1 (Jaeger
 * 2.19.0): `userconfig` replaces the whole configuration (templates/jaeger/jaeger-user-config.yaml,
 * mounted and passed as `--config`); the Deployment and Service are the release fullname, `jaeger`
 * (templates/_helpers.tpl), with OTLP on 4317/4318 and the UI on 16686.
 */
export function jaeger(props: JaegerProps = {}): AddonDeclaration {
  const v = addonValidator('jaeger', props, { storage: 'object', size: SIZE_SPEC });
  const storage: JaegerStorage = props.storage ?? { type: 'memory' };
  const type: unknown = storage.type;
  if (type !== 'memory' && type !== 'badger') v.fail('storage.type', type, "must be 'memory' or 'badger'");
  if (storage.type === 'memory') v.check('storage.maxTraces', storage.maxTraces, rules.integerBetween(1));
  if (storage.type === 'badger') {
    v.check('storage.size', storage.size, rules.bytesQuantity);
    v.check('storage.storageClassName', storage.storageClassName, rules.dns1123Subdomain);
    v.check('storage.retention', storage.retention, (r) =>
      /^\d+h$/.test(r) ? undefined : 'must be whole hours such as "168h"',
    );
  }
  const size = { cpu: '50m', memory: '256Mi', ...props.size };
  const badger = storage.type === 'badger';
  // the chart's container securityContext is empty and its podSecurityContext sets only the user:
  // everything the restricted profile asks for is set here (the image runs as 10001, /tmp is its VOLUME)
  const volumes: Record<string, unknown>[] = [{ name: 'tmp', emptyDir: {} }];
  const mounts: Record<string, unknown>[] = [{ name: 'tmp', mountPath: '/tmp' }];
  if (badger) {
    volumes.push({ name: 'badger', persistentVolumeClaim: { claimName: JAEGER_BADGER_CLAIM } });
    mounts.push({ name: 'badger', mountPath: '/badger' });
  }
  return declareAddon({
    id: 'jaeger',
    props,
    validator: v,
    defaultNamespace: 'observability',
    values: {
      userconfig: jaegerConfig(storage),
      jaeger: {
        replicas: 1,
        resources: requestsOf(size),
        podSecurityContext: restrictedPod(10001, { fsGroup: 10001 }),
        securityContext: restrictedContainer(),
        serviceAccount: { automountServiceAccountToken: false },
        extraVolumes: volumes,
        extraVolumeMounts: mounts,
      },
    },
    podSecurity: 'restricted',
    prerequisites: (namespace) =>
      badger
        ? [
            companion('v1', 'PersistentVolumeClaim', JAEGER_BADGER_CLAIM, namespace, {
              spec: {
                accessModes: ['ReadWriteOnce'],
                resources: { requests: { storage: storage.size } },
                ...(storage.storageClassName !== undefined ? { storageClassName: storage.storageClassName } : {}),
              },
            }),
          ]
        : [],
    provides: (namespace) => ({
      tracing: { otlpGrpcEndpoint: `jaeger.${namespace}.svc:${OTLP_GRPC_PORT}`, namespace },
    }),
    components: { jaeger: size },
  });
}

/** The profile's `tracingBackend` key: Jaeger v2 (`{}`: in memory; `{ storage: { type: 'badger', size } }` keeps traces across restarts). */
export const jaegerAddon = ownAddon({
  id: 'jaeger',
  profileKey: 'tracingBackend',
  defaultProps: {},
  declare: jaeger,
  example: {},
});
