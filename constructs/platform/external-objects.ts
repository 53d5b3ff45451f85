/**
 * Objects made outside the rendering (a CI runner's ServiceAccount, a Secret an operator creates, a
 * ClusterRole of the cloud provider) that the rendering may refer to. Declared on the environment's
 * cluster facts, each with why it exists; `verifyPlatform` then counts them as there from the start,
 * on the synth and the Pulumi path alike (both verify the same rendering).
 */
import * as rules from '../internal/rules';
import { listOf, PropsValidator } from '../internal/validator';

/** Kinds an external object may have: what a rendering refers to by name. */
export const EXTERNAL_KINDS = [
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'Role',
  'ClusterRole',
  'Namespace',
  'StorageClass',
  'PriorityClass',
] as const;

/** Cluster-scoped kinds among them (no namespace). */
const CLUSTER_SCOPED: ReadonlySet<string> = new Set(['ClusterRole', 'Namespace', 'StorageClass', 'PriorityClass']);

/** An object the rendering refers to that something else creates. */
export interface ExternalObject {
  /** Its kind. */
  readonly kind: (typeof EXTERNAL_KINDS)[number];
  /** Its name. */
  readonly name: string;
  /**
   * Its namespace (namespaced kinds only).
   * @default - none: a cluster-scoped kind
   */
  readonly namespace?: string;
  /** Who creates it, for the reader of the environment (e.g. "the CI runner's Helm chart"). */
  readonly createdBy: string;
}

/**
 * Checks `objects` (the environment's `addons.cluster.externalObjects`): a known kind, a valid
 * name, a namespace exactly for namespaced kinds, and who creates it. Throws every problem at once.
 */
export function checkExternalObjects(objects: readonly ExternalObject[], where: string): void {
  const v = new PropsValidator('Environment', where);
  v.checkShape(
    'addons.cluster.externalObjects',
    objects,
    listOf<ExternalObject>({ kind: 'string', name: 'string', namespace: 'string', createdBy: 'string' }, [
      'kind',
      'name',
      'createdBy',
    ]),
  );
  v.throwIfInvalid();
  objects.forEach((o, i) => {
    const at = `addons.cluster.externalObjects[${i}]`;
    if (!(EXTERNAL_KINDS as readonly string[]).includes(o.kind))
      v.fail(`${at}.kind`, o.kind, `must be one of ${EXTERNAL_KINDS.join(', ')}`);
    v.check(`${at}.name`, o.name, rules.dns1123Subdomain);
    if (CLUSTER_SCOPED.has(o.kind)) {
      if (o.namespace !== undefined)
        v.fail(`${at}.namespace`, o.namespace, `must be left out: a ${o.kind} is cluster-scoped`);
    } else if (o.namespace === undefined)
      v.fail(`${at}.namespace`, o.namespace, `must be set: a ${o.kind} lives in a namespace`);
    else v.check(`${at}.namespace`, o.namespace, rules.dns1123Label);
    if (o.createdBy.trim() === '') v.fail(`${at}.createdBy`, o.createdBy, 'must say what creates it');
  });
  v.throwIfInvalid();
}
