/**
 * `npm run pulumi-e2e -- <kind|staging>`: the Pulumi program (stacks/program.ts) deployed for real
 * to a real control plane started for the purpose: etcd, kube-apiserver and kube-controller-manager
 * built from source (stacks/apiserver/build-binaries.sh), the Pulumi CLI and the Kubernetes provider
 * built from source (stacks/pulumi/build-pulumi.sh), a local state backend in a temporary folder.
 * Stack config comes from test/fixtures/stacks/<stack>.yaml plus the run's own kubeconfig and context, the
 * vendored charts (`groundwork:chartsDir`) and `groundwork:skipAwait` (no nodes: nothing becomes
 * ready, so Pulumi must not wait for readiness and Helm must not run hook Jobs).
 * Runs `up`, then `preview --expect-no-changes`, then `destroy`, then lists the server's objects
 * against those that were there before `up`. Prints
 * `pulumi-e2e: stack=S created=N preview_changes=0 destroyed=N left=L kept_crds=K values_mismatch=M seconds=T`
 * (K: CRDs the stack's charts install, which Helm keeps by design; M: releases whose values, as Helm
 * stored them, differ from the add-on's); exits 1 on any failure, including anything else left.
 *
 * The program runs through the Automation API's inline-program language server (@pulumi/pulumi's
 * own): the CLI's Node.js language host, a module of its own
 * (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3), is not served by the Go module
 * proxy. The provider is the project's plugin for `kubernetes` (Pulumi.yaml `plugins.providers`,
 * here in the workspace's project settings): the proxy serves provider v4.25.0, the SDK asks for
 * its own version, and a project plugin is used whatever version is asked for.
 */
import { execFileSync } from 'child_process';
import { isDeepStrictEqual } from 'util';
import { gunzipSync } from 'zlib';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalWorkspace, type ProjectSettings, PulumiCommand, type Stack } from '@pulumi/pulumi/automation';
import { KUBECONFIG_CONTEXT, startCluster, type TestCluster } from './apiserver/cluster';
import type { KubeClient, KubeObjectJson } from './apiserver/kube-client';
import { CHARTS_DIR, helmBinary } from './helm/package-chart';
import { helmTemplate } from './helm/template';
import { requireKnown, runCli, type ParsedArgs, UsageError } from './cli';
import { type EnvironmentRendering, parseStackConfig, renderEnvironment } from '../constructs';
import { definitionFor } from '../environments';
import { groundworkProgram } from './program';
import { KIT_ROOT, readStackFile } from './stack-config';

const FIXTURES = path.join(KIT_ROOT, 'test/fixtures/stacks');
/** The stacks with an e2e fixture. */
const STACKS = fs
  .readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.slice(0, -'.yaml'.length));
const USAGE = `usage: npm run pulumi-e2e -- <${STACKS.join('|')}>`;

/**
 * Objects the control plane makes on its own, not the stack's: events and leases (kept a while),
 * and the APIService the API server registers for each served CRD group (labelled automanaged).
 */
function controlPlanes(key: string, o: KubeObjectJson): boolean {
  const kind = key.slice(0, key.indexOf(' '));
  if (kind === '/Event' || kind === 'events.k8s.io/Event' || kind === 'coordination.k8s.io/Lease') return true;
  const labels = (o.metadata?.labels ?? {}) as Record<string, string>;
  return (
    kind === 'apiregistration.k8s.io/APIService' && labels['kube-aggregator.kubernetes.io/automanaged'] !== undefined
  );
}

/** A ClusterRole whose only writer is kube-controller-manager's clusterrole-aggregation controller. */
/**
 * The releases whose values, as Helm stored them (the `config` of the release record in its
 * `sh.helm.release.v1.<name>.v<revision>` Secret: base64 of gzipped JSON), are not exactly the
 * values the project emits for the add-on.
 */
async function releasedValuesMismatch(admin: KubeClient, rendering: EnvironmentRendering): Promise<string[]> {
  const out: string[] = [];
  for (const d of rendering.addons.declarations) {
    const res = await admin.request(
      'GET',
      `/api/v1/namespaces/${d.namespace}/secrets/sh.helm.release.v1.${d.releaseName}.v1`,
    );
    const data = (res.body.data ?? {}) as { release?: string };
    if (res.status !== 200 || data.release === undefined) {
      out.push(`${d.id}: no Helm release record (${res.status})`);
      continue;
    }
    const record = JSON.parse(
      gunzipSync(Buffer.from(Buffer.from(data.release, 'base64').toString('utf8'), 'base64')).toString('utf8'),
    ) as { config?: unknown };
    if (!isDeepStrictEqual(record.config ?? {}, d.values))
      out.push(`${d.id}: Helm holds other values than the add-on emits`);
  }
  return out;
}

/** The listing keys of every CRD the rendering's charts install (`helm template --include-crds` of the vendored archives). */
function chartCrdKeys(rendering: EnvironmentRendering): Set<string> {
  const helm = helmBinary();
  return new Set(
    rendering.addons.declarations.flatMap((d) =>
      helmTemplate(helm, d)
        .objects.filter((o) => o.kind === 'CustomResourceDefinition')
        .map((o) => `apiextensions.k8s.io/CustomResourceDefinition /${String(o.metadata?.name)}`),
    ),
  );
}

/** The names of the aggregated ClusterRoles (those with an aggregationRule) on the server. */
async function aggregatedClusterRoles(admin: KubeClient): Promise<Set<string>> {
  const list = await admin.request('GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles');
  return new Set(
    ((list.body.items ?? []) as { metadata?: { name?: string }; aggregationRule?: unknown }[])
      .filter((r) => r.aggregationRule !== undefined)
      .map((r) => String(r.metadata?.name)),
  );
}

/**
 * A ClusterRole kube-controller-manager made again after the stack deleted it: its
 * clusterrole-aggregation controller writes the rules it computed for an aggregated ClusterRole by
 * server-side apply, which creates the object when it was deleted since the controller read it
 * (kubernetes v1.35.4 pkg/controller/clusterroleaggregation/clusterroleaggregation_controller.go).
 * What it creates has the name and nothing else: no labels, no aggregationRule, no rules.
 */
function recreatedByAggregation(key: string, o: KubeObjectJson, aggregated: ReadonlySet<string>): boolean {
  const role = o as KubeObjectJson & { aggregationRule?: unknown; rules?: unknown[] | null };
  return (
    key.startsWith('rbac.authorization.k8s.io/ClusterRole ') &&
    aggregated.has(String(o.metadata?.name)) &&
    role.aggregationRule === undefined &&
    o.metadata?.labels === undefined &&
    (role.rules ?? []).length === 0
  );
}

/** Waits (up to two minutes) until no namespace is terminating. */
async function waitForNamespaces(admin: KubeClient): Promise<void> {
  for (let i = 0; i < 120; i++) {
    const list = await admin.request('GET', '/api/v1/namespaces');
    const terminating = ((list.body.items ?? []) as { status?: { phase?: string } }[]).some(
      (n) => n.status?.phase === 'Terminating',
    );
    if (!terminating) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** How old a hook object must be before it is deleted (see {@link reapHooks}). */
const HOOK_GRACE_MS = 8000;

/**
 * Deletes every Helm hook Job and Pod while `destroy` runs. Helm runs a chart's pre-delete hooks on
 * uninstall and waits for them, and they never complete without nodes; the provider (v4.25.0
 * provider/pkg/provider/helm_release.go Delete) gives uninstall no way to skip hooks, as install's
 * `disableWebhooks` does. Helm takes a hook object's deletion as the hook's end (helm v3.18.6
 * pkg/kube/client.go watchUntilReady: `case watch.Deleted: return true, nil`), as an operator
 * deleting a stuck hook Job would make it. Helm watches a hook right after creating it, and its
 * watch never sees an object deleted before it started (it lists by name, then waits), so an object
 * is deleted only once it is {@link HOOK_GRACE_MS} old.
 */
function reapHooks(admin: KubeClient): { reaped: string[]; stop(): Promise<void> } {
  const reaped: string[] = [];
  let running = true;
  const sweep = async (collection: string, resource: string): Promise<void> => {
    const list = await admin.request('GET', collection).catch(() => undefined);
    for (const o of (list?.body.items ?? []) as KubeObjectJson[]) {
      const meta = o.metadata as
        | { name?: string; namespace?: string; annotations?: Record<string, string>; creationTimestamp?: string }
        | undefined;
      const hook = meta?.annotations?.['helm.sh/hook'];
      if (hook === undefined || !(Date.now() - Date.parse(String(meta?.creationTimestamp)) > HOOK_GRACE_MS)) continue;
      const path = `${collection.replace(/\/[a-z]+$/, '')}/namespaces/${meta?.namespace}/${resource}/${meta?.name}?propagationPolicy=Background`;
      const res = await admin.request('DELETE', path).catch(() => undefined);
      if (res !== undefined && res.status < 300) reaped.push(`${resource} ${meta?.namespace}/${meta?.name} (${hook})`);
    }
  };
  const loop = async (): Promise<void> => {
    while (running) {
      await sweep('/apis/batch/v1/jobs', 'jobs');
      await sweep('/api/v1/pods', 'pods');
      await new Promise((r) => setTimeout(r, 1000));
    }
  };
  const done = loop();
  return {
    reaped,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

/** A Pulumi stack of this project in a temporary workspace under `work`, its CLI and provider from `pulumiBin`. */
async function createStack(work: string, stackName: string, pulumiBin: string): Promise<Stack> {
  // PulumiCommand finds the CLI at <root>/bin/pulumi
  fs.mkdirSync(path.join(work, 'cli', 'bin'), { recursive: true });
  fs.symlinkSync(path.join(pulumiBin, 'pulumi'), path.join(work, 'cli', 'bin', 'pulumi'));
  fs.mkdirSync(path.join(work, 'state'));
  const pulumiCommand = await PulumiCommand.get({ root: path.join(work, 'cli') });
  // Pulumi.yaml's `plugins` section (not in the SDK's ProjectSettings type; the workspace writes the settings as given)
  const projectSettings: ProjectSettings & { plugins: { providers: { name: string; path: string }[] } } = {
    name: 'k8s-groundwork',
    runtime: 'nodejs',
    plugins: { providers: [{ name: 'kubernetes', path: pulumiBin }] },
  };
  return LocalWorkspace.createStack(
    { stackName, projectName: 'k8s-groundwork', program: () => Promise.resolve(groundworkProgram()) },
    {
      pulumiCommand,
      workDir: fs.mkdtempSync(path.join(work, 'project-')),
      pulumiHome: path.join(work, 'home'),
      projectSettings,
      envVars: {
        PULUMI_BACKEND_URL: `file://${path.join(work, 'state')}`,
        PULUMI_CONFIG_PASSPHRASE: 'pulumi-e2e',
        PULUMI_SKIP_UPDATE_CHECK: 'true',
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
      },
    },
  );
}

/** The stack config of the run: the fixture, plus the run's own cluster, the vendored charts and no readiness waits. */
function runConfig(stackName: string, cluster: TestCluster): Record<string, string> {
  const fixture = readStackFile(path.join(FIXTURES, `${stackName}.yaml`));
  return {
    ...Object.fromEntries(Object.entries(fixture).map(([k, v]) => [k, String(v)])),
    'groundwork:kubeconfig': cluster.kubeconfig('admin'),
    'groundwork:kubeContext': KUBECONFIG_CONTEXT,
    'groundwork:chartsDir': CHARTS_DIR,
    'groundwork:skipAwait': 'true',
  };
}

/** What is on the server after destroy that was not before `up`, sorted: left (a failure), the charts' CRDs Helm keeps, and re-created empty ClusterRoles. */
async function afterDestroy(
  admin: KubeClient,
  before: ReadonlyMap<string, KubeObjectJson>,
  rendering: EnvironmentRendering,
  aggregated: ReadonlySet<string>,
) {
  // a deleted namespace goes once kube-controller-manager has emptied it
  await waitForNamespaces(admin);
  await admin.discover();
  const after = [...(await admin.listAll())].filter(([key, o]) => !before.has(key) && !controlPlanes(key, o));
  const chartCrds = chartCrdKeys(rendering);
  const recreated = after.filter(([key, o]) => recreatedByAggregation(key, o, aggregated));
  const kept = after.filter(([key]) => chartCrds.has(key));
  const left = after.filter(([key, o]) => !chartCrds.has(key) && !recreatedByAggregation(key, o, aggregated));
  for (const [key] of left) console.log(`pulumi-e2e: left after destroy: ${key}`);
  for (const [key] of recreated)
    console.log(
      `pulumi-e2e: re-created after destroy by kube-controller-manager's clusterrole-aggregation controller, empty, not the stack's: ${key}`,
    );
  if (kept.length > 0)
    console.log(
      `pulumi-e2e: ${kept.length} CustomResourceDefinitions of the charts stay, as Helm keeps them (a chart's crds/ folder is never deleted; templated ones annotated helm.sh/resource-policy: keep)`,
    );
  return { left: left.length, kept: kept.length };
}

/** up, the values check, preview, destroy and the listing, on a started cluster; returns the summary counts. */
async function runStack(stackName: string, cluster: TestCluster, work: string, pulumiBin: string, log: string) {
  const admin = cluster.as('admin');
  await admin.discover();
  const before = await admin.listAll();
  const config = runConfig(stackName, cluster);
  const stack = await createStack(work, stackName, pulumiBin);
  await stack.setAllConfig(Object.fromEntries(Object.entries(config).map(([k, value]) => [k, { value }])));
  const onOutput = (text: string): void => fs.appendFileSync(log, text);
  const up = await stack.up({ onOutput });
  const created = up.summary.resourceChanges?.create ?? 0;
  console.log(`pulumi-e2e: up: ${up.summary.result}, ${created} created`);
  // the rendering the program made, for what it installed: the values and the charts' CRDs
  const parsed = parseStackConfig(config, stackName, `test/fixtures/stacks/${stackName}.yaml`);
  const rendering = renderEnvironment(definitionFor(parsed.environment), parsed, { stack: stackName });
  const mismatched = await releasedValuesMismatch(admin, rendering);
  for (const m of mismatched) console.log(`pulumi-e2e: up: ${m}`);
  const aggregated = await aggregatedClusterRoles(admin);
  const preview = await stack.preview({ onOutput, expectNoChanges: true });
  const changes = Object.entries(preview.changeSummary)
    .filter(([op]) => op !== 'same')
    .reduce((n, [, count]) => n + count, 0);
  console.log(`pulumi-e2e: preview: ${JSON.stringify(preview.changeSummary)}`);
  const reaper = reapHooks(admin);
  const destroy = await stack.destroy({ onOutput }).finally(() => reaper.stop());
  for (const hook of reaper.reaped)
    console.log(`pulumi-e2e: destroy: deleted Helm hook ${hook} (it cannot run without nodes)`);
  const destroyed = destroy.summary.resourceChanges?.delete ?? 0;
  console.log(`pulumi-e2e: destroy: ${destroy.summary.result}, ${destroyed} deleted`);
  const { left, kept } = await afterDestroy(admin, before, rendering, aggregated);
  const ok = up.summary.result === 'succeeded' && destroy.summary.result === 'succeeded';
  return { ok, created, changes, destroyed, left, kept, mismatched: mismatched.length };
}

async function main(args: ParsedArgs): Promise<number> {
  if (args.positionals.length !== 1) throw new UsageError('name one stack');
  requireKnown('stack', args.positionals, STACKS);
  const stackName = args.positionals[0];
  const started = Date.now();
  const pulumiBin = execFileSync('bash', [path.join(KIT_ROOT, 'stacks/pulumi/build-pulumi.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pulumi-e2e-'));
  const log = path.join(work, 'pulumi.log');
  console.log(
    `pulumi-e2e: starting etcd, kube-apiserver and kube-controller-manager (built from source on first use); log ${log}`,
  );
  const cluster = await startCluster([], { controllers: true, webhooks: false });
  try {
    const r = await runStack(stackName, cluster, work, pulumiBin, log);
    const seconds = Math.round((Date.now() - started) / 1000);
    console.log(
      `pulumi-e2e: stack=${stackName} created=${r.created} preview_changes=${r.changes} destroyed=${r.destroyed} left=${r.left} kept_crds=${r.kept} values_mismatch=${r.mismatched} seconds=${seconds}`,
    );
    return r.ok && r.changes === 0 && r.destroyed === r.created && r.left === 0 && r.mismatched === 0 ? 0 : 1;
  } catch (e) {
    // the engine's own account of what failed, before the folder goes
    if (fs.existsSync(log)) console.log(fs.readFileSync(log, 'utf8').split('\n').slice(-60).join('\n'));
    throw e;
  } finally {
    await cluster.stop();
    if (process.env.KEEP_E2E !== 'true') fs.rmSync(work, { recursive: true, force: true });
  }
}

runCli(module, { usage: USAGE }, main);
