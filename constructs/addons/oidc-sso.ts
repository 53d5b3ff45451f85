/**
 * Single sign-on through an OIDC provider, shared by Argo CD and Grafana: the settings, their
 * checks, the ExternalSecret that brings the client secret into the add-on's namespace, and Argo
 * CD's OIDC and RBAC values. The client secret is always a reference, never a value.
 */
import * as rules from '../internal/rules';
import { isStoreEntryName } from '../internal/secrets';
import { objectSpec, type PropShapes, type PropsValidator } from '../internal/validator';
import type { ManifestObject } from '../policy/check-manifests';
import { companion } from './addon';

type Json = Record<string, unknown>;

/** Single sign-on through an OIDC provider (Argo CD and Grafana take the same settings). */
export interface OidcSso {
  /** The provider's issuer URL (https). */
  readonly issuerUrl: string;
  /** The client id registered with the provider. */
  readonly clientId: string;
  /**
   * Where the client secret lives: a ClusterSecretStore and the entry holding it (property
   * `clientSecret`). An ExternalSecret copies it into the add-on's namespace; it is never a value here.
   */
  readonly clientSecret: { readonly secretStore: string; readonly remoteKey: string };
  /** Public URL of the UI (the provider redirects back to it), e.g. `https://argocd.example.org`. */
  readonly url: string;
  /**
   * Groups (the token's `groups` claim) with full rights on the whole instance.
   * @default - none: the platform is administered through kubectl
   */
  readonly adminGroups?: readonly string[];
}

/** The Secret the SSO ExternalSecret writes, in the add-on's namespace, with the key `clientSecret`. */
export const OIDC_CLIENT_SECRET = 'oidc-client';

/** The shapes of {@link OidcSso}'s fields, for the add-ons' validators. */
export const OIDC_SSO_SHAPES: PropShapes<OidcSso> = {
  issuerUrl: 'string',
  clientId: 'string',
  clientSecret: objectSpec<OidcSso['clientSecret']>({ secretStore: 'string', remoteKey: 'string' }, [
    'secretStore',
    'remoteKey',
  ]),
  url: 'string',
  adminGroups: 'strings',
};
/** The shape of {@link OidcSso} props, its required fields named. */
export const OIDC_SSO_SPEC = objectSpec<OidcSso>(OIDC_SSO_SHAPES, ['issuerUrl', 'clientId', 'clientSecret', 'url']);

const httpsUrl = (x: string): string | undefined =>
  /^https:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/.test(x)
    ? undefined
    : 'must be an https URL without credentials, query or fragment';

/** Checks SSO settings; the client secret's entry is named in messages, never a value. */
export function checkSso(v: PropsValidator, sso: OidcSso): void {
  v.check('sso.issuerUrl', sso.issuerUrl, httpsUrl);
  v.check('sso.url', sso.url, httpsUrl);
  if (!/^[\w.@:/-]{1,256}$/.test(sso.clientId))
    v.fail('sso.clientId', sso.clientId, 'must be a client id: letters, digits and "_ . @ : / -", up to 256');
  v.check('sso.clientSecret.secretStore', sso.clientSecret.secretStore, rules.dns1123Subdomain);
  if (!isStoreEntryName(sso.clientSecret.remoteKey))
    v.fail(
      'sso.clientSecret.remoteKey',
      '<redacted>',
      'must name a secret-store entry (letters, digits and "/ _ + = . @ -")',
    );
  (sso.adminGroups ?? []).forEach((g, i) => {
    if (g.trim() === '' || g.includes(','))
      v.fail(`sso.adminGroups[${i}]`, g, 'must name a group (no commas: Argo CD reads policy.csv as CSV)');
  });
}

/** Grafana's single sign-on: the OIDC settings, Grafana's OAuth endpoints and the groups of each role. */
export interface GrafanaSso extends OidcSso {
  /** The provider's authorization, token and userinfo endpoints (Grafana's ini takes no discovery URL). */
  readonly endpoints: { readonly authUrl: string; readonly tokenUrl: string; readonly apiUrl: string };
  /**
   * Groups made Grafana Editors (`adminGroups` are Admins; every other user signing in is a Viewer).
   * @default - none
   */
  readonly editorGroups?: readonly string[];
}

/** The shape of {@link GrafanaSso}. */
export const GRAFANA_SSO_SPEC = objectSpec<GrafanaSso>(
  {
    ...OIDC_SSO_SHAPES,
    endpoints: objectSpec<GrafanaSso['endpoints']>({ authUrl: 'string', tokenUrl: 'string', apiUrl: 'string' }, [
      'authUrl',
      'tokenUrl',
      'apiUrl',
    ]),
    editorGroups: 'strings',
  },
  ['issuerUrl', 'clientId', 'clientSecret', 'url', 'endpoints'],
);

/** Checks Grafana's SSO settings: those of {@link checkSso} and the endpoints. */
export function checkGrafanaSso(v: PropsValidator, sso: GrafanaSso): void {
  checkSso(v, sso);
  for (const [key, url] of Object.entries(sso.endpoints)) v.check(`sso.endpoints.${key}`, url, httpsUrl);
}

/**
 * The ExternalSecret that copies the client secret from the store into Secret
 * {@link OIDC_CLIENT_SECRET} (key `clientSecret`) of `namespace`, the Secret carrying `labels`.
 */
export function oidcClientSecret(
  namespace: string,
  sso: OidcSso,
  labels: Readonly<Record<string, string>> = {},
): ManifestObject {
  return companion('external-secrets.io/v1', 'ExternalSecret', OIDC_CLIENT_SECRET, namespace, {
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: sso.clientSecret.secretStore },
      target: {
        name: OIDC_CLIENT_SECRET,
        creationPolicy: 'Owner',
        ...(Object.keys(labels).length > 0 ? { template: { metadata: { labels: { ...labels } } } } : {}),
      },
      data: [{ secretKey: 'clientSecret', remoteRef: { key: sso.clientSecret.remoteKey, property: 'clientSecret' } }],
    },
  });
}

/**
 * argocd-cm and argocd-rbac-cm with SSO (argoproj/argo-cd v3.4.4
 * docs/operator-manual/user-management/index.md "Existing OIDC Provider": `oidc.config`,
 * `clientSecret: $<secret>:<key>` read from a Secret labelled `app.kubernetes.io/part-of: argocd`, the
 * label the companion ExternalSecret puts on its Secret;
 * `admin.enabled: "false"`; argo-helm argo-cd-10.1.1 values.yaml configs.cm `url`, `admin.enabled`,
 * configs.rbac `policy.csv`, `policy.default`, `scopes`). Nobody has a default role; the admin
 * groups get role:admin; tenants' groups get their roles in the apps project (argo-cd-projects.ts).
 */
export function ssoValues(sso: OidcSso): { cm: Json; rbac: Json } {
  const oidc = [
    'name: SSO',
    `issuer: ${JSON.stringify(sso.issuerUrl)}`,
    `clientID: ${JSON.stringify(sso.clientId)}`,
    `clientSecret: ${JSON.stringify(`$${OIDC_CLIENT_SECRET}:clientSecret`)}`,
    'requestedScopes: ["openid", "profile", "email", "groups"]',
    '',
  ].join('\n');
  const csv = (sso.adminGroups ?? []).map((g) => `g, ${g}, role:admin\n`).join('');
  return {
    cm: { url: sso.url, 'oidc.config': oidc, 'admin.enabled': false },
    rbac: { 'policy.default': '', 'policy.csv': csv, scopes: '[groups]' },
  };
}
