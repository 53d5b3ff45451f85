/**
 * The environment profiles a platform repository builds its own definitions from
 * (`k8s-groundwork/environments`): kind for a laptop, and EKS with the dev, staging and prod
 * choices. Data only: no apps (a team passes its own) and no user values (those come from stack
 * config).
 */
export { kindEnvironment, KIND_GATEWAY_NODE_PORTS, type KindOptions } from './kind';
export { eksEnvironment, type EksProfile } from './eks';
export { DEV_PROFILE } from './dev';
export { STAGING_PROFILE } from './staging';
export { PROD_PROFILE } from './prod';
