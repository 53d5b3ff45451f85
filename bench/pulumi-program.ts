/**
 * Times the Pulumi program of one stack under the mocked engine (`pulumi.runtime.setMocks`): read
 * the stack config, render, register every resource. Run in its own process per stack (the mocks
 * and the module cache are process-wide):
 *   node -r ./scripts/ts-hook.js bench/pulumi-program.ts <stack>
 * Prints one JSON line: { stack, loadMs, programMs, resources }. `programMs` runs from the first
 * line of the program to the last resource registration the mocked engine receives; values the
 * shipped stack file marks as examples are replaced first (the program refuses them, by design).
 */
import * as path from 'path';
import { exampleValueReason, type StackConfigKey } from '../constructs';
import { readStackFile } from '../stacks/stack-config';

/** Stand-ins for the shipped files' example values (a real user's values have the same shape). */
const REAL_LOOKING: Partial<Record<StackConfigKey, string>> = {
  domain: 'shop.acme.io',
  acmeEmail: 'platform@acme.io',
  gitRepoUrl: 'https://github.com/acme/platform.git',
  awsAccountId: '210987654321',
  backupBucket: 'acme-groundwork-backups',
  logsBucket: 'acme-groundwork-logs',
};

async function main(): Promise<void> {
  const stack = process.argv[2];
  const root = path.resolve(__dirname, '..');
  const loadStart = process.hrtime.bigint();
  const pulumi = await import('@pulumi/pulumi');
  await import('@pulumi/kubernetes');
  const loadMs = Number(process.hrtime.bigint() - loadStart) / 1e6;

  let resources = 0;
  let last = process.hrtime.bigint();
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        resources++;
        last = process.hrtime.bigint();
        return { id: `${args.name}_id`, state: args.inputs as Record<string, unknown> };
      },
      call: (args) => args.inputs as Record<string, unknown>,
    },
    'k8s-groundwork',
    stack,
    false,
  );
  const raw = readStackFile(path.join(root, `Pulumi.${stack}.yaml`));
  const config = Object.fromEntries(
    Object.entries(raw).map(([k, v]) => {
      const key = k.replace(/^groundwork:/, '') as StackConfigKey;
      const replacement = REAL_LOOKING[key];
      return [
        k,
        replacement !== undefined && exampleValueReason(key, String(v)) !== undefined ? replacement : String(v),
      ];
    }),
  );
  pulumi.runtime.setAllConfig(config);

  const start = process.hrtime.bigint();
  await import('../stacks/index');
  // registrations reach the mocked engine asynchronously: wait until none has arrived for 300 ms
  let seen = -1;
  while (seen !== resources) {
    seen = resources;
    await new Promise((r) => setTimeout(r, 300));
  }
  const programMs = Number(last - start) / 1e6;
  console.log(JSON.stringify({ stack, loadMs: Math.round(loadMs), programMs: Math.round(programMs), resources }));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
