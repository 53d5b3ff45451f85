import {
  type AddonDeclaration,
  type AddonProps,
  addonValidator,
  type ComponentSize,
  declareAddon,
  requestsOf,
  SIZE_SPEC,
} from './addon';
import { ownAddon } from './register';

/** Props of the Telepresence add-on. */
export interface TelepresenceProps extends AddonProps {
  /**
   * Namespaces whose workloads developers may intercept.
   * @default - every namespace
   */
  readonly managedNamespaces?: readonly string[];
  /**
   * Traffic-manager requests.
   * @default { cpu: '25m', memory: '64Mi' }
   */
  readonly size?: ComponentSize;
}

/** Telepresence traffic manager, for local development against the cluster (dev environments). */
export function telepresence(props: TelepresenceProps = {}): AddonDeclaration {
  const v = addonValidator('telepresence', props, { managedNamespaces: 'strings', size: SIZE_SPEC });
  const size = { cpu: '25m', memory: '64Mi', ...props.size };
  const values: Record<string, unknown> = { resources: requestsOf(size) };
  if (props.managedNamespaces) values.namespaces = [...props.managedNamespaces];
  return declareAddon({
    id: 'telepresence',
    props,
    validator: v,
    defaultNamespace: 'ambassador',
    values,
    components: { trafficManager: size },
  });
}

/** Its registry entry: the profile's `telepresence` key. */
export const telepresenceAddon = ownAddon({
  id: 'telepresence',
  profileKey: 'telepresence',
  defaultProps: false,
  declare: telepresence,
  example: {},
});
