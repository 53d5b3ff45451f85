import { Construct } from 'constructs';
import {
  AppConfig,
  type AppContext,
  BatchJob,
  ExternalSecret,
  type HttpRouteProps,
  type IngressProps,
  ScheduledJob,
  StatefulService,
  WebService,
  type WebServiceProps,
  Tenant,
  Worker,
} from '../constructs';

/** Namespace of the demo shop (tenant `shop`). */
export const DEMO_NAMESPACE = 'shop';
/** Namespace of the demo reporting job (tenant `analytics`). */
export const ANALYTICS_NAMESPACE = 'analytics';

/**
 * The web tiers' image: hashicorp/http-echo answers every path with a fixed text and `/health` with
 * 200, nothing else. Read at its tag (hashicorp/http-echo v1.0.0 main.go, handlers.go): one
 * ServeMux with `/` and `/health`, no pprof or expvar, flags `-listen`, `-text`, `-status-code`;
 * nothing runs a command, writes a file, dials out or prints the environment (the only variable it
 * reads is ECHO_TEXT), and the image is distroless static, non-root, without a shell. The demo
 * routed from the internet must never run a test image such as agnhost, whose `netexec` serves
 * `/shell?cmd=` (kubernetes test/images/agnhost/netexec/netexec.go): checkManifests refuses
 * `e2e-test-images/*` behind a route.
 */
const HTTP_ECHO = 'hashicorp/http-echo';
const BUSYBOX = 'busybox:1.37.0';

type EntryPoint = ReturnType<AppContext['contract']['entryPoint']>;
type GatewayRef = { name: string; namespace: string; proxies: HttpRouteProps['gateway']['proxies'] };
type EnvList = NonNullable<WebServiceProps['env']>;
/** A tenant's quota (the shop's, sized from the environment). */
type Quota = { cpu: string; memory: string; pods: number; ephemeralStorageLimit: string };

/** What the shop's workloads share: where they run, what they are labelled, and the config and secrets they read. */
interface Shop {
  readonly context: AppContext;
  readonly labels: AppContext['env']['labels'];
  readonly namespace: string;
  /** The web tiers' image at the environment's app version. */
  readonly echo: string;
  readonly config: AppConfig;
  /** The database credentials as environment variables. */
  readonly dbEnv: EnvList;
  /** The cache password as an environment variable. */
  readonly cacheEnv: EnvList;
}

/** An HTTPRoute on `gw` for `host`. */
function routeVia(gw: GatewayRef, host: string): HttpRouteProps {
  return {
    gateway: { name: gw.name, namespace: gw.namespace, proxies: gw.proxies },
    hostnames: [host],
  };
}

/** How a web tier is reached at `host`: a route on the platform's Gateway, else an Ingress of its IngressClass. */
function expose(
  { env, contract }: AppContext,
  entry: EntryPoint,
  path: string,
  host: string,
): { route: HttpRouteProps } | { ingress: IngressProps } {
  if ('gateway' in entry) return { route: routeVia(entry.gateway, host) };
  const issuer = env.tlsIssuer !== undefined ? contract.clusterIssuer(path, env.tlsIssuer) : undefined;
  return {
    ingress: {
      host,
      className: entry.ingressClass.name,
      controller: entry.ingressClass.controller,
      ...(issuer !== undefined ? { clusterIssuer: issuer } : {}),
    },
  };
}

/**
 * The shop's quota: at its peak (every web tier at its HPA maximum, the API's canary doubling it, a
 * rolling surge) it must fit, so it is sized from the environment's scaling (checked by the Tenant).
 */
function shopQuota(env: AppContext['env']): Quota {
  const peakWebPods = 4 * env.web.maxReplicas + 2 * env.workerReplicas + 4;
  return {
    cpu: '8',
    memory: '16Gi',
    pods: Math.max(50, peakWebPods),
    ephemeralStorageLimit: `${Math.max(40, peakWebPods)}Gi`,
  };
}

/** A demo tenant `name` owning `namespace`, with the usual three access groups. */
function demoTenant(
  scope: Construct,
  { env, contract }: AppContext,
  tid: string,
  tenant: { name: string; namespace: string; hostnames?: string[]; quota?: Quota },
): Tenant {
  const { name, namespace, hostnames, quota } = tenant;
  return new Tenant(scope, tid, {
    name,
    environment: env.name,
    namespaces: [{ name: namespace }],
    platform: contract,
    labels: env.labels,
    access: { admins: [`${name}-admins`], editors: [`${name}-developers`], viewers: [`${name}-viewers`] },
    ...(hostnames !== undefined ? { hostnames } : {}),
    ...(quota !== undefined ? { quota } : {}),
    ...(env.tenantSecretRolePrefix !== undefined
      ? { secretStore: { roleArn: `${env.tenantSecretRolePrefix}${name}` } }
      : {}),
  });
}

/** The shop's config and its database and cache credentials from `secretStore` (ids `Config`, `DbCredentials`, `CacheCredentials`). */
function shopConfigAndSecrets(scope: Construct, context: AppContext, secretStore: string): Shop {
  const { env } = context;
  const labels = env.labels;
  const namespace = DEMO_NAMESPACE;
  const demoKey = (what: string): string => `${env.name}-demo-${what}`;
  const config = new AppConfig(scope, 'Config', {
    name: 'shop-config',
    namespace,
    labels,
    data: { LOG_LEVEL: 'info', CURRENCY: 'EUR', CART_TTL_SECONDS: 3600, FEATURE_RECOMMENDATIONS: true },
  });
  const db = new ExternalSecret(scope, 'DbCredentials', {
    name: 'shop-db',
    namespace,
    labels,
    store: { name: secretStore },
    data: [
      { secretKey: 'username', remoteKey: demoKey('shop-db'), property: 'username' },
      { secretKey: 'password', remoteKey: demoKey('shop-db'), property: 'password' },
    ],
  });
  // the cache requires a password: the same tenant store holds it (redis's requirepass)
  const cacheSecret = new ExternalSecret(scope, 'CacheCredentials', {
    name: 'shop-redis',
    namespace,
    labels,
    store: { name: secretStore },
    data: [{ secretKey: 'password', remoteKey: demoKey('shop-redis'), property: 'password' }],
  });
  const cacheEnv = [{ name: 'REDIS_PASSWORD', fromSecret: { name: cacheSecret.secretName, key: 'password' } }];
  const dbEnv = [
    { name: 'DB_USER', fromSecret: { name: db.secretName, key: 'username' } },
    { name: 'DB_PASSWORD', fromSecret: { name: db.secretName, key: 'password' } },
  ];
  return { context, labels, namespace, echo: `${HTTP_ECHO}:${env.appVersion}`, config, dbEnv, cacheEnv };
}

/** The storefront (id `Storefront`), exposed at `shop.<domain>` through `entry`. */
function storefront(scope: Construct, shop: Shop, entry: EntryPoint, path: string): void {
  const { env, contract } = shop.context;
  new WebService(scope, 'Storefront', {
    name: 'storefront',
    namespace: shop.namespace,
    labels: shop.labels,
    image: shop.echo,
    args: ['-listen=:8080', '-text=groundwork demo storefront'],
    port: 8080,
    envFrom: [{ configMap: shop.config.name }],
    probes: { readiness: { type: 'http', path: '/health' }, liveness: { type: 'tcp' } },
    resources: { cpuRequest: '50m', memoryRequest: '64Mi', memoryLimit: '128Mi' },
    autoscaling: { minReplicas: env.web.minReplicas, maxReplicas: env.web.maxReplicas, cpuUtilization: 70 },
    // right-sizing recommendations (`kubectl describe vpa storefront`) where the platform runs the VPA
    ...(contract.verticalPodAutoscaling !== undefined
      ? { verticalScaling: { updateMode: 'Off' as const, maxAllowed: { cpu: '500m', memory: '256Mi' } } }
      : {}),
    networkPolicy: { egress: { allowTo: [{ app: 'api' }] } },
    ...expose(shop.context, entry, path, `shop.${env.domain}`),
  });
}

/** The autoscaled API (id `Api`): routed at `api.<domain>` where the platform has a Gateway, a canary where it can shift its traffic. */
function api(scope: Construct, shop: Shop, gateway: GatewayRef | undefined, canary: boolean): void {
  const { env } = shop.context;
  new WebService(scope, 'Api', {
    name: 'api',
    namespace: shop.namespace,
    labels: shop.labels,
    image: shop.echo,
    args: ['-listen=:8080', '-text=groundwork demo api'],
    port: 8080,
    env: [
      { name: 'LOG_LEVEL', fromConfigMap: { name: shop.config.name, key: 'LOG_LEVEL' } },
      ...shop.dbEnv,
      ...shop.cacheEnv,
    ],
    probes: { readiness: { type: 'http', path: '/health' }, liveness: { type: 'tcp', periodSeconds: 20 } },
    autoscaling: {
      minReplicas: env.web.minReplicas,
      maxReplicas: env.web.maxReplicas,
      cpuUtilization: 70,
      memoryUtilization: 80,
    },
    networkPolicy: {
      allowFrom: [{ app: 'storefront' }, { app: 'orders-worker' }],
      egress: { allowTo: [{ app: 'redis' }] },
    },
    ...(gateway !== undefined ? { route: routeVia(gateway, `api.${env.domain}`) } : {}),
    ...(canary
      ? {
          delivery: {
            strategy: 'canary' as const,
            steps: [
              { weight: 10, pauseSeconds: 120 },
              { weight: 50, pauseSeconds: 300 },
            ],
          },
        }
      : {}),
  });
}

/** The queue worker (id `OrdersWorker`). */
function ordersWorker(scope: Construct, shop: Shop): void {
  new Worker(scope, 'OrdersWorker', {
    name: 'orders-worker',
    namespace: shop.namespace,
    labels: shop.labels,
    image: BUSYBOX,
    command: ['sh', '-c', 'while true; do date > /tmp/heartbeat; sleep 10; done'],
    env: [...shop.dbEnv, ...shop.cacheEnv],
    replicas: shop.context.env.workerReplicas,
    probes: {
      readiness: { type: 'exec', command: ['sh', '-c', 'test -f /tmp/heartbeat'] },
      liveness: {
        type: 'exec',
        command: ['sh', '-c', 'test $(( $(date +%s) - $(date -r /tmp/heartbeat +%s) )) -lt 60'],
        periodSeconds: 30,
      },
    },
    resources: { cpuRequest: '20m', memoryRequest: '32Mi' },
    networkPolicy: { egress: { allowTo: [{ app: 'api' }, { app: 'redis' }] } },
  });
}

/** The analytics tenant's nightly report (id `NightlyReport`). */
function nightlyReport(scope: Construct, shop: Shop): void {
  new ScheduledJob(scope, 'NightlyReport', {
    name: 'nightly-report',
    namespace: ANALYTICS_NAMESPACE,
    labels: shop.labels,
    image: BUSYBOX,
    command: ['sh', '-c', 'echo "report for $(date -I)"'],
    schedule: '30 2 * * *',
    timeZone: 'Etc/UTC',
    resources: { cpuRequest: '20m', memoryRequest: '32Mi' },
    networkPolicy: { egress: { allowTo: [] } },
  });
}

/** The migration Job (id `Migrate`). */
function migrate(scope: Construct, shop: Shop): void {
  new BatchJob(scope, 'Migrate', {
    name: 'db-migrate',
    namespace: shop.namespace,
    labels: shop.labels,
    image: BUSYBOX,
    command: ['sh', '-c', 'echo "migrating as $DB_USER"'],
    env: [...shop.dbEnv, ...shop.cacheEnv],
    backoffLimit: 1,
    resources: { cpuRequest: '20m', memoryRequest: '32Mi' },
    networkPolicy: { egress: { allowTo: [{ app: 'redis' }] } },
  });
}

/** The Redis cache (id `Cache`) on the platform's storage class. */
function cache(scope: Construct, shop: Shop, storageClassName: string): void {
  new StatefulService(scope, 'Cache', {
    name: 'redis',
    namespace: shop.namespace,
    labels: shop.labels,
    // 7.4.6 fixes CVE-2025-49844 (Lua use-after-free, remote code execution) and CVE-2025-46817/46818/46819
    // (docker-library/official-images #20011: redis 7.4.5 -> 7.4.6)
    image: 'redis:7.4.6-alpine',
    env: shop.cacheEnv,
    // $(REDIS_PASSWORD) is expanded by the kubelet from the Secret-backed variable: never in the manifest
    args: ['redis-server', '--appendonly', 'yes', '--dir', '/data', '--requirepass', '$(REDIS_PASSWORD)'],
    port: 6379,
    portName: 'redis',
    probes: {
      readiness: {
        type: 'exec',
        command: ['sh', '-c', 'redis-cli --no-auth-warning -a "$REDIS_PASSWORD" ping | grep -q PONG'],
      },
      liveness: { type: 'tcp' },
    },
    resources: { cpuRequest: '50m', memoryRequest: '128Mi', memoryLimit: '256Mi' },
    volumes: [{ name: 'data', mountPath: '/data', size: '1Gi', storageClassName }],
    networkPolicy: {
      allowFrom: [{ app: 'api' }, { app: 'orders-worker' }, { app: 'db-migrate' }],
      egress: { allowTo: [] },
    },
  });
}

/**
 * A small demo app set in two tenants. Tenant `shop` runs one of each long-running workload
 * construct: a storefront behind the platform's entry point (the default Gateway, or the default
 * IngressClass), an autoscaled API (an HTTPRoute where the platform has a Gateway), a queue worker,
 * a migration Job and a Redis cache, plus config and an external secret from the tenant's own
 * store. Tenant `analytics` runs the nightly report. Every workload restricts its egress to what it
 * calls, so tenant isolation holds (NetworkPolicies add up: an allow-all egress rule would reopen
 * what the tenant denies). Every reference to the platform is read from the platform contract:
 * disabling an add-on the apps need is a construction error naming both sides. Nothing here
 * branches on the environment's name. It renders only where the environment turns the demo on
 * (`env.demo`: kind by default, a cloud stack only with `groundwork:demo: "true"`), and its secrets
 * are demo-only entries (`<env>-demo-shop-db`, `<env>-demo-shop-redis`), never an application's.
 */
export class DemoApps extends Construct {
  public readonly shop: Tenant;
  public readonly analytics: Tenant;

  constructor(scope: Construct, id: string, context: AppContext) {
    super(scope, id);
    const { env, contract } = context;
    const path = `DemoApps '${this.node.path}'`;
    const storageClassName = contract.storageClass(path);
    contract.requireMetricsApi(path);
    const entry = contract.entryPoint(path);
    const gateway = contract.defaultGateway();
    // the API rolls out as a canary wherever the platform can shift Gateway traffic (Argo Rollouts with its plugin)
    const canary = gateway !== undefined && contract.progressiveDelivery?.value.gatewayApiTrafficRouting === true;
    // the shop serves two names of the platform's domain; the analytics tenant keeps the default (*.analytics.<domain>)
    const hostnames = [`shop.${env.domain}`, `api.${env.domain}`];
    this.shop = demoTenant(this, context, 'ShopTenant', {
      name: 'shop',
      namespace: DEMO_NAMESPACE,
      hostnames,
      quota: shopQuota(env),
    });
    this.analytics = demoTenant(this, context, 'AnalyticsTenant', {
      name: 'analytics',
      namespace: ANALYTICS_NAMESPACE,
    });
    const secretStore = this.shop.secretStoreName ?? contract.secretStore(path);
    const shop = shopConfigAndSecrets(this, context, secretStore);
    storefront(this, shop, entry, path);
    api(this, shop, gateway, canary);
    ordersWorker(this, shop);
    nightlyReport(this, shop);
    migrate(this, shop);
    cache(this, shop, storageClassName);
  }
}

/** The demo app set as an apps builder for `renderEnvironment`. */
export function demoApps(chart: Construct, context: AppContext): void {
  if (context.env.demo) new DemoApps(chart, 'shop', context);
}
