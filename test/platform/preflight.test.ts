import { execFileSync } from 'child_process';
import * as path from 'path';
import { preflightStack } from '../../stacks/preflight';

const root = path.resolve(__dirname, '../..');

/** Runs `npm run preflight -- <args>` as a user would; returns exit code and output. */
function cli(args: string[]): { code: number; out: string } {
  try {
    const out = execFileSync(process.execPath, ['-r', './scripts/ts-hook.js', 'stacks/preflight.ts', ...args], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { code: 0, out };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { code: err.status, out: `${err.stdout}${err.stderr}` };
  }
}

describe('preflight', () => {
  test('kind needs nothing: every prerequisite is met by the cluster config', () => {
    const r = preflightStack('kind');
    expect(r.ok).toBe(true);
    expect(r.findings.filter((f) => f.severity === 'must-set')).toEqual([]);
    expect(r.findings.filter((f) => f.severity === 'met').map((f) => f.message.split(':')[0])).toEqual([
      'network-policy',
      'storage-class',
      'ingress-ports',
      'secret store platform-secrets holds the entries ExternalSecrets read',
      'secret store tenant-shop holds the entries ExternalSecrets read',
    ]);
    expect(r.findings.filter((f) => f.severity === 'assumed')).toEqual([]);
  });

  test('the shipped prod config names each example value to set', () => {
    const r = preflightStack('prod');
    expect(r.ok).toBe(false);
    expect(r.findings.filter((f) => f.severity === 'must-set').map((f) => f.key)).toEqual([
      'domain',
      'acmeEmail',
      'gitRepoUrl',
      'awsAccountId',
      'backupBucket',
      'logsBucket',
    ]);
  });

  test('each IAM role is listed with the exact ServiceAccounts it must trust and what it must allow', () => {
    const assumed = preflightStack('prod')
      .findings.filter((f) => f.severity === 'assumed')
      .map((f) => f.message);
    const dns = assumed.find((m) => m.startsWith('IAM role groundwork-prod-dns:'));
    expect(dns).toContain(
      'trusted by system:serviceaccount:cert-manager:cert-manager-route53, system:serviceaccount:external-dns:external-dns;',
    );
    expect(dns).toContain(
      'route53:ChangeResourceRecordSets, route53:ListResourceRecordSets on arn:aws:route53:::hostedzone/<hosted zone of the domain>',
    );
    const velero = assumed.find((m) => m.startsWith('IAM role groundwork-prod-velero:'));
    expect(velero).toContain('trusted by system:serviceaccount:velero:velero-server;');
    expect(velero).toContain('s3:ListBucket on arn:aws:s3:::example-groundwork-prod-backups');
    // kind assumes no cloud role
    expect(preflightStack('kind').findings.filter((f) => f.message.startsWith('IAM role'))).toEqual([]);
  });

  test('prerequisites the EKS profile assumes are listed, the IAM roles derived from the add-ons', () => {
    const r = preflightStack('prod');
    const assumed = r.findings.filter((f) => f.severity === 'assumed').map((f) => f.message);
    expect(assumed.some((m) => m.startsWith('cni-network-policy:'))).toBe(true);
    expect(assumed.some((m) => m.startsWith('ebs-csi:'))).toBe(true);
    const roles = assumed.find((m) => m.startsWith('workload identity:'));
    for (const c of ['dns', 'ebs-csi', 'external-secrets', 'loki', 'velero'])
      expect(roles).toContain(`arn:aws:iam::333333333333:role/groundwork-prod-${c}`);
    // each entry with the properties read from it
    expect(assumed).toContain(
      'secret store platform-secrets holds the entries ExternalSecrets read: grafana-admin (password, username)',
    );
    // the demo is off on a cloud stack unless its config asks: nothing of it is asked for
    expect(roles).not.toContain('secrets-shop');
    expect(assumed.filter((m) => m.includes('shop'))).toEqual([]);
  });

  test('`npm run preflight -- prod` exits non-zero naming each value; `-- kind` exits 0', () => {
    const prod = cli(['prod']);
    expect(prod.code).toBe(1);
    for (const key of ['domain', 'acmeEmail', 'gitRepoUrl', 'awsAccountId', 'backupBucket', 'logsBucket'])
      expect(prod.out).toMatch(new RegExp(`\\[MUST SET\\] groundwork:${key} `));
    const kind = cli(['kind']);
    expect([kind.code, kind.out.split('\n')[0]]).toEqual([0, 'preflight kind (environment kind): nothing to set']);
  });
});
