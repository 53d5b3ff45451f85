/**
 * The defects a review against the pinned upstream sources found (issue "Deployable for real"),
 * each pinned by the upstream fact it relies on. Items 1, 2 (GitOps bootstrap) are in
 * test/addons/gitops.test.ts, 4, 6, 7 (cert-manager, Linkerd, istiod values) in
 * test/addons/addons.test.ts, 9 (apply order) in test/stacks/scripts.test.ts.
 */
import { kubePrometheusStack } from '../../constructs';
import { renderedWithDemo } from '../helpers/stacks';
import { validated } from '../helpers/synth';
import { as, first, named, ofKind } from '../helpers/kinds';
import { v } from '../helpers/values';

const companionsOf = (stack: string, id: string) => renderedWithDemo(stack).addons.plan.addons.get(id as never);

describe('upstream defects, fixed', () => {
  test('3: app NetworkPolicies admit the Envoy proxies where Envoy Gateway runs them (its controller namespace), not the Gateway namespace', () => {
    // envoyproxy/gateway v1.7.4 internal/infrastructure/kubernetes/proxy_infra.go GetResourceNamespace: the
    // ControllerNamespace (default) mode puts the Envoy Deployment in the controller's namespace;
    // proxy/resource.go EnvoyAppLabel and gatewayapi/translator.go give the Pods' labels
    for (const stack of ['kind', 'prod']) {
      const np = named(ofKind(renderedWithDemo(stack).objects, 'NetworkPolicy'), 'api');
      const from = np.spec.ingress[0].from;
      expect(from[0]).toEqual({
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'envoy-gateway-system' } },
        podSelector: {
          matchLabels: {
            'app.kubernetes.io/component': 'proxy',
            'app.kubernetes.io/managed-by': 'envoy-gateway',
            'gateway.envoyproxy.io/owning-gateway-name': 'public',
            'gateway.envoyproxy.io/owning-gateway-namespace': 'gateway-system',
          },
        },
      });
      expect(JSON.stringify(np.spec.ingress)).not.toContain('"kubernetes.io/metadata.name":"gateway-system"');
    }
  });

  test('5: on kind, the policy baseline exempts local-path-storage, where the provisioner starts its hostPath helper Pods', () => {
    // rancher/local-path-provisioner v0.0.37 provisioner.go: `helperPod.Namespace = p.namespace` (the
    // provisioner's own namespace, local-path-storage on kind); the helper Pods carry no labels or
    // resources and mount hostPath, so an enforced baseline would keep PVCs from ever binding
    const kyverno = companionsOf('kind', 'kyverno');
    for (const policy of ofKind(kyverno?.companions ?? [], 'ClusterPolicy')) {
      expect(policy.spec.rules[0].exclude.any[0].resources.namespaces).toContain('local-path-storage');
    }
    expect(
      first(companionsOf('prod', 'kyverno')?.companions ?? [], 'ClusterPolicy').spec.rules[0].exclude.any[0].resources
        .namespaces,
    ).not.toContain('local-path-storage');
  });

  test('8: Grafana reads its admin credentials from a Secret fed by External Secrets, created before the chart', () => {
    // grafana chart 10.1.4 templates/secret.yaml renders a password from `lookup`/`randAlphaNum` unless
    // admin.existingSecret is set; under Argo CD `lookup` is empty, so every render changes it
    const kps = companionsOf('kind', 'kube-prometheus-stack');
    expect(v(kps, 'grafana.admin')).toEqual({
      existingSecret: 'grafana-admin',
      userKey: 'admin-user',
      passwordKey: 'admin-password',
    });
    expect(v(kps, 'grafana.adminPassword')).toBeUndefined();
    const [namespace, es] = validated([...(kps?.prerequisites ?? [])]);
    expect(namespace).toMatchObject({ kind: 'Namespace', metadata: { name: 'monitoring' } });
    expect(as(es, 'ExternalSecret').spec).toEqual({
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'platform-secrets' },
      target: { name: 'grafana-admin', creationPolicy: 'Owner' },
      data: [
        { secretKey: 'admin-user', remoteRef: { key: 'grafana-admin', property: 'username' } },
        { secretKey: 'admin-password', remoteRef: { key: 'grafana-admin', property: 'password' } },
      ],
    });
    // the chart waits for the Secret: its release depends on the prerequisites, which wait for the store
    const plan = renderedWithDemo('kind').addons.plan;
    expect(plan.steps.get('kube-prometheus-stack')?.dependsOn).toEqual(['kube-prometheus-stack/prerequisites']);
    expect([...(plan.steps.get('kube-prometheus-stack/prerequisites')?.dependsOn ?? [])].sort()).toEqual([
      'external-secrets',
      'external-secrets/resources',
    ]);
    // without a secret store, an existing Secret is named instead (never a generated password)
    expect(v(kubePrometheusStack({}), 'grafana.admin.existingSecret')).toBe('grafana-admin');
  });

  test('10: on EKS the EBS CSI driver provides the gp3 default StorageClass every claim resolves to; the storefront goes through the Gateway', () => {
    // kubernetes-sigs/aws-ebs-csi-driver helm-chart-aws-ebs-csi-driver-2.64.0: storageClasses[] rendered by
    // templates/storageclass.yaml (provisioner ebs.csi.aws.com), IRSA via controller.serviceAccount.annotations
    const r = renderedWithDemo('prod');
    const ebs = r.addons.plan.addons.get('aws-ebs-csi-driver');
    expect(v(ebs, 'storageClasses')).toEqual([
      {
        name: 'gp3',
        annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
        volumeBindingMode: 'WaitForFirstConsumer',
        allowVolumeExpansion: true,
        reclaimPolicy: 'Delete',
        parameters: { type: 'gp3', encrypted: 'true' },
      },
    ]);
    expect(v(ebs, 'controller.serviceAccount.annotations')).toEqual({
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::333333333333:role/groundwork-prod-ebs-csi',
    });
    const redis = first(r.objects, 'StatefulSet');
    expect(redis.spec.volumeClaimTemplates[0].spec.storageClassName).toBe('gp3');
    // Prometheus' and Loki's claims use the default class, which the contract guarantees exists
    expect(r.contract.storageClass('test')).toBe('gp3');
    const storefront = r.objects.filter((o) => o.metadata?.name === 'storefront').map((o) => o.kind);
    expect(storefront).toContain('HTTPRoute');
    expect(storefront).not.toContain('Ingress');
    expect(r.addons.plan.addons.has('ingress-nginx')).toBe(false);
  });
});

describe('add-on namespaces carry explicit Pod Security labels, privileged only where a component needs it', () => {
  const namespaces = (stack: string): Map<string, Record<string, string>> =>
    new Map(
      renderedWithDemo(stack)
        .addons.declarations.flatMap((d) => d.prerequisites)
        .filter((o) => o.kind === 'Namespace')
        .map((o) => [o.metadata?.name ?? '', { ...o.metadata?.labels }]),
    );

  test("every add-on namespace but the cluster's own gets one labelled Namespace, before its charts", () => {
    for (const stack of ['kind', 'prod']) {
      const r = renderedWithDemo(stack);
      const ns = namespaces(stack);
      const system = r.env.addons.cluster?.systemNamespaces ?? [];
      for (const d of r.addons.declarations) {
        if (system.includes(d.namespace)) continue;
        const labels = ns.get(d.namespace);
        expect([stack, d.id, labels?.['pod-security.kubernetes.io/enforce'] !== undefined]).toEqual([
          stack,
          d.id,
          true,
        ]);
        expect(labels?.['pod-security.kubernetes.io/enforce-version']).toBe('v1.33');
        // the chart installs after the Namespace that labels it
        const step = [...r.addons.plan.steps.values()].find((s) =>
          s.objects.some((o) => o.kind === 'Namespace' && o.metadata?.name === d.namespace),
        );
        expect((r.addons.plan.waveOf.get(step?.id ?? '') as number) < (r.addons.plan.waveOf.get(d.id) as number)).toBe(
          true,
        );
      }
      expect(ns.has('kube-system')).toBe(false);
    }
  });

  test('levels: node exporters, CNI agents and the backup node agent privileged, cert-manager restricted, the rest baseline', () => {
    const enforce = (stack: string, ns: string) => namespaces(stack).get(ns)?.['pod-security.kubernetes.io/enforce'];
    // prometheus-node-exporter: hostNetwork, hostPID, hostPath; istio-cni: a hostNetwork DaemonSet writing
    // the node's CNI config (istio 1.28.0 manifests/charts/istio-cni/templates/daemonset.yaml)
    expect(enforce('prod', 'node-exporter')).toBe('privileged');
    expect(enforce('prod', 'monitoring')).toBe('baseline');
    expect(enforce('prod', 'istio-system')).toBe('privileged');
    // cert-manager v1.19.1 values.yaml: runAsNonRoot, RuntimeDefault seccomp, drop ALL, read-only root fs
    expect(enforce('prod', 'cert-manager')).toBe('restricted');
    // velero's node agent (volume data): hostPath volumes of the kubelet's Pod folders, run as root
    // (velero chart 12.1.0 templates/node-agent-daemonset.yaml)
    expect(enforce('prod', 'velero')).toBe('privileged');
    for (const ns of ['argocd', 'envoy-gateway-system', 'external-secrets', 'kyverno', 'logging'])
      expect([ns, enforce('prod', ns)]).toEqual([ns, 'baseline']);
  });
});
