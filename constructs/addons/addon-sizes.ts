/**
 * The size props of an add-on: {@link ComponentSize}, {@link SIZE_SPEC}, and the checks
 * `declareAddon` runs on the sizes the caller wrote and on the add-on's components.
 */
import * as rules from '../internal/rules';
import { objectSpec, type PropsValidator, type Spec } from '../internal/validator';

/** CPU and memory a component requests, per replica. */
export interface ComponentSize {
  /** CPU request, e.g. `100m`. */
  readonly cpu: string;
  /** Memory request, e.g. `256Mi`. */
  readonly memory: string;
  /**
   * Memory limit. A limit equal to the request OOM-kills a controller at its first spike, and an
   * admission webhook that then fails closed blocks every change in the cluster.
   * @default twice the memory request
   */
  readonly memoryLimit?: string;
  /**
   * Replicas of the component.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Runs on every node (a DaemonSet): the footprint multiplies it by the node count.
   * @default false
   */
  readonly perNode?: boolean;
}

/** The spec of a ComponentSize option (merged over the add-on's defaults, so no field is required). */
export const SIZE_SPEC = objectSpec<ComponentSize>({
  cpu: 'string',
  memory: 'string',
  memoryLimit: 'string',
  replicas: 'number',
  perNode: 'boolean',
});

/** A size the caller wrote: `size`, `collectorSize`, `sizes.grafana`. */
interface WrittenSize {
  readonly path: string;
  readonly size: Partial<ComponentSize>;
}

const SIZE_FIELDS = ['cpu', 'memory', 'memoryLimit', 'replicas'] as const;
type SizeField = (typeof SIZE_FIELDS)[number];
const SIZE_RULES: { readonly [F in SizeField]: rules.Rule<NonNullable<ComponentSize[F]>> } = {
  cpu: rules.cpuQuantity,
  memory: rules.bytesQuantity,
  memoryLimit: rules.bytesQuantity,
  replicas: rules.integerBetween(0),
};

/**
 * The sizes among `props`, under the names the caller wrote them: a prop whose shape is
 * {@link SIZE_SPEC} (`size`, `collectorSize`), or an object of them (`sizes.prometheus`).
 */
function writtenSizes(props: object, shapes: Readonly<Record<string, Spec>> | undefined): WrittenSize[] {
  const out: WrittenSize[] = [];
  const record = props as Readonly<Record<string, unknown>>;
  const isRecord = (x: unknown): x is Record<string, unknown> =>
    typeof x === 'object' && x !== null && !Array.isArray(x);
  for (const [key, spec] of Object.entries(shapes ?? {})) {
    const value = record[key];
    if (!isRecord(value)) continue;
    if (spec === SIZE_SPEC) out.push({ path: key, size: value });
    else if (typeof spec === 'object' && 'fields' in spec && Object.values(spec.fields).every((f) => f === SIZE_SPEC)) {
      for (const [name, size] of Object.entries(value)) if (isRecord(size)) out.push({ path: `${key}.${name}`, size });
    }
  }
  return out;
}

/**
 * Checks the sizes the caller wrote under the names they wrote (`size.cpu`, `sizes.grafana.memory`),
 * then the add-on's components: a component's value that is one the caller wrote for it was
 * checked already, and a conflict between the caller's memory limit and the add-on's default
 * request is named by the caller's field. Only the add-on's own values are named by component
 * (`webhook.cpu`): the caller never wrote those names.
 */
export function checkSizes(
  v: PropsValidator,
  props: object,
  shapes: Readonly<Record<string, Spec>> | undefined,
  components: Readonly<Record<string, ComponentSize>>,
): void {
  const written = writtenSizes(props, shapes);
  const check = (path: string, size: Partial<ComponentSize>, field: SizeField): void => {
    const rule = SIZE_RULES[field] as rules.Rule<unknown>;
    v.check(`${path}.${field}`, size[field], rule);
  };
  for (const w of written) {
    for (const field of SIZE_FIELDS) check(w.path, w.size, field);
    if (w.size.memory !== undefined && w.size.memoryLimit !== undefined) {
      const limit = w.size.memoryLimit;
      v.check(`${w.path}.memory`, w.size.memory, (q) => rules.requestWithinLimit(q, limit));
    }
  }
  const reported = new Set<string>();
  const once = (field: string, value: unknown, problem: string): void => {
    const key = `${field}\n${String(value)}\n${problem}`;
    if (reported.has(key)) return;
    reported.add(key);
    v.fail(field, value, problem);
  };
  for (const [name, c] of Object.entries(components)) {
    // who wrote a field's value: the caller's size for this component (`sizes.grafana` for grafana) first, then any of theirs
    const ownerOf = (field: SizeField): WrittenSize | undefined => {
      const candidates = written.filter((w) => w.size[field] !== undefined && w.size[field] === c[field]);
      return candidates.find((w) => w.path.split('.').pop() === name) ?? candidates[0];
    };
    for (const field of SIZE_FIELDS) if (ownerOf(field) === undefined) check(name, c, field);
    if (c.memoryLimit === undefined) continue;
    const request = ownerOf('memory');
    const limit = ownerOf('memoryLimit');
    if (request !== undefined && request === limit) continue;
    const problem = rules.requestWithinLimit(c.memory, c.memoryLimit);
    if (problem === undefined) continue;
    if (limit !== undefined && request === undefined) {
      once(
        `${limit.path}.memoryLimit`,
        c.memoryLimit,
        `must be >= the memory request (${c.memory}, the add-on's default for ${limit.path}.memory)`,
      );
    } else once(request === undefined ? `${name}.memory` : `${request.path}.memory`, c.memory, problem);
  }
}
