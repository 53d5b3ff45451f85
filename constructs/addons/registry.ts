/**
 * Every profile key's add-on entry, in declaration order: `platformAddons` declares them in this
 * order (hence the order of the output), `PlatformAddonsProps` is typed from them and the
 * wrong-type test calls each entry's parts. An entry may read the offers of the entries before it,
 * so an add-on comes after those it reads; the policy engine comes last, so that its baseline
 * exempts every add-on namespace.
 */
import { argoRolloutsAddon } from './argo-rollouts';
import { awsEbsCsiDriverAddon } from './aws-ebs-csi-driver';
import { certManagerAddon } from './cert-manager';
import { gitopsAddon, ingressAddon, meshAddon, policyAddon } from './choices';
import { clusterAutoscalerAddon } from './cluster-autoscaler';
import { externalDnsAddon } from './external-dns';
import { externalSecretsAddon } from './external-secrets';
import { jaegerAddon } from './jaeger';
import { kubePrometheusStackAddon } from './kube-prometheus-stack';
import { lokiAddon } from './loki';
import { metricsServerAddon } from './metrics-server';
import { openTelemetryCollectorAddon } from './opentelemetry-collector';
import { reloaderAddon } from './reloader';
import { telepresenceAddon } from './telepresence';
import { veleroAddon } from './velero';
import { verticalPodAutoscalerAddon } from './vertical-pod-autoscaler';

/** Every registered add-on, in declaration order. */
export const REGISTERED_ADDONS = [
  ingressAddon,
  awsEbsCsiDriverAddon,
  certManagerAddon,
  externalDnsAddon,
  meshAddon,
  veleroAddon,
  lokiAddon,
  kubePrometheusStackAddon,
  jaegerAddon,
  openTelemetryCollectorAddon,
  verticalPodAutoscalerAddon,
  clusterAutoscalerAddon,
  metricsServerAddon,
  telepresenceAddon,
  argoRolloutsAddon,
  externalSecretsAddon,
  reloaderAddon,
  gitopsAddon,
  policyAddon,
] as const;

/** A registered add-on entry. */
export type RegisteredAddonEntry = (typeof REGISTERED_ADDONS)[number];
