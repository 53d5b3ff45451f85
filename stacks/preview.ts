/**
 * `npm run preview -- <stack>`: runs the Pulumi program of `Pulumi.<stack>.yaml` under Pulumi's
 * mocks (no cloud account, no cluster, no engine) and prints every resource `pulumi up` would
 * register, grouped by provider package, ending with `preview: stack=<name> resources=N`. Outputs
 * only the cloud fills in (the cluster's OIDC issuer, ARNs, zones) get stand-in values. Exit codes
 * as in cli.ts: 0 listed, 1 the program refused the stack, 2 usage.
 */
import * as pulumi from '@pulumi/pulumi';
import { requireKnown, runCli, type ParsedArgs, UsageError } from './cli';
import { projectName, projectRoot, readStackFile, stackNames } from './stack-config';
import * as path from 'path';

/** A resource the mocked engine was asked to register. */
export interface PreviewResource {
  readonly type: string;
  readonly name: string;
  /** Its inputs, as the program gave them (outputs resolved). */
  readonly inputs: Readonly<Record<string, unknown>>;
}

/** The provider package of a type token (`aws:ec2/vpc:Vpc` → aws; a provider resource `pulumi:providers:aws` → aws). */
export function providerOf(type: string): string {
  const [pkg, , name] = type.split(':');
  return pkg === 'pulumi' && type.startsWith('pulumi:providers:') ? name : pkg;
}

/** Stand-ins for the outputs only the cloud knows, so that what derives from them registers. */
function cloudOutputs(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  region: string,
): Record<string, unknown> {
  const account = '000000000000';
  if (type === 'eks:index:Cluster')
    return { oidcIssuer: `oidc.eks.${region}.amazonaws.com/id/PREVIEW`, kubeconfigJson: '{"preview":true}' };
  if (type === 'aws:iam/openIdConnectProvider:OpenIdConnectProvider')
    return { arn: `arn:aws:iam::${account}:oidc-provider/${String(inputs.url).replace(/^https:\/\//, '')}` };
  const roleName = typeof inputs.name === 'string' ? inputs.name : name;
  if (type === 'aws:iam/role:Role') return { arn: `arn:aws:iam::${account}:role/${roleName}`, name: roleName };
  return {};
}

/** A data source the program invoked (a lookup: `pulumi up` asks the cloud). */
export interface PreviewInvoke {
  readonly token: string;
  readonly inputs: Readonly<Record<string, unknown>>;
}

/** Runs the program of `stack` under mocks; returns what it registered, in registration order. */
export async function previewStack(stack: string, root: string = projectRoot()): Promise<PreviewResource[]> {
  return (await previewRun(stack, root)).resources;
}

/** {@link previewStack}, with the invokes (data-source lookups) the program made, in order. */
export async function previewRun(
  stack: string,
  root: string = projectRoot(),
): Promise<{ resources: PreviewResource[]; invokes: PreviewInvoke[] }> {
  const raw = readStackFile(path.join(root, `Pulumi.${stack}.yaml`));
  const region = typeof raw['groundwork:awsRegion'] === 'string' ? raw['groundwork:awsRegion'] : 'us-east-1';
  const created: PreviewResource[] = [];
  const invokes: PreviewInvoke[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const inputs = args.inputs as Record<string, unknown>;
        created.push({ type: args.type, name: args.name, inputs });
        return { id: `${args.name}_id`, state: { ...inputs, ...cloudOutputs(args.type, args.name, inputs, region) } };
      },
      call: (args) => {
        invokes.push({ token: args.token, inputs: args.inputs as Record<string, unknown> });
        if (args.token === 'aws:index/getAvailabilityZones:getAvailabilityZones')
          return { names: ['a', 'b', 'c'].map((z) => `${region}${z}`) };
        const inputs = args.inputs as Record<string, unknown>;
        if (args.token === 'aws:route53/getZone:getZone') return { zoneId: 'ZPREVIEW', ...inputs };
        if (args.token === 'aws:s3/getBucket:getBucket')
          return { ...inputs, arn: `arn:aws:s3:::${String(inputs.bucket)}` };
        return inputs;
      },
    },
    projectName(root) ?? 'k8s-groundwork',
    stack,
    true,
  );
  pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)])));
  // loaded after the mocks: the program reads the stack from the runtime
  const { groundworkProgram } = await import('./program');
  groundworkProgram();
  // registrations (and ConfigGroups' children) arrive asynchronously: wait until none is added for a while
  for (let seen = -1, quiet = 0; quiet < 3;) {
    await new Promise((r) => setTimeout(r, 100));
    quiet = created.length === seen ? quiet + 1 : 0;
    seen = created.length;
  }
  return { resources: created, invokes };
}

/** The listing: resources grouped by provider package (sorted), each `type name`, then the summary line. */
export function formatPreview(stack: string, resources: readonly PreviewResource[]): string[] {
  const groups = new Map<string, PreviewResource[]>();
  for (const r of resources) groups.set(providerOf(r.type), [...(groups.get(providerOf(r.type)) ?? []), r]);
  const lines: string[] = [];
  for (const [provider, list] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`${provider} (${list.length})`);
    const sorted = [...list].sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
    lines.push(...sorted.map((r) => `  ${r.type} ${r.name}`));
  }
  lines.push(`preview: stack=${stack} resources=${resources.length}`);
  return lines;
}

/** The preview command's usage. */
export const PREVIEW_COMMAND = {
  usage: 'usage: npm run preview -- <stack>   (the Pulumi.<stack>.yaml files here; no cloud, no cluster)',
} as const;

async function main(args: ParsedArgs): Promise<number> {
  if (args.positionals.length !== 1) throw new UsageError('name one stack');
  const stack = args.positionals[0];
  requireKnown('stack', [stack], stackNames());
  const resources = await previewStack(stack);
  for (const line of formatPreview(stack, resources)) console.log(line);
  return 0;
}

runCli(module, { ...PREVIEW_COMMAND, exitWhenDone: true }, main);
