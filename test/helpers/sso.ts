/** Stack config turning single sign-on on: an OIDC provider, its client, the client secret by reference, Grafana's endpoints. */
export const OIDC_CONFIG = {
  'groundwork:oidcIssuerUrl': 'https://login.corp.test/realms/platform',
  'groundwork:oidcClientId': 'groundwork',
  'groundwork:oidcClientSecret': 'groundwork/oidc',
  'groundwork:oidcEndpoints':
    'https://login.corp.test/realms/platform/auth https://login.corp.test/realms/platform/token https://login.corp.test/realms/platform/userinfo',
} as const;
