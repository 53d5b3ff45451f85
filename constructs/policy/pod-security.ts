/** The `pod-security` rule: Pod Security Standards baseline and restricted, checked on the Pod spec of each workload (its {@link PodOwner}). */
import { arr, rec, shown, type Json } from './malformed';
import { objectId, type ManifestObject } from './rules-table';

const POD_VOLUME_TYPES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);
const SECURE_SECCOMP = new Set(['RuntimeDefault', 'Localhost']);

export interface PodOwner {
  readonly obj: ManifestObject;
  readonly id: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The Pod template's annotations (AppArmor profiles live there). */
  readonly annotations: Json;
  readonly spec: Json;
  readonly longRunning: boolean;
}

export function podOwner(o: ManifestObject): PodOwner | undefined {
  const spec = rec(o.spec);
  let template: Json | undefined;
  let longRunning = true;
  switch (o.kind) {
    case 'Pod':
      template = { metadata: o.metadata, spec };
      longRunning = spec.restartPolicy !== 'Never' && spec.restartPolicy !== 'OnFailure';
      break;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Rollout':
      template = rec(spec.template);
      break;
    case 'Job':
      template = rec(spec.template);
      longRunning = false;
      break;
    case 'CronJob':
      template = rec(rec(rec(spec.jobTemplate).spec).template);
      longRunning = false;
      break;
    default:
      return undefined;
  }
  const podSpec = rec(template).spec;
  if (typeof podSpec !== 'object' || podSpec === null || Array.isArray(podSpec)) return undefined;
  const meta = rec(rec(template).metadata);
  const stringLabels = Object.fromEntries(
    Object.entries(rec(meta.labels)).filter(([, v]) => typeof v === 'string'),
  ) as Record<string, string>;
  const annotations = rec(meta.annotations);
  return {
    obj: o,
    id: objectId(o),
    namespace: o.metadata?.namespace ?? '',
    labels: stringLabels,
    annotations,
    spec: podSpec as Json,
    longRunning,
  };
}

export function containersOf(spec: Json): Array<{ c: Json; init: boolean }> {
  return [
    ...arr(spec.initContainers).map((c) => ({ c, init: true })),
    ...arr(spec.containers).map((c) => ({ c, init: false })),
  ];
}

/** Sysctls the baseline profile allows (Pod Security Standards, Kubernetes 1.29+). */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
/** SELinux types the baseline profile allows. */
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

/** Baseline controls on a pod- or container-level security context (AppArmor, SELinux, Windows host process). */
function baselineContext(sc: Json, where: string, add: (m: string) => void): void {
  const apparmor: unknown = rec(sc.appArmorProfile).type;
  if (apparmor !== undefined && apparmor !== 'RuntimeDefault' && apparmor !== 'Localhost')
    add(`${where} must not set AppArmor profile ${shown(apparmor)} (RuntimeDefault or Localhost only)`);
  const se = rec(sc.seLinuxOptions);
  if (se.type !== undefined && !(typeof se.type === 'string' && SELINUX_TYPES.has(se.type)))
    add(`${where} must not set SELinux type ${shown(se.type)}`);
  for (const f of ['user', 'role'] as const)
    if (se[f] !== undefined && se[f] !== '') add(`${where} must not set a custom SELinux ${f}`);
  if (rec(sc.windowsOptions).hostProcess === true) add(`${where} must not run as a Windows host process`);
}

/** Pod Security Standards *baseline* and *restricted*, checked on one Pod spec. */
export function podSecurity(p: PodOwner, add: (m: string) => void): void {
  const s = p.spec;
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC'] as const) if (s[f] === true) add(`${f} must not be true`);
  for (const [k, v] of Object.entries(p.annotations)) {
    if (k.startsWith(APPARMOR_ANNOTATION) && v !== 'runtime/default' && !String(v).startsWith('localhost/'))
      add(`container "${k.slice(APPARMOR_ANNOTATION.length)}" must not set AppArmor profile ${String(v)}`);
  }
  const podSc = rec(s.securityContext);
  baselineContext(podSc, 'the Pod', add);
  for (const sysctl of arr(podSc.sysctls))
    if (!SAFE_SYSCTLS.has(String(sysctl.name))) add(`sysctl ${String(sysctl.name)} is not in the baseline's safe set`);
  for (const vol of arr(s.volumes)) {
    const type = Object.keys(vol).find((k) => k !== 'name');
    if (type && !POD_VOLUME_TYPES.has(type))
      add(`volume "${shown(vol.name)}" uses ${type}, not allowed under the restricted profile`);
  }
  for (const { c } of containersOf(s)) {
    const sc = rec(c.securityContext);
    const name = `container "${shown(c.name)}"`;
    if (sc.privileged === true) add(`${name} must not be privileged`);
    if (sc.allowPrivilegeEscalation !== false) add(`${name} must set allowPrivilegeEscalation: false`);
    const caps = rec(sc.capabilities);
    const drop: unknown[] = Array.isArray(caps.drop) ? caps.drop : [];
    if (!drop.includes('ALL')) add(`${name} must drop ALL capabilities`);
    const extra = (Array.isArray(caps.add) ? (caps.add as unknown[]) : []).filter((cap) => cap !== 'NET_BIND_SERVICE');
    if (extra.length > 0) add(`${name} adds capabilities ${extra.join(', ')} (only NET_BIND_SERVICE is allowed)`);
    if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) add(`${name} must run with runAsNonRoot: true`);
    if ((sc.runAsUser ?? podSc.runAsUser) === 0) add(`${name} must not run as UID 0`);
    const seccomp: unknown = rec(sc.seccompProfile).type ?? rec(podSc.seccompProfile).type;
    if (!SECURE_SECCOMP.has(seccomp as string))
      add(
        `${name} must use seccomp profile RuntimeDefault or Localhost (got ${typeof seccomp === 'string' ? seccomp : 'none'})`,
      );
    for (const port of arr(c.ports))
      if (port.hostPort !== undefined && port.hostPort !== 0)
        add(`${name} must not use hostPort ${shown(port.hostPort)}`);
    if (sc.procMount !== undefined && sc.procMount !== 'Default')
      add(`${name} must not set procMount ${shown(sc.procMount)}`);
    baselineContext(sc, name, add);
  }
}
