/**
 * The cdk8s-plus-28 program the bench measures, apart from bench/apps.ts so that a process running
 * one program loads only that program's modules.
 */
import { App, Chart } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/** cdk8s-plus-28 as a careful user writes it: one Chart, a Construct per app, `app.synth()` to files in `dir`. */
export function plusSingleChart(n: number, dir: string): void {
  const app = new App({ outdir: dir });
  const chart = new Chart(app, 'apps', { namespace: 'bench' });
  for (let i = 0; i < n; i++) {
    const g = new Construct(chart, `app-${i}`);
    const dep = new plus.Deployment(g, 'Deployment', {
      containers: [{ image: `ghcr.io/acme/app-${i}:1.0.${i}`, portNumber: 8080 }],
    });
    const svc = dep.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });
    new plus.Ingress(g, 'Ingress', {
      rules: [{ host: `app-${i}.example.com`, backend: plus.IngressBackend.fromService(svc) }],
    });
    new plus.HorizontalPodAutoscaler(g, 'Hpa', { target: dep, minReplicas: 2, maxReplicas: 6 });
  }
  app.synth();
}
