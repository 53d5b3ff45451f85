/**
 * Values paths we set that a chart's `values.yaml` and schema do not declare and no template reads
 * as `.Values.<path>`, each with the upstream file (at the pinned tag) that does read it. A path
 * listed here that the chart comes to declare is reported as stale.
 */
import type { AddonId } from '../../constructs';

export const VALUES_ALLOWLIST: Partial<Record<AddonId, Readonly<Record<string, string>>>> = {};
