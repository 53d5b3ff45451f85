/**
 * The restore drill: a weekly CronJob in Velero's namespace restores the latest completed backup
 * of the namespace labelled `groundwork.io/restore-drill: "true"` into the scratch namespace
 * `restore-drill`, checks the restore and a checksum, deletes what it restored, and fails (the
 * `RestoreDrillFailed` alert) on any mismatch. The scratch namespace stays between runs, so every
 * permission in it is a namespaced Role; the only cluster-wide one is listing namespaces (to find
 * the marked one: `list` cannot be narrowed by `resourceNames`).
 */
import { apiServerEgress, coreDnsEgress } from '../internal/network-peers';
import type { ManifestObject } from '../policy/check-manifests';
import { companion, namespaceCompanion, restrictedContainer } from './addon';

/** Name of the drill's CronJob, ServiceAccount, Roles, and of its scratch namespace. */
export const RESTORE_DRILL = 'restore-drill';

/** Label marking the namespace the drill restores. */
export const RESTORE_DRILL_LABEL = 'groundwork.io/restore-drill';

/** ConfigMap in the marked namespace holding the expected checksum (and optionally object count). */
export const RESTORE_DRILL_CHECKSUM = 'restore-drill-checksum';

/** Kubectl with bash (alpine/k8s tag seen in public manifests; not verified against the registry here). */
export const RESTORE_DRILL_IMAGE = 'alpine/k8s:1.33.4';

/** What the drill restores: core workload objects and their volumes, never Secrets (it must not hold them). */
const RESOURCES = [
  'configmaps',
  'serviceaccounts',
  'services',
  'persistentvolumeclaims',
  'persistentvolumes',
  'pods',
  'deployments',
  'replicasets',
  'statefulsets',
];
const CLEANUP = 'deployments,statefulsets,replicasets,pods,services,serviceaccounts,configmaps,persistentvolumeclaims';
const POD_LABELS = { 'app.kubernetes.io/name': RESTORE_DRILL };

/** The drill's script (bash; kubectl only). */
function script(): string {
  return `set -euo pipefail
S=$(kubectl get namespaces -l ${RESTORE_DRILL_LABEL}=true -o jsonpath='{.items[0].metadata.name}')
[ -n "$S" ] || { echo "no namespace is labelled ${RESTORE_DRILL_LABEL}=true"; exit 1; }
B=$(kubectl get backups.velero.io -n "$VELERO_NS" --sort-by=.status.completionTimestamp \\
  -o jsonpath='{range .items[?(@.status.phase=="Completed")]}{.metadata.name}{"\\n"}{end}' | tail -n 1)
[ -n "$B" ] || { echo "no completed backup"; exit 1; }
R="drill-$(date +%Y%m%d%H%M%S)"; T=${RESTORE_DRILL}
cleanup() {
  kubectl delete -n "$T" ${CLEANUP} -l "velero.io/restore-name=$R" --ignore-not-found --wait=false || true
  kubectl delete restores.velero.io -n "$VELERO_NS" "$R" --ignore-not-found --wait=false || true
}
trap cleanup EXIT
echo "restoring $S from backup $B into $T as $R"
kubectl create -f - <<EOF
{"apiVersion":"velero.io/v1","kind":"Restore","metadata":{"name":"$R","namespace":"$VELERO_NS"},
 "spec":{"backupName":"$B","includedNamespaces":["$S"],"namespaceMapping":{"$S":"$T"},
 "includedResources":${JSON.stringify(RESOURCES)},"restorePVs":true}}
EOF
for _ in $(seq 1 180); do
  P=$(kubectl get restores.velero.io -n "$VELERO_NS" "$R" -o jsonpath='{.status.phase}')
  case "$P" in Completed|PartiallyFailed|Failed|FailedValidation) break;; esac; sleep 10
done
[ "$P" = Completed ] || { echo "restore phase: $P"; exit 1; }
TOTAL=$(kubectl get restores.velero.io -n "$VELERO_NS" "$R" -o jsonpath='{.status.progress.totalItems}')
DONE=$(kubectl get restores.velero.io -n "$VELERO_NS" "$R" -o jsonpath='{.status.progress.itemsRestored}')
[ "$TOTAL" = "$DONE" ] || { echo "restored $DONE of $TOTAL items"; exit 1; }
FOUND=$(kubectl get -n "$T" ${CLEANUP} -l "velero.io/restore-name=$R" -o name | wc -l)
cm() { kubectl get configmap -n "$T" ${RESTORE_DRILL_CHECKSUM} -o jsonpath="{.data.$1}"; }
WANT=$(cm objects); [ -z "$WANT" ] || [ "$WANT" = "$FOUND" ] || { echo "objects: found $FOUND, expected $WANT"; exit 1; }
SUM=$(cm sha256); [ -n "$SUM" ] || { echo "${RESTORE_DRILL_CHECKSUM} has no sha256"; exit 1; }
SEL=$(cm selector); FILE=$(cm path)
if [ -n "$SEL" ] && [ -n "$FILE" ]; then
  POD=$(kubectl get pods -n "$T" -l "$SEL" -o name | head -n 1)
  kubectl wait -n "$T" --for=condition=Ready "$POD" --timeout=15m
  GOT=$(kubectl exec -n "$T" "$POD" -- sha256sum "$FILE" | cut -d' ' -f1)
else
  GOT=$(cm content | sha256sum | cut -d' ' -f1)
fi
[ "$GOT" = "$SUM" ] || { echo "checksum mismatch: $GOT, expected $SUM"; exit 1; }
echo "restore drill passed: $FOUND objects, checksum $SUM"
`;
}

/** RBAC of the drill: Velero's Backups and Restores, namespace listing, and the scratch namespace. */
function drillRbac(namespace: string): ManifestObject[] {
  const subjects = [{ kind: 'ServiceAccount', name: RESTORE_DRILL, namespace }];
  const bind = (kind: string, name: string, ns: string | undefined, roleKind: string): ManifestObject =>
    companion('rbac.authorization.k8s.io/v1', kind, name, ns, {
      subjects,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name },
    });
  const verbs = ['get', 'list', 'delete'];
  return [
    companion('v1', 'ServiceAccount', RESTORE_DRILL, namespace, { automountServiceAccountToken: true }),
    companion('rbac.authorization.k8s.io/v1', 'Role', RESTORE_DRILL, namespace, {
      rules: [
        { apiGroups: ['velero.io'], resources: ['backups'], verbs: ['get', 'list'] },
        { apiGroups: ['velero.io'], resources: ['restores'], verbs: ['create', 'get', 'delete'] },
      ],
    }),
    bind('RoleBinding', RESTORE_DRILL, namespace, 'Role'),
    companion('rbac.authorization.k8s.io/v1', 'ClusterRole', `${RESTORE_DRILL}-namespaces`, undefined, {
      rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['list'] }],
    }),
    bind('ClusterRoleBinding', `${RESTORE_DRILL}-namespaces`, undefined, 'ClusterRole'),
    companion('rbac.authorization.k8s.io/v1', 'Role', RESTORE_DRILL, RESTORE_DRILL, {
      rules: [
        {
          apiGroups: [''],
          resources: ['configmaps', 'services', 'serviceaccounts', 'persistentvolumeclaims', 'pods'],
          verbs,
        },
        { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'replicasets'], verbs },
        { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
      ],
    }),
    bind('RoleBinding', RESTORE_DRILL, RESTORE_DRILL, 'Role'),
  ];
}

/** The drill's CronJob: restricted Pod Security, pinned image, requests and limits. */
function drillCronJob(namespace: string, schedule: string): ManifestObject {
  const pod = {
    metadata: { labels: { ...POD_LABELS } },
    spec: {
      serviceAccountName: RESTORE_DRILL,
      restartPolicy: 'Never',
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 65534,
        runAsGroup: 65534,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [
        {
          name: 'drill',
          image: RESTORE_DRILL_IMAGE,
          imagePullPolicy: 'IfNotPresent',
          command: ['bash', '-c', script()],
          env: [
            { name: 'VELERO_NS', value: namespace },
            { name: 'HOME', value: '/tmp' },
          ],
          securityContext: restrictedContainer(),
          resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
          volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
        },
      ],
      volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
    },
  };
  return companion('batch/v1', 'CronJob', RESTORE_DRILL, namespace, {
    spec: {
      schedule,
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 3,
      jobTemplate: { spec: { backoffLimit: 0, activeDeadlineSeconds: 7200, template: pod } },
    },
  });
}

/**
 * The drill's objects: RBAC, the CronJob and its NetworkPolicy (egress to the API server and DNS only:
 * its address is not knowable in advance, so 443 and 6443 to any IPv4 address but the metadata
 * endpoint), the scratch namespace (Pod Security `restricted`) with a deny-all NetworkPolicy that
 * isolates the restored Pods.
 */
export function restoreDrill(namespace: string, schedule: string): ManifestObject[] {
  return [
    namespaceCompanion(RESTORE_DRILL),
    companion('networking.k8s.io/v1', 'NetworkPolicy', 'deny-all', RESTORE_DRILL, {
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    }),
    ...drillRbac(namespace),
    drillCronJob(namespace, schedule),
    companion('networking.k8s.io/v1', 'NetworkPolicy', RESTORE_DRILL, namespace, {
      spec: {
        podSelector: { matchLabels: { ...POD_LABELS } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [],
        // kubectl in a Pod reaches the API server by its Service IP, but the hardening checks ask
        // every egress-restricted Pod for name resolution
        egress: [coreDnsEgress(), apiServerEgress()],
      },
    }),
  ];
}
