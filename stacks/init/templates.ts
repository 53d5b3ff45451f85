/**
 * The files `k8s-groundwork init` writes: a platform repository that depends on the published
 * package, with its own environments (the kit's profiles), its own apps (one example tenant) and
 * the same commands as the kit. Pure: names and versions in, file texts out.
 */

/** What the scaffold is made of. */
export interface ScaffoldInput {
  /** Project name (Pulumi project and npm package). */
  readonly name: string;
  /** How package.json names k8s-groundwork (a version range, or `file:` a packed tarball). */
  readonly packageSpec: string;
  /** Version ranges of the other dependencies, read from the kit's own package.json. */
  readonly versions: Readonly<
    Record<
      'cdk8s' | 'constructs' | 'typescript' | 'ts-node' | '@types/node' | '@pulumi/pulumi' | '@pulumi/kubernetes',
      string
    >
  >;
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

function packageJson(i: ScaffoldInput): string {
  const v = i.versions;
  return json({
    name: i.name,
    private: true,
    description: 'Our Kubernetes platform: environments, apps and their stacks, on k8s-groundwork',
    // type checking is `npm test`'s (tsc --noEmit): each synth only transpiles (0.6 s against 1.2-1.6 s measured)
    scripts: {
      synth: 'ts-node --transpile-only platform.ts synth',
      preflight: 'ts-node --transpile-only platform.ts preflight',
      catalog: 'ts-node --transpile-only platform.ts catalog',
      test: 'tsc --noEmit && node -r ts-node/register/transpile-only --test test/platform.test.ts',
    },
    dependencies: {
      'k8s-groundwork': i.packageSpec,
      cdk8s: v.cdk8s,
      constructs: v.constructs,
      '@pulumi/pulumi': v['@pulumi/pulumi'],
      '@pulumi/kubernetes': v['@pulumi/kubernetes'],
    },
    devDependencies: { typescript: v.typescript, 'ts-node': v['ts-node'], '@types/node': v['@types/node'] },
    engines: { node: '>=20' },
  });
}

const TSCONFIG = json({
  compilerOptions: {
    target: 'ES2022',
    module: 'commonjs',
    moduleResolution: 'node10',
    lib: ['ES2022'],
    types: ['node'],
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    isolatedModules: true,
  },
  include: ['*.ts', 'apps', 'environments', 'test'],
});

const ENVIRONMENTS = `/**
 * Our environments: the kit's profiles with our apps. \`groundwork:environment\` in
 * Pulumi.<stack>.yaml picks one by name; user values (domain, account, buckets) come from there.
 */
import type { EnvironmentDefinition } from 'k8s-groundwork';
import { DEV_PROFILE, eksEnvironment, kindEnvironment, PROD_PROFILE, STAGING_PROFILE } from 'k8s-groundwork/environments';
import { teamApps } from '../apps';

const apps = [teamApps];

export const definitions: Readonly<Record<string, EnvironmentDefinition>> = {
  kind: kindEnvironment({ apps }),
  dev: eksEnvironment({ ...DEV_PROFILE, apps }),
  staging: eksEnvironment({ ...STAGING_PROFILE, apps }),
  prod: eksEnvironment({ ...PROD_PROFILE, apps }),
};
`;

const APPS = `/**
 * Our apps, built against the platform contract: every reference to the platform (its Gateway or
 * IngressClass, its issuers, its secret store) is read from \`contract\`, so turning off an add-on
 * an app needs fails at synth, naming both. Add a tenant per team and its workloads here.
 */
import type { Chart } from 'cdk8s';
import { type AppContext, Tenant, WebService } from 'k8s-groundwork';

/** Team A: one namespace, its access groups and quota, and a web service behind the platform's entry point. */
export function teamApps(chart: Chart, { env, contract }: AppContext): void {
  const where = "teamApps 'team-a'";
  new Tenant(chart, 'TeamA', {
    name: 'team-a',
    environment: env.name,
    namespaces: [{ name: 'team-a' }],
    platform: contract,
    labels: env.labels,
    access: { admins: ['team-a-admins'], editors: ['team-a-developers'], viewers: ['team-a-viewers'] },
    quota: { cpu: '4', memory: '8Gi', pods: 30 },
    // on a cloud store, the tenant's own secret role (the shared store's role reaches every secret)
    ...(env.tenantSecretRolePrefix !== undefined ? { secretStore: { roleArn: \`\${env.tenantSecretRolePrefix}team-a\` } } : {}),
  });
  const entry = contract.entryPoint(where);
  const host = \`hello.team-a.\${env.domain}\`;
  const issuer = env.tlsIssuer !== undefined && !('gateway' in entry) ? contract.clusterIssuer(where, env.tlsIssuer) : undefined;
  new WebService(chart, 'Hello', {
    name: 'hello',
    namespace: 'team-a',
    labels: env.labels,
    image: 'hashicorp/http-echo:1.0.0',
    args: ['-listen=:8080', '-text=hello from team-a'],
    port: 8080,
    probes: { readiness: { type: 'http', path: '/health' }, liveness: { type: 'tcp' } },
    resources: { cpuRequest: '25m', memoryRequest: '32Mi', memoryLimit: '64Mi' },
    autoscaling: { minReplicas: env.web.minReplicas, maxReplicas: env.web.maxReplicas, cpuUtilization: 70 },
    networkPolicy: { egress: { allowTo: [] } },
    ...('gateway' in entry
      ? { route: { gateway: { name: entry.gateway.name, namespace: entry.gateway.namespace, proxies: entry.gateway.proxies }, hostnames: [host] } }
      : {
          ingress: {
            host,
            className: entry.ingressClass.name,
            controller: entry.ingressClass.controller,
            ...(issuer !== undefined ? { clusterIssuer: issuer } : {}),
          },
        }),
  });
}
`;

const PLATFORM = `/** The commands, over our environments: \`npm run synth|preflight|catalog -- …\` (\`--help\` on each). */
import { runPlatform } from 'k8s-groundwork/pipeline';
import { definitions } from './environments';

runPlatform(module, definitions);
`;

const PULUMI_PROGRAM = `/** The Pulumi program: \`pulumi up --stack <kind|dev|staging|prod>\`, the same rendering \`npm run synth\` writes. */
import { groundworkProgram } from 'k8s-groundwork/program';
import { definitions } from './environments';

const outputs = groundworkProgram(definitions);

export const environment = outputs.environment;
export const waves = outputs.waves;
export const addonReleases = outputs.addonReleases;
`;

const CDK8S_APP = `/** \`cdk8s synth\`: the kind stack (or GROUNDWORK_STACK) into cdk8s's output folder. */
import { synthStack } from 'k8s-groundwork/pipeline';
import { definitions } from './environments';

synthStack(process.env.GROUNDWORK_STACK ?? 'kind', process.env.CDK8S_OUTDIR ?? 'dist', definitions);
`;

const TEST = `/**
 * What must hold for every stack, as generated and once real values are filled in: it renders, no
 * object breaks a hardening rule (checkManifests), nothing is applied before what it needs, the
 * add-ons fit the budget; and kind runs our example tenant.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { renderStack, stackNames } from 'k8s-groundwork/pipeline';
import { definitions } from '../environments';

const root = path.resolve(__dirname, '..');

for (const stack of stackNames(root)) {
  test(\`\${stack} renders with every check passing\`, () => {
    const r = renderStack(stack, root, definitions);
    assert.deepEqual(r.checks.hardening, []);
    assert.deepEqual(r.checks.platform, []);
    assert.deepEqual(r.checks.budget, []);
  });
}

test('kind runs the example tenant', () => {
  const r = renderStack('kind', root, definitions);
  const hello = r.objects.find((o) => o.kind === 'Deployment' && o.metadata?.name === 'hello');
  assert.equal(hello?.metadata?.namespace, 'team-a');
});
`;

function stackFile(env: string, lines: readonly string[]): string {
  return [
    `# Stack "${env}". Values marked EXAMPLE are placeholders: \`npm run preflight -- ${env}\` lists each one still to set.`,
    'config:',
    `  groundwork:environment: ${env}`,
    ...lines.map((l) => `  ${l}`),
    '',
  ].join('\n');
}

function eksStack(env: string): string {
  return stackFile(env, [
    `groundwork:kubeContext: ${env}-cluster                       # your kubeconfig context`,
    `groundwork:domain: ${env}.example.com                        # EXAMPLE`,
    'groundwork:acmeEmail: platform@example.com                   # EXAMPLE',
    'groundwork:gitRepoUrl: https://github.com/example-org/platform.git   # EXAMPLE: the repository GitOps reads',
    `groundwork:gitPath: deploy/${env}`,
    'groundwork:awsAccountId: "111111111111"                      # EXAMPLE',
    'groundwork:awsRegion: eu-west-1',
    `groundwork:eksClusterName: ${env}-cluster`,
    `groundwork:backupBucket: example-${env}-backups              # EXAMPLE`,
    `groundwork:logsBucket: example-${env}-logs                   # EXAMPLE`,
  ]);
}

const WORKFLOW = `# Every push and pull request: type-check and test, render every stack, and say what is still to set.
name: platform
on: [push, pull_request]
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with: { node-version: 22, cache: npm }
      - run: npm ci
      # type-check, then every stack renders with checkManifests, the platform order and the budget passing
      - run: npm test
      - run: npm run synth -- all --out deploy
      # kind needs nothing; a cloud stack lists what is still to set (and fails until it is set)
      - run: npm run preflight -- kind
`;

const RENOVATE = json({
  $schema: 'https://docs.renovatebot.com/renovate-schema.json',
  extends: ['config:recommended'],
  packageRules: [{ matchPackageNames: ['k8s-groundwork'], groupName: 'k8s-groundwork', minimumReleaseAge: '3 days' }],
});

const README = (name: string): string => `# ${name}

Our Kubernetes platform on [k8s-groundwork](https://www.npmjs.com/package/k8s-groundwork): environments in \`environments/\`, apps in \`apps/\`, one Pulumi stack file per environment.

1. \`npm install\`
2. \`npm run synth\`: the kind stack as YAML into \`dist/kind/\` (\`-- all\` for every stack, \`--out DIR\` elsewhere)
3. \`npm test\`: type-check; every stack renders with every check passing
4. \`npm run preflight -- prod\`: what is still to set in \`Pulumi.prod.yaml\` (\`pulumi config set domain shop.example.org --stack prod\` writes it)
5. \`pulumi up --stack kind\`: the same rendering applied by Pulumi

Exit codes of every command: 0 ok, 1 a check failed, 2 usage error (\`--help\` on each).
`;

/** Every file of the scaffold, by path. */
export function scaffoldFiles(i: ScaffoldInput): ReadonlyMap<string, string> {
  return new Map<string, string>([
    ['package.json', packageJson(i)],
    ['tsconfig.json', TSCONFIG],
    ['.gitignore', 'node_modules/\ndist/\n'],
    ['Pulumi.yaml', `name: ${i.name}\nruntime:\n  name: nodejs\n  options:\n    typescript: true\nmain: index.ts\n`],
    [
      'Pulumi.kind.yaml',
      stackFile('kind', ['groundwork:kubeContext: kind-groundwork', 'groundwork:domain: groundwork.localhost']),
    ],
    ['Pulumi.dev.yaml', eksStack('dev')],
    ['Pulumi.staging.yaml', eksStack('staging')],
    ['Pulumi.prod.yaml', eksStack('prod')],
    ['environments/index.ts', ENVIRONMENTS],
    ['apps/index.ts', APPS],
    ['platform.ts', PLATFORM],
    ['index.ts', PULUMI_PROGRAM],
    ['cdk8s.yaml', 'language: typescript\napp: npx ts-node --transpile-only cdk8s-app.ts\n'],
    ['cdk8s-app.ts', CDK8S_APP],
    ['test/platform.test.ts', TEST],
    ['.github/workflows/platform.yaml', WORKFLOW],
    ['renovate.json', RENOVATE],
    ['README.md', README(i.name)],
  ]);
}
