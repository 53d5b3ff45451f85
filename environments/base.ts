import { type GitOpsTarget, parseGitCredentials, type StackConfig } from '../constructs';

/** Tag of the demo app image (hashicorp/http-echo), the same everywhere. */
export const APP_VERSION = '1.0.0';

/** Labels on every object of an environment. */
export function baseLabels(name: string): Readonly<Record<string, string>> {
  return { environment: name, 'app.kubernetes.io/part-of': 'k8s-groundwork' };
}

/**
 * The GitOps target from stack config (no repository: the wave files are applied by the bootstrap
 * script); `groundwork:gitCredentials` becomes the reference to the store entry, never a value.
 */
export function gitopsTarget(engine: GitOpsTarget['engine'], config: StackConfig): GitOpsTarget {
  return {
    engine,
    ...(config.gitRepoUrl !== undefined ? { repoURL: config.gitRepoUrl } : {}),
    revision: config.gitRevision,
    path: config.gitPath,
    ...(config.gitCredentials !== undefined ? { credentials: parseGitCredentials(config.gitCredentials) } : {}),
  };
}

/** IAM role ARN of a platform component on the AWS account of an environment (IRSA). */
export function awsRole(account: string, env: string, component: string): string {
  return `arn:aws:iam::${account}:role/groundwork-${env}-${component}`;
}
