/** A tenant's quota and LimitRange defaults resolved: every field defaulted and checked (part of resolveTenant). */
import * as rules from '../internal/rules';
import type { PropsValidator } from '../internal/validator';
import type { ResolvedQuota } from './quota-check';
import type { TenantLimitsProps, TenantQuotaProps } from './tenant-props';

/** The quota, every field defaulted (memory limits: twice the requests) and checked. */
export function resolveQuota(v: PropsValidator, q: TenantQuotaProps): ResolvedQuota {
  const memory = q.memory ?? '8Gi';
  const memBytes = rules.parseQuantity(memory);
  const out: ResolvedQuota = {
    cpu: q.cpu ?? '4',
    memory,
    memoryLimit: q.memoryLimit ?? (memBytes !== undefined ? `${Math.ceil((memBytes * 2) / 2 ** 20)}Mi` : memory),
    ephemeralStorage: q.ephemeralStorage ?? '20Gi',
    ephemeralStorageLimit: q.ephemeralStorageLimit ?? '40Gi',
    pods: q.pods ?? 50,
    services: q.services ?? 20,
    configMaps: q.configMaps ?? 50,
    secrets: q.secrets ?? 50,
    persistentVolumeClaims: q.persistentVolumeClaims ?? 10,
    storage: q.storage ?? '100Gi',
    loadBalancers: q.loadBalancers ?? 0,
    nodePorts: q.nodePorts ?? 0,
  };
  v.check('quota.cpu', out.cpu, rules.cpuQuantity);
  v.check('quota.memory', out.memory, rules.bytesQuantity);
  v.check('quota.memoryLimit', out.memoryLimit, rules.bytesQuantity);
  v.check('quota.memory', out.memory, (m) => rules.requestWithinLimit(m, out.memoryLimit));
  v.check('quota.storage', out.storage, rules.bytesQuantity);
  v.check('quota.ephemeralStorage', out.ephemeralStorage, rules.bytesQuantity);
  v.check('quota.ephemeralStorageLimit', out.ephemeralStorageLimit, rules.bytesQuantity);
  v.check('quota.ephemeralStorage', out.ephemeralStorage, (m) =>
    rules.requestWithinLimit(m, out.ephemeralStorageLimit),
  );
  for (const key of [
    'pods',
    'services',
    'configMaps',
    'secrets',
    'persistentVolumeClaims',
    'loadBalancers',
    'nodePorts',
  ] as const)
    v.check(`quota.${key}`, out[key], rules.integerBetween(0, 100000));
  return out;
}

/** The LimitRange defaults over the given fields, each request within its limit. */
export function resolveLimits(v: PropsValidator, given: TenantLimitsProps | undefined): Required<TenantLimitsProps> {
  const limits = {
    cpuRequest: '100m',
    memoryRequest: '128Mi',
    cpuLimit: '1',
    memoryLimit: '256Mi',
    ephemeralStorageRequest: '100Mi',
    ephemeralStorageLimit: '1Gi',
    ...given,
  };
  v.check('limits.cpuRequest', limits.cpuRequest, rules.cpuQuantity);
  v.check('limits.cpuLimit', limits.cpuLimit, rules.cpuQuantity);
  v.check('limits.memoryRequest', limits.memoryRequest, rules.bytesQuantity);
  v.check('limits.memoryLimit', limits.memoryLimit, rules.bytesQuantity);
  v.check('limits.cpuRequest', limits.cpuRequest, (q) => rules.requestWithinLimit(q, limits.cpuLimit));
  v.check('limits.memoryRequest', limits.memoryRequest, (q) => rules.requestWithinLimit(q, limits.memoryLimit));
  v.check('limits.ephemeralStorageRequest', limits.ephemeralStorageRequest, rules.bytesQuantity);
  v.check('limits.ephemeralStorageLimit', limits.ephemeralStorageLimit, rules.bytesQuantity);
  v.check('limits.ephemeralStorageRequest', limits.ephemeralStorageRequest, (q) =>
    rules.requestWithinLimit(q, limits.ephemeralStorageLimit),
  );
  return limits;
}
