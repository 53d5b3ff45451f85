/**
 * Envoy Gateway's release step for gateway-helm: `helm-generate.%` in envoyproxy/gateway
 * tools/make/helm.mk renders values.yaml from values.tmpl.yaml with envsubst, using the variables
 * .github/workflows/release.yaml passes (`IMAGE=docker.io/envoyproxy/gateway TAG=<release tag>
 * IMAGE_PULL_POLICY=IfNotPresent`). The chart's .helmignore drops the template (`*.tmpl.*`).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ReleaseContext } from '../source-types';

/** Writes values.yaml from values.tmpl.yaml as `make helm-generate.gateway-helm` does at release. */
export function generateEnvoyGatewayValues(chartDir: string, release: ReleaseContext): void {
  const vars: Readonly<Record<string, string>> = {
    GatewayImage: `docker.io/envoyproxy/gateway:${release.tag}`,
    GatewayImagePullPolicy: 'IfNotPresent',
  };
  const template = fs.readFileSync(path.join(chartDir, 'values.tmpl.yaml'), 'utf8');
  const values = template.replace(
    /\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g,
    (ref: string, braced?: string, bare?: string) => {
      const value = vars[braced ?? bare ?? ''];
      if (value === undefined) throw new Error(`values.tmpl.yaml: ${ref} is not set by the release step`);
      return value;
    },
  );
  fs.writeFileSync(path.join(chartDir, 'values.yaml'), values);
}
