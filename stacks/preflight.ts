/**
 * Preflight: `npm run preflight -- <stack…|all>` (exit codes as in cli.ts: 0 ok, 1 something to set, 2 usage). Lists every value in `Pulumi.<stack>.yaml` still
 * at its shipped example or missing, and every prerequisite the environment assumes but does not
 * install. Exits non-zero when something must be set.
 */
import {
  type EnvironmentRendering,
  formatPreflight,
  preflight,
  type PreflightReport,
  type StackConfig,
} from '../constructs';
import { identityFindings, UNKNOWN_ZONE } from '../constructs/cloud';
import { renderLoaded } from './render-stack';
import { requireKnown, runCli, type ParsedArgs, UsageError } from './cli';
import type { Definitions } from '../environments';
import { loadStack, projectRoot, stackNames } from './stack-config';

/**
 * The report of a rendering, with one finding per IAM role it assumes: the ServiceAccounts the role
 * must trust and the actions and resources it must allow (none on a stack without roles).
 */
export function withIdentities(r: EnvironmentRendering, config: StackConfig): PreflightReport {
  const report = r.checks.preflight;
  const context = {
    region: config.awsRegion ?? '<region>',
    hostedZoneId: config.route53HostedZoneId ?? UNKNOWN_ZONE,
    clusterName: config.eksClusterName ?? '<cluster>',
  };
  const roles = identityFindings(r, context, config.cluster === 'create');
  return roles.length === 0 ? report : { ...report, findings: [...report.findings, ...roles] };
}

/** The preflight report of `stack`: from the full rendering when it builds, else from the config alone. */
export function preflightStack(stack: string, definitions?: Definitions): PreflightReport {
  const loaded = loadStack(stack, projectRoot(), definitions);
  try {
    // the stack file read once, for the rendering and for the report on the config alone
    return withIdentities(renderLoaded(loaded), loaded.config);
  } catch (e) {
    // the environment cannot be built: report on the config alone when that explains it (a
    // required key is missing), otherwise the failure is not preflight's to hide
    const fromConfig = preflight(loaded.definition, loaded.config, stack, loaded.source);
    if (fromConfig.ok) throw e;
    return fromConfig;
  }
}

/** The preflight command's usage. */
export const PREFLIGHT_COMMAND = {
  usage: 'usage: preflight <stack>…|all   (stacks: the Pulumi.<stack>.yaml files here)',
} as const;

/** The preflight command over `definitions` (the kit's by default). */
export function preflightCommand(definitions?: Definitions): (args: ParsedArgs) => number {
  return (args) => {
    const names = args.positionals;
    if (names.length === 0) throw new UsageError('name the stacks to check, or "all"');
    if (names.includes('all') && names.length > 1) throw new UsageError('"all" stands alone');
    const known = stackNames();
    const targets = names[0] === 'all' ? known : names;
    requireKnown('stack', targets, known);
    let failed = 0;
    for (const stack of targets) {
      const r = preflightStack(stack, definitions);
      for (const line of formatPreflight(r)) console.log(line);
      if (!r.ok) failed++;
    }
    return failed === 0 ? 0 : 1;
  };
}

runCli(
  module,
  { usage: PREFLIGHT_COMMAND.usage.replace('usage: preflight', 'usage: npm run preflight --') },
  preflightCommand(),
);
