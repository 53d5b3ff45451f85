/**
 * Values paths we set that a chart's `values.yaml` and schema do not declare and no template reads
 * as `.Values.<path>` or passes on whole, each with the upstream file (at the pinned tag) that does
 * read it. A path listed here that the chart comes to declare, or that is no longer set, is
 * reported as stale.
 */
import type { AddonId } from '../../constructs';

const ISTIO_RESOURCES = 'a `resources` helper given .Values.resources that ranges over "limits" and "requests"';

export const VALUES_ALLOWLIST: Partial<Record<AddonId, Readonly<Record<string, string>>>> = {
  'istio-cni': {
    'resources.limits': `istio 1.28.10 manifests/charts/istio-cni/templates/_helpers.tpl (istio-cni.resources, from templates/daemonset.yaml): ${ISTIO_RESOURCES}`,
  },
  istiod: {
    'resources.limits': `istio 1.28.10 manifests/charts/istio-control/istio-discovery/templates/_helpers.tpl (istiod.resources, from templates/deployment.yaml): ${ISTIO_RESOURCES}`,
  },
};
