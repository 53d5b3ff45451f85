import { canReach, platformAddons, WebService, WebServiceMonitoring } from '../../constructs';
import { errorOf, one, synth } from '../helpers/synth';
import { rendered } from '../helpers/stacks';
/** A platform with monitoring (the kind stack's contract). */
const monitoringPlatform = () => rendered('kind').contract;

describe('WebServiceMonitoring', () => {
  test('a ServiceMonitor on the service port and a PrometheusRule with availability and crash-loop alerts', () => {
    const objs = synth((c) => {
      const api = new WebService(c, 'api', {
        image: 'ghcr.io/acme/api:1.0.0',
        port: 8080,
        extraPorts: [{ name: 'metrics', containerPort: 9090 }],
      });
      new WebServiceMonitoring(c, 'api-monitoring', {
        platform: monitoringPlatform(),
        service: api,
        port: 'metrics',
        unavailableForMinutes: 5,
      });
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
    const objs = synth(
      (c) =>
        new WebServiceMonitoring(c, 'mon', {
          platform: monitoringPlatform(),
          service: new WebService(c, 'web', { image: 'ghcr.io/acme/web:1.0.0', port: 8080 }),
        }),
    );
    expect(one(objs, 'ServiceMonitor').spec.endpoints[0].port).toBe('http');
    expect(
      errorOf(
        (c) =>
          new WebServiceMonitoring(c, 'mon', {
            platform: monitoringPlatform(),
            service: new WebService(c, 'web', { image: 'ghcr.io/acme/web:1.0.0', port: 8080 }),
            interval: '30 seconds',
          }),
      ),
    ).toBe('WebServiceMonitoring \'test/mon\': interval ("30 seconds") must be a duration such as "30s"');
  });
});

describe('WebServiceMonitoring and the platform', () => {
  test('labelled as the platform’s Prometheus selects monitors; Prometheus (only) reaches the scraped container port', () => {
    const objs = synth((c) => {
      const api = new WebService(c, 'api', {
        image: 'ghcr.io/acme/api:1.0.0',
        port: 8080,
        extraPorts: [{ name: 'metrics', containerPort: 9090 }],
      });
      new WebServiceMonitoring(c, 'mon', { platform: monitoringPlatform(), service: api, port: 'metrics' });
    });
    expect(one(objs, 'ServiceMonitor').metadata.labels).toMatchObject({ release: 'kube-prometheus-stack' });
    expect(one(objs, 'PrometheusRule').metadata.labels).toMatchObject({ release: 'kube-prometheus-stack' });
    const prometheus = { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' } };
    const api = { namespace: 'apps', labels: { 'app.kubernetes.io/name': 'api' } };
    expect(canReach(objs, prometheus, api, 9090)).toBe(true);
    expect(
      canReach(objs, { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'grafana' } }, api, 9090),
    ).toBe(false);
  });

  test('without a monitoring stack in the platform it is a construction error naming what to enable', () => {
    const bare = platformAddons({
      certManager: false,
      nodes: 1,
      metricsServer: false,
      monitoring: false,
      logs: false,
    }).contract;
    expect(
      errorOf(
        (c) =>
          new WebServiceMonitoring(c, 'mon', {
            platform: bare,
            service: new WebService(c, 'web', { image: 'ghcr.io/acme/web:1.0.0', port: 8080 }),
          }),
      ),
    ).toBe(
      "WebServiceMonitoring 'test/mon': needs a monitoring stack (Prometheus Operator), which no enabled add-on provides; enable monitoring",
    );
  });
});
