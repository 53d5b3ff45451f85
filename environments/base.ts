import type { Environment, EnvironmentName } from './types';

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
