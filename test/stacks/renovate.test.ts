import * as fs from 'fs';
import * as path from 'path';
import { CATALOG } from '../../constructs';

const root = path.resolve(__dirname, '../..');
interface CustomManager {
  customType: string;
  managerFilePatterns: string[];
  matchStrings: string[];
  datasourceTemplate: string;
  packageNameTemplate?: string;
}
interface PackageRule {
  matchManagers?: string[];
  matchFileNames?: string[];
  matchUpdateTypes?: string[];
  automerge?: boolean;
  groupName?: string;
  matchPackageNames?: string[];
  allowedVersions?: string;
}
const config = JSON.parse(fs.readFileSync(path.join(root, 'renovate.json'), 'utf8')) as {
  customManagers: CustomManager[];
  packageRules: PackageRule[];
};

/** Renovate's `/regex/` file pattern as a RegExp. */
const filePattern = (p: string): RegExp => new RegExp(p.slice(1, -1));

/** What Renovate's regex managers extract from a file: one dependency per match of each match string. */
function extract(
  text: string,
): { datasource: string; depName: string; packageName: string; currentValue: string; registryUrl?: string }[] {
  return config.customManagers.flatMap((m) =>
    m.matchStrings.flatMap((s) =>
      [...text.matchAll(new RegExp(s, 'g'))].map((match) => {
        const g = match.groups ?? {};
        const packageName = (m.packageNameTemplate ?? '{{{depName}}}').replace(
          /\{\{\{(\w+)\}\}\}/g,
          (_, k: string) => g[k] ?? '',
        );
        return {
          datasource: m.datasourceTemplate,
          depName: g.depName,
          packageName,
          currentValue: g.currentValue,
          ...(g.registryUrl !== undefined ? { registryUrl: g.registryUrl } : {}),
        };
      }),
    ),
  );
}

describe('Renovate configuration', () => {
  test('its regex managers watch the catalog and find every pin exactly once, with the right datasource', () => {
    // GIVEN the catalog file as Renovate reads it
    const file = 'constructs/addons/catalog.ts';
    for (const m of config.customManagers)
      expect(m.managerFilePatterns.some((p) => filePattern(p).test(file))).toBe(true);
    // WHEN extracted THEN one dependency per catalog entry, matching it
    const found = extract(fs.readFileSync(path.join(root, file), 'utf8'));
    const expected = Object.values(CATALOG).map((c) =>
      c.repository.startsWith('oci://')
        ? {
            datasource: 'docker',
            depName: c.chart,
            packageName: `${c.repository.slice('oci://'.length)}/${c.chart}`,
            currentValue: c.version,
          }
        : {
            datasource: 'helm',
            depName: c.chart,
            packageName: c.chart,
            currentValue: c.version,
            registryUrl: c.repository,
          },
    );
    expect(found).toHaveLength(Object.keys(CATALOG).length);
    expect(found).toEqual(expect.arrayContaining(expected));
  });

  test('chart updates are never merged automatically; majors come grouped', () => {
    const chartRules = config.packageRules.filter((r) => r.matchManagers?.includes('custom.regex'));
    expect(chartRules.find((r) => r.matchUpdateTypes === undefined)?.automerge).toBe(false);
    expect(chartRules.find((r) => r.matchUpdateTypes?.includes('major'))?.groupName).toBe('chart majors');
    expect(chartRules.every((r) => r.automerge !== true)).toBe(true);
  });

  test('TypeScript stays below 7 (the range package.json declares for consumers)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      peerDependencies: Record<string, string>;
    };
    expect(pkg.peerDependencies.typescript).toBe('>=5.0 <7');
    expect(config.packageRules.find((r) => r.matchPackageNames?.includes('typescript'))?.allowedVersions).toBe('<7');
  });
});
