/**
 * Preflight: `npm run preflight -- <stack…|all>`. Lists every value in `Pulumi.<stack>.yaml` still
 * at its shipped example or missing, and every prerequisite the environment assumes but does not
 * install. Exits non-zero when something must be set.
 */
import { formatPreflight, preflight, type PreflightReport } from '../constructs';
import { renderStack } from './render-stack';
import { runCli } from './cli';
import { loadStack, stackNames } from './stack-config';

/** The preflight report of `stack`: from the full rendering when it builds, else from the config alone. */
export function preflightStack(stack: string): PreflightReport {
  const loaded = loadStack(stack);
  try {
    return renderStack(stack).checks.preflight;
  } catch (e) {
    // the environment cannot be built: report on the config alone when that explains it (a
    // required key is missing), otherwise the failure is not preflight's to hide
    const fromConfig = preflight(loaded.definition, loaded.config, stack, loaded.source);
    if (fromConfig.ok) throw e;
    return fromConfig;
  }
}

function main(argv: readonly string[]): number {
  const names = argv.filter((a) => !a.startsWith('--'));
  const targets = names.length === 0 || names.includes('all') ? stackNames() : names;
  let failed = 0;
  for (const stack of targets) {
    const r = preflightStack(stack);
    for (const line of formatPreflight(r)) console.log(line);
    if (!r.ok) failed++;
  }
  return failed === 0 ? 0 : 1;
}

runCli(module, main);
