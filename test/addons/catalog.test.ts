import { type AddonId, CATALOG, platformAddons } from '../../constructs';
import { exactVersion } from '../../constructs/internal/rules';
import { shippedEnv, STACKS } from '../helpers/stacks';

describe('catalog', () => {
  test('every chart is pinned to an exact version', () => {
    for (const [id, ref] of Object.entries(CATALOG)) {
      expect([id, exactVersion(ref.version)]).toEqual([id, undefined]);
      expect(ref.repository).toMatch(/^(https|oci):\/\//);
    }
  });

  test('the version rule refuses ranges, wildcards and latest', () => {
    for (const bad of ['^1.2.3', '~1.2', '1.x', '*', 'latest', '>=1.0.0', '1.2'])
      expect(exactVersion(bad)).toBeDefined();
    for (const good of ['1.2.3', 'v1.19.1', '2025.11.2', '1.0.0-rc.1']) expect(exactVersion(good)).toBeUndefined();
  });

  test('across the environments every essential in the catalog is enabled somewhere', () => {
    const seen = new Set<string>();
    for (const stack of STACKS) for (const d of platformAddons(shippedEnv(stack).addons).declarations) seen.add(d.id);
    // Linkerd, Gatekeeper and the retired ingress-nginx are the selectable alternatives, and Reloader is opt-in
    // (off by default in every environment), each exercised in its own tests
    const alternatives: AddonId[] = [
      'linkerd-crds',
      'linkerd-control-plane',
      'gatekeeper',
      'ingress-nginx',
      'reloader',
    ];
    expect(
      Object.keys(CATALOG)
        .filter((id) => !seen.has(id))
        .sort(),
    ).toEqual([...alternatives].sort());
  });
});
