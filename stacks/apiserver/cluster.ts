/**
 * A real control plane for tests, the way envtest runs one: etcd and kube-apiserver built from
 * their Go modules (stacks/apiserver/build-binaries.sh), started on loopback with free ports and a
 * temporary directory, RBAC authorization, the default admission plugins plus PodSecurity and
 * ValidatingAdmissionPolicy, and one bearer-token identity per user the test names (the admin is
 * in system:masters). No nodes: nothing ever runs, so Pods are only ever admitted, never started.
 */
import { type ChildProcess, execFileSync, spawn } from 'child_process';
import { generateKeyPairSync } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { KubeClient } from './kube-client';

/** A user the API server authenticates: `name` in `groups`. */
export interface Identity {
  readonly name: string;
  readonly groups?: readonly string[];
}

/** What runs besides etcd and kube-apiserver. */
export interface ClusterOptions {
  /**
   * Run kube-controller-manager too (built with the API server): namespaces are deleted with their
   * contents, owners' dependents are garbage-collected, ServiceAccounts and ReplicaSets are made.
   * Pods are still never scheduled: there are no nodes.
   * @default false
   */
  readonly controllers?: boolean;
  /**
   * Call admission webhooks. Off for installs of charts whose webhook servers are Pods, which never
   * run without nodes: every object a webhook matches would be refused for want of endpoints.
   * ValidatingAdmissionPolicy (in the API server) stays on either way.
   * @default true
   */
  readonly webhooks?: boolean;
}

/** A running control plane. */
export interface TestCluster {
  /** The API server's URL. */
  readonly url: string;
  /** A client acting as `user` (`admin`: system:masters). */
  as(user: string): KubeClient;
  /** Writes a kubeconfig file for `user` (in the cluster's temporary directory); returns its path. */
  kubeconfig(user: string): string;
  /** Stops both processes and removes the data directory. */
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '../..');

/** The context name in the kubeconfig files {@link TestCluster.kubeconfig} writes. */
export const KUBECONFIG_CONTEXT = 'groundwork-test';

/** The directory holding kube-apiserver and etcd, built once and cached outside the repository. */
export function binaries(): string {
  return execFileSync('bash', [path.join(ROOT, 'stacks/apiserver/build-binaries.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

/** True when `url` answers 200 (no keep-alive: nothing stays open after the tests). */
function httpOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    http
      .get(url, { agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      })
      .on('error', () => resolve(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const running = new Set<ChildProcess>();
let hooked = false;
/** Kills every process still running when the test process ends or is interrupted. */
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  const killAll = () => running.forEach((p) => p.kill('SIGKILL'));
  process.once('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.once(sig, () => {
      killAll();
      process.exit(130);
    });
}

async function waitUntil(what: string, ok: () => Promise<boolean>, logs: string, seconds = 90): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    if (await ok().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  const tail = fs.existsSync(logs) ? fs.readFileSync(logs, 'utf8').split('\n').slice(-30).join('\n') : '';
  throw new Error(`${what} did not become ready in ${seconds}s; last log lines:\n${tail}`);
}

/** The ports one control plane listens on (loopback). */
interface Ports {
  readonly etcdClient: number;
  readonly etcdPeer: number;
  readonly api: number;
}

function etcdArgs(dir: string, ports: Ports): string[] {
  return [
    `--data-dir=${path.join(dir, 'etcd')}`,
    `--listen-client-urls=http://127.0.0.1:${ports.etcdClient}`,
    `--advertise-client-urls=http://127.0.0.1:${ports.etcdClient}`,
    `--listen-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
    `--initial-cluster=default=http://127.0.0.1:${ports.etcdPeer}`,
    '--unsafe-no-fsync',
  ];
}

function apiserverArgs(dir: string, ports: Ports, options: ClusterOptions): string[] {
  return [
    `--etcd-servers=http://127.0.0.1:${ports.etcdClient}`,
    `--cert-dir=${path.join(dir, 'certs')}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${ports.api}`,
    '--service-account-issuer=https://kubernetes.default.svc',
    `--service-account-key-file=${path.join(dir, 'sa.pub')}`,
    `--service-account-signing-key-file=${path.join(dir, 'sa.key')}`,
    `--token-auth-file=${path.join(dir, 'tokens.csv')}`,
    '--authorization-mode=RBAC',
    // as on every real cluster (kubeadm, EKS, GKE, AKS, kind): privileged Pods are the Pod Security level's to refuse
    '--allow-privileged=true',
    '--service-cluster-ip-range=10.96.0.0/16',
    // the default admission plugins are on; these are the ones the platform's promises rest on
    '--enable-admission-plugins=PodSecurity,ValidatingAdmissionPolicy,NamespaceLifecycle,LimitRanger,ResourceQuota,ServiceAccount',
    ...(options.webhooks === false
      ? ['--disable-admission-plugins=MutatingAdmissionWebhook,ValidatingAdmissionWebhook']
      : []),
  ];
}

function controllerManagerArgs(dir: string, kubeconfig: string): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--service-account-private-key-file=${path.join(dir, 'sa.key')}`,
    `--root-ca-file=${path.join(dir, 'certs', 'apiserver.crt')}`,
    '--leader-elect=false',
    // no serving endpoint: nothing here scrapes or probes it
    '--secure-port=0',
    '--controllers=*',
  ];
}

/** Writes the service-account key pair and the static bearer tokens (one per user, plus `admin`); returns user to token. */
function writeCredentials(dir: string, users: readonly Identity[]): Map<string, string> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  fs.writeFileSync(path.join(dir, 'sa.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  fs.writeFileSync(path.join(dir, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
  // --token-auth-file: token,user,uid,"group1,group2"
  const tokens = new Map<string, string>();
  const lines = [{ name: 'admin', groups: ['system:masters'] }, ...users].map((u, i) => {
    const token = `${u.name}-${i}-${Math.random().toString(36).slice(2)}`;
    tokens.set(u.name, token);
    return `${token},${u.name},uid-${i},"${(u.groups ?? []).join(',')}"`;
  });
  fs.writeFileSync(path.join(dir, 'tokens.csv'), lines.join('\n') + '\n');
  return tokens;
}

/** A kubeconfig document for `user` with `token` at `url`. */
function kubeconfigDocument(url: string, ca: Buffer, user: string, token: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'test', cluster: { server: url, 'certificate-authority-data': ca.toString('base64') } }],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: KUBECONFIG_CONTEXT, context: { cluster: 'test', user } }],
    'current-context': KUBECONFIG_CONTEXT,
  };
}

/** Stops `processes` in order (SIGTERM, then SIGKILL after 5 s) and removes `dir`. */
async function stopAll(processes: readonly ChildProcess[], dir: string): Promise<void> {
  for (const p of processes) {
    if (p.exitCode !== null) continue;
    let timer: NodeJS.Timeout | undefined;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
    clearTimeout(timer);
    if (p.exitCode === null) p.kill('SIGKILL');
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Starts `cmd` from `bin`, its output appended to `log`; the process is killed if this one exits first. */
function startProcess(bin: string, cmd: string, args: string[], log: string): ChildProcess {
  const out = fs.openSync(log, 'a');
  const p = spawn(path.join(bin, cmd), args, { stdio: ['ignore', out, out] });
  fs.closeSync(out);
  running.add(p);
  p.once('exit', () => running.delete(p));
  return p;
}

/** Starts etcd and kube-apiserver (and, with `options.controllers`, kube-controller-manager) with an identity per `users` entry (plus `admin`). */
export async function startCluster(
  users: readonly Identity[] = [],
  options: ClusterOptions = {},
): Promise<TestCluster> {
  hookExit();
  const bin = binaries();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'groundwork-apiserver-'));
  const ports: Ports = { etcdClient: await freePort(), etcdPeer: await freePort(), api: await freePort() };
  const tokens = writeCredentials(dir, users);
  const log = (name: string): string => path.join(dir, `${name}.log`);
  const processes = [startProcess(bin, 'etcd', etcdArgs(dir, ports), log('etcd'))];
  processes.unshift(startProcess(bin, 'kube-apiserver', apiserverArgs(dir, ports, options), log('apiserver')));
  const url = `https://127.0.0.1:${ports.api}`;
  const ca = () => fs.readFileSync(path.join(dir, 'certs', 'apiserver.crt'));
  const tokenOf = (user: string): string => {
    const token = tokens.get(user);
    if (token === undefined) throw new Error(`no identity "${user}" (known: ${[...tokens.keys()].join(', ')})`);
    return token;
  };
  const clients = new Map<string, KubeClient>();
  const client = (user: string): KubeClient => {
    const c = clients.get(user) ?? new KubeClient(url, ca(), tokenOf(user));
    clients.set(user, c);
    return c;
  };
  const kubeconfig = (user: string): string => {
    const file = path.join(dir, `kubeconfig-${user}.yaml`);
    fs.writeFileSync(file, JSON.stringify(kubeconfigDocument(url, ca(), user, tokenOf(user))), { mode: 0o600 });
    return file;
  };
  const stop = (): Promise<void> => stopAll(processes, dir);
  try {
    await waitUntil('etcd', () => httpOk(`http://127.0.0.1:${ports.etcdClient}/health`), log('etcd'));
    await waitUntil(
      'kube-apiserver',
      async () => fs.existsSync(path.join(dir, 'certs', 'apiserver.crt')) && (await client('admin').ready()),
      log('apiserver'),
    );
    if (options.controllers === true) {
      processes.unshift(
        startProcess(
          bin,
          'kube-controller-manager',
          controllerManagerArgs(dir, kubeconfig('admin')),
          log('controller-manager'),
        ),
      );
      // ready when its serviceaccount controller has given kube-system its default ServiceAccount
      const admin = client('admin');
      await admin.discover();
      const kubeSystemSa = {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'default', namespace: 'kube-system' },
      };
      await waitUntil(
        'kube-controller-manager',
        async () => (await admin.get(kubeSystemSa)).status === 200,
        log('controller-manager'),
      );
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, as: client, kubeconfig, stop };
}
