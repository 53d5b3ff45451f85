import { AddonDeclaration, AddonProps, addonValidator, companion, ComponentSize, declareAddon, requestsOf } from './addon';

/** Props of the Linkerd add-on (CRDs and control plane). */
export interface LinkerdProps extends AddonProps {
  /**
   * PEM bundle of the trust anchor (a public CA certificate). cert-manager issues the identity
   * issuer certificate from the `linkerd-trust-anchor` CA Secret you create once in the Linkerd
   * namespace (its key never enters the synthesized YAML); the control plane installs after it.
   */
  readonly trustAnchorsPem: string;
  /**
   * Control-plane requests (destination, identity, proxy-injector each).
   * @default { cpu: '50m', memory: '128Mi' }
   */
  readonly size?: ComponentSize;
}

/** Linkerd: `linkerd-crds` then `linkerd-control-plane`, with the identity issuer from cert-manager. */
export function linkerd(props: LinkerdProps): AddonDeclaration[] {
  const v = addonValidator('linkerd-control-plane', props, ['trustAnchorsPem', 'size']);
  if (!/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*$/.test(props.trustAnchorsPem ?? '')) {
    v.fail('trustAnchorsPem', '<pem>', 'must be a PEM certificate bundle (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)');
  }
  const size = { cpu: '50m', memory: '128Mi', ...props.size };
  const namespace = props.namespace ?? 'linkerd';
  const crds = declareAddon({
    id: 'linkerd-crds',
    props: { namespace, version: props.version },
    validator: addonValidator('linkerd-crds', {}, []),
    defaultNamespace: namespace,
    values: {},
    providesCrds: ['policy.linkerd.io', 'linkerd.io'],
    components: {},
    // the control plane's identity needs its issuer certificate before it can start
    companions: (ns) => [
      companion('cert-manager.io/v1', 'Issuer', 'linkerd-trust-anchor', ns, { spec: { ca: { secretName: 'linkerd-trust-anchor' } } }),
      companion('cert-manager.io/v1', 'Certificate', 'linkerd-identity-issuer', ns, {
        spec: {
          secretName: 'linkerd-identity-issuer', duration: '48h', renewBefore: '25h', isCA: true,
          commonName: 'identity.linkerd.cluster.local', dnsNames: ['identity.linkerd.cluster.local'],
          privateKey: { algorithm: 'ECDSA' }, usages: ['cert sign', 'crl sign', 'server auth', 'client auth'],
          issuerRef: { name: 'linkerd-trust-anchor', kind: 'Issuer' },
        },
      }),
    ],
    companionsDependOn: ['cert-manager'],
  });
  const controlPlane = declareAddon({
    id: 'linkerd-control-plane',
    props,
    validator: v,
    defaultNamespace: namespace,
    values: {
      identityTrustAnchorsPEM: props.trustAnchorsPem,
      identity: { externalCA: true, issuer: { scheme: 'kubernetes.io/tls' } },
      destinationResources: requestsOf(size),
      identityResources: requestsOf(size),
      proxyInjectorResources: requestsOf(size),
    },
    dependsOn: ['linkerd-crds', 'cert-manager'],
    components: { destination: size, identity: size, proxyInjector: size },
    dependsOnResourcesOf: ['linkerd-crds'],
  });
  return [crds, controlPlane];
}
