import * as rules from '../internal/rules';
import {
  type AddonDeclaration,
  type AddonProps,
  addonValidator,
  restrictedContainer,
  restrictedPod,
  type ComponentSize,
  declareAddon,
  requestsOf,
  SIZE_SPEC,
} from './addon';
import { ownAddon } from './register';

/** Props of the Cluster Autoscaler add-on (EKS: Auto Scaling groups found by tag). */
export interface ClusterAutoscalerProps extends AddonProps {
  /** EKS cluster name: node groups tagged `k8s.io/cluster-autoscaler/<name>` and `k8s.io/cluster-autoscaler/enabled` are scaled. */
  readonly clusterName: string;
  /** AWS region of the cluster. */
  readonly region: string;
  /** IAM role (IRSA) with the autoscaling and EC2 describe/set-desired-capacity permissions. */
  readonly roleArn: string;
  /**
   * How the next node group is chosen.
   * @default 'least-waste'
   */
  readonly expander?: 'least-waste' | 'random' | 'most-pods' | 'priority';
  /**
   * Minutes a node must be unneeded before it is removed.
   * @default 10
   */
  readonly scaleDownUnneededMinutes?: number;
  /**
   * Requests (limits: the memory request).
   * @default { cpu: '50m', memory: '300Mi' }
   */
  readonly size?: ComponentSize;
}

const EXPANDERS = ['least-waste', 'random', 'most-pods', 'priority'] as const;

/**
 * Cluster Autoscaler for EKS (kubernetes/autoscaler `cluster-autoscaler` chart 9.59.0, image
 * v1.35.0). Read at cluster-autoscaler-chart-9.59.0 values.yaml: `cloudProvider: aws`,
 * `autoDiscovery.clusterName` (matched against the default `autoDiscovery.tags`),
 * `awsRegion`, `rbac.serviceAccount.annotations` (IRSA), `extraArgs` (rendered as `--key=value`),
 * `securityContext` (pod) and `containerSecurityContext`, `resources`.
 * Not needed on GKE or AKS (their node pools autoscale as a managed feature) nor on kind.
 */
export function clusterAutoscaler(props: ClusterAutoscalerProps): AddonDeclaration {
  const v = addonValidator('cluster-autoscaler', props, {
    clusterName: 'string',
    region: 'string',
    roleArn: 'string',
    expander: 'string',
    scaleDownUnneededMinutes: 'number',
    size: SIZE_SPEC,
  });
  v.check('clusterName', props.clusterName, (n) =>
    /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(n)
      ? undefined
      : 'must be an EKS cluster name (letters, digits, - and _, up to 100)',
  );
  v.check('region', props.region, (r) =>
    /^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(r) ? undefined : 'must be an AWS region such as "eu-west-1"',
  );
  v.check('roleArn', props.roleArn, rules.iamRoleArn);
  const expander: unknown = props.expander ?? 'least-waste';
  if (!EXPANDERS.includes(expander as (typeof EXPANDERS)[number]))
    v.fail('expander', expander, `must be one of ${EXPANDERS.join(', ')}`);
  v.check('scaleDownUnneededMinutes', props.scaleDownUnneededMinutes, rules.integerBetween(1, 1440));
  const size = { cpu: '50m', memory: '300Mi', ...props.size };
  return declareAddon({
    id: 'cluster-autoscaler',
    props,
    validator: v,
    defaultNamespace: 'kube-system',
    values: {
      cloudProvider: 'aws',
      awsRegion: props.region,
      autoDiscovery: { clusterName: props.clusterName },
      rbac: { serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': props.roleArn } } },
      extraArgs: {
        expander: expander as string,
        'balance-similar-node-groups': true,
        'scale-down-unneeded-time': `${props.scaleDownUnneededMinutes ?? 10}m`,
      },
      securityContext: restrictedPod(65534),
      containerSecurityContext: restrictedContainer(),
      resources: requestsOf(size),
    },
    podSecurity: 'restricted',
    components: { autoscaler: size },
  });
}

/** Its registry entry: the profile's `clusterAutoscaler` key. */
export const clusterAutoscalerAddon = ownAddon({
  id: 'cluster-autoscaler',
  profileKey: 'clusterAutoscaler',
  defaultProps: false,
  declare: clusterAutoscaler,
  example: { clusterName: 'c', region: 'eu-west-1', roleArn: 'arn:aws:iam::123456789012:role/ca' },
});
