/** The programs the bench measures: N apps through groundwork, and the same through cdk8s-plus-28. */
import { App, Chart } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
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

/** cdk8s-plus-28 as a careful user writes it: one Chart, a Construct per app, `app.synth()` to files in `dir`. */
export function plusSingleChart(n: number, dir: string): void {
  const app = new App({ outdir: dir });
  const chart = new Chart(app, 'apps', { namespace: 'bench' });
  for (let i = 0; i < n; i++) {
    const g = new Construct(chart, `app-${i}`);
    const dep = new plus.Deployment(g, 'Deployment', { containers: [{ image: `ghcr.io/acme/app-${i}:1.0.${i}`, portNumber: 8080 }] });
    const svc = dep.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });
    new plus.Ingress(g, 'Ingress', { rules: [{ host: `app-${i}.example.com`, backend: plus.IngressBackend.fromService(svc) }] });
    new plus.HorizontalPodAutoscaler(g, 'Hpa', { target: dep, minReplicas: 2, maxReplicas: 6 });
  }
  app.synth();
}
