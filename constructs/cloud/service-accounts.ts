/**
 * Which ServiceAccount each chart runs as, read from the charts at their pins (the archives in
 * stacks/helm/charts/<chart>-<version>.tgz): where the role annotation goes in the values, and the
 * name the chart gives the ServiceAccount carrying it. Pure.
 */

/** A Kubernetes ServiceAccount. */
export interface ServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

/** The OIDC subject of a ServiceAccount's tokens (`system:serviceaccount:<namespace>:<name>`). */
export function subjectOf(sa: ServiceAccountRef): string {
  return `system:serviceaccount:${sa.namespace}:${sa.name}`;
}

/** Where one chart takes its ServiceAccount: the values path of the `serviceAccount` object and the name it defaults to. */
export interface ChartServiceAccount {
  /** Path in the chart values of the object holding `annotations` (and `name`, when the chart reads one). */
  readonly path: readonly string[];
  /** The name the chart gives the ServiceAccount when the values name none, from the release name. */
  readonly defaultName: (release: string) => string;
  /** The chart file this was read from. */
  readonly source: string;
}

/**
 * Helm's `<chart>.fullname` helper as most charts define it: the release name when it contains
 * the chart's name, else `<release>-<name>` (truncated to 63 characters, without a trailing `-`).
 */
function fullname(release: string, name: string): string {
  return (release.includes(name) ? release : `${release}-${name}`).slice(0, 63).replace(/-+$/, '');
}

/** The charts whose ServiceAccount can carry an IAM role, by chart name. */
export const CHART_SERVICE_ACCOUNTS: Readonly<Record<string, ChartServiceAccount>> = {
  // external-dns 1.21.1 templates/_helpers.tpl external-dns.serviceAccountName: `serviceAccount.name`, else external-dns.fullname
  'external-dns': {
    path: ['serviceAccount'],
    defaultName: (r) => fullname(r, 'external-dns'),
    source:
      'external-dns-1.21.1.tgz external-dns/templates/_helpers.tpl (external-dns.serviceAccountName, external-dns.fullname)',
  },
  // velero 12.1.0 templates/_helpers.tpl velero.serverServiceAccount: `serviceAccount.server.name`, else `<velero.fullname>-server`
  velero: {
    path: ['serviceAccount', 'server'],
    defaultName: (r) => `${fullname(r, 'velero')}-server`,
    source: 'velero-12.1.0.tgz velero/templates/_helpers.tpl (velero.serverServiceAccount, velero.fullname)',
  },
  // loki 18.11.0 templates/_pod.tpl: the monolithic (single-binary) Pod runs as loki.serviceAccountName with the top-level
  // values, which is `serviceAccount.name`, else loki.resourceName without a component: loki.fullname (templates/_helpers.tpl)
  loki: {
    path: ['serviceAccount'],
    defaultName: (r) => fullname(r, 'loki'),
    source:
      'loki-18.11.0.tgz loki/templates/_pod.tpl (serviceAccountName), loki/templates/_helpers.tpl (loki.serviceAccountName, loki.resourceName)',
  },
  // cluster-autoscaler 9.59.0 templates/_helpers.tpl: cluster-autoscaler.serviceAccountName is `rbac.serviceAccount.name`, else
  // cluster-autoscaler.fullname: the name `<cloudProvider>-<chart>` (aws-cluster-autoscaler), prefixed by the release unless equal to it
  'cluster-autoscaler': {
    path: ['rbac', 'serviceAccount'],
    defaultName: (r) =>
      (r === 'aws-cluster-autoscaler' ? r : `${r}-aws-cluster-autoscaler`).slice(0, 63).replace(/-+$/, ''),
    source:
      'cluster-autoscaler-9.59.0.tgz cluster-autoscaler/templates/_helpers.tpl (cluster-autoscaler.serviceAccountName, cluster-autoscaler.fullname)',
  },
  // aws-ebs-csi-driver 2.64.0 templates/controller.yaml: serviceAccountName is `controller.serviceAccount.name`
  // (values.yaml default ebs-csi-controller-sa); only the controller calls the EC2 API, the node DaemonSet does not
  'aws-ebs-csi-driver': {
    path: ['controller', 'serviceAccount'],
    defaultName: () => 'ebs-csi-controller-sa',
    source:
      'aws-ebs-csi-driver-2.64.0.tgz aws-ebs-csi-driver/templates/controller.yaml, values.yaml controller.serviceAccount.name',
  },
  // external-secrets 2.9.0 templates/deployment.yaml: external-secrets.serviceAccountName (`serviceAccount.name`, else the fullname)
  'external-secrets': {
    path: ['serviceAccount'],
    defaultName: (r) => fullname(r, 'external-secrets'),
    source:
      'external-secrets-2.9.0.tgz external-secrets/templates/deployment.yaml, templates/_helpers.tpl (external-secrets.serviceAccountName)',
  },
};

/** The IRSA annotation (docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html). */
export const ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn';

/** The value at `path` in `values`, if it is an object. */
export function objectAt(values: unknown, path: readonly string[]): Readonly<Record<string, unknown>> | undefined {
  let at: unknown = values;
  for (const key of path) at = typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[key] : undefined;
  return typeof at === 'object' && at !== null && !Array.isArray(at) ? (at as Record<string, unknown>) : undefined;
}
