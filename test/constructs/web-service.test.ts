import { Chart, Testing } from 'cdk8s';
import { WebService, type WebServiceProps } from '../../constructs';
import { all, container, errorOf, one, podSpec, synth } from '../helpers/synth';

const base: WebServiceProps = { image: 'ghcr.io/acme/api:1.2.3', port: 8080 };

describe('WebService', () => {
  test('defaults: Deployment, Service, PDB, NetworkPolicy and ServiceAccount, hardened', () => {
    // GIVEN only an image and a port
    // WHEN
    const objs = synth((c) => new WebService(c, 'api', base));
    // THEN
    expect(objs.map((o) => o.kind).sort()).toEqual([
      'Deployment',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'Service',
      'ServiceAccount',
    ]);
    const dep = one(objs, 'Deployment');
    expect(dep.metadata).toMatchObject({ name: 'api', namespace: 'apps' });
    expect(dep.spec.replicas).toBe(2);
    expect(dep.spec.strategy.rollingUpdate).toEqual({ maxSurge: '25%', maxUnavailable: 0 });
    const c = container(dep);
    expect(c.securityContext).toEqual({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(podSpec(dep).securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(c.resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '64Mi' },
      limits: { cpu: '1', memory: '128Mi', 'ephemeral-storage': '1Gi' },
    });
    expect(c.readinessProbe.tcpSocket).toEqual({ port: 'http' });
    expect(c.livenessProbe.tcpSocket).toEqual({ port: 'http' });
    expect([c.readinessProbe.periodSeconds, c.livenessProbe.periodSeconds]).toEqual([10, 20]);
    expect(c.imagePullPolicy).toBe('Always');
    expect(podSpec(dep).automountServiceAccountToken).toBe(false);
    expect(podSpec(dep).serviceAccountName).toBe('api');
    expect(one(objs, 'ServiceAccount').automountServiceAccountToken).toBe(false);
    expect(podSpec(dep).volumes).toEqual([{ name: 'writable-0', emptyDir: { sizeLimit: '256Mi' } }]);
    expect(c.volumeMounts).toEqual([{ name: 'writable-0', mountPath: '/tmp' }]);
  });

  test('Service targets the named container port', () => {
    const objs = synth((c) => new WebService(c, 'api', { ...base, servicePort: 8000 }));
    const svc = one(objs, 'Service');
    expect(svc.spec.selector).toEqual({ 'app.kubernetes.io/name': 'api' });
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 8000, targetPort: 'http', protocol: 'TCP' }]);
    expect(container(one(objs, 'Deployment')).ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
  });

  test('spreads two or more replicas across nodes (required) and zones (preferred)', () => {
    const spread = podSpec(
      one(
        synth((c) => new WebService(c, 'api', base)),
        'Deployment',
      ),
    ).topologySpreadConstraints;
    expect(spread.map((s) => [s.topologyKey, s.whenUnsatisfiable])).toEqual([
      ['kubernetes.io/hostname', 'DoNotSchedule'],
      ['topology.kubernetes.io/zone', 'ScheduleAnyway'],
    ]);
    expect(spread[0].labelSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'api' } });
  });

  test('a single replica has no spread constraints; spread can be turned off per axis', () => {
    const single = podSpec(
      one(
        synth((c) => new WebService(c, 'api', { ...base, replicas: 1 })),
        'Deployment',
      ),
    );
    expect(single.topologySpreadConstraints).toBeUndefined();
    const nodesOnly = podSpec(
      one(
        synth((c) => new WebService(c, 'api', { ...base, spread: { zones: 'off' } })),
        'Deployment',
      ),
    );
    expect(nodesOnly.topologySpreadConstraints.map((s) => s.topologyKey)).toEqual(['kubernetes.io/hostname']);
  });

  test('autoscaling: HPA v2 with CPU and memory targets, replicas left to the HPA', () => {
    const objs = synth(
      (c) =>
        new WebService(c, 'api', {
          ...base,
          autoscaling: { minReplicas: 3, maxReplicas: 10, cpuUtilization: 60, memoryUtilization: 75 },
        }),
    );
    const dep = one(objs, 'Deployment');
    expect(dep.spec.replicas).toBeUndefined();
    const hpa = one(objs, 'HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' });
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([3, 10]);
    expect(hpa.spec.metrics.map((m) => [m.resource.name, m.resource.target.averageUtilization])).toEqual([
      ['cpu', 60],
      ['memory', 75],
    ]);
  });

  test('autoscaling defaults to a 70% CPU target', () => {
    const hpa = one(
      synth((c) => new WebService(c, 'api', { ...base, autoscaling: { minReplicas: 2, maxReplicas: 4 } })),
      'HorizontalPodAutoscaler',
    );
    expect(hpa.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
    ]);
  });

  test('ingress with cert-manager TLS; NetworkPolicy admits the controller namespace on the container port', () => {
    const objs = synth(
      (c) =>
        new WebService(c, 'api', {
          ...base,
          ingress: {
            host: 'api.example.com',
            className: 'nginx',
            clusterIssuer: 'letsencrypt-prod',
            controller: { namespace: 'ingress' },
          },
        }),
    );
    const ing = one(objs, 'Ingress');
    expect(ing.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt-prod' });
    expect(ing.spec.ingressClassName).toBe('nginx');
    expect(ing.spec.tls).toEqual([{ hosts: ['api.example.com'], secretName: 'api-tls' }]);
    expect(ing.spec.rules[0].http.paths[0]).toEqual({
      path: '/',
      pathType: 'Prefix',
      backend: { service: { name: 'api', port: { name: 'http' } } },
    });
    const np = one(objs, 'NetworkPolicy');
    expect(np.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'api' } });
    expect(np.spec.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } } }],
        ports: [{ port: 8080, protocol: 'TCP' }],
      },
    ]);
  });

  test('Gateway API HTTPRoute attached to a Gateway in another namespace', () => {
    const objs = synth(
      (c) =>
        new WebService(c, 'api', {
          ...base,
          route: {
            gateway: { name: 'public', namespace: 'gateway-system', sectionName: 'https' },
            hostnames: ['api.example.com'],
            path: '/v1',
          },
        }),
    );
    const route = one(objs, 'HTTPRoute');
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route.spec.parentRefs).toEqual([
      {
        group: 'gateway.networking.k8s.io',
        kind: 'Gateway',
        name: 'public',
        namespace: 'gateway-system',
        sectionName: 'https',
      },
    ]);
    expect(route.spec.rules[0].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'api', port: 80 }]);
    expect(route.spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/v1' } }]);
    expect(one(objs, 'NetworkPolicy').spec.ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway-system' } } },
    ]);
  });

  test('named peers: same-namespace apps by label, other namespaces by namespace selector', () => {
    const np = one(
      synth(
        (c) =>
          new WebService(c, 'api', {
            ...base,
            networkPolicy: { allowFrom: [{ app: 'web' }, { namespace: 'monitoring', app: 'prometheus' }] },
          }),
      ),
      'NetworkPolicy',
    );
    expect(np.spec.ingress[0].from).toEqual([
      { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } } },
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
      },
    ]);
  });

  test('no peers means deny-all ingress; egress is an explicit allow-all by default', () => {
    const np = one(
      synth((c) => new WebService(c, 'api', base)),
      'NetworkPolicy',
    );
    expect(np.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [],
      egress: [{}],
    });
  });

  test('restricted egress: DNS, named peers and CIDRs only', () => {
    const np = one(
      synth(
        (c) =>
          new WebService(c, 'api', {
            ...base,
            networkPolicy: { egress: { allowTo: [{ app: 'redis' }], allowCidrs: ['10.20.0.0/16'] } },
          }),
      ),
      'NetworkPolicy',
    );
    expect(np.spec.egress).toEqual([
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
        ports: [
          { port: 53, protocol: 'UDP' },
          { port: 53, protocol: 'TCP' },
        ],
      },
      { to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'redis' } } }] },
      { to: [{ ipBlock: { cidr: '10.20.0.0/16' } }] },
    ]);
    const noDns = one(
      synth((c) => new WebService(c, 'api', { ...base, networkPolicy: { egress: { allowDns: false } } })),
      'NetworkPolicy',
    );
    expect(noDns.spec.egress).toEqual([]);
  });

  test('CPU limit defaults to 1 core or the request when larger, and can be dropped explicitly', () => {
    const big = container(
      one(
        synth(
          (c) => new WebService(c, 'api', { ...base, resources: { cpuRequest: '2', ephemeralStorageRequest: '2Gi' } }),
        ),
        'Deployment',
      ),
    );
    expect(big.resources.limits).toMatchObject({ cpu: '2', 'ephemeral-storage': '2Gi' });
    const unthrottled = container(
      one(
        synth((c) => new WebService(c, 'api', { ...base, resources: { cpuLimit: false } })),
        'Deployment',
      ),
    );
    expect(unthrottled.resources.limits.cpu).toBeUndefined();
  });

  test('multi-replica Pods also prefer different hosts through anti-affinity', () => {
    const spec = podSpec(
      one(
        synth((c) => new WebService(c, 'api', base)),
        'Deployment',
      ),
    );
    expect(spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([
      {
        weight: 100,
        podAffinityTerm: {
          topologyKey: 'kubernetes.io/hostname',
          labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
        },
      },
    ]);
    const off = podSpec(
      one(
        synth((c) => new WebService(c, 'api', { ...base, spread: { nodes: 'off' } }), {
          hardening: { skip: ['topology-spread'] },
        }),
        'Deployment',
      ),
    );
    expect(off.affinity).toBeUndefined();
  });

  test('env from ConfigMap and Secret references, envFrom and file mounts', () => {
    const dep = one(
      synth(
        (c) =>
          new WebService(c, 'api', {
            ...base,
            env: [
              { name: 'LOG_LEVEL', value: 'debug' },
              { name: 'REGION', fromConfigMap: { name: 'settings', key: 'region' } },
              { name: 'DB_PASSWORD', fromSecret: { name: 'db', key: 'password' } },
              { name: 'POD_NAME', fromField: 'metadata.name' },
            ],
            envFrom: [{ configMap: 'settings' }, { secret: 'api-keys' }],
            fileMounts: [{ mountPath: '/etc/app', configMap: 'settings' }],
          }),
      ),
      'Deployment',
    );
    const c = container(dep);
    expect(c.env).toEqual([
      { name: 'LOG_LEVEL', value: 'debug' },
      { name: 'REGION', valueFrom: { configMapKeyRef: { name: 'settings', key: 'region', optional: false } } },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password', optional: false } } },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ]);
    expect(c.envFrom).toEqual([{ configMapRef: { name: 'settings' } }, { secretRef: { name: 'api-keys' } }]);
    expect(c.volumeMounts).toContainEqual({ name: 'files-0', mountPath: '/etc/app', readOnly: true });
    expect(podSpec(dep).volumes).toContainEqual({ name: 'files-0', configMap: { name: 'settings' } });
  });

  test('explicit probes, resources, rolling update and extra ports', () => {
    const objs = synth(
      (c) =>
        new WebService(c, 'api', {
          ...base,
          probes: {
            readiness: { type: 'http', path: '/ready', periodSeconds: 5 },
            liveness: { type: 'http', path: '/live', failureThreshold: 6 },
            startup: { type: 'http', path: '/live', failureThreshold: 30 },
          },
          resources: {
            cpuRequest: '250m',
            cpuLimit: '1',
            memoryRequest: '256Mi',
            memoryLimit: '512Mi',
            ephemeralStorageRequest: '100Mi',
            ephemeralStorageLimit: '1Gi',
          },
          rollingUpdate: { maxSurge: 1, maxUnavailable: '10%' },
          extraPorts: [{ name: 'metrics', containerPort: 9090 }],
        }),
    );
    const c = container(one(objs, 'Deployment'));
    expect(c.readinessProbe).toEqual({
      httpGet: { path: '/ready', port: 'http' },
      initialDelaySeconds: 0,
      periodSeconds: 5,
      timeoutSeconds: 2,
      failureThreshold: 3,
      successThreshold: 1,
    });
    expect(c.livenessProbe.failureThreshold).toBe(6);
    expect(c.startupProbe.failureThreshold).toBe(30);
    expect(c.resources).toEqual({
      requests: { cpu: '250m', memory: '256Mi', 'ephemeral-storage': '100Mi' },
      limits: { cpu: '1', memory: '512Mi', 'ephemeral-storage': '1Gi' },
    });
    expect(one(objs, 'Deployment').spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: '10%' });
    expect(one(objs, 'Service').spec.ports.map((p) => [p.name, p.port])).toEqual([
      ['http', 80],
      ['metrics', 9090],
    ]);
  });

  test('explicit opt-outs are visible and honoured: no PDB, no NetworkPolicy, writable root, token mounted', () => {
    const objs = synth(
      (c) =>
        new WebService(c, 'api', {
          ...base,
          replicas: 1,
          disruptionBudget: false,
          networkPolicy: false,
          security: { readOnlyRootFilesystem: false },
          serviceAccount: {
            automountToken: true,
            annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/api' },
          },
        }),
      { hardening: { skip: ['network-policy', 'read-only-root-filesystem'] } },
    );
    expect(all(objs, 'PodDisruptionBudget')).toEqual([]);
    expect(all(objs, 'NetworkPolicy')).toEqual([]);
    expect(container(one(objs, 'Deployment')).securityContext.readOnlyRootFilesystem).toBe(false);
    expect(podSpec(one(objs, 'Deployment')).automountServiceAccountToken).toBe(true);
    expect(one(objs, 'ServiceAccount').metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/api',
    });
  });

  test('PDB allows evictions and is aimed at the Pods', () => {
    const pdb = one(
      synth((c) => new WebService(c, 'api', { ...base, replicas: 4, disruptionBudget: { maxUnavailable: '25%' } })),
      'PodDisruptionBudget',
    );
    expect(pdb.spec).toEqual({
      maxUnavailable: '25%',
      selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
  });

  test('replicas 0 is a valid count (not replaced by the default)', () => {
    expect(
      one(
        synth((c) => new WebService(c, 'api', { ...base, replicas: 0 })),
        'Deployment',
      ).spec.replicas,
    ).toBe(0);
  });

  test('digest-pinned images are pulled IfNotPresent; extra labels reach every object and the Pods', () => {
    const objs = synth(
      (c) =>
        new WebService(c, 'api', {
          ...base,
          image: `ghcr.io/acme/api@sha256:${'a'.repeat(64)}`,
          labels: { environment: 'dev' },
        }),
    );
    expect(container(one(objs, 'Deployment')).imagePullPolicy).toBe('IfNotPresent');
    for (const o of objs) expect(o.metadata?.labels?.environment).toBe('dev');
    expect(one(objs, 'Deployment').spec.template.metadata.labels.environment).toBe('dev');
  });

  test('role ids are a contract', () => {
    const chart = new Chart(Testing.app(), 't', { namespace: 'apps' });
    const ws = new WebService(chart, 'api', {
      ...base,
      autoscaling: { minReplicas: 2, maxReplicas: 3 },
      ingress: { host: 'a.example.com', tlsSecretName: 'a-tls' },
    });
    expect(ws.node.children.map((c) => c.node.id).sort()).toEqual([
      'Deployment',
      'Hpa',
      'Ingress',
      'NetworkPolicy',
      'Pdb',
      'Service',
      'ServiceAccount',
    ]);
  });

  test('the error names the construct path', () => {
    expect(errorOf((c) => new WebService(c, 'api', { ...base, autoscaling: { minReplicas: 5, maxReplicas: 3 } }))).toBe(
      "WebService 'test/api': minReplicas (5) must be <= maxReplicas (3)",
    );
  });
});
