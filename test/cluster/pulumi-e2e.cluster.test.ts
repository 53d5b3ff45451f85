/**
 * `npm run pulumi-e2e -- <stack>` (stacks/pulumi-e2e.ts): `pulumi up` of the real program with the
 * Pulumi CLI and Kubernetes provider built from source, against a real control plane without
 * nodes; then a preview that must find nothing to change, a destroy, and nothing of the stack left
 * but the CRDs Helm keeps by design. Helm's record of every release must hold exactly the values
 * the add-on emits.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');

test.each(['kind', 'staging'])(
  'pulumi up, preview --expect-no-changes and destroy of the %s stack',
  (stack) => {
    const run = spawnSync('npm', ['run', '-s', 'pulumi-e2e', '--', stack], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    const line =
      /pulumi-e2e: stack=(\S+) created=(\d+) preview_changes=(\d+) destroyed=(\d+) left=(\d+) kept_crds=(\d+) values_mismatch=(\d+) seconds=(\d+)/.exec(
        run.stdout,
      );
    expect([
      run.status,
      line !== null,
      run.status === 0 ? '' : `${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`,
    ]).toEqual([0, true, '']);
    const [name, created, changes, destroyed, left, keptCrds, mismatch] = (line ?? []).slice(1, 8);
    expect(name).toBe(stack);
    expect(Number(created)).toBeGreaterThan(50);
    expect({ changes, destroyed, left, mismatch }).toEqual({
      changes: '0',
      destroyed: created,
      left: '0',
      mismatch: '0',
    });
    expect(Number(keptCrds)).toBeGreaterThan(0);
  },
  1_200_000,
);
