/**
 * checkManifests' cross-object rules, kind by kind: a Service, CronJob, Ingress, route, HPA or PDB
 * refers to something that exists, and nothing exposed to outside traffic runs a test image.
 */
import { arr, rec, shown } from './malformed';
import { containersOf } from './pod-security';
import { refKey, type ManifestObject } from './rules-table';
import type { Run } from './run';
import { selectorOf } from './selector-index';
import { isTestImage } from './test-images';

/** The cross-object checks, kind by kind: what each object refers to exists, and what it exposes is safe. */
export function checkReferences(run: Run): void {
  const { guarded, index } = run;
  for (const svc of index.services) guarded(svc, () => checkService(run, svc));
  for (const cj of index.ofKind('CronJob')) guarded(cj, () => checkCronJob(run, cj));
  for (const ing of index.ofKind('Ingress')) guarded(ing, () => checkIngress(run, ing));
  for (const route of index.objects.filter((o) => o.kind === 'HTTPRoute' || o.kind === 'GRPCRoute'))
    guarded(route, () => checkRoute(run, route));
  for (const hpa of index.hpas) guarded(hpa, () => checkHpa(run, hpa));
  for (const pdb of index.pdbs) guarded(pdb, () => checkPdb(run, pdb));
}

/** A route or Ingress sends outside traffic to Service `ns/name`: none of the Pods behind it may run a test image. */
function exposesTestImage({ report, index }: Run, from: ManifestObject, ns: string | undefined, name: string): void {
  const selector: unknown = rec(index.serviceByKey.get(refKey('Service', ns, name))?.spec).selector;
  if (typeof selector !== 'object' || selector === null) return;
  for (const p of index.podIndex.selectedBy(ns ?? '', selectorOf({ matchLabels: selector }))) {
    for (const { c } of containersOf(p.spec)) {
      if (typeof c.image === 'string' && isTestImage(c.image))
        report(
          'exposed-test-image',
          from,
          `routes to Service "${name}", whose ${p.id} runs the test image ${JSON.stringify(c.image)}: test images serve endpoints that run commands (agnhost netexec /shell)`,
        );
    }
  }
}

/** A Service's selector matches a Pod template, and its named target ports name container ports of those Pods. */
function checkService({ report, index }: Run, svc: ManifestObject): void {
  const spec = rec(svc.spec);
  if (typeof spec.selector !== 'object' || spec.selector === null || spec.type === 'ExternalName') return;
  const targets = index.podIndex.selected(svc.metadata?.namespace ?? '', selectorOf({ matchLabels: spec.selector }));
  if (targets.length === 0) {
    report('dangling-reference', svc, `selector ${JSON.stringify(spec.selector)} matches no Pod template`);
    return;
  }
  for (const port of arr(spec.ports)) {
    if (typeof port.targetPort !== 'string') continue;
    const named = targets.some((p) =>
      containersOf(p.spec).some(({ c }) => arr(c.ports).some((cp) => cp.name === port.targetPort)),
    );
    if (!named)
      report('dangling-reference', svc, `targetPort "${port.targetPort}" names no container port of the selected Pods`);
  }
}

/** A CronJob forbids or replaces overlapping runs. */
function checkCronJob({ report }: Run, cj: ManifestObject): void {
  const policy: unknown = rec(cj.spec).concurrencyPolicy;
  if (policy !== 'Forbid' && policy !== 'Replace')
    report(
      'cronjob-concurrency',
      cj,
      `concurrencyPolicy ${policy === undefined ? 'is unset (Allow)' : shown(policy)}: a slow run overlaps the next; set Forbid or Replace`,
    );
}

/** An Ingress serves TLS, and its backend Services exist and run no test image. */
function checkIngress(run: Run, ing: ManifestObject): void {
  const spec = rec(ing.spec);
  if (arr(spec.tls).length === 0)
    run.report(
      'ingress-tls',
      ing,
      'serves plaintext: add spec.tls (a cert-manager issued certificate or an existing TLS Secret)',
    );
  const backends = [
    rec(spec.defaultBackend),
    ...arr(spec.rules).flatMap((r) => arr(rec(r.http).paths).map((x) => rec(x.backend))),
  ];
  for (const b of backends) {
    const name: unknown = rec(b.service).name;
    if (typeof name === 'string' && !run.index.exists('Service', ing.metadata?.namespace, name))
      run.report('dangling-reference', ing, `backend Service "${name}" does not exist`);
    else if (typeof name === 'string') exposesTestImage(run, ing, ing.metadata?.namespace, name);
  }
}

/** An HTTPRoute's or GRPCRoute's backend Services exist and run no test image. */
function checkRoute(run: Run, route: ManifestObject): void {
  for (const rule of arr(rec(route.spec).rules)) {
    for (const ref of arr(rule.backendRefs)) {
      if ((ref.kind ?? 'Service') !== 'Service') continue;
      const ns = typeof ref.namespace === 'string' ? ref.namespace : route.metadata?.namespace;
      if (!run.index.exists('Service', ns, String(ref.name)))
        run.report('dangling-reference', route, `backendRef Service "${String(ref.name)}" does not exist`);
      else exposesTestImage(run, route, ns, String(ref.name));
    }
  }
}

/** A HorizontalPodAutoscaler's scale target exists. */
function checkHpa({ report, index }: Run, hpa: ManifestObject): void {
  const ref = rec(rec(hpa.spec).scaleTargetRef);
  if (!index.exists(String(ref.kind), hpa.metadata?.namespace, String(ref.name)))
    report('dangling-reference', hpa, `scaleTargetRef ${String(ref.kind)}/${String(ref.name)} does not exist`);
}

/** A PodDisruptionBudget's selector matches a Pod template. */
function checkPdb({ report, index }: Run, pdb: ManifestObject): void {
  if (!index.podIndex.selectsAny(pdb.metadata?.namespace ?? '', selectorOf(rec(pdb.spec).selector))) {
    report('dangling-reference', pdb, 'selector matches no Pod template');
  }
}
