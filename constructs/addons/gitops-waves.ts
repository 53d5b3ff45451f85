/**
 * What both engines' GitOps renderings share: the wave number in file and object names, and the
 * Git credentials' ExternalSecret placed among the wave files.
 */
import type { ManifestObject } from '../policy/check-manifests';
import { gitCredentialsExternalSecret, withCredentialsObject } from './gitops-credentials';
import type { GitOpsTarget } from './gitops-types';
import type { PlatformAddons } from './platform-addons';

/** A wave's number as file and object names carry it: two digits. */
export const pad = (i: number): string => String(i).padStart(2, '0');

/**
 * With credentials, the ExternalSecret that makes the engine's repository Secret from the platform's
 * secret store (the contract names it; none enabled: an error naming the External Secrets add-on).
 */
export function addCredentials(
  addons: PlatformAddons,
  git: GitOpsTarget & { repoURL: string },
  namespace: string,
  files: { objects: ManifestObject[] }[],
  annotate: (o: ManifestObject, fileIndex: number) => ManifestObject,
): void {
  const credentials = git.credentials;
  if (credentials === undefined) return;
  const store = addons.contract.secretStore('GitOps target.credentials');
  withCredentialsObject(files, store, (i) =>
    annotate(gitCredentialsExternalSecret(git.engine, credentials, git.repoURL, namespace, store), i),
  );
}
