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
/** `unit` repeated to `size` characters, then `tail`. */
const fillTo = (size: number, unit: string, tail = '!'): string =>
  unit.repeat(Math.ceil(size / unit.length)).slice(0, size) + tail;
const fill = (unit: string, tail = '!'): string => fillTo(MIB, unit, tail);

/** Input shapes (by size) that defeat the usual ambiguous patterns: `[a-z][a-z0-9]*:`, `x+\.?x*`, `[^@]+\.[^@]+`, `(a|ab)*`. */
const SHAPES: readonly ((size: number) => string)[] = [
  (n) => fillTo(n, 'a'),
  (n) => fillTo(n, '1'),
  (n) => fillTo(n, '1', '..'),
  (n) => fillTo(n, 'a.'),
  (n) => fillTo(n, 'a-'),
  (n) => fillTo(n, 'a:'),
  (n) => fillTo(n, 'a:b'),
  (n) => 'x@' + fillTo(n, '.', '@'),
  (n) => 'x@' + fillTo(n, 'a.', '@'),
  (n) => fillTo(n, 'ab://'),
  (n) => 'a://' + fillTo(n, 'a', ':'),
  (n) => 'a://x:' + fillTo(n, 'a', ' @'),
  (n) => fillTo(n, '-----BEGIN '),
  (n) => '-----BEGIN ' + fillTo(n, 'A'),
  (n) => fillTo(n, '/'),
  (n) => fillTo(n, '1m'),
  (n) => fillTo(n, '1ms'),
  (n) => fillTo(n, ' '),
];
const HOSTILE: readonly string[] = SHAPES.map((shape) => shape(MIB));
/** The same shapes at a sixteenth of the size: a linear scan takes about a sixteenth of the time, a quadratic one a 256th. */
const SMALL: readonly string[] = SHAPES.map((shape) => shape(MIB / 16));

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

/** Best of `runs` timings of `fn(input)`, in milliseconds. */
function best(fn: (v: string) => unknown, input: string, runs: number): number {
  let min = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    fn(input);
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

/**
 * How much longer each 1 MiB input takes than the same shape cut to a sixteenth and scanned 16 times
 * (the same number of characters), worst first: about 1 for a linear scan, about 16 for a quadratic
 * one. Both sides scan 1 MiB, so neither is near the timer's resolution and a busy machine slows
 * both alike; timings under 0.2 ms count as 0.2 ms. Measured against itself in one run, never
 * against a clock budget.
 */
function worstGrowth(
  fn: (v: string) => unknown,
  small: readonly string[] = SMALL,
  big: readonly string[] = HOSTILE,
): { growth: number; input: number } {
  let worst = { growth: 0, input: -1 };
  const sixteenTimes = (v: string): void => {
    for (let k = 0; k < 16; k++) fn(v);
  };
  big.forEach((input, i) => {
    // alternated (sixteenths, whole, sixteenths, …) so that a burst of load falls on both sides
    let a = Infinity;
    let b = Infinity;
    for (let r = 0; r < 3; r++) {
      a = Math.min(a, best(sixteenTimes, small[i], 1));
      b = Math.min(b, best(fn, input, 1));
    }
    const growth = Math.max(b, 0.2) / Math.max(a, 0.2);
    if (growth > worst.growth) worst = { growth, input: i };
  });
  return worst;
}

/** Linear with room for noise (the suite runs test files in parallel): at most 5 times (measured up to 2.4); quadratic is ~16 (planted: 13). */
const MAX_GROWTH = 5;

describe('every scan is linear in the value length', () => {
  test.each(Object.keys(STRING_RULES))(
    '%s: one 1 MiB hostile value takes at most 5 times as long as its sixteenths, every shape',
    (name) => {
      const worst = worstGrowth(STRING_RULES[name]);
      const slow =
        worst.growth > MAX_GROWTH
          ? `input #${worst.input}: 1 MiB at once took ${worst.growth.toFixed(1)}x its 16 sixteenths`
          : 'no';
      expect({ rule: name, slow }).toEqual({ rule: name, slow: 'no' });
    },
  );

  test('checkManifests over a ConfigMap of hostile values: at most 5 times as long as over their sixteenths 16 times', () => {
    const configMap = (values: readonly string[]) => {
      const data: Record<string, string> = {};
      values.forEach((v, i) => (data[`value-${i}`] = v));
      return [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big', namespace: 'shop' }, data }];
    };
    const small = configMap(SMALL);
    const big = configMap(HOSTILE);
    const growth = worstGrowth((v) => checkManifests(v === 'big' ? big : small), ['small'], ['big']).growth;
    expect(checkManifests(big).filter((v) => v.rule === 'secret-values')).toEqual([]);
    expect(growth).toBeLessThan(MAX_GROWTH);
  });

  test('the growth check fails on a quadratic scan', () => {
    // a planted quadratic scan (for each position, look back for a character that is not there),
    // at 1 KiB and 16 KiB so that it finishes: it must be caught
    const quadratic = (v: string): number => {
      let found = 0;
      for (let i = 0; i < v.length; i++) found += v.lastIndexOf('#', i) >= 0 ? 1 : 0;
      return found;
    };
    const sized = (n: number) => SHAPES.slice(0, 2).map((shape) => shape(n));
    expect(worstGrowth(quadratic, sized(1024), sized(16 * 1024)).growth).toBeGreaterThan(MAX_GROWTH);
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
