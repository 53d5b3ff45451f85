import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadAll } from 'js-yaml';
import { parseAllDocuments } from 'yaml';
import type { ManifestObject } from '../../constructs';
import { toYaml, writeRendering, writeYaml } from '../../stacks/render';
import { yamlDocument } from '../../stacks/yaml';
import { renderedWithDemo, STACKS } from '../helpers/stacks';

/** Reads YAML back with two readers: js-yaml (YAML 1.2 core schema) and yaml@2 in YAML 1.1 mode, as kubectl's go-yaml reads it. */
function readBoth(text: string): { v12: unknown[]; v11: unknown[] } {
  return {
    v12: loadAll(text),
    v11: parseAllDocuments(text, { version: '1.1', uniqueKeys: false }).map((d) => {
      if (d.errors.length > 0) throw new Error(d.errors.map((e) => e.message).join('; '));
      return d.toJS() as unknown;
    }),
  };
}

/** JSON's view of the data: what a reader must get back. */
function asJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

function expectRoundTrip(values: readonly unknown[]): void {
  const text = values.map((v) => yamlDocument(v)).join('---\n');
  const { v12, v11 } = readBoth(text);
  const want = values.map(asJson);
  expect(v12).toEqual(want);
  expect(v11).toEqual(want);
}

/** A deterministic pseudo-random sequence (same corpus on every run). */
function seeded(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

describe('YAML serialization', () => {
  test('strings a YAML 1.1 or 1.2 reader would take as booleans, numbers, null, timestamps or syntax stay strings', () => {
    // GIVEN every kind of look-alike, as keys and as values
    const tricky = [
      'yes',
      'No',
      'on',
      'OFF',
      'y',
      'n',
      'true',
      'null',
      '~',
      '',
      '0755',
      '0x1F',
      '0o17',
      '1e3',
      '1_000',
      '12:30',
      '2001-12-14',
      '-1',
      '+1',
      '.5',
      '.',
      'e+90',
      '-.inf',
      '.NaN',
      '<<',
      '=',
      '-',
      '- x',
      '---',
      '...',
      '? x',
      ': x',
      'a: b',
      'a #b',
      'x:',
      ' lead',
      'trail ',
      '#c',
      '&a',
      '*a',
      '!t',
      '|',
      '>',
      "'q",
      '"q',
      '%x',
      '@x',
      '`x',
      '[a]',
      '{a}',
      'é',
      'tab\there',
      'cr\rlf',
      'nel\u0085',
      'ls\u2028',
      'bom\ufeff',
      'del\u007f',
      'nul\u0000',
    ];
    // WHEN written and read back THEN both readers get the same strings
    expectRoundTrip([Object.fromEntries(tricky.map((s, i) => [s, s === '' ? i : s])), { list: tricky }]);
    // and the quoting is not wider than needed for ordinary Kubernetes values
    const text = yamlDocument({
      image: 'ghcr.io/acme/api:1.4.2',
      cpu: '100m',
      memory: '256Mi',
      args: ['--port=8080', '-v'],
      host: 'api.example.com',
      maxSurge: '25%',
      version: '1.4.2',
    });
    expect(text).toBe(
      'image: ghcr.io/acme/api:1.4.2\ncpu: 100m\nmemory: 256Mi\nargs:\n  - --port=8080\n  - -v\nhost: api.example.com\nmaxSurge: 25%\nversion: "1.4.2"\n',
    );
  });

  test('multi-line strings are literal blocks that keep their exact trailing newlines and leading spaces', () => {
    const texts = [
      'a\nb',
      'a\nb\n',
      'a\nb\n\n',
      '\nlead',
      '  indented\nx',
      'x\n  y\n',
      'k: v\n- x\n# not a comment\n',
      'a\n\n\nb',
    ];
    expectRoundTrip([{ texts, nested: [{ deep: { deeper: texts } }] }]);
    expect(yamlDocument({ policy: 'package p\n\ndeny[msg] {\n  true\n}\n' })).toBe(
      'policy: |\n  package p\n\n  deny[msg] {\n    true\n  }\n',
    );
    expect(yamlDocument({ s: 'a\nb' })).toBe('s: |-\n  a\n  b\n');
    // blank-only and carriage-return text is quoted, never a block a reader could reshape
    expect(yamlDocument({ s: ' \n', t: 'a\r\nb' })).toBe('s: " \\n"\nt: "a\\r\\nb"\n');
  });

  test('a fuzzed corpus of 8,000 keys and values reads back identically with both readers', () => {
    const pieces = [
      'a',
      'Z',
      '0',
      '9',
      '-',
      '--',
      '- ',
      '---',
      '.',
      '...',
      '.inf',
      ':',
      ': ',
      ' ',
      ' #',
      '#',
      '\n',
      '\t',
      '"',
      "'",
      '\\',
      '|',
      '>',
      '{',
      '}',
      '[',
      ']',
      ',',
      '&',
      '*',
      '!',
      '%',
      '@',
      '`',
      '?',
      '=',
      '<<',
      '+',
      '_',
      'e',
      'x',
      '0x',
      'yes',
      'on',
      '~',
      'null',
      '\u2028',
      'é',
      '\r',
      '\u0000',
      '\ufeff',
      '1_0',
      '12:3',
      'e+9',
      'E',
    ];
    const next = seeded(7);
    const values: unknown[] = [];
    for (let i = 0; i < 8000; i++) {
      let s = '';
      for (let j = Math.floor(next() * 9); j > 0; j--) s += pieces[Math.floor(next() * pieces.length)];
      values.push({ [s]: s, l: [s, { [s]: [s] }] });
    }
    expectRoundTrip(values);
  });

  test('collections: empty ones inline, nested sequences, mappings inside sequences, undefined members dropped', () => {
    const value = {
      a: [],
      b: {},
      c: [[1, 2], [], {}, [{ x: 1, y: [{ z: true }] }], null],
      d: { e: undefined, f: -0, g: 1.5 },
      h: { i: undefined },
    };
    expectRoundTrip([value]);
    expect(yamlDocument(value)).toBe(
      'a: []\nb: {}\nc:\n  -\n    - 1\n    - 2\n  - []\n  - {}\n  -\n    - x: 1\n      "y":\n        - z: true\n  - null\nd:\n  f: 0\n  g: 1.5\nh: {}\n',
    );
  });

  test("is linear in a value's length: 8× the characters of hostile strings take about 8× the time, not 64×", () => {
    // runs of newlines with text after them (a `\n+$` search tried each), numbers, comment and mapping markers, dashes
    const units = ['\n', 'a\n\n', '1', ': #', '-', ' '];
    const doc = (unit: string, n: number): unknown => {
      const s = unit.repeat(n) + 'x\n';
      return { [s.slice(0, 1024)]: s, l: [s, unit.repeat(n)] };
    };
    const cpu = (f: () => void): number => {
      const start = process.cpuUsage();
      f();
      const used = process.cpuUsage(start);
      return used.user + used.system;
    };
    // CPU time of this process, best of 3, small and large interleaved: 8 documents of n against 1 of 8n
    const small = units.map((u) => doc(u, 16_384));
    const large = units.map((u) => doc(u, 131_072));
    const emit = (docs: readonly unknown[], times: number) => () =>
      docs.forEach((d) => Array.from({ length: times }, () => yamlDocument(d)));
    const best = [Infinity, Infinity];
    for (let round = 0; round < 3; round++) {
      best[0] = Math.min(best[0], cpu(emit(small, 8)));
      best[1] = Math.min(best[1], cpu(emit(large, 1)));
    }
    // a quadratic scan makes the large documents 8× slower than the small ones together
    expect(best[1] / best[0]).toBeLessThan(3);
  });

  test('what is not JSON data is refused with its place in the document', () => {
    expect(() => yamlDocument({ spec: { replicas: Number.NaN } })).toThrow(
      'toYaml: $.spec.replicas is NaN, which YAML for Kubernetes cannot hold',
    );
    expect(() => yamlDocument({ spec: { containers: [{ run: () => 1 }] } })).toThrow(
      'toYaml: $.spec.containers[0].run is a function, not JSON data',
    );
  });

  test.each(STACKS)(
    '%s: every written file reads back as the rendered objects with both readers, byte-identical on a second write',
    (stack) => {
      // GIVEN the shipped stack's rendering WHEN written twice
      const r = renderedWithDemo(stack);
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'groundwork-yaml-'));
      const first = writeRendering(r, path.join(tmp, 'a'));
      writeRendering(r, path.join(tmp, 'b'));
      // THEN the app waves and add-on files hold exactly the rendered objects
      const files = new Map<string, readonly ManifestObject[]>([
        ...r.waves.map((w) => [`${w.name}.yaml`, w.objects] as const),
        ...r.gitops.files.map((f) => [`addons/${f.name}.yaml`, f.objects] as const),
      ]);
      expect([...files.keys()].every((f) => first.files.includes(f) || first.addonFiles.includes(f))).toBe(true);
      for (const [file, objects] of files) {
        const text = fs.readFileSync(path.join(tmp, 'a', file), 'utf8');
        const { v12, v11 } = readBoth(text);
        expect(v12).toEqual(objects.map(asJson));
        expect(v11).toEqual(objects.map(asJson));
        expect(fs.readFileSync(path.join(tmp, 'b', file), 'utf8')).toBe(text);
      }
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  );

  test('writeYaml writes in chunks exactly what toYaml returns', () => {
    // GIVEN more than one chunk (1 MiB) of documents
    const objects = renderedWithDemo('prod').objects;
    const many = Array.from({ length: Math.ceil((2 << 20) / toYaml(objects).length) + 1 }, () => objects).flat();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'groundwork-yaml-')), 'out.yaml');
    writeYaml(file, many);
    expect(fs.readFileSync(file, 'utf8')).toBe(toYaml(many));
    expect(fs.statSync(file).size).toBeGreaterThan(2 << 20);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });
});
