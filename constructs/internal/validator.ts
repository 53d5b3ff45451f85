import { Chart } from 'cdk8s';
import { type Construct } from 'constructs';
import { dns1123Label, type Rule } from './rules';

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
   * JavaScript and JSON callers: a prop `known` does not list (`replcas`) is an error, not silently
   * ignored. `known` is a Record over the props interface's keys, so it cannot fall behind it.
   */
  knownProps(props: object, known: Readonly<Record<string, true>>): void {
    for (const key of Object.keys(props)) {
      if (!Object.prototype.hasOwnProperty.call(known, key))
        this.fail(key, (props as Record<string, unknown>)[key], `is not a prop of this construct; known: ${Object.keys(known).join(', ')}`);
    }
  }

  /** Applies `rule` to `value` (skipped when the value is undefined). */
  check<T>(field: string, value: T | undefined, rule: Rule<T>): void {
    if (value === undefined) return;
    const problem = rule(value);
    if (problem !== undefined) this.fail(field, value, problem);
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
 * Resolves a namespace from props or the enclosing Chart. Records a problem when neither sets
 * one, when it is `default`, or when it is not a DNS-1123 label.
 */
export function resolveNamespace(v: PropsValidator, scope: Construct, namespace: string | undefined): string {
  const resolved = namespace ?? Chart.of(scope).namespace;
  if (resolved === undefined || resolved === 'default') {
    v.fail('namespace', resolved, 'must be set to a namespace other than "default" (in props or on the Chart)');
    return '';
  }
  v.check('namespace', resolved, dns1123Label);
  return resolved;
}
