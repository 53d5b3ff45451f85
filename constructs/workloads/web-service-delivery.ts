/**
 * A WebService's delivery (rolling, canary, blue-green) resolved and checked: {@link DeliverySpec}
 * and the rules of each strategy. Pure; part of `checkWebService` (web-service-spec.ts).
 */
import * as rules from '../internal/rules';
import { secretInValue } from '../internal/secrets';
import type { PropsValidator } from '../internal/validator';
import {
  type BlueGreenDeliveryProps,
  type CanaryDeliveryProps,
  type CanaryStep,
  DELIVERY_SPECS,
  type DeliveryProps,
  type WebServiceProps,
} from './web-service-props';

const DEFAULT_STEPS: readonly CanaryStep[] = [
  { weight: 10, pauseSeconds: 120 },
  { weight: 50, pauseSeconds: 300 },
];

/** A blue-green colour. */
export type Colour = 'blue' | 'green';

/** How the WebService rolls out, normalized: one kind per controller, every default resolved. */
export type DeliverySpec =
  | { readonly kind: 'rolling' }
  | {
      readonly kind: 'canary';
      /** Name of the canary Service (`<name>-canary`). */
      readonly canaryService: string;
      readonly steps: readonly CanaryStep[];
      readonly analysis?: {
        readonly name: string;
        readonly prometheusUrl: string;
        readonly query: string;
        readonly minSuccessRate: number;
        readonly intervalSeconds: number;
      };
    }
  | { readonly kind: 'rollouts-blue-green'; readonly previewService: string; readonly autoPromotion: boolean }
  | {
      readonly kind: 'deployments-blue-green';
      readonly previewService: string;
      /** The colour the Service sends traffic to. */
      readonly active: Colour;
      /** The other colour (reachable through the preview Service). */
      readonly preview: Colour;
      /** Image of each colour. */
      readonly images: Readonly<Record<Colour, string>>;
    };

const canaryServiceOf = (name: string): string => `${name}-canary`;
const previewServiceOf = (name: string): string => `${name}-preview`;

/** The delivery, normalized (an unknown strategy, already refused, reads as rolling). */
export function resolveDelivery(d: DeliveryProps, image: string, name: string): DeliverySpec {
  if (d.strategy === 'canary') {
    const a = d.analysis;
    return {
      kind: 'canary',
      canaryService: canaryServiceOf(name),
      steps: d.steps ?? DEFAULT_STEPS,
      analysis: a && {
        name: `${name}-success-rate`,
        prometheusUrl: a.prometheusUrl,
        query: a.query,
        minSuccessRate: a.minSuccessRate ?? 0.99,
        intervalSeconds: a.intervalSeconds ?? 60,
      },
    };
  }
  if (d.strategy !== 'blue-green') return { kind: 'rolling' };
  if (d.controller === 'argo-rollouts')
    return {
      kind: 'rollouts-blue-green',
      previewService: previewServiceOf(name),
      autoPromotion: d.autoPromotion ?? false,
    };
  const active = d.active ?? 'blue';
  const preview = active === 'blue' ? 'green' : 'blue';
  const images = { [active]: image, [preview]: d.previewImage ?? image } as Record<Colour, string>;
  return { kind: 'deployments-blue-green', previewService: previewServiceOf(name), active, preview, images };
}

/** The delivery's props: a known strategy, its fields by shape, the Service names it derives, then the strategy's own rules. */
export function checkDelivery(
  v: PropsValidator,
  d: DeliveryProps,
  resolved: DeliverySpec,
  props: WebServiceProps,
  name: string,
): void {
  if (!['rolling', 'canary', 'blue-green'].includes(d.strategy)) {
    v.fail('delivery.strategy', d.strategy, 'must be "rolling", "canary" or "blue-green"');
    return;
  }
  // each strategy's props, by shape: a misspelt field is an error, never silently ignored
  v.checkShape('delivery', d, DELIVERY_SPECS[d.strategy]);
  // the Services a strategy adds are named after the workload: each must be a valid Service name (DNS-1035, at most 63)
  const derived =
    resolved.kind === 'canary'
      ? [resolved.canaryService]
      : resolved.kind === 'rolling'
        ? []
        : [resolved.previewService];
  for (const service of derived) {
    const problem = rules.dns1035Label(service);
    if (problem !== undefined)
      v.fail('name', name, `derives the Service name "${service}", which ${problem}: shorten the name`);
  }
  if (d.strategy === 'canary' && resolved.kind === 'canary') checkCanary(v, d, resolved.steps, props);
  else if (d.strategy === 'blue-green') checkBlueGreen(v, d, name);
}

function checkCanary(
  v: PropsValidator,
  d: CanaryDeliveryProps,
  steps: readonly CanaryStep[],
  props: WebServiceProps,
): void {
  if (props.route === undefined)
    v.fail(
      'delivery',
      'canary',
      "needs route: the canary's traffic share is set on the HTTPRoute (Argo Rollouts gatewayAPI plugin)",
    );
  if (steps.length === 0) v.fail('delivery.steps', [], 'must list at least one step');
  steps.forEach((st, i) => {
    v.check(`delivery.steps[${i}].weight`, st.weight, rules.integerBetween(1, 100));
    if (i > 0 && st.weight <= steps[i - 1].weight)
      v.fail(
        `delivery.steps[${i}].weight`,
        st.weight,
        `must be greater than the previous step's (${steps[i - 1].weight}): traffic only grows during a canary`,
      );
    v.check(`delivery.steps[${i}].pauseSeconds`, st.pauseSeconds, rules.integerBetween(1, 86400));
  });
  if (d.analysis) {
    const leak = secretInValue(d.analysis.prometheusUrl);
    if (leak !== undefined)
      v.fail(
        'delivery.analysis.prometheusUrl',
        '<not shown>',
        `is ${leak}: the analysis run would store it where the tenant reads it; query the platform's Prometheus`,
      );
    else if (!/^https?:\/\/[^\s]+$/.test(d.analysis.prometheusUrl))
      v.fail('delivery.analysis.prometheusUrl', d.analysis.prometheusUrl, 'must be an http(s) URL');
    if (!d.analysis.query.trim()) v.fail('delivery.analysis.query', d.analysis.query, 'must be a PromQL query');
    if (d.analysis.minSuccessRate !== undefined && !(d.analysis.minSuccessRate > 0 && d.analysis.minSuccessRate <= 1)) {
      v.fail('delivery.analysis.minSuccessRate', d.analysis.minSuccessRate, 'must be in (0, 1]');
    }
    v.check('delivery.analysis.intervalSeconds', d.analysis.intervalSeconds, rules.integerBetween(10, 3600));
  }
}

function checkBlueGreen(v: PropsValidator, d: BlueGreenDeliveryProps, name: string): void {
  if (d.controller !== 'argo-rollouts' && d.controller !== 'deployments')
    v.fail('delivery.controller', d.controller, 'must be "argo-rollouts" or "deployments"');
  if (d.active !== undefined && d.active !== 'blue' && d.active !== 'green')
    v.fail('delivery.active', d.active, 'must be "blue" or "green"');
  if (d.controller === 'argo-rollouts' && (d.active !== undefined || d.previewImage !== undefined))
    v.fail(
      'delivery',
      d.controller,
      'active and previewImage apply to controller "deployments": Argo Rollouts tracks the colours itself',
    );
  v.check('delivery.previewImage', d.previewImage, rules.pinnedImage);
  if (d.controller === 'deployments' && name.length > 57)
    v.fail('name', name, 'must be at most 57 characters with blue-green Deployments (the "-green" suffix)');
}
