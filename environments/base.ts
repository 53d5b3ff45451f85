import type { Environment, EnvironmentName } from './types';

/** The repository the GitOps engines read synthesized YAML from. */
export const GITOPS_REPO = 'https://github.com/example-org/platform.git';

/** Values shared by every environment; each environment file overrides what differs. */
export function baseEnvironment(name: EnvironmentName): Pick<Environment, 'name' | 'ingress' | 'secretStore' | 'appVersion' | 'labels'> {
  return {
    name,
    ingress: { className: 'nginx', controllerNamespace: 'ingress-nginx' },
    secretStore: 'platform-secrets',
    appVersion: '2.53',
    labels: { environment: name, 'app.kubernetes.io/part-of': 'k8s-groundwork' },
  };
}

/** IAM role ARN of a platform component on the AWS account of an environment (IRSA). */
export function awsRole(account: string, env: EnvironmentName, component: string): string {
  return `arn:aws:iam::${account}:role/groundwork-${env}-${component}`;
}
