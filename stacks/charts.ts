/**
 * `npm run charts -- package <addon…|all>`: rebuilds vendored chart archives from their sources
 * (stacks/helm/chart-sources.ts; checkouts under CHART_SOURCES_DIR).
 */
import type { AddonId } from '../constructs';
import { CHART_SOURCES } from './helm/chart-sources';
import { packageChart } from './helm/package-chart';
import { runAsyncCli } from './cli';

const USAGE = 'usage: npm run charts -- package <addon…|all>';

async function main(args: readonly string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === 'package' && rest.length > 0) {
    const ids = rest.includes('all') ? (Object.keys(CHART_SOURCES) as AddonId[]) : (rest as AddonId[]);
    for (const id of ids) console.log(`charts: ${id} -> ${packageChart(id)}`);
    return 0;
  }
  console.error(USAGE);
  return 2;
}

runAsyncCli(module, main);
