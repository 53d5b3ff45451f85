/** The add-on registry: each entry is declared by platformAddons from its own profile key, in registry order. */
import { type AddonId, platformAddons, type PlatformAddonsProps, REGISTERED_ADDONS } from '../../constructs';

/** The add-ons an entry may declare: the first id its parts declare (istio's part declares istio-base first). */
const idsOf = (e: (typeof REGISTERED_ADDONS)[number]): AddonId[] =>
  e.parts
    .map((p) => [(p.declare as (props: object) => unknown)(p.example)].flat()[0])
    .map((d) => (d as { id: AddonId }).id);
/** A profile with every entry at its example (certManager's example, the required key, included). */
const profileOf = (extra: Record<string, unknown> = {}): PlatformAddonsProps => ({ certManager: {}, ...extra });

describe('add-on registry', () => {
  test('ids and profile keys are unique', () => {
    const ids = REGISTERED_ADDONS.flatMap(idsOf);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(REGISTERED_ADDONS.map((e) => e.profileKey)).size).toBe(REGISTERED_ADDONS.length);
  });

  test("each entry's example, under its profile key, declares it; `false` leaves it out", () => {
    for (const e of REGISTERED_ADDONS) {
      const on = platformAddons(profileOf({ [e.profileKey]: e.example })).declarations.map((d) => d.id);
      expect(idsOf(e).filter((id) => on.includes(id))).not.toEqual([]);
      const off = platformAddons(profileOf({ [e.profileKey]: false })).declarations.map((d) => d.id);
      expect(idsOf(e).filter((id) => off.includes(id))).toEqual([]);
    }
  });

  test('a key left out takes the default: on where the entry says {}, off where it says false', () => {
    const ids = platformAddons({ certManager: {} }).declarations.map((d) => d.id);
    // certManager is required: it is never left out
    for (const e of REGISTERED_ADDONS.filter((x) => x.profileKey !== 'certManager'))
      expect([e.profileKey, idsOf(e).some((id) => ids.includes(id))]).toEqual([e.profileKey, e.defaultProps !== false]);
  });

  test('registered add-ons keep registry order among themselves', () => {
    const profile = Object.fromEntries(REGISTERED_ADDONS.map((e) => [e.profileKey, e.example]));
    const ids = platformAddons(profileOf(profile)).declarations.map((d) => d.id);
    const entryOf = (id: AddonId): number => REGISTERED_ADDONS.findIndex((e) => idsOf(e).includes(id));
    const order = ids.map(entryOf).filter((i) => i >= 0);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(new Set(order).size).toBe(REGISTERED_ADDONS.length);
  });

  test("an entry's props are checked as its own function checks them, named by add-on id", () => {
    expect(() => platformAddons({ certManager: {}, telepresence: { size: { cpu: 1 } } })).toThrow(
      "Addon 'telepresence': size.cpu (a number) must be a string",
    );
  });
});
