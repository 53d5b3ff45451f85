import * as rules from '../internal/rules';
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

/** Props of the Amazon EBS CSI driver add-on (EKS block storage and its StorageClass). */
export interface AwsEbsCsiDriverProps extends AddonProps {
  /** IAM role the controller assumes through IRSA (the credentials reference). */
  readonly roleArn: string;
  /**
   * The StorageClass the chart creates.
   * @default { name: 'gp3', default: true, volumeType: 'gp3' }
   */
  readonly storageClass?: {
    readonly name: string;
    /** Mark it as the cluster default (claims without a class get it). */
    readonly default: boolean;
    /** EBS volume type. */
    readonly volumeType: 'gp3' | 'gp2' | 'io2' | 'st1';
  };
  /**
   * Controller requests (2 replicas); the node plugin gets a quarter on every node.
   * @default { cpu: '10m', memory: '40Mi' } (the chart's own requests)
   */
  readonly size?: ComponentSize;
}

/**
 * The Amazon EBS CSI driver and an encrypted `WaitForFirstConsumer` StorageClass. EKS has no
 * provisioner for `gp3` volumes until it runs; install this or the EKS managed add-on, not both.
 *
 * Values read from kubernetes-sigs/aws-ebs-csi-driver helm-chart-aws-ebs-csi-driver-2.64.0
 * (charts/aws-ebs-csi-driver/values.yaml): `controller.serviceAccount.annotations` for IRSA,
 * `storageClasses[]` rendered by templates/storageclass.yaml with provisioner `ebs.csi.aws.com`.
 */
export function awsEbsCsiDriver(props: AwsEbsCsiDriverProps): AddonDeclaration {
  const v = addonValidator('aws-ebs-csi-driver', props, { roleArn: 'string', storageClass: 'object', size: SIZE_SPEC });
  if (!props.roleArn) v.fail('roleArn', props.roleArn, 'must reference the IAM role (IRSA) the controller assumes');
  const sc = props.storageClass ?? { name: 'gp3', default: true, volumeType: 'gp3' as const };
  v.check('storageClass.name', sc.name, rules.dns1123Subdomain);
  if (!['gp3', 'gp2', 'io2', 'st1'].includes(sc.volumeType))
    v.fail('storageClass.volumeType', sc.volumeType, 'must be one of gp3, gp2, io2, st1');
  const size = { cpu: '10m', memory: '40Mi', ...props.size, replicas: 2 };
  const node = { cpu: '10m', memory: '40Mi', perNode: true };
  return declareAddon({
    id: 'aws-ebs-csi-driver',
    props,
    validator: v,
    defaultNamespace: 'kube-system',
    values: {
      controller: {
        replicaCount: 2,
        resources: requestsOf(size),
        serviceAccount: {
          create: true,
          name: 'ebs-csi-controller-sa',
          annotations: { 'eks.amazonaws.com/role-arn': props.roleArn },
        },
      },
      node: { resources: requestsOf(node) },
      storageClasses: [
        {
          name: sc.name,
          ...(sc.default ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}),
          volumeBindingMode: 'WaitForFirstConsumer',
          allowVolumeExpansion: true,
          reclaimPolicy: 'Delete',
          parameters: { type: sc.volumeType, encrypted: 'true' },
        },
      ],
    },
    components: { controller: size, node },
    provides: () => ({ storageClasses: [{ name: sc.name, default: sc.default }] }),
  });
}

/** Its registry entry: the profile's `awsEbsCsi` key. */
export const awsEbsCsiDriverAddon = ownAddon({
  id: 'aws-ebs-csi-driver',
  profileKey: 'awsEbsCsi',
  defaultProps: false,
  declare: awsEbsCsiDriver,
  example: { roleArn: 'arn:aws:iam::123456789012:role/ebs-csi' },
});
