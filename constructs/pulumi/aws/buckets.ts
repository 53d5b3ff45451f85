/**
 * The platform's buckets, created with `groundwork:cluster: create`: versioned, encrypted at rest,
 * every form of public access blocked (docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html),
 * and a lifecycle that cleans up what the writers leave behind.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

/** One bucket to create: its name and, for logs, how long old versions stay. */
export interface BucketSpec {
  readonly name: string;
  /** `logs`: Loki deletes chunks past its retention; the deleted versions expire after a day. `backups`: Velero's TTL deletes backups; old versions expire after 30 days. */
  readonly kind: 'logs' | 'backups';
  /**
   * KMS key encrypting by default (Velero's `groundwork:backupKmsKeyId`: the kopia volume data is
   * written without SSE-KMS headers, velero v1.18.1 pkg/repository/provider/unified_repo.go, so the
   * bucket's default is what encrypts it with that key).
   * @default - the account's AWS managed key for S3
   */
  readonly kmsKeyId?: string;
}

/** Inputs of {@link PlatformBuckets}. */
export interface PlatformBucketsArgs {
  readonly buckets: readonly BucketSpec[];
  readonly tags: Readonly<Record<string, string>>;
}

/** Velero's and Loki's buckets. */
export class PlatformBuckets extends pulumi.ComponentResource {
  public readonly names: pulumi.Output<string>[];

  constructor(name: string, args: PlatformBucketsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('groundwork:cloud:Buckets', name, {}, opts);
    const parent = { parent: this };
    this.names = args.buckets.map((b) => {
      const id = `${name}-${b.kind}`;
      const bucket = new aws.s3.Bucket(
        id,
        { bucket: b.name, forceDestroy: false, tags: { ...args.tags, Name: b.name } },
        parent,
      );
      new aws.s3.BucketPublicAccessBlock(
        id,
        {
          bucket: bucket.id,
          blockPublicAcls: true,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: true,
        },
        parent,
      );
      new aws.s3.BucketVersioning(id, { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } }, parent);
      new aws.s3.BucketServerSideEncryptionConfiguration(
        id,
        {
          bucket: bucket.id,
          rules: [
            {
              applyServerSideEncryptionByDefault: {
                sseAlgorithm: 'aws:kms',
                ...(b.kmsKeyId !== undefined ? { kmsMasterKeyId: b.kmsKeyId } : {}),
              },
              bucketKeyEnabled: true,
            },
          ],
        },
        parent,
      );
      new aws.s3.BucketLifecycleConfiguration(
        id,
        {
          bucket: bucket.id,
          rules: [
            {
              id: 'noncurrent-and-incomplete',
              status: 'Enabled',
              filter: {},
              noncurrentVersionExpiration: { noncurrentDays: b.kind === 'logs' ? 1 : 30 },
              abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
            },
          ],
        },
        parent,
      );
      return bucket.bucket;
    });
    this.registerOutputs({ names: this.names });
  }
}
