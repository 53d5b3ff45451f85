/**
 * `npm run apiserver-check`, as a user runs it: a directory of bad manifests is refused line by
 * line (never a stack trace) and exits 1; a shipped stack passes and exits 0.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');
const run = (...args: string[]) => {
  const r = spawnSync('node', ['-r', './scripts/ts-hook.js', 'stacks/apiserver-check.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 170_000,
  });
  return { code: r.status, lines: `${r.stdout}${r.stderr}`.trim().split('\n') };
};

const restrictedNamespace = `apiVersion: v1
kind: Namespace
metadata:
  name: team-a
  labels:
    pod-security.kubernetes.io/enforce: restricted
`;
const privilegedPod = `apiVersion: v1
kind: Pod
metadata: { name: root, namespace: team-a }
spec:
  containers:
    - name: c
      image: busybox:1.37.0
      securityContext: { privileged: true }
`;
const deploymentWithTypo = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: team-a }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.0.0
          securityContex: { runAsNonRoot: true }
`;
const orphanCr = `apiVersion: acme.example.com/v1
kind: Widget
metadata: { name: w, namespace: team-a }
`;

describe('npm run apiserver-check', () => {
  test('a directory with a privileged Pod, an unknown field, a custom resource without its CRD, no kind and not YAML: each a line, exit 1', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apiserver-check-'));
    fs.writeFileSync(path.join(dir, '00-namespace.yaml'), restrictedNamespace);
    fs.writeFileSync(path.join(dir, '10-pod.yaml'), privilegedPod);
    fs.writeFileSync(path.join(dir, '20-deployment.yaml'), deploymentWithTypo);
    fs.writeFileSync(path.join(dir, '30-widget.yaml'), orphanCr);
    fs.writeFileSync(path.join(dir, '40-nokind.yaml'), 'apiVersion: v1\nmetadata: { name: x }\n');
    fs.writeFileSync(path.join(dir, '50-broken.yaml'), 'kind: [unclosed\n');
    const { code, lines } = run(dir);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(code).toBe(1);
    const findings = lines.filter((l) => /^(rejected|pod-security): /.test(l));
    expect(findings.map((l) => l.split(': ').slice(0, 3).join(': '))).toEqual([
      'rejected: 40-nokind.yaml: document 1',
      'rejected: 50-broken.yaml: document 1',
      'pod-security: 10-pod.yaml: Pod team-a/root',
      'rejected: 20-deployment.yaml: Deployment team-a/web',
      'rejected: 30-widget.yaml: Widget team-a/w',
    ]);
    expect(findings.join('\n')).toContain('violates PodSecurity "restricted:latest"');
    expect(findings.join('\n')).toContain(
      '.spec.template.spec.containers[name="web"].securityContex: field not declared in schema',
    );
    expect(lines.at(-1)).toBe('apiserver-check: objects=6 accepted=1 rejected=4 pod_security_denied=1 skipped=0');
    expect(lines.join('\n')).not.toMatch(/\n\s+at /);
  });

  test('the kind stack passes: every object the server serves is accepted, no Pod template denied', () => {
    const { code, lines } = run('kind');
    expect(lines.at(-1)).toMatch(
      /^apiserver-check: objects=\d+ accepted=\d+ rejected=0 pod_security_denied=0 skipped=\d+$/,
    );
    expect(code).toBe(0);
  });

  test('usage errors exit 2 and start nothing', () => {
    expect(run('nowhere').code).toBe(2);
    expect(run('kind', 'prod').code).toBe(2);
    expect(run('--help')).toEqual({ code: 0, lines: [expect.stringMatching(/^usage: npm run apiserver-check/)] });
  });
});
