/**
 * YAML for Kubernetes manifests: JSON data (strings, finite numbers, booleans, null, arrays, plain
 * objects) in block style, keys in object order, two-space indent, sequences indented under their
 * key, multi-line strings as literal blocks. Deterministic: the same data gives the same bytes.
 *
 * Why our own: serialization was the synth path's hottest step. On the bench's 70,000 objects
 * this takes 0.7-0.8 s against 3.8-4.0 s for js-yaml's `dump` (and 0.4 s for `JSON.stringify`),
 * measured here, because it never builds a representation graph or tests a scalar against every
 * tag's resolver; it only has to answer "can this string be written plain?". That answer is
 * conservative: a string is written plain
 * only when no YAML 1.1 or 1.2 reader (kubectl's go-yaml reads 1.1: `yes`, `on`, `0755`, `1:20`
 * and `2001-12-14` are not strings there) could read it as anything but that string. Everything
 * else is double-quoted with JSON's escapes, which are valid YAML escapes, plus `\u` escapes for
 * the characters YAML treats as line breaks or non-printable and JSON does not escape.
 * test/stacks/yaml.test.ts reads every rendering and a fuzzed corpus back with a YAML 1.1 and a
 * 1.2 parser and compares.
 */

/**
 * Characters that may not start a plain scalar (YAML 1.2 `c-indicator`, plus space). `-` may,
 * when a non-space follows and the rest is no number (`--port=8080`); see `isPlain`.
 */
const INDICATOR_START = new Set([
  '?',
  ':',
  ',',
  '[',
  ']',
  '{',
  '}',
  '#',
  '&',
  '*',
  '!',
  '|',
  '>',
  "'",
  '"',
  '%',
  '@',
  '`',
  ' ',
]);

/** Words YAML 1.1 or 1.2 resolves to null, booleans or special floats, or treats specially (`<<`, `=`). */
const RESERVED =
  /^(?:~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|<<|=|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/**
 * Could a 1.1 or 1.2 reader take this as a number or a timestamp? Anything that starts like a
 * number and uses only characters of YAML's int, float, base-60 and timestamp forms is treated
 * as one: `1.0`, `0x1F`, `1_000`, `1e3`, `12:30`, `2001-12-14` are quoted; `100m` and `256Mi`
 * are not (a letter outside those forms makes them strings for every reader). A lone `.` (or
 * `._`, `-.`) is a float to YAML 1.1's regular expression, and yaml@2's 1.1 reader takes an
 * exponent alone (`e+90`) for one, so those are quoted too.
 */
const NUMBER_LIKE = /^(?:[-+]?\.?[0-9][-+0-9a-fA-FxXoObB._: tTzZ]*|[-+]?\.[-+0-9._eE]*|[-+]?\.?[eE][-+]?[0-9_]*)$/;

/** True when `s` reads back as this very string when written without quotes. */
function isPlain(s: string): boolean {
  const n = s.length;
  if (n === 0 || INDICATOR_START.has(s[0]) || s.charCodeAt(n - 1) === 0x20 || s.charCodeAt(n - 1) === 0x3a)
    return false;
  // Printable ASCII only (nothing plain depends on a reader's Unicode handling), and neither
  // `: ` (a mapping) nor ` #` (a comment) inside.
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
    if (c === 0x20 && (s.charCodeAt(i + 1) === 0x23 || s.charCodeAt(i - 1) === 0x3a)) return false;
  }
  const first = s.charCodeAt(0);
  if (first === 0x2d && (n === 1 || s.charCodeAt(1) === 0x20 || s.startsWith('---'))) return false;
  const numeric =
    (first >= 0x30 && first <= 0x39) ||
    first === 0x2b ||
    first === 0x2d ||
    first === 0x2e ||
    first === 0x65 ||
    first === 0x45;
  if (numeric && NUMBER_LIKE.test(s)) return false;
  if (first === 0x2e && s.startsWith('...')) return false;
  return n > 5 || !RESERVED.test(s);
}

/** JSON escapes plus the characters YAML reads as line breaks (NEL, LS, PS), BOM and DEL. */
function quoted(s: string): string {
  return JSON.stringify(s).replace(
    /[\u007f\u0085\u2028\u2029\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A scalar or key as it appears on one line. */
function scalar(s: string): string {
  return isPlain(s) ? s : quoted(s);
}

/**
 * A multi-line string as a literal block (`|`), when that writes it exactly: printable content,
 * at least one non-blank character, no carriage returns. The chomping indicator keeps the
 * trailing newlines as they are; an indentation indicator is given when the text starts with a
 * space or a newline, so a reader does not guess the indentation from the text itself.
 */
function literalBlock(s: string, indent: string): string | undefined {
  if (!/^[\t\n\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*$/.test(s) || s.trim().length === 0)
    return undefined;
  // counted backwards: `s.replace(/\n+$/, '')` tries every run of newlines to the end, quadratic in them
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0x0a) end--;
  const trailing = s.length - end;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const body = trailing === 0 ? s : s.slice(0, s.length - (trailing === 1 ? 1 : 0));
  const head = `|${s[0] === ' ' || s[0] === '\n' ? '2' : ''}${chomp}`;
  const lines = body.split('\n').map((line) => (line.length === 0 ? '' : `${indent}  ${line}`));
  if (chomp === '+') lines.pop();
  return `${head}\n${lines.join('\n')}`;
}

/** Where the emitter is, for an error message: keys and indexes from the document root. */
type Trail = (string | number)[];

function trailText(trail: Trail): string {
  return `$${trail.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}`;
}

function scalarValue(value: unknown, indent: string, trail: Trail): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return value.includes('\n') ? (literalBlock(value, indent) ?? quoted(value)) : scalar(value);
    case 'number':
      if (!Number.isFinite(value))
        throw new TypeError(`toYaml: ${trailText(trail)} is ${value}, which YAML for Kubernetes cannot hold`);
      return Object.is(value, -0) ? '0' : String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      throw new TypeError(`toYaml: ${trailText(trail)} is a ${typeof value}, not JSON data`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function hasDefinedKey(o: Record<string, unknown>): boolean {
  for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k) && o[k] !== undefined) return true;
  return false;
}

/**
 * A mapping's entries at `indent`. After a sequence item's `- ` the first key is already in
 * place (`inItem`), so it gets no indent of its own.
 */
function mapping(o: Record<string, unknown>, indent: string, trail: Trail, inItem: boolean): string {
  let out = '';
  let first = true;
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (v === undefined) continue;
    trail.push(k);
    out += `${first && inItem ? '' : indent}${scalar(k)}:${value(v, indent, trail)}`;
    trail.pop();
    first = false;
  }
  return out;
}

/** ` value\n` for scalars and empty collections, or `\n` and the nested block. */
function value(v: unknown, indent: string, trail: Trail): string {
  if (Array.isArray(v)) return v.length === 0 ? ' []\n' : `\n${sequence(v, `${indent}  `, trail)}`;
  if (isRecord(v)) return hasDefinedKey(v) ? `\n${mapping(v, `${indent}  `, trail, false)}` : ' {}\n';
  return ` ${scalarValue(v, indent, trail)}\n`;
}

function sequence(items: readonly unknown[], indent: string, trail: Trail): string {
  let out = '';
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    trail.push(i);
    if (Array.isArray(item))
      out += item.length > 0 ? `${indent}-\n${sequence(item, `${indent}  `, trail)}` : `${indent}- []\n`;
    else if (isRecord(item))
      out += hasDefinedKey(item) ? `${indent}- ${mapping(item, `${indent}  `, trail, true)}` : `${indent}- {}\n`;
    else out += `${indent}- ${scalarValue(item, indent, trail)}\n`;
    trail.pop();
  }
  return out;
}

/** One YAML document (no `---`) for a JSON value. */
export function yamlDocument(data: unknown): string {
  if (Array.isArray(data)) return data.length === 0 ? '[]\n' : sequence(data, '', []);
  if (isRecord(data)) return hasDefinedKey(data) ? mapping(data, '', [], false) : '{}\n';
  return `${scalarValue(data, '', [])}\n`;
}
