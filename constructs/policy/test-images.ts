/**
 * Kubernetes' own test images (`registry.k8s.io/e2e-test-images/*`, formerly
 * `gcr.io/kubernetes-e2e-test-images/*`) exist to be driven by the e2e suite: agnhost's `netexec`
 * serves `/shell?cmd=` (any command, unauthenticated), `/upload` and `/dial` (kubernetes
 * test/images/agnhost/netexec/netexec.go). Fine inside a test cluster, never behind a route.
 */
const TEST_IMAGE_PATHS = new Set(['e2e-test-images', 'kubernetes-e2e-test-images']);

/** True when `image` (any reference form) is one of Kubernetes' test images. */
export function isTestImage(image: string): boolean {
  const name = image.split('@')[0];
  const segments = name.split('/');
  return segments.slice(0, -1).some((s) => TEST_IMAGE_PATHS.has(s.toLowerCase()));
}
