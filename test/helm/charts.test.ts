/**
 * The vendored charts and the values they are rendered with, without running Helm: every enabled
 * add-on has an archive of its catalog pin (or a recorded reason it cannot be built here), and the
 * GitOps engine's objects and the Pulumi releases carry exactly the add-ons' values.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { parse } from 'yaml';
import { CATALOG } from '../../constructs';
import { CHART_SOURCES, unavailableReason } from '../../stacks/helm/chart-sources';
import { archiveFor, CHARTS_DIR } from '../../stacks/helm/package-chart';
import { carriedValues, valuesMismatches } from '../../stacks/helm/template';
import { renderedWithDemo, STACKS } from '../helpers/stacks';

const pins = new Map(Object.entries(CATALOG).map(([id, c]) => [`${c.chart}-${c.version}.tgz`, { id, ...c }]));

describe('vendored chart archives', () => {
  const archives = fs.readdirSync(CHARTS_DIR).filter((f) => f.endsWith('.tgz'));

  test.each(archives)('%s is a catalog chart, and its Chart.yaml says the pinned name and version', (archive) => {
    const pin = pins.get(archive);
    expect(pin).toBeDefined();
    const meta = parse(
      execFileSync('tar', ['-xzOf', `${CHARTS_DIR}/${archive}`, `${pin?.chart}/Chart.yaml`], { encoding: 'utf8' }),
    ) as {
      name: string;
      version: string;
    };
    expect([meta.name, meta.version]).toEqual([pin?.chart, pin?.version]);
  });

  test('every add-on an environment enables has an archive, or chart-sources.ts says why it cannot be built here', () => {
    const missing = STACKS.flatMap((s) => renderedWithDemo(s).addons.declarations)
      .filter((d) => !fs.existsSync(archiveFor(d.id)))
      .filter((d) => unavailableReason(d.id) === undefined)
      .map((d) => d.id);
    expect(missing).toEqual([]);
    // the one recorded today, and the reason names what refused it
    expect(unavailableReason('telepresence')).toContain('403');
  });

  test('every source entry names a catalog add-on with a tag pattern holding the version or a fixed ref', () => {
    for (const [id, source] of Object.entries(CHART_SOURCES)) {
      expect(Object.keys(CATALOG)).toContain(id);
      if ('unavailable' in source) continue;
      expect([id, /^[\w.-]+\/[\w.-]+$/.test(source.repo)]).toEqual([id, true]);
      // a fixed ref (a commit, a tag of another project) is only for a dependency, with a note saying why
      expect([id, source.tag.includes('{version}')]).toEqual([id, true]);
      for (const [name, dep] of Object.entries(source.dependencies ?? {}))
        expect([id, name, dep.tag.includes('{version}') || dep.note !== undefined]).toEqual([id, name, true]);
    }
  });
});

describe('one set of values per add-on, in every rendering', () => {
  test.each(STACKS)(
    '%s: the engine object (Argo CD valuesObject or Flux HelmRelease values, or the engine install) and the Pulumi release carry the same values',
    (stack) => {
      const r = renderedWithDemo(stack);
      const carried = carriedValues(r);
      for (const d of r.addons.declarations) {
        // every add-on reaches the cluster through Pulumi and through the engine (or is the engine)
        expect([d.id, (carried.get(d.id)?.size ?? 0) >= 2]).toEqual([d.id, true]);
      }
      expect([...valuesMismatches(r)].filter(([, carriers]) => carriers.length > 0)).toEqual([]);
    },
  );

  test('a planted difference in an Argo CD Application is reported with its carrier', () => {
    const r = renderedWithDemo('kind');
    const files = r.gitops.files.map((f) => ({
      ...f,
      objects: f.objects.map((o) =>
        o.kind === 'Application' && o.metadata?.name === 'loki'
          ? {
              ...o,
              spec: {
                ...(o.spec as { source: object }),
                source: { ...(o.spec as { source: object }).source, helm: { releaseName: 'loki', valuesObject: {} } },
              },
            }
          : o,
      ),
    }));
    expect(valuesMismatches({ ...r, gitops: { ...r.gitops, files } }).get('loki')).toEqual([
      'Argo CD Application valuesObject',
    ]);
  });

  test('a planted difference in an engine object is reported with its carrier', () => {
    const r = renderedWithDemo('dev');
    const files = r.gitops.files.map((f) => ({
      ...f,
      objects: f.objects.map((o) =>
        o.kind === 'HelmRelease' && o.metadata?.name === 'velero'
          ? { ...o, spec: { ...(o.spec as object), values: { extra: 1 } } }
          : o,
      ),
    }));
    const planted = { ...r, gitops: { ...r.gitops, files } };
    expect(valuesMismatches(planted).get('velero')).toEqual(['Flux HelmRelease values']);
  });
});
