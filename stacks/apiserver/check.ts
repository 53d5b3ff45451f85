/**
 * `apiserver-check`: what a real kube-apiserver says about a set of manifests, offline, the way
 * `kubectl apply --dry-run=server` would on a cluster: CRDs first, then every object by
 * server-side apply with strict field validation, then every Pod template admitted as a Pod under
 * its namespace's Pod Security level. Each refusal names where the object came from, the object
 * and the server's message; nothing throws for bad input.
 */
import * as fs from 'fs';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { parseAllDocuments } from 'yaml';
import type { KubeClient, KubeObjectJson } from './kube-client';

/** An object to check and where it came from (a file, or a stack's rendering). */
export interface SourcedObject {
  readonly source: string;
  readonly object: KubeObjectJson;
}

/** One refusal: where, which object, what the server (or the reader) said. */
export interface Rejection {
  readonly source: string;
  readonly object: string;
  readonly message: string;
  /** `pod-security` when the namespace's Pod Security level refused a Pod template. */
  readonly kind: 'rejected' | 'pod-security';
}

/** The outcome of a check. */
export interface CheckResult {
  readonly objects: number;
  readonly accepted: number;
  readonly rejections: readonly Rejection[];
  /** Custom resources of an API group no CRD in the input (or a vendored one) serves, by kind. */
  readonly skipped: ReadonlyMap<string, number>;
}

/**
 * The vendored CRDs: every `crds/*.yaml.gz` (in name order), each the CRDs of one project at the
 * version the add-on catalog pins (made by refresh-crds.sh; gateway-api-v1.4.1 is the Gateway API
 * bundle Envoy Gateway v1.7.5 installs, charts/gateway-helm/crds/gatewayapi-crds.yaml).
 */
export function vendoredCrds(): KubeObjectJson[] {
  const dir = path.join(__dirname, 'crds');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml.gz'))
    .sort()
    .flatMap((f) =>
      parseAllDocuments(gunzipSync(fs.readFileSync(path.join(dir, f))).toString('utf8')).map(
        (d) => d.toJS() as KubeObjectJson | null,
      ),
    )
    .filter((o): o is KubeObjectJson => o !== null);
}

/** Every YAML document under `dir` (recursively), each an object or a reading problem. */
export function readManifests(dir: string): { objects: SourcedObject[]; problems: Rejection[] } {
  const objects: SourcedObject[] = [];
  const problems: Rejection[] = [];
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(d, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.ya?ml$/.test(entry.name)) {
        const source = path.relative(dir, file);
        parseAllDocuments(fs.readFileSync(file, 'utf8')).forEach((doc, i) => {
          if (doc.errors.length > 0) {
            problems.push({
              source,
              object: `document ${i + 1}`,
              message: `is not YAML: ${doc.errors[0].message.split('\n')[0]}`,
              kind: 'rejected',
            });
            return;
          }
          let o: unknown;
          try {
            o = doc.toJS();
          } catch (e) {
            problems.push({
              source,
              object: `document ${i + 1}`,
              message: `cannot be read: ${e instanceof Error ? e.message : String(e)}`,
              kind: 'rejected',
            });
            return;
          }
          if (o === null || o === undefined) return;
          const take = (x: unknown, where: string): void => {
            const rec =
              typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : undefined;
            if (rec === undefined || typeof rec.apiVersion !== 'string' || typeof rec.kind !== 'string')
              problems.push({
                source,
                object: where,
                message: 'is not a Kubernetes object (apiVersion and kind are required)',
                kind: 'rejected',
              });
            else if (rec.kind === 'List' && Array.isArray(rec.items))
              rec.items.forEach((item, j) => take(item, `${where} item ${j + 1}`));
            else objects.push({ source, object: rec as KubeObjectJson });
          };
          take(o, `document ${i + 1}`);
        });
      }
    }
  };
  walk(dir);
  return { objects, problems };
}

const idOf = (o: KubeObjectJson): string =>
  `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? '(no name)'}`;
const groupOf = (apiVersion: string): string =>
  apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';

/**
 * The Pod a workload object (Deployment, StatefulSet, Job, CronJob, Rollout, DaemonSet…) would
 * create, for a dry-run create where the namespace's Pod Security level decides; undefined when
 * `o` has no Pod template. The template's labels and annotations go along (Pod Security reads
 * AppArmor profiles from annotations), and a StatefulSet's Pods get a volume per claim template
 * (named `<claim>-<pod>`), as the StatefulSet controller gives them.
 */
export function dryRunPodFor(o: KubeObjectJson): KubeObjectJson | undefined {
  const spec = (o.spec ?? {}) as Record<string, unknown>;
  const job = (spec.jobTemplate as { spec?: Record<string, unknown> } | undefined)?.spec;
  const t = (spec.template ?? job?.template) as { metadata?: unknown; spec?: Record<string, unknown> } | undefined;
  if (o.kind === 'Pod' || t?.spec === undefined || typeof t.spec !== 'object') return undefined;
  const templates: unknown = spec.volumeClaimTemplates;
  const claims = (Array.isArray(templates) ? (templates as { metadata?: { name?: string } }[]) : []).map((c) => ({
    name: c.metadata?.name,
    persistentVolumeClaim: { claimName: `${c.metadata?.name}-${o.metadata?.name}-0` },
  }));
  const podSpec = { ...t.spec };
  if (claims.length > 0) podSpec.volumes = [...((podSpec.volumes as unknown[] | undefined) ?? []), ...claims];
  const meta = (typeof t.metadata === 'object' && t.metadata !== null ? t.metadata : {}) as {
    labels?: unknown;
    annotations?: unknown;
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `check-${o.metadata?.name ?? 'pod'}`,
      namespace: o.metadata?.namespace,
      ...(meta.labels !== undefined ? { labels: meta.labels } : {}),
      ...(meta.annotations !== undefined ? { annotations: meta.annotations } : {}),
    },
    spec: podSpec,
  };
}

/** A refusal of `object` from `source`: `pod-security` when the namespace's Pod Security level said no. */
function refusal(source: string, object: KubeObjectJson, message: string): Rejection {
  return {
    source,
    object: idOf(object),
    message,
    kind: message.includes('violates PodSecurity') ? 'pod-security' : 'rejected',
  };
}

/**
 * Applies the vendored CRDs then the input's, refusals into `rejections`, and waits until the kinds
 * of the groups they define are served (a CRD's kinds are served once it is established). Returns
 * how many of the input's CRDs were accepted.
 */
async function applyCrds(
  client: KubeClient,
  input: readonly SourcedObject[],
  rejections: Rejection[],
): Promise<number> {
  let accepted = 0;
  const crds = [
    ...vendoredCrds().map((object) => ({ source: 'vendored CRDs', object })),
    ...input.filter((o) => o.object.kind === 'CustomResourceDefinition'),
  ];
  for (const { source, object } of crds) {
    const res = await client.apply(object);
    if (res.status >= 300)
      rejections.push({ source, object: idOf(object), message: String(res.body.message), kind: 'rejected' });
    else if (input.some((o) => o.object === object)) accepted++;
  }
  const served = new Set(crds.map(({ object }) => `${String((object.spec as { group?: string } | undefined)?.group)}`));
  for (let i = 0; i < 60; i++) {
    await client.discover();
    const pending = input.some((o) => served.has(groupOf(o.object.apiVersion)) && !client.serves(o.object));
    if (!pending) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  return accepted;
}

/**
 * Workload objects are admitted whatever their Pods (Pod Security only warns on them): each
 * admitted one's Pod template is created as a Pod, dry run, where the namespace's level decides.
 */
async function checkPodTemplates(
  client: KubeClient,
  ordered: readonly SourcedObject[],
  admitted: ReadonlySet<KubeObjectJson>,
  rejections: Rejection[],
): Promise<void> {
  for (const { source, object } of ordered) {
    const pod = dryRunPodFor(object);
    if (pod === undefined || !admitted.has(object)) continue;
    const res = await client.create(pod, true);
    if (res.status >= 300) rejections.push(refusal(source, object, `its Pod template: ${String(res.body.message)}`));
  }
}

/**
 * Applies `input` to the server behind `client` (an admin): its CRDs and the vendored
 * CRDs first, then every other object in order, then a dry-run Pod from every Pod template.
 */
export async function checkObjects(
  client: KubeClient,
  input: readonly SourcedObject[],
  options: { readonly earlier?: readonly Rejection[]; readonly crdsFromCharts?: boolean } = {},
): Promise<CheckResult> {
  const earlier = options.earlier ?? [];
  const rejections: Rejection[] = [...earlier];
  const skipped = new Map<string, number>();
  await client.discover();
  let accepted = await applyCrds(client, input, rejections);
  const rest = input.filter((o) => o.object.kind !== 'CustomResourceDefinition');
  // Namespaces first, as every apply order does (the server refuses objects in a namespace that does not exist)
  const ordered = [
    ...rest.filter((o) => o.object.kind === 'Namespace'),
    ...rest.filter((o) => o.object.kind !== 'Namespace'),
  ];
  const admitted = new Set<KubeObjectJson>();
  for (const { source, object } of ordered) {
    if (!client.serves(object)) {
      // a group the server does not serve at all is a custom resource's: in a stack its CRD comes with
      // an add-on's chart (left out and counted); in a directory it must come before it
      if (options.crdsFromCharts === true && !client.servesGroup(groupOf(object.apiVersion))) {
        const key = `${object.apiVersion} ${object.kind}`;
        skipped.set(key, (skipped.get(key) ?? 0) + 1);
      } else
        rejections.push({
          source,
          object: idOf(object),
          message: `${object.apiVersion} ${object.kind} is not served by the API server (no CustomResourceDefinition for it was applied first)`,
          kind: 'rejected',
        });
      continue;
    }
    const res = await client.apply(object);
    if (res.status >= 300) rejections.push(refusal(source, object, String(res.body.message)));
    else {
      accepted++;
      admitted.add(object);
      // on a cluster kube-controller-manager's serviceaccount controller gives every namespace its
      // `default` ServiceAccount, which the ServiceAccount admission plugin requires of a Pod that
      // names none; this server runs no controller-manager, so the check creates it
      if (object.kind === 'Namespace')
        await client.apply(
          { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: object.metadata?.name } },
          'serviceaccount-controller',
        );
    }
  }
  await checkPodTemplates(client, ordered, admitted, rejections);
  return { objects: input.length + earlier.length, accepted, rejections, skipped };
}

/** Counts of a result (or of several added up). */
export function totals(results: readonly CheckResult[]): {
  objects: number;
  accepted: number;
  rejected: number;
  podSecurityDenied: number;
  skipped: number;
} {
  const all = results.flatMap((r) => r.rejections);
  return {
    objects: results.reduce((n, r) => n + r.objects, 0),
    accepted: results.reduce((n, r) => n + r.accepted, 0),
    rejected: all.filter((x) => x.kind === 'rejected').length,
    podSecurityDenied: all.filter((x) => x.kind === 'pod-security').length,
    skipped: results.reduce((n, r) => n + [...r.skipped.values()].reduce((a, b) => a + b, 0), 0),
  };
}

/** The report's lines for one input: one per refusal, then the kinds left out. */
export function reportLines(r: CheckResult): string[] {
  return [
    ...r.rejections.map(
      (x) => `${x.kind === 'pod-security' ? 'pod-security' : 'rejected'}: ${x.source}: ${x.object}: ${x.message}`,
    ),
    ...[...r.skipped].map(
      ([kind, n]) => `skipped: ${n} ${kind} (its CRD comes with an add-on's chart, which this server does not run)`,
    ),
  ];
}

/** The closing line over every input checked. */
export function summaryLine(results: readonly CheckResult[]): string {
  const t = totals(results);
  return `apiserver-check: objects=${t.objects} accepted=${t.accepted} rejected=${t.rejected} pod_security_denied=${t.podSecurityDenied} skipped=${t.skipped}`;
}
