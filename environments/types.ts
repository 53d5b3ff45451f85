/** Environment types live in the package (`k8s-groundwork`); re-exported for the local definitions. */
export type {
  ClusterProvider,
  ConfigValues,
  Environment,
  EnvironmentDefinition,
  Prerequisite,
  ScalingProfile,
} from '../constructs';
