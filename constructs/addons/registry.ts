/**
 * The add-ons `platformAddons` declares from their own profile key alone, in profile order: each
 * module exports its entry ({@link RegisteredAddon}) and this list is the one place that names
 * them. Within a slot, this order is the order of the declarations (hence of the output).
 *
 * Not here, declared by hand in `platform-addons.ts`: the add-ons an engine choice picks (ingress,
 * gitops, mesh, policy) and those whose props read another add-on's offer (cert-manager, loki,
 * kube-prometheus-stack, jaeger, opentelemetry-collector, argo-rollouts, external-secrets).
 */
import type { AddonSlot } from './addon';
import { awsEbsCsiDriverAddon } from './aws-ebs-csi-driver';
import { clusterAutoscalerAddon } from './cluster-autoscaler';
import { externalDnsAddon } from './external-dns';
import { metricsServerAddon } from './metrics-server';
import { telepresenceAddon } from './telepresence';
import { veleroAddon } from './velero';
import { verticalPodAutoscalerAddon } from './vertical-pod-autoscaler';

/** Every registered add-on, in profile order. */
export const REGISTERED_ADDONS = [
  awsEbsCsiDriverAddon,
  externalDnsAddon,
  veleroAddon,
  verticalPodAutoscalerAddon,
  clusterAutoscalerAddon,
  metricsServerAddon,
  telepresenceAddon,
] as const;

/** A registered add-on entry. */
export type RegisteredAddonEntry = (typeof REGISTERED_ADDONS)[number];

/** The registered add-ons declared at `slot`, in registry order. */
export function registeredAt(slot: AddonSlot): readonly RegisteredAddonEntry[] {
  return REGISTERED_ADDONS.filter((e) => e.slot === slot);
}
