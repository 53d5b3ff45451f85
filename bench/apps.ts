/** The groundwork program the bench measures: N apps, the same as bench/plus-apps.ts writes with cdk8s-plus-28. */
import { App, Chart } from 'cdk8s';
import { WebService } from '../constructs';

/** N autoscaled WebServices with an Ingress (7 objects each) in one Chart. */
export function groundworkChart(n: number): Chart {
  const app = new App();
  const chart = new Chart(app, 'apps', { namespace: 'bench', disableResourceNameHashes: true });
  for (let i = 0; i < n; i++) {
    new WebService(chart, `app-${i}`, {
      image: `ghcr.io/acme/app-${i}:1.0.${i}`,
      port: 8080,
      autoscaling: { minReplicas: 2, maxReplicas: 6 },
      ingress: { host: `app-${i}.example.com`, className: 'nginx', clusterIssuer: 'letsencrypt-prod' },
      probes: { readiness: { type: 'http', path: '/ready' }, liveness: { type: 'http', path: '/live' } },
    });
  }
  return chart;
}
