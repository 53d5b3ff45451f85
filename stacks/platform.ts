import { App, Chart } from 'cdk8s';
import type { ManifestObject } from '../constructs';
import type { Environment } from '../environments';
import { DemoApps } from './demo-apps';

/** The cdk8s tree of one environment. Apps are plain Constructs under one Chart (linear synthesis). */
export interface Platform {
  readonly app: App;
  readonly apps: Chart;
}

/** Builds the construct tree for `env`. Synchronous; no I/O. */
export function buildPlatform(env: Environment): Platform {
  const app = new App();
  const apps = new Chart(app, 'apps', { disableResourceNameHashes: true });
  new DemoApps(apps, 'shop', env);
  return { app, apps };
}

/** Every object of the platform as plain JSON. */
export function platformObjects(platform: Platform): ManifestObject[] {
  return platform.app.charts.flatMap((c) => c.toJson() as ManifestObject[]);
}
