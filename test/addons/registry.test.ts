/** The add-on registry: each entry is declared by platformAddons from its own profile key, in registry order. */
import { platformAddons, REGISTERED_ADDONS } from '../../constructs';

describe('add-on registry', () => {
  test('ids and profile keys are unique', () => {
    expect(new Set(REGISTERED_ADDONS.map((e) => e.id)).size).toBe(REGISTERED_ADDONS.length);
    expect(new Set(REGISTERED_ADDONS.map((e) => e.profileKey)).size).toBe(REGISTERED_ADDONS.length);
  });

  test("each entry's example, under its profile key, declares it; `false` leaves it out", () => {
    for (const e of REGISTERED_ADDONS) {
      const on = platformAddons({ certManager: {}, [e.profileKey]: e.example });
      expect(on.declarations.map((d) => d.id)).toContain(e.id);
      const off = platformAddons({ certManager: {}, [e.profileKey]: false });
      expect(off.declarations.map((d) => d.id)).not.toContain(e.id);
    }
  });

  test('a key left out takes the default: on where the entry says {}, off where it says false', () => {
    const ids = platformAddons({ certManager: {} }).declarations.map((d) => d.id);
    for (const e of REGISTERED_ADDONS) expect([e.id, ids.includes(e.id)]).toEqual([e.id, e.defaultProps !== false]);
  });

  test('registered add-ons keep registry order among themselves', () => {
    const profile = Object.fromEntries(REGISTERED_ADDONS.map((e) => [e.profileKey, e.example]));
    const ids = platformAddons({ certManager: {}, ...profile }).declarations.map((d) => d.id);
    const registered = REGISTERED_ADDONS.map((e) => e.id);
    expect(ids.filter((id) => registered.includes(id))).toEqual(registered);
  });

  test("an entry's props are checked as its own function checks them, named by add-on id", () => {
    expect(() => platformAddons({ certManager: {}, telepresence: { size: { cpu: 1 } } as never })).toThrow(
      "Addon 'telepresence': size.cpu (a number) must be a string",
    );
  });
});
