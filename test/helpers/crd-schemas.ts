/**
 * JSON Schemas for custom resources that no @kubernetes-models package covers, written from the
 * projects' CRDs (velero.io/v1 BackupStorageLocation and Schedule; Gatekeeper's
 * templates.gatekeeper.sh/v1 ConstraintTemplate and constraints.gatekeeper.sh/v1beta1 constraints;
 * Envoy Gateway's gateway.envoyproxy.io/v1alpha1 EnvoyProxy from envoyproxy/gateway v1.7.4
 * charts/gateway-helm/crds/generated/gateway.envoyproxy.io_envoyproxies.yaml, the fields we emit;
 * autoscaling.k8s.io/v1 VerticalPodAutoscaler from kubernetes/autoscaler
 * vertical-pod-autoscaler-chart-0.11.0 crds/vpa-v1-crd-gen.yaml, the fields we emit).
 * They pin the fields we emit: required ones, enums and types; unknown fields are rejected so a
 * typo cannot pass.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import type { ManifestObject } from '../../constructs';
import { valueAt } from './values';

const meta = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$' },
    namespace: { type: 'string' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
  },
  additionalProperties: false,
};
const object = (spec: Record<string, unknown>, namespaced: boolean) => ({
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: namespaced ? { ...meta, required: ['name', 'namespace'] } : meta,
    spec,
  },
  additionalProperties: false,
});

const SCHEMAS: Record<string, Record<string, unknown>> = {
  'velero.io/v1/BackupStorageLocation': object(
    {
      type: 'object',
      required: ['provider', 'objectStorage'],
      properties: {
        provider: { type: 'string' },
        default: { type: 'boolean' },
        accessMode: { enum: ['ReadOnly', 'ReadWrite'] },
        objectStorage: {
          type: 'object',
          required: ['bucket'],
          properties: {
            bucket: { type: 'string', minLength: 1 },
            prefix: { type: 'string' },
            caCert: { type: 'string' },
          },
          additionalProperties: false,
        },
        config: { type: 'object', additionalProperties: { type: 'string' } },
        backupSyncPeriod: { type: 'string' },
        validationFrequency: { type: 'string' },
      },
      additionalProperties: false,
    },
    true,
  ),
  'velero.io/v1/Schedule': object(
    {
      type: 'object',
      required: ['schedule', 'template'],
      properties: {
        schedule: { type: 'string' },
        paused: { type: 'boolean' },
        useOwnerReferencesInBackup: { type: 'boolean' },
        template: {
          type: 'object',
          properties: {
            ttl: { type: 'string', pattern: '^(\\d+(h|m|s))+$' },
            includedNamespaces: { type: 'array', items: { type: 'string' } },
            excludedNamespaces: { type: 'array', items: { type: 'string' } },
            storageLocation: { type: 'string' },
            snapshotMoveData: { type: 'boolean' },
            snapshotVolumes: { type: 'boolean' },
            // velero chart 12.1.0 crds/schedules.yaml (velero v1.18.1)
            defaultVolumesToFsBackup: { type: 'boolean' },
          },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
    true,
  ),
  'gateway.envoyproxy.io/v1alpha1/EnvoyProxy': object(
    {
      type: 'object',
      properties: {
        provider: {
          type: 'object',
          required: ['type'],
          properties: {
            type: { enum: ['Kubernetes', 'Host'] },
            kubernetes: {
              type: 'object',
              properties: {
                envoyService: {
                  type: 'object',
                  properties: {
                    type: { enum: ['ClusterIP', 'LoadBalancer', 'NodePort'] },
                    // envoyproxy/gateway v1.7.5 api/v1alpha1/shared_types.go: +kubebuilder:validation:Enum=Local;Cluster
                    externalTrafficPolicy: { enum: ['Local', 'Cluster'] },
                    annotations: { type: 'object', additionalProperties: { type: 'string' } },
                    patch: {
                      type: 'object',
                      required: ['value'],
                      properties: { type: { enum: ['StrategicMerge', 'JSONMerge'] }, value: {} },
                      additionalProperties: false,
                    },
                  },
                  additionalProperties: false,
                },
              },
              additionalProperties: false,
            },
          },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
    true,
  ),
  'templates.gatekeeper.sh/v1/ConstraintTemplate': object(
    {
      type: 'object',
      required: ['crd', 'targets'],
      properties: {
        crd: {
          type: 'object',
          required: ['spec'],
          properties: {
            spec: {
              type: 'object',
              required: ['names'],
              properties: {
                names: {
                  type: 'object',
                  required: ['kind'],
                  properties: {
                    kind: { type: 'string', pattern: '^[A-Z][A-Za-z0-9]*$' },
                    shortNames: { type: 'array', items: { type: 'string' } },
                  },
                  additionalProperties: false,
                },
                validation: {
                  type: 'object',
                  properties: { openAPIV3Schema: { type: 'object' }, legacySchema: { type: 'boolean' } },
                  additionalProperties: false,
                },
              },
              additionalProperties: false,
            },
          },
          additionalProperties: false,
        },
        targets: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['target', 'rego'],
            properties: {
              target: { const: 'admission.k8s.gatekeeper.sh' },
              rego: { type: 'string', minLength: 1 },
              libs: { type: 'array', items: { type: 'string' } },
            },
            additionalProperties: false,
          },
        },
      },
      additionalProperties: false,
    },
    false,
  ),
  'constraints.gatekeeper.sh/v1beta1/*': object(
    {
      type: 'object',
      properties: {
        enforcementAction: { enum: ['deny', 'dryrun', 'warn'] },
        match: {
          type: 'object',
          properties: {
            kinds: {
              type: 'array',
              items: {
                type: 'object',
                required: ['apiGroups', 'kinds'],
                properties: {
                  apiGroups: { type: 'array', items: { type: 'string' } },
                  kinds: { type: 'array', items: { type: 'string' } },
                },
                additionalProperties: false,
              },
            },
            excludedNamespaces: { type: 'array', items: { type: 'string' } },
            namespaces: { type: 'array', items: { type: 'string' } },
          },
          additionalProperties: false,
        },
        parameters: { type: 'object' },
      },
      additionalProperties: false,
    },
    false,
  ),
  'autoscaling.k8s.io/v1/VerticalPodAutoscaler': object(
    {
      type: 'object',
      required: ['targetRef'],
      properties: {
        targetRef: {
          type: 'object',
          required: ['kind', 'name'],
          properties: {
            apiVersion: { type: 'string' },
            kind: { type: 'string' },
            name: { type: 'string', minLength: 1 },
          },
          additionalProperties: false,
        },
        updatePolicy: {
          type: 'object',
          properties: {
            updateMode: { enum: ['Off', 'Initial', 'Recreate', 'InPlaceOrRecreate', 'InPlace', 'Auto'] },
            minReplicas: { type: 'integer', minimum: 1 },
          },
          additionalProperties: false,
        },
        resourcePolicy: {
          type: 'object',
          properties: {
            containerPolicies: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  containerName: { type: 'string' },
                  mode: { enum: ['Auto', 'Off'] },
                  controlledResources: { type: 'array', items: { enum: ['cpu', 'memory'] } },
                  controlledValues: { enum: ['RequestsAndLimits', 'RequestsOnly'] },
                  minAllowed: { type: 'object', additionalProperties: { type: ['string', 'integer'] } },
                  maxAllowed: { type: 'object', additionalProperties: { type: ['string', 'integer'] } },
                },
                additionalProperties: false,
              },
            },
          },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
    true,
  ),
};

const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new Map<string, ValidateFunction>();

/** A validator for `apiVersion`/`kind` when a hand-written schema covers it; undefined otherwise. */
export function handWrittenValidator(
  apiVersion: string,
  kind: string,
): ((o: ManifestObject) => string | undefined) | undefined {
  const key = SCHEMAS[`${apiVersion}/${kind}`]
    ? `${apiVersion}/${kind}`
    : SCHEMAS[`${apiVersion}/*`]
      ? `${apiVersion}/*`
      : undefined;
  if (!key) return undefined;
  let fn = compiled.get(key);
  if (!fn) {
    fn = ajv.compile(SCHEMAS[key]);
    compiled.set(key, fn);
  }
  const validate = fn;
  return (o) => (validate(o) ? undefined : ajv.errorsText(validate.errors, { dataVar: 'data' }));
}

/**
 * Fields upstream added after the schema of the @kubernetes-models package that checks the kind,
 * copied from the CRD at our pinned version. A field the package's schema does not know is
 * accepted only when it matches one of these paths and its value passes the schema given here
 * (which rejects unknown fields in turn).
 */
const ROUTE53_AUTH = {
  // cert-manager v1.19.6 deploy/crds/cert-manager.io_(cluster)issuers.yaml, acme.solvers[].dns01.route53.auth
  type: 'object',
  required: ['kubernetes'],
  properties: {
    kubernetes: {
      type: 'object',
      required: ['serviceAccountRef'],
      properties: {
        serviceAccountRef: {
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string' }, audiences: { type: 'array', items: { type: 'string' } } },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
};
const NEWER_UPSTREAM_FIELDS: Record<
  string,
  ReadonlyArray<{ readonly path: RegExp; readonly schema: Record<string, unknown> }>
> = {
  // kyverno v1.15.3 (chart 3.5.3) config/crds/kyverno/kyverno.io_clusterpolicies.yaml: rules[].validate.failureAction
  'kyverno.io/v1/ClusterPolicy': [
    { path: /^spec\.rules\[\d+\]\.validate\.failureAction$/, schema: { enum: ['Audit', 'Enforce'] } },
  ],
  'cert-manager.io/v1/ClusterIssuer': [
    { path: /^spec\.acme\.solvers\[\d+\]\.dns01\.route53\.auth$/, schema: ROUTE53_AUTH },
  ],
  'cert-manager.io/v1/Issuer': [{ path: /^spec\.acme\.solvers\[\d+\]\.dns01\.route53\.auth$/, schema: ROUTE53_AUTH }],
};

/**
 * Splits the unknown fields of a custom resource into those still unknown and the problems of
 * those a newer upstream schema knows (`path: message`).
 */
export function newerUpstreamFields(
  o: ManifestObject,
  unknown: readonly string[],
): { readonly unknown: string[]; readonly problems: string[] } {
  const known = NEWER_UPSTREAM_FIELDS[`${o.apiVersion}/${o.kind}`] ?? [];
  const still: string[] = [];
  const problems: string[] = [];
  for (const path of unknown) {
    const field = known.find((f) => f.path.test(path));
    if (field === undefined) {
      still.push(path);
      continue;
    }
    const validate = ajv.compile(field.schema);
    if (!validate(valueAt(o, path))) problems.push(`${path}: ${ajv.errorsText(validate.errors, { dataVar: 'data' })}`);
  }
  return { unknown: still, problems };
}
