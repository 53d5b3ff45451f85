import { Chart } from 'cdk8s';
import { type Construct } from 'constructs';
import { dns1123Label, dns1123Subdomain, labelKey, labelValue, type Rule } from './rules';

/** Thrown at construction when props are invalid. Lists every problem found, one per line. */
export class GroundworkValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'GroundworkValidationError';
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/** A value's JavaScript type in words (`a string`, `a list`), for messages that must not echo the value. */
export function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (value === undefined) return 'undefined';
  return `a ${typeof value}`;
}

/** The JavaScript shape a prop must have (checked at run time: JavaScript and JSON callers). */
export type Shape =
  'string' | 'number' | 'boolean' | 'false' | 'object' | 'strings' | 'ports' | 'objects' | 'string-map' | 'scalar-map';

/** An object whose fields are checked in turn: unknown fields, wrong shapes and missing required fields are errors. */
export interface ObjectSpec {
  readonly fields: Readonly<Record<string, Spec>>;
  readonly required: readonly string[];
  /**
   * Fields beyond `fields` are allowed: the object is usually an offer read from the platform
   * contract (a GatewayOffer passed as `route.gateway` carries its listeners too).
   */
  readonly open?: boolean;
}

/** A list whose items are objects checked by `items`. */
export interface ListSpec {
  readonly items: ObjectSpec;
}

/** A shape, a nested object or list spec, or a list of alternatives (`['object', 'false']`). */
export type Spec = Shape | ObjectSpec | ListSpec | readonly (Shape | ObjectSpec)[];

/** A spec per prop of `P` (a Record over its keys: a prop that is not listed fails to compile). */
export type PropShapes<P> = { readonly [K in keyof Required<P>]: Spec };

/** The spec of an object of type `T`: a spec per field, and the fields it must have. */
export function objectSpec<T>(fields: PropShapes<T>, required: readonly (keyof T & string)[] = []): ObjectSpec {
  return { fields, required };
}

/** The spec of an object of type `T` that may carry more fields (an offer from the platform contract passed on as it is). */
export function offerSpec<T>(fields: PropShapes<T>, required: readonly (keyof T & string)[] = []): ObjectSpec {
  return { fields, required, open: true };
}

/** The spec of a list of `T` objects. */
export function listOf<T>(fields: PropShapes<T>, required: readonly (keyof T & string)[] = []): ListSpec {
  return { items: objectSpec(fields, required) };
}

const SHAPE_WORDS: Readonly<Record<Shape, string>> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  false: 'false',
  object: 'an object',
  strings: 'a list of strings',
  ports: 'a list of port names or numbers',
  objects: 'a list of objects',
  'string-map': 'a map of strings',
  'scalar-map': 'a map of strings, numbers or booleans',
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether `value` has `shape`. */
export function hasShape(value: unknown, shape: Shape): boolean {
  switch (shape) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'false':
      return value === false;
    case 'object':
      return isRecord(value);
    case 'strings':
      return Array.isArray(value) && value.every((x) => typeof x === 'string');
    case 'ports':
      return Array.isArray(value) && value.every((x) => typeof x === 'string' || typeof x === 'number');
    case 'objects':
      return Array.isArray(value) && value.every(isRecord);
    case 'string-map':
      return isRecord(value) && Object.values(value).every((x) => typeof x === 'string');
    case 'scalar-map':
      return isRecord(value) && Object.values(value).every((x) => ['string', 'number', 'boolean'].includes(typeof x));
  }
}

/**
 * Collects rule violations for one construct and throws them together.
 * Messages read `WebService 'app/api': minReplicas (5) must be <= maxReplicas (3)`.
 */
export class PropsValidator {
  private readonly problems: string[] = [];
  private readonly prefix: string;

  /** @param where the construct (its path is named) or a plain name such as an add-on id */
  constructor(typeName: string, where: Construct | string) {
    this.prefix = `${typeName} '${typeof where === 'string' ? where : where.node.path}'`;
  }

  /**
   * JavaScript and JSON callers: props that are not an object, a prop `shapes` does not list
   * (`replcas`), and a prop of the wrong JavaScript type (`env: {…}` for a list) are errors, not
   * ignored or crashed on later. Throws at once when any is found, so the rules after it read
   * well-typed props. Values are not echoed (they may hold a secret): only their type is named.
   */
  knownProps(
    props: unknown,
    shapes: Readonly<Record<string, Spec>>,
    unknownWords = 'is not a prop of this construct; known:',
  ): void {
    if (!isRecord(props)) {
      this.problems.push(`${this.prefix}: props (${typeOf(props)}) must be an object`);
      this.throwIfInvalid();
      return;
    }
    this.checkObject('', props, { fields: shapes, required: [] }, unknownWords);
    this.throwIfInvalid();
  }

  /** Checks `value` at `path` against `spec` (shape, nested fields, unknown fields), recording problems. */
  checkShape(path: string, value: unknown, spec: Spec): void {
    this.checkSpec(path, value, spec);
  }

  /** Checks the fields of `value` (at `path`) against `spec`, recursing into nested specs. */
  private checkObject(path: string, value: Record<string, unknown>, spec: ObjectSpec, unknownWords: string): void {
    const at = (key: string): string => (path === '' ? key : `${path}.${key}`);
    for (const [key, field] of Object.entries(value)) {
      const fieldSpec = Object.prototype.hasOwnProperty.call(spec.fields, key) ? spec.fields[key] : undefined;
      if (fieldSpec === undefined) {
        if (spec.open === true) continue;
        const shown = typeof field === 'number' || typeof field === 'boolean' ? String(field) : typeOf(field);
        this.problems.push(
          `${this.prefix}: ${at(key)} (${shown}) ${unknownWords} ${Object.keys(spec.fields).join(', ')}`,
        );
      } else if (field !== undefined) {
        this.checkSpec(at(key), field, fieldSpec);
      }
    }
    for (const key of spec.required) {
      if (value[key] === undefined) this.problems.push(`${this.prefix}: ${at(key)} (undefined) is required`);
    }
  }

  private checkSpec(path: string, value: unknown, spec: Spec): void {
    const alternatives: readonly (Shape | ObjectSpec | ListSpec)[] =
      typeof spec === 'string' || !Array.isArray(spec) ? [spec as Shape | ObjectSpec | ListSpec] : spec;
    const words = (s: Shape | ObjectSpec | ListSpec): string =>
      typeof s === 'string' ? SHAPE_WORDS[s] : 'items' in s ? 'a list of objects' : 'an object';
    const fits = (s: Shape | ObjectSpec | ListSpec): boolean =>
      typeof s === 'string' ? hasShape(value, s) : 'items' in s ? hasShape(value, 'objects') : isRecord(value);
    const match = alternatives.find(fits);
    if (match === undefined) {
      this.problems.push(`${this.prefix}: ${path} (${typeOf(value)}) must be ${alternatives.map(words).join(' or ')}`);
      return;
    }
    if (typeof match === 'string') return;
    if ('items' in match) {
      (value as Record<string, unknown>[]).forEach((item, i) =>
        this.checkObject(`${path}[${i}]`, item, match.items, 'is not a field here; known:'),
      );
      return;
    }
    this.checkObject(path, value as Record<string, unknown>, match, 'is not a field here; known:');
  }

  /** Applies `rule` to `value` (skipped when the value is undefined). */
  check<T>(field: string, value: T | undefined, rule: Rule<T>): void {
    if (value === undefined) return;
    const problem = rule(value);
    if (problem !== undefined) this.fail(field, value, problem);
  }

  /** Records a problem naming only the type of the value received (`env[0].value (a number) must be a string`). */
  failType(field: string, value: unknown, problem: string): void {
    this.problems.push(`${this.prefix}: ${field} (${typeOf(value)}) ${problem}`);
  }

  /** Records a problem directly. */
  fail(field: string, value: unknown, problem: string): void {
    this.problems.push(`${this.prefix}: ${field} (${show(value)}) ${problem}`);
  }

  /** Throws if anything was recorded. */
  throwIfInvalid(): void {
    if (this.problems.length > 0) throw new GroundworkValidationError(this.problems);
  }
}

/**
 * The object name: `given`, or `fallback` (the construct id) when props give none, checked by
 * `rule` (a DNS-1123 subdomain unless the object's name is a label) under the field `name`.
 */
export function resolveName(
  v: PropsValidator,
  given: string | undefined,
  fallback: string,
  rule: Rule<string> = dns1123Subdomain,
): string {
  const name = given ?? fallback;
  v.check('name', name, rule);
  return name;
}

/**
 * Resolves a namespace from props or, for a construct, the enclosing Chart (`where` given as a
 * path has no Chart: the namespace is then required). Records a problem when neither sets one,
 * when it is `default`, or when it is not a DNS-1123 label.
 */
export function resolveNamespace(v: PropsValidator, where: Construct | string, namespace: string | undefined): string {
  const resolved = namespace ?? (typeof where === 'string' ? undefined : Chart.of(where).namespace);
  if (resolved === undefined || resolved === 'default') {
    v.fail('namespace', resolved, 'must be set to a namespace other than "default" (in props or on the Chart)');
    return '';
  }
  v.check('namespace', resolved, dns1123Label);
  return resolved;
}

/** Checks a label map: each key a label key (field `<field> key`), each value a label value (field `<field>["<key>"]`). */
export function checkLabels(
  v: PropsValidator,
  field: string,
  labels: Readonly<Record<string, string>> | undefined,
): void {
  for (const [k, val] of Object.entries(labels ?? {})) {
    v.check(`${field} key`, k, labelKey);
    v.check(`${field}[${JSON.stringify(k)}]`, val, labelValue);
  }
}
