/** The label every object this library renders carries. */
export const MANAGED_BY: Readonly<Record<string, string>> = { 'app.kubernetes.io/managed-by': 'k8s-groundwork' };
