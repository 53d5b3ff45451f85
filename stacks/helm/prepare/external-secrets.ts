/**
 * External Secrets' release step for its chart: `make helm.generate` (run by
 * .github/workflows/helm.yml before chart-releaser) runs hack/helm.generate.sh, which splits
 * deploy/crds/bundle.yaml into templates/crds/<singular>.yaml (`yq e -Ns`) and wraps each CRD in
 * the chart's `installCRDs` / `crds.create<Kind>` switches with the script's sed edits, reproduced
 * here line for line. The bundle is yq output already, so each document's text is what yq writes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import type { ReleaseContext } from '../source-types';

/** The lines `sed '0,/annotations/!b;//a\...'` appends after the first line holding "annotations". */
const ANNOTATIONS = [
  '    {{- with .Values.crds.annotations }}',
  '    {{- toYaml . | nindent 4}}',
  '    {{- end }}',
  '    {{- if and .Values.crds.conversion.enabled .Values.webhook.certManager.enabled .Values.webhook.certManager.addInjectorAnnotations }}',
  '    cert-manager.io/inject-ca-from: {{ .Release.Namespace }}/{{ include "external-secrets.fullname" . }}-webhook',
  '    {{- end }}',
];

interface Crd {
  readonly spec: {
    readonly names: { readonly kind: string; readonly singular: string };
    readonly versions: readonly { readonly name: string }[];
  };
}

/** hack/helm.generate.sh's edits of one CRD (`text` is the document as yq writes it). */
function templateCrd(text: string, crd: Crd): string {
  const flag = `create${crd.spec.names.kind}`;
  let lines = text.replace(/\n$/, '').split('\n');
  if (flag.includes('ExternalSecret') || flag.includes('SecretStore')) {
    // the yq rewrite of a v1alpha1 version into a conversion.enabled block is not reproduced: fail rather than differ
    if (crd.spec.versions.some((v) => v.name === 'v1alpha1'))
      throw new Error(`${crd.spec.names.kind}: v1alpha1 needs helm.generate.sh's yq rewrite`);
    lines = lines
      .filter((l) => !l.includes('- |-'))
      .map((l) => l.replace('       additionalPrinterColumns:', '    - additionalPrinterColumns:'));
    // sed '/name: v1beta1/,/served: false/{s/served: false/.../}'
    let inRange = false;
    lines = lines.map((l) => {
      if (!inRange && !l.includes('name: v1beta1')) return l;
      if (inRange && l.includes('served: false')) inRange = false;
      else inRange = true;
      return l.replace('served: false', 'served: {{ .Values.crds.unsafeServeV1Beta1 }}');
    });
  }
  const guarded =
    flag.includes('Cluster') || flag.includes('PushSecret')
      ? `{{- if and (.Values.installCRDs) (.Values.crds.${flag}) }}`
      : '{{- if .Values.installCRDs }}';
  lines = [guarded, ...lines, '{{- end }}'].map((l) =>
    l
      .replaceAll('name: kubernetes', 'name: {{ include "external-secrets.fullname" . }}-webhook')
      .replaceAll('namespace: default', 'namespace: {{ .Release.Namespace | quote }}'),
  );
  const at = lines.findIndex((l) => l.includes('annotations'));
  if (at >= 0) lines.splice(at + 1, 0, ...ANNOTATIONS);
  return `${lines.join('\n')}\n`;
}

/** Writes templates/crds/*.yaml from deploy/crds/bundle.yaml as `make helm.generate` does. */
export function generateExternalSecretsCrds(chartDir: string, release: ReleaseContext): void {
  const bundle = fs.readFileSync(path.join(release.extract('deploy/crds'), 'bundle.yaml'), 'utf8');
  const crds = path.join(chartDir, 'templates', 'crds');
  fs.mkdirSync(crds, { recursive: true });
  for (const text of bundle.split(/^---\n/m)) {
    const crd = parse(text) as Crd | null;
    if (crd === null) continue;
    fs.writeFileSync(path.join(crds, `${crd.spec.names.singular}.yaml`), templateCrd(text, crd));
  }
}
