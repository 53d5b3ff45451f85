/**
 * The Pulumi program: `pulumi up --stack <kind|dev|staging|prod>` (the body is stacks/program.ts).
 */
import { groundworkProgram } from './program';

const outputs = groundworkProgram();

export const environment = outputs.environment;
export const waves = outputs.waves;
export const addonReleases = outputs.addonReleases;
