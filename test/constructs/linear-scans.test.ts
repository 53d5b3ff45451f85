/**
 * Every scan over a user value is linear in the value's length: a backtracking pattern turns one
 * long string (a ConfigMap value, an env var, a stack config value) into a denial of service. Each
 * rule and each secret scan gets 1 MiB inputs shaped to make an ambiguous pattern backtrack (long
 * runs of the characters its repetitions share, with a tail that makes the match fail last).
 */
import { performance } from 'node:perf_hooks';
import { checkManifests } from '../../constructs';
import * as rules from '../../constructs/internal/rules';
import { findSecrets, secretInValue, secretLikeName, secretsInArgs } from '../../constructs/internal/secrets';

const MIB = 2 ** 20;
const fill = (unit: string, tail = '!'): string => unit.repeat(Math.ceil(MIB / unit.length)).slice(0, MIB) + tail;

/** Inputs that defeat the usual ambiguous shapes: `[a-z][a-z0-9]*:`, `x+\.?x*`, `[^@]+\.[^@]+`, `(a|ab)*`. */
const HOSTILE: readonly string[] = [
  fill('a'),
  fill('1'),
  fill('1', '..'),
  fill('a.'),
  fill('a-'),
  fill('a:'),
  fill('a:b'),
  'x@' + fill('.', '@'),
  'x@' + fill('a.', '@'),
  fill('ab://'),
  'a://' + fill('a', ':'),
  'a://x:' + fill('a', ' @'),
  fill('-----BEGIN '),
  '-----BEGIN ' + fill('A'),
  fill('/'),
  fill('1m'),
  fill('1ms'),
  fill(' '),
];

const STRING_RULES: Record<string, (v: string) => unknown> = {
  dns1123Label: rules.dns1123Label,
  dns1035Label: rules.dns1035Label,
  dns1123Subdomain: rules.dns1123Subdomain,
  portName: rules.portName,
  pinnedImage: rules.pinnedImage,
  timeZone: rules.timeZone,
  cronSchedule: rules.cronSchedule,
  parseQuantity: rules.parseQuantity,
  cpuQuantity: rules.cpuQuantity,
  bytesQuantity: rules.bytesQuantity,
  ingressHost: rules.ingressHost,
  labelKey: rules.labelKey,
  labelValue: rules.labelValue,
  envName: rules.envName,
  absolutePath: rules.absolutePath,
  httpPath: rules.httpPath,
  percentOrCount: rules.percentOrCount,
  exactVersion: rules.exactVersion,
  email: rules.email,
  iamRoleArn: rules.iamRoleArn,
  cidr: rules.cidr,
  gitUrl: rules.gitUrl,
  repoPath: rules.repoPath,
  gitRevision: rules.gitRevision,
  secretInValue,
  secretLikeName,
  secretsInArgs: (v) => secretsInArgs([v, `--token=${v}`, '--password', v], 'args'),
  findSecrets: (v) => findSecrets({ env: [{ name: 'URL', value: v }], [v.slice(0, 4096)]: v }, 'values'),
};

/** Milliseconds the slowest hostile input takes through `fn`. */
function slowest(fn: (v: string) => unknown): { ms: number; input: number } {
  let worst = { ms: 0, input: -1 };
  HOSTILE.forEach((input, i) => {
    const t0 = performance.now();
    fn(input);
    const ms = performance.now() - t0;
    if (ms > worst.ms) worst = { ms, input: i };
  });
  return worst;
}

describe('every scan is linear in the value length', () => {
  test.each(Object.keys(STRING_RULES))('%s takes well under a second on every 1 MiB hostile input', (name) => {
    const worst = slowest(STRING_RULES[name]);
    // a quadratic scan of 1 MiB takes minutes; a linear one a few milliseconds per input
    expect({ rule: name, slow: worst.ms > 250 ? `input #${worst.input} took ${Math.round(worst.ms)} ms` : 'no' }).toEqual({ rule: name, slow: 'no' });
  });

  test('checkManifests scans a ConfigMap holding 1 MiB hostile values in well under a second', () => {
    const data: Record<string, string> = {};
    HOSTILE.forEach((v, i) => (data[`value-${i}`] = v));
    const t0 = performance.now();
    const violations = checkManifests([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big', namespace: 'shop' }, data }]);
    const ms = performance.now() - t0;
    expect(violations.filter((v) => v.rule === 'secret-values')).toEqual([]);
    expect(ms).toBeLessThan(1000);
  });

  test('the fixed secret scan still finds credentials in a URL, at the end of a 1 MiB value', () => {
    expect(secretInValue(fill('a', ' ') + 'postgres://app:pw@db/app')).toBe('a URL with credentials in it');
    expect(secretInValue('https://:token@example.org/x')).toBe('a URL with credentials in it');
    expect(secretInValue('HTTPS://user:pw@host')).toBe('a URL with credentials in it');
    expect(secretInValue('1https://user:pw@host')).toBe('a URL with credentials in it');
    // no scheme letter, no password, a path before the @, whitespace in between: not credentials
    expect(secretInValue('123://user:pw@host')).toBeUndefined();
    expect(secretInValue('https://user@host')).toBeUndefined();
    expect(secretInValue('https://host/a:b@c')).toBeUndefined();
    expect(secretInValue('https://us er:pw@host')).toBeUndefined();
    expect(secretInValue('https://user:@host')).toBeUndefined();
    expect(secretInValue('mailto:a:b@c')).toBeUndefined();
  });
});
