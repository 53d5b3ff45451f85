/**
 * `npm run apiserver-check -- <stack|all|DIR>`: the stack's rendered output (or any directory of
 * manifests) against a real kube-apiserver started for the purpose (built from source, cached):
 * each refusal with its source, object and the server's message, then
 * `apiserver-check: objects=N accepted=A rejected=R pod_security_denied=P skipped=S`.
 * Exits 1 when anything is rejected or denied by Pod Security, 2 on a usage error.
 */
import * as fs from 'fs';
import type { ManifestObject } from '../constructs';
import {
  checkObjects,
  readManifests,
  reportLines,
  summaryLine,
  type CheckResult,
  type SourcedObject,
} from './apiserver/check';
import { startCluster } from './apiserver/cluster';
import { renderStack } from './render-stack';
import { stackNames } from './stack-config';
import { runCli, type ParsedArgs, UsageError } from './cli';

const USAGE = 'usage: npm run apiserver-check -- <stack|all|DIR>   (stacks: the Pulumi.<stack>.yaml files here)';

/** The objects a stack's synth writes: app waves in order, the add-on waves, the GitOps bootstrap. */
function stackObjects(stack: string): SourcedObject[] {
  const r = renderStack(stack);
  const from = (source: string, objects: readonly ManifestObject[]): SourcedObject[] =>
    objects.map((object) => ({ source, object }));
  return [
    ...r.waves.flatMap((w) => from(`${stack}/${w.name}.yaml`, w.objects)),
    ...r.gitops.files.flatMap((f) => from(`${stack}/addons/${f.name}.yaml`, f.objects)),
    ...from(`${stack}/addons-bootstrap.yaml`, r.gitops.bootstrap),
  ];
}

async function main(args: ParsedArgs): Promise<number> {
  if (args.positionals.length !== 1) throw new UsageError('name one stack, "all" or a directory');
  const target = args.positionals[0];
  const isDir = fs.existsSync(target) && fs.statSync(target).isDirectory();
  const stacks = target === 'all' ? stackNames() : isDir ? [] : [target];
  for (const s of stacks)
    if (!stackNames().includes(s))
      throw new UsageError(`unknown stack or directory "${target}" (stacks: ${stackNames().join(', ')})`);
  console.log(`apiserver-check: starting etcd and kube-apiserver (built from source on first use)`);
  const cluster = await startCluster();
  const results: CheckResult[] = [];
  try {
    const admin = cluster.as('admin');
    if (isDir) {
      const { objects, problems } = readManifests(target);
      results.push(await checkObjects(admin, objects, { earlier: problems }));
    } else {
      // one server per stack: the stacks share namespace and object names
      for (const [i, stack] of stacks.entries()) {
        const server = i === 0 ? cluster : await startCluster();
        try {
          const r = await checkObjects(server.as('admin'), stackObjects(stack), { crdsFromCharts: true });
          results.push(r);
          for (const line of reportLines(r)) console.log(`${stack}: ${line}`);
        } finally {
          if (server !== cluster) await server.stop();
        }
      }
    }
    if (isDir) for (const line of reportLines(results[0])) console.log(line);
  } finally {
    await cluster.stop();
  }
  console.log(summaryLine(results));
  return results.some((r) => r.rejections.length > 0) ? 1 : 0;
}

runCli(module, { usage: USAGE, exitWhenDone: true }, main);
