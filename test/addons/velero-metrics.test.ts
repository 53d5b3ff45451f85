/** Velero's ServiceMonitor (issue 20 item 2 leftovers): VeleroBackupFailed and VeleroBackupMissing need its metrics scraped. */
import { velero, type VeleroProps } from '../../constructs';
import { rendered } from '../helpers/stacks';

const STORAGE: VeleroProps['storage'] = {
  provider: 'aws',
  bucket: 'backups',
  region: 'eu-west-1',
  roleArn: 'arn:aws:iam::1:role/velero',
};

describe('Velero ServiceMonitor', () => {
  test('serviceMonitor: chart 12.1.0 metrics.serviceMonitor with the labels Prometheus selects, rendered without autodetection; the Prometheus Operator CRDs first', () => {
    const d = velero({ storage: STORAGE, serviceMonitor: true });
    expect(d.values.metrics).toEqual({
      enabled: true,
      serviceMonitor: { enabled: true, autodetect: false, additionalLabels: { release: 'kube-prometheus-stack' } },
    });
    expect(d.requiresCrds).toEqual(['monitoring.coreos.com']);
    expect(d.provides.metricsServices).toBeUndefined();
  });

  test('off by default: metrics on, no ServiceMonitor, no CRD requirement', () => {
    const d = velero({ storage: STORAGE });
    expect(d.values.metrics).toEqual({ enabled: true });
    expect(d.requiresCrds).toEqual([]);
    // the chart's metrics Service (12.1.0 templates/service.yaml), for the platform's ServiceMonitor
    expect(d.provides.metricsServices).toEqual([
      {
        name: 'velero',
        namespace: 'velero',
        matchLabels: { 'app.kubernetes.io/name': 'velero', 'app.kubernetes.io/instance': 'velero' },
        port: 'http-monitoring',
        path: '/metrics',
      },
    ]);
  });

  test.each(['dev', 'staging', 'prod'])('%s turns it on', (stack) => {
    const values = rendered(stack).addons.plan.addons.get('velero')?.values as { metrics: unknown };
    expect(values.metrics).toMatchObject({ serviceMonitor: { enabled: true } });
  });
});
