import { execFileSync } from 'child_process';
import { closestStackConfigKey, exampleValueReason, parseStackConfig, resolveEnvironment } from '../../constructs';
import { shellQuote } from '../../stacks/render';
import { validationErrorOf as errorOf } from '../helpers/synth';
import { definitionFor } from '../../environments';

describe('stack config', () => {
  test('flat groundwork: keys parse into typed config with defaults; other namespaces are ignored', () => {
    const c = parseStackConfig(
      { 'groundwork:domain': 'acme.io', 'groundwork:awsAccountId': 210987654321, 'aws:region': 'x' },
      'prod',
      'Pulumi.prod.yaml',
    );
    expect(c).toEqual({
      environment: 'prod',
      domain: 'acme.io',
      awsAccountId: '210987654321',
      gitRevision: 'main',
      gitPath: 'deploy/prod',
    });
  });

  test('kubernetes:context is honoured when groundwork:kubeContext is not set', () => {
    expect(parseStackConfig({ 'kubernetes:context': 'ctx-a' }, 'dev', 'f').kubeContext).toBe('ctx-a');
    expect(
      parseStackConfig({ 'kubernetes:context': 'ctx-a', 'groundwork:kubeContext': 'ctx-b' }, 'dev', 'f').kubeContext,
    ).toBe('ctx-b');
  });

  test('an unknown groundwork key (a typo) is refused with the closest known key and the known keys', () => {
    expect(errorOf(() => parseStackConfig({ 'groundwork:domian': 'acme.io' }, 'prod', 'Pulumi.prod.yaml'))).toMatch(
      /^Pulumi\.prod\.yaml: groundwork:domian is not a groundwork setting; did you mean groundwork:domain\? known: environment, kubeContext, kubeconfig, domain, /,
    );
    // nothing close: no guess
    expect(errorOf(() => parseStackConfig({ 'groundwork:flavour': 'x' }, 'prod', 'Pulumi.prod.yaml'))).toMatch(
      /^Pulumi\.prod\.yaml: groundwork:flavour is not a groundwork setting; known: environment, /,
    );
    // case and a missing letter
    expect(closestStackConfigKey('kubecontext')).toBe('kubeContext');
    expect(closestStackConfigKey('acmeEmal')).toBe('acmeEmail');
    // a very long key is linear to scan and gets no guess
    expect(closestStackConfigKey('d'.repeat(100_000))).toBeUndefined();
  });

  test("keys in the project's own namespace (what `pulumi config set key value` writes) count as groundwork keys", () => {
    const c = parseStackConfig(
      { 'k8s-groundwork:domain': 'acme.io', 'groundwork:acmeEmail': 'ops@acme.io' },
      'prod',
      'Pulumi.prod.yaml',
      'k8s-groundwork',
    );
    expect(c.domain).toBe('acme.io');
    expect(c.acmeEmail).toBe('ops@acme.io');
    // without the project name, the project namespace is someone else's
    expect(parseStackConfig({ 'k8s-groundwork:domain': 'acme.io' }, 'prod', 'f').domain).toBeUndefined();
    // the same value twice is fine; two different values are refused, naming both keys
    expect(
      parseStackConfig(
        { 'k8s-groundwork:domain': 'acme.io', 'groundwork:domain': 'acme.io' },
        'prod',
        'f',
        'k8s-groundwork',
      ).domain,
    ).toBe('acme.io');
    expect(
      errorOf(() =>
        parseStackConfig(
          { 'groundwork:domain': 'a.io', 'k8s-groundwork:domain': 'b.io' },
          'prod',
          'f',
          'k8s-groundwork',
        ),
      ),
    ).toBe('f: groundwork:domain and k8s-groundwork:domain are both set, to different values: keep one');
    // a typo in the project namespace is named in that namespace
    expect(errorOf(() => parseStackConfig({ 'k8s-groundwork:domian': 'a.io' }, 'prod', 'f', 'k8s-groundwork'))).toMatch(
      /^f: k8s-groundwork:domian is not a groundwork setting; did you mean k8s-groundwork:domain\? /,
    );
  });

  test('a Pulumi secret is refused: no key holds a secret value', () => {
    expect(
      errorOf(() => parseStackConfig({ 'groundwork:acmeEmail': { secure: 'v1:abc' } }, 'prod', 'Pulumi.prod.yaml')),
    ).toBe(
      'Pulumi.prod.yaml: groundwork:acmeEmail is a Pulumi secret, but it holds no secret: set it as plain config (secret values stay in your secret backend and are referenced)',
    );
  });

  test.each([
    ['domain', 'Shop.Acme.IO', 'must be a lowercase DNS name'],
    ['acmeEmail', 'platform', 'must be'],
    ['gitRepoUrl', 'ftp://example', 'must be an https://, ssh:// or git@ repository URL'],
    ['gitPath', '../outside', 'must be a relative path inside the repository'],
    ['gitRevision', 'main branch', 'must be a branch, tag or commit such as "main", "v1.2.0" or a commit hash'],
    ['awsAccountId', '1234', 'must be a 12-digit AWS account id'],
    ['awsRegion', 'Ireland', 'must be an AWS region such as "eu-west-1"'],
    ['route53HostedZoneId', 'zone-1', 'must be a Route 53 hosted zone id'],
    ['eksClusterName', '-shop', 'must be an EKS cluster name (letters, digits, - and _, up to 100)'],
    ['backupBucket', 'Backups_Bucket', 'must be'],
  ])('groundwork:%s (%s) is refused: %s', (key, value, message) => {
    const text = errorOf(() => parseStackConfig({ [`groundwork:${key}`]: value }, 'prod', 'Pulumi.prod.yaml'));
    expect(text).toContain(`Pulumi.prod.yaml: groundwork:${key} (${JSON.stringify(value)}) ${message}`);
  });

  test('a repository URL with credentials is refused without echoing them', () => {
    const text = errorOf(() =>
      parseStackConfig(
        { 'groundwork:gitRepoUrl': 'https://user:s3cr3t@github.com/acme/p.git' },
        'prod',
        'Pulumi.prod.yaml',
      ),
    );
    expect(text).toBe(
      'Pulumi.prod.yaml: groundwork:gitRepoUrl (<redacted>) must be an https://, ssh:// or git@ repository URL without credentials in it',
    );
  });

  test('every problem of a file is listed at once', () => {
    const text = errorOf(() =>
      parseStackConfig(
        { 'groundwork:awsAccountId': '1', 'groundwork:awsRegion': 'x', 'groundwork:nope': 'y' },
        'prod',
        'f',
      ),
    );
    expect(text.split('\n')).toHaveLength(3);
  });

  test('an environment lists every required key it is missing, naming the file and what the key holds', () => {
    const config = parseStackConfig(
      { 'groundwork:environment': 'prod', 'groundwork:domain': 'acme.io' },
      'prod',
      'Pulumi.prod.yaml',
    );
    const text = errorOf(() => resolveEnvironment(definitionFor('prod'), config, 'prod', 'Pulumi.prod.yaml'));
    expect(text.split('\n')).toEqual([
      "Pulumi.prod.yaml: groundwork:kubeContext must be set for environment 'prod' (kubeconfig context of the cluster (or set kubernetes:context))",
      "Pulumi.prod.yaml: groundwork:acmeEmail must be set for environment 'prod' (Let's Encrypt account email)",
      "Pulumi.prod.yaml: groundwork:gitRepoUrl must be set for environment 'prod' (Git repository the GitOps engine reads)",
      "Pulumi.prod.yaml: groundwork:awsAccountId must be set for environment 'prod' (AWS account id (12 digits))",
      "Pulumi.prod.yaml: groundwork:awsRegion must be set for environment 'prod' (AWS region)",
      "Pulumi.prod.yaml: groundwork:eksClusterName must be set for environment 'prod' (EKS cluster name (Cluster Autoscaler discovers its tagged node groups))",
      "Pulumi.prod.yaml: groundwork:backupBucket must be set for environment 'prod' (Velero backup bucket)",
      "Pulumi.prod.yaml: groundwork:logsBucket must be set for environment 'prod' (Loki log bucket)",
    ]);
  });

  test('unknown environment names are refused, inherited object keys included', () => {
    expect(() => definitionFor('__proto__')).toThrow(
      'unknown environment "__proto__": expected one of kind, dev, staging, prod',
    );
    expect(() => definitionFor('toString')).toThrow('unknown environment "toString"');
  });

  test.each([
    ['domain', 'example.com'],
    ['domain', 'staging.example.org'],
    ['acmeEmail', 'ops@example.net'],
    ['gitRepoUrl', 'https://github.com/example-org/platform.git'],
    ['awsAccountId', '123456789012'],
    ['awsAccountId', '111111111111'],
    ['backupBucket', 'example-backups'],
    ['route53HostedZoneId', 'Z0EXAMPLE'],
  ] as const)('%s %s is recognised as a shipped example value', (key, value) => {
    expect(exampleValueReason(key, value)).toBeDefined();
  });

  test.each([
    ['domain', 'shop.acme.io'],
    ['acmeEmail', 'platform@acme.io'],
    ['gitRepoUrl', 'https://github.com/acme/platform.git'],
    ['awsAccountId', '210987654321'],
    ['backupBucket', 'acme-prod-backups'],
    ['domain', 'groundwork.localhost'],
  ] as const)('%s %s is a real value', (key, value) => {
    expect(exampleValueReason(key, value)).toBeUndefined();
  });
});

describe('values the scripts hand to a shell', () => {
  test.each([
    ['groundwork:kubeContext', 'kind-x$(id)'],
    ['groundwork:kubeContext', 'ctx`reboot`'],
    ['groundwork:kubeContext', "ctx'; rm -rf ~; '"],
    ['groundwork:kubeContext', 'ctx\nKUBE_CONTEXT=evil'],
    ['groundwork:kubeContext', 'two words'],
    ['kubernetes:context', 'a|b'],
    ['groundwork:kubeconfig', '/tmp/$(id)/config'],
  ])('%s %j is refused with the key named', (key, value) => {
    const message = errorOf(() => parseStackConfig({ [key]: value }, 'dev', 'Pulumi.dev.yaml'));
    expect(message).toContain(`Pulumi.dev.yaml: ${key} (${JSON.stringify(value)}) must be a`);
    expect(message).toContain('nothing a shell would read as syntax');
  });

  test.each([
    'kind-groundwork',
    'arn:aws:eks:eu-west-1:210987654321:cluster/shop-prod',
    'gke_acme_europe-west1_prod',
    'admin@prod.eu-west-1.eksctl.io',
  ])('the contexts kind, EKS, GKE and eksctl write pass: %s', (ctx) =>
    expect(parseStackConfig({ 'groundwork:kubeContext': ctx }, 'dev', 'f').kubeContext).toBe(ctx),
  );

  test('engine.env quotes every value: bash reads back exactly what was written, running nothing', () => {
    const tricky = `it's $(touch /tmp/groundwork-pwned) \`x\` "y"`;
    const out = execFileSync('bash', ['-c', `V=${shellQuote(tricky)}; printf %s "$V"`], { encoding: 'utf8' });
    expect(out).toBe(tricky);
  });
});

describe('values DNS, ACME and S3 refuse', () => {
  test.each([
    ['groundwork:backupBucket', 'Acme-Backups', 'must be an S3 bucket name'],
    ['groundwork:backupBucket', 'ab', 'must be an S3 bucket name'],
    ['groundwork:logsBucket', 'a'.repeat(64), 'must be an S3 bucket name'],
    ['groundwork:logsBucket', 'logs..acme', 'must be an S3 bucket name'],
    ['groundwork:logsBucket', '192.168.10.20', 'must be an S3 bucket name'],
    ['groundwork:logsBucket', 'xn--logs', 'must be an S3 bucket name'],
    ['groundwork:logsBucket', 'acme-logs-s3alias', 'must be an S3 bucket name'],
    ['groundwork:domain', '*.acme.io', 'must be a domain, not a wildcard'],
    ['groundwork:domain', 'localhost', 'must be a domain with at least two labels'],
    ['groundwork:dnsZone', '*.acme.io', 'must be a domain, not a wildcard'],
  ])('%s %j is refused', (key, value, message) => {
    expect(errorOf(() => parseStackConfig({ [key]: value }, 'prod', 'Pulumi.prod.yaml'))).toContain(
      `Pulumi.prod.yaml: ${key} (${JSON.stringify(value)}) ${message}`,
    );
  });

  test.each(['acme-prod-backups', 'logs.acme.io', 'a1b'])('bucket %s passes', (b) =>
    expect(parseStackConfig({ 'groundwork:backupBucket': b }, 'prod', 'f').backupBucket).toBe(b),
  );
});
