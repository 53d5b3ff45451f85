import { WebService, WebServiceMonitoring } from '../../constructs';
import { errorOf, one, synth } from '../helpers/synth';

describe('WebServiceMonitoring', () => {
  test('a ServiceMonitor on the service port and a PrometheusRule with availability and crash-loop alerts', () => {
    const objs = synth((c) => {
      const api = new WebService(c, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080, extraPorts: [{ name: 'metrics', containerPort: 9090 }] });
      new WebServiceMonitoring(c, 'api-monitoring', { service: api, port: 'metrics', unavailableForMinutes: 5 });
    });
    const sm = one(objs, 'ServiceMonitor');
    expect(sm.metadata).toMatchObject({ name: 'api', namespace: 'apps' });
    expect(sm.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'api' } });
    expect(sm.spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '30s' }]);
    const rule = one(objs, 'PrometheusRule');
    const [unavailable, crashloop] = rule.spec.groups[0].rules;
    expect(unavailable).toMatchObject({
      alert: 'WebServiceReplicasUnavailable',
      for: '5m',
      expr: 'kube_deployment_status_replicas_unavailable{namespace="apps", deployment="api"} > 0',
    });
    expect(crashloop.expr).toContain('container="api"');
  });

  test('defaults to the main port; bad settings are refused with the path', () => {
    const objs = synth((c) => new WebServiceMonitoring(c, 'mon', { service: new WebService(c, 'web', { image: 'ghcr.io/acme/web:1.0.0', port: 8080 }) }));
    expect(one(objs, 'ServiceMonitor').spec.endpoints[0].port).toBe('http');
    expect(
      errorOf(
        (c) =>
          new WebServiceMonitoring(c, 'mon', { service: new WebService(c, 'web', { image: 'ghcr.io/acme/web:1.0.0', port: 8080 }), interval: '30 seconds' }),
      ),
    ).toBe('WebServiceMonitoring \'test/mon\': interval ("30 seconds") must be a duration such as "30s"');
  });
});
