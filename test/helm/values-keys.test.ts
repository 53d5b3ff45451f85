/**
 * The undeclared-values check over small charts built in the test: each way a path counts as
 * known, and a planted unknown path at each depth that must be reported.
 */
import type { ChartFiles } from '../../stacks/helm/chart-files';
import { effectiveDefaults } from '../../stacks/helm/chart-files';
import { undeclaredValuesKeys } from '../../stacks/helm/values-keys';

const chart = (over: Partial<ChartFiles> = {}): ChartFiles => ({
  name: 'demo',
  key: '',
  defaults: {
    replicas: 1,
    podAnnotations: {},
    resources: { requests: { cpu: '10m' } },
    controller: { metrics: { enabled: false }, extraArgs: [] },
    nodeSelector: null,
  },
  templates: new Map([
    [
      'demo/templates/deployment.yaml',
      'replicas: {{ .Values.replicas }}\n{{- toYaml .Values.resources | nindent 10 }}\n{{ if .Values.controller.hidden }}x{{ end }}',
    ],
    ['demo/templates/NOTES.txt', '{{ .Values.onlyInNotes }}'],
  ]),
  subcharts: [],
  ...over,
});

const paths = (c: ChartFiles, values: Record<string, unknown>): { path: string; readBy?: string }[] =>
  undeclaredValuesKeys(c, values);

describe('undeclared values paths', () => {
  test('declared paths, free-form maps and replaced lists pass', () => {
    expect(
      paths(chart(), {
        replicas: 2,
        podAnnotations: { a: 'b' },
        nodeSelector: { zone: 'x' },
        controller: { metrics: { enabled: true }, extraArgs: ['--x'] },
      }),
    ).toEqual([]);
  });

  test('a planted key is reported at the top, one level down and two levels down', () => {
    expect(paths(chart(), { replicaz: 2, controller: { metricz: {}, metrics: { enabeld: true } } })).toEqual([
      { path: 'replicaz', readBy: undefined },
      { path: 'controller.metricz', readBy: undefined },
      { path: 'controller.metrics.enabeld', readBy: undefined },
    ]);
  });

  test('a path a template reads, or below a value a template passes whole (toYaml), is reported with that template', () => {
    expect(paths(chart(), { controller: { hidden: true }, resources: { limits: { memory: '1Gi' } } })).toEqual([
      { path: 'controller.hidden', readBy: 'demo/templates/deployment.yaml' },
      { path: 'resources.limits', readBy: 'demo/templates/deployment.yaml' },
    ]);
  });

  test('reads that pass a map on whole cover its keys; reads that test or pick from it do not', () => {
    const c = chart({
      defaults: {
        extraArgs: { a: 1 },
        global: { x: 1 },
        labels: { a: 'b' },
        params: { create: true },
        annotations: { a: 'b' },
        cm: { create: true },
      },
      templates: new Map([
        [
          'demo/templates/a.yaml',
          [
            '{{- range $key, $value := .Values.extraArgs }}--{{ $key }}{{ end }}',
            '{{ if hasKey .Values.global "hostUsers" }}x{{ end }}',
            '{{- with .Values.labels }}\n  labels:\n    {{- toYaml . | nindent 4 }}{{ end }}',
            '{{ $insecure := index .Values.params "server.insecure" }}',
            '{{- with .Values.annotations }}{{ .foo }}{{ end }}',
            '{{- $config := omit .Values.cm "create" }}',
          ].join('\n'),
        ],
      ]),
    });
    expect(
      paths(c, {
        extraArgs: { b: 2 },
        global: { typo: 1 },
        labels: { c: 'd' },
        params: { 'server.insecure': true },
        annotations: { zz: 'y' },
        cm: { 'url.x': 'y' },
      }),
    ).toEqual([
      { path: 'extraArgs.b', readBy: 'demo/templates/a.yaml' },
      { path: 'global.typo', readBy: undefined },
      { path: 'labels.c', readBy: 'demo/templates/a.yaml' },
      { path: 'params.server.insecure', readBy: 'demo/templates/a.yaml' },
      { path: 'annotations.zz', readBy: undefined },
      { path: 'cm.url.x', readBy: 'demo/templates/a.yaml' },
    ]);
  });

  test('NOTES.txt reads nothing that configures the chart', () => {
    const notes = chart();
    expect(paths(notes, { onlyInNotes: true })).toEqual([{ path: 'onlyInNotes', readBy: undefined }]);
  });

  test('a subchart key is checked against the subchart defaults (merged with the parent values for it)', () => {
    const sub = chart({
      name: 'grafana',
      key: 'grafana',
      defaults: { adminUser: 'admin', sidecar: { enabled: false } },
      templates: new Map(),
    });
    const parent = chart({ defaults: { ...chart().defaults, grafana: { enabled: true } }, subcharts: [sub] });
    expect(
      paths(parent, { grafana: { enabled: true, adminUser: 'x', sidecar: { enabled: true, typo: 1 }, adminUsr: 'y' } }),
    ).toEqual([
      { path: 'grafana.sidecar.typo', readBy: undefined },
      { path: 'grafana.adminUsr', readBy: undefined },
    ]);
  });

  test('values.schema.json properties count as declared', () => {
    const c = chart({
      schema: { type: 'object', properties: { extra: { type: 'object', properties: { known: { type: 'string' } } } } },
    });
    expect(paths(c, { extra: { known: 'x', unknown: 'y' } })).toEqual([{ path: 'extra.unknown', readBy: undefined }]);
  });

  test("Istio's _internal_defaults_do_not_set are top-level defaults only where a template merges them (templates/zzz_profile.yaml)", () => {
    const defaults = { _internal_defaults_do_not_set: { cni: { enabled: false } }, global: {} };
    const merging = new Map([
      ['istiod/templates/zzz_profile.yaml', '{{- $defaults := $.Values._internal_defaults_do_not_set }}'],
    ]);
    expect(effectiveDefaults(defaults, merging)).toEqual({ cni: { enabled: false }, global: {} });
    expect(effectiveDefaults(defaults, new Map())).toBe(defaults);
  });
});
