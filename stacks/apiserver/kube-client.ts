/**
 * A small Kubernetes API client for the test control plane: discovery (kind to resource), server-side
 * apply with strict field validation, create (optionally as a dry run, which still runs admission)
 * and get. Every call returns the status and the API server's answer; nothing is retried or hidden.
 */
import * as https from 'https';

/** The API server's answer. */
export interface ApiResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
  /** Warnings the server sent (Pod Security warns on workload templates). */
  readonly warnings: readonly string[];
}

/** An object to send: anything with apiVersion, kind and metadata.name. */
export interface KubeObjectJson {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: unknown;
    readonly annotations?: unknown;
  };
  readonly [field: string]: unknown;
}

interface ResourceInfo {
  readonly resource: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
}

export class KubeClient {
  private resources = new Map<string, ResourceInfo>();
  private groups = new Set<string>(['']);

  constructor(
    private readonly url: string,
    private readonly ca: Buffer,
    private readonly token: string,
  ) {}

  /** The raw request. */
  request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<ApiResponse> {
    const data = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(
        `${this.url}${path}`,
        {
          method,
          ca: this.ca,
          agent: false,
          headers: {
            Authorization: `Bearer ${this.token}`,
            Accept: 'application/json',
            ...(data !== undefined ? { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(data) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: Record<string, unknown>;
            try {
              parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
            } catch {
              parsed = { message: text };
            }
            const warning: unknown = res.headers.warning;
            const list: unknown[] = Array.isArray(warning) ? warning : warning !== undefined ? [warning] : [];
            const warnings = list.map((w) => String(w).replace(/^299 - "?|"?$/g, ''));
            resolve({ status: res.statusCode ?? 0, body: parsed, warnings });
          });
        },
      );
      req.on('error', reject);
      if (data !== undefined) req.write(data);
      req.end();
    });
  }

  /** True when /readyz answers 200. */
  async ready(): Promise<boolean> {
    return (await this.request('GET', '/readyz')).status === 200;
  }

  /** Reads the served resources again (after CRDs are established). */
  async discover(): Promise<void> {
    const out = new Map<string, ResourceInfo>();
    const groupVersions: string[] = ['v1'];
    const apis = await this.request('GET', '/apis');
    for (const g of (apis.body.groups ?? []) as { versions: { groupVersion: string }[] }[])
      groupVersions.push(...g.versions.map((v) => v.groupVersion));
    for (const gv of groupVersions) {
      const list = await this.request('GET', gv === 'v1' ? '/api/v1' : `/apis/${gv}`);
      for (const r of (list.body.resources ?? []) as {
        name: string;
        kind: string;
        namespaced: boolean;
        verbs?: string[];
      }[]) {
        if (!r.name.includes('/'))
          out.set(`${gv}/${r.kind}`, { resource: r.name, namespaced: r.namespaced, verbs: r.verbs ?? [] });
      }
    }
    this.resources = out;
    this.groups = new Set(groupVersions.map((gv) => (gv.includes('/') ? gv.slice(0, gv.indexOf('/')) : '')));
  }

  /** Whether the server serves API group `group` at all (`''`: the core group). */
  servesGroup(group: string): boolean {
    return this.groups.has(group);
  }

  /** Whether the server serves `apiVersion`/`kind` (after {@link discover}). */
  serves(o: Pick<KubeObjectJson, 'apiVersion' | 'kind'>): boolean {
    return this.resources.has(`${o.apiVersion}/${o.kind}`);
  }

  private collectionPath(o: KubeObjectJson): string {
    const info = this.resources.get(`${o.apiVersion}/${o.kind}`);
    if (info === undefined)
      throw new Error(
        `the API server does not serve ${o.apiVersion} ${o.kind} (call discover() after installing its CRD)`,
      );
    const base = o.apiVersion.includes('/') ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
    const ns = info.namespaced ? `/namespaces/${o.metadata?.namespace ?? 'default'}` : '';
    return `${base}${ns}/${info.resource}`;
  }

  /** Server-side apply with strict field validation (unknown or duplicate fields are errors). */
  apply(o: KubeObjectJson, fieldManager = 'groundwork-test'): Promise<ApiResponse> {
    const q = `fieldManager=${fieldManager}&fieldValidation=Strict&force=true`;
    return this.request(
      'PATCH',
      `${this.collectionPath(o)}/${o.metadata?.name ?? ''}?${q}`,
      o,
      'application/apply-patch+yaml',
    );
  }

  /** Create (`dryRun`: admission runs in full, nothing is stored). */
  create(o: KubeObjectJson, dryRun = false): Promise<ApiResponse> {
    return this.request('POST', `${this.collectionPath(o)}?fieldValidation=Strict${dryRun ? '&dryRun=All' : ''}`, o);
  }

  /**
   * Every object the server stores, of every listable kind (after {@link discover}), once each:
   * `group/kind namespace/name` keys (a kind served at several versions is listed once).
   */
  async listAll(): Promise<Map<string, KubeObjectJson>> {
    const out = new Map<string, KubeObjectJson>();
    for (const [key, info] of this.resources) {
      if (!info.verbs.includes('list')) continue;
      const gv = key.slice(0, key.lastIndexOf('/'));
      const kind = key.slice(key.lastIndexOf('/') + 1);
      const group = gv.includes('/') ? gv.slice(0, gv.indexOf('/')) : '';
      const res = await this.request('GET', `${gv === 'v1' ? '/api/v1' : `/apis/${gv}`}/${info.resource}`);
      // a kind that cannot be listed would hide what it holds
      if (res.status !== 200)
        throw new Error(`cannot list ${gv} ${info.resource}: ${res.status} ${String(res.body.message)}`);
      for (const item of (res.body.items ?? []) as KubeObjectJson[]) {
        out.set(`${group}/${kind} ${item.metadata?.namespace ?? ''}/${item.metadata?.name ?? ''}`, item);
      }
    }
    return out;
  }

  /** Get one object. */
  get(o: KubeObjectJson): Promise<ApiResponse> {
    return this.request('GET', `${this.collectionPath(o)}/${o.metadata?.name ?? ''}`);
  }
}
