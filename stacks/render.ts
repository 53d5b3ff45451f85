/** Writes a rendering to files: the app waves, the add-on tree and the bootstrap inputs. */
import * as fs from 'fs';
import * as path from 'path';
import { yamlDocument } from './yaml';
import {
  type EnvironmentRendering,
  GIT_CREDENTIALS_SECRET,
  type ManifestObject,
  podSpecOf,
  secretStoreEntries,
  type Wave,
} from '../constructs';

/** One object as YAML (see `yaml.ts`: deterministic, nothing a YAML 1.1 reader such as kubectl's could misread). */
const yamlOf = yamlDocument;

/** Multi-document YAML for a list of objects. */
export function toYaml(objects: readonly ManifestObject[]): string {
  return objects.map(yamlOf).join('---\n');
}

/** Size of the buffer documents are encoded into before they are written. */
const WRITE_CHUNK = 1 << 20;

/**
 * Writes `toYaml(objects)` to `file` without building it as one string: each document is encoded
 * into a 1 MiB buffer that is written out whenever the next document does not fit. For 70,000
 * objects (59 MB) a single join spent most of its time in the garbage collector.
 */
export function writeYaml(file: string, objects: readonly ManifestObject[]): void {
  const fd = fs.openSync(file, 'w');
  try {
    const buffer = Buffer.allocUnsafe(WRITE_CHUNK);
    let used = 0;
    objects.forEach((o, i) => {
      const doc = i === 0 ? yamlOf(o) : `---\n${yamlOf(o)}`;
      if (used + doc.length * 3 > WRITE_CHUNK) {
        fs.writeSync(fd, buffer, 0, used);
        used = 0;
      }
      if (doc.length * 3 > WRITE_CHUNK) fs.writeSync(fd, doc);
      else used += buffer.write(doc, used);
    });
    if (used > 0) fs.writeSync(fd, buffer, 0, used);
  } finally {
    fs.closeSync(fd);
  }
}

/** The app waves as `<wave>.yaml` files plus the `kustomization.yaml` listing them, in `dir`. */
export function writeWaves(dir: string, waves: readonly Wave[]): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files = waves.map((w) => {
    writeYaml(path.join(dir, `${w.name}.yaml`), w.objects);
    return `${w.name}.yaml`;
  });
  files.push(writeFile(dir, 'kustomization.yaml', kustomization(waves)));
  return files;
}

/** A kustomization.yaml that lists the wave files in order (`kubectl apply -k dist/<stack>`). */
export function kustomization(waves: readonly Wave[]): string {
  return yamlOf({
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: waves.map((w) => `${w.name}.yaml`),
  });
}

/**
 * Secrets the local (Kubernetes-backend) secret store must hold before the ExternalSecrets reading
 * it can sync: namespace, Secret name and keys. `scripts/bootstrap.sh` creates them with random
 * values on kind; cloud stores (Secrets Manager, …) are filled by their owners.
 */
export function localStoreSecrets(
  r: EnvironmentRendering,
): { namespace: string; name: string; keys: readonly string[] }[] {
  const objects = [...r.objects, ...r.addons.declarations.flatMap((d) => [...d.prerequisites, ...d.companions])];
  return secretStoreEntries(objects)
    .flatMap(({ localNamespace, keys }) =>
      localNamespace === undefined
        ? []
        : [...keys].map(([name, props]) => ({ namespace: localNamespace, name, keys: props })),
    )
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The bootstrap inputs for the repository's credentials (none without `groundwork:gitCredentials`):
 * before the engine can read the repository, `scripts/bootstrap.sh` creates its Secret from local
 * files, and on a store kept in the cluster (kind) the store entry the ExternalSecret reads.
 */
export function gitCredentialsVars(r: EnvironmentRendering): [string, string][] {
  const credentials = r.env.gitops.credentials;
  if (credentials === undefined || r.env.gitops.repoURL === undefined) return [];
  const externalSecret = r.gitops.files
    .flatMap((f) => f.objects)
    .filter((o) => o.kind === 'ExternalSecret' && o.metadata?.name === GIT_CREDENTIALS_SECRET);
  const objects = [...r.addons.declarations.flatMap((d) => [...d.prerequisites, ...d.companions]), ...externalSecret];
  const local = secretStoreEntries(objects).find(
    (s) => s.localNamespace !== undefined && s.keys.has(credentials.storeEntry),
  );
  return [
    ['GIT_REPO_URL', r.env.gitops.repoURL],
    ['GIT_CREDENTIALS_KIND', credentials.kind],
    ['GIT_CREDENTIALS_SECRET', GIT_CREDENTIALS_SECRET],
    ['GIT_CREDENTIALS_ENTRY', credentials.storeEntry],
    ['GIT_CREDENTIALS_STORE_NAMESPACE', local?.localNamespace ?? ''],
  ];
}

function writeFile(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return name;
}

/**
 * Writes `r` into `dir` (replaced):
 *   <wave>.yaml + kustomization.yaml      the apps (`kubectl apply -k <dir>`)
 *   addons/…                              the add-ons for the GitOps engine, one file per wave
 *   addons-bootstrap.yaml                 points the engine at the repository (only with groundwork:gitRepoUrl)
 *   bootstrap/engine.env, engine-values.yaml, local-secrets.tsv   inputs of scripts/bootstrap.sh
 */
export function writeRendering(
  r: EnvironmentRendering,
  dir: string,
): { files: string[]; addonFiles: string[]; bootstrapFiles: string[] } {
  fs.rmSync(dir, { recursive: true, force: true });
  const files = writeWaves(dir, r.waves);
  const addonFiles = r.gitops.files.map((f) => writeFile(dir, `addons/${f.name}.yaml`, toYaml(f.objects)));
  const bootstrapFiles: string[] = [];
  if (r.gitops.bootstrap.length > 0)
    bootstrapFiles.push(writeFile(dir, 'addons-bootstrap.yaml', toYaml(r.gitops.bootstrap)));
  const e = r.gitops.engine;
  // the scripts `source` this file: every value is single-quoted, so nothing in it is ever run
  const vars: [string, string][] = [
    ['ENGINE', r.env.gitops.engine],
    ['ENGINE_CHART_REPO', e.chart.repository],
    ['ENGINE_CHART', e.chart.chart],
    ['ENGINE_CHART_VERSION', e.chart.version],
    ['ENGINE_RELEASE', e.releaseName],
    ['ENGINE_NAMESPACE', e.namespace],
    ['KUBE_CONTEXT', r.env.cluster.kubeContext ?? ''],
    ['DOMAIN', r.env.domain],
    [
      'APP_NAMESPACES',
      [...new Set(r.objects.filter((o) => podSpecOf(o) !== undefined).map((o) => o.metadata?.namespace ?? ''))].join(
        ' ',
      ),
    ],
    ['ADDON_FILES', addonFiles.join(' ')],
    ['GIT_BOOTSTRAP', r.gitops.bootstrap.length > 0 ? 'addons-bootstrap.yaml' : ''],
    ...gitCredentialsVars(r),
  ];
  const env = [
    `# inputs of scripts/bootstrap.sh for stack ${r.env.stack}, written by npm run synth`,
    ...vars.map(([k, v]) => `${k}=${shellQuote(v)}`),
    '',
  ].join('\n');
  bootstrapFiles.push(writeFile(dir, 'bootstrap/engine.env', env));
  bootstrapFiles.push(writeFile(dir, 'bootstrap/engine-values.yaml', yamlOf(e.values)));
  const secrets = localStoreSecrets(r).map((s) => `${s.namespace}\t${s.name}\t${s.keys.join(',')}`);
  bootstrapFiles.push(
    writeFile(dir, 'bootstrap/local-secrets.tsv', secrets.length > 0 ? `${secrets.join('\n')}\n` : ''),
  );
  return { files, addonFiles, bootstrapFiles };
}

/** `value` as one single-quoted shell word: `'` becomes `'\\''`; nothing inside is expanded. */
export function shellQuote(value: string): string {
  return `'${value.split("'").join("'\\''")}'`;
}
