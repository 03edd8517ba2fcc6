import type { K8sAux } from './parsers/common';
import { imageRepository, posixDirname } from './parsers/common';
import type { Diagnostic, PartialWorkload, SourceRef, Trait, Workload } from './types';

export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'workload';
}

function compareRef(a: SourceRef, b: SourceRef): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line;
}

/** Which descriptor wins when two describe the same resource: the more specific one. */
const RANK: Record<string, number> = { inventory: 0, kubernetes: 1, helm: 2, compose: 3, cloudfoundry: 4, appengine: 5, serverless: 6, 'heroku-app': 7, procfile: 8, dockerfile: 9 };

/** A workload with every field in place from the start (one object shape for all of them). */
function newWorkload(id: string, name: string, kind: Workload['kind']): Workload {
  return { id, name, kind, image: undefined, buildDockerfile: undefined, sources: [], descriptors: [], traits: [], env: [], dependsOn: [], ports: [], resources: {} };
}

function mergeInto(t: Workload, p: PartialWorkload): void {
  t.sources.push(p.source);
  if (!t.descriptors.includes(p.descriptor)) t.descriptors.push(p.descriptor);
  t.traits.push(...p.traits);
  t.env.push(...p.env);
  t.dependsOn.push(...p.dependsOn);
  for (const port of p.ports) if (!t.ports.includes(port)) t.ports.push(port);
  t.image ??= p.image;
  t.buildDockerfile ??= p.buildDockerfile;
  // Resources: the first descriptor that states a figure with a source wins; later ones fill gaps.
  for (const k of Object.keys(p.resources) as (keyof PartialWorkload['resources'])[]) {
    const cur = t.resources[k];
    const inc = p.resources[k];
    if (!inc) continue;
    if (!cur || (!cur.source && inc.source)) t.resources[k] = inc;
  }
  // A more specific kind replaces a generic one (a compose "worker" that a Procfile calls "web").
  if (t.kind === 'worker' && p.kind !== 'worker') t.kind = p.kind;
}

/**
 * Turn the parsers' partial workloads into the workload model:
 * - a Dockerfile built by a compose service is folded into that service;
 * - partial workloads with the same name are merged (a compose service and a Deployment of it);
 * - Kubernetes Services, HPAs, PVCs and Ingresses are linked to the workloads they select;
 * - derived traits (`kind`, `descriptor`, `ports.count`) are added for the rules.
 */
export function buildModel(partials: PartialWorkload[], aux: K8sAux[], crdDirs: string[], diagnostics: Diagnostic[]): Workload[] {
  const dockerfiles = new Map<string, PartialWorkload>();
  const rest: PartialWorkload[] = [];
  for (const p of partials) (p.descriptor === 'dockerfile' ? dockerfiles.set(p.source.file, p) : rest.push(p));
  const usedDockerfiles = new Set<string>();

  const sorted = [...rest].sort((a, b) => (RANK[a.descriptor] ?? 99) - (RANK[b.descriptor] ?? 99) || compareRef(a.source, b.source));
  const byId = new Map<string, Workload>();
  const order: Workload[] = [];
  for (const p of sorted) {
    const id = slug(p.name);
    let w = byId.get(id);
    if (!w) {
      w = newWorkload(id, p.name, p.kind);
      byId.set(id, w);
      order.push(w);
    }
    mergeInto(w, p);
    if (p.buildDockerfile) {
      const df = dockerfiles.get(p.buildDockerfile);
      if (df) {
        mergeInto(w, df);
        usedDockerfiles.add(p.buildDockerfile);
      } else {
        diagnostics.push({ ...p.source, column: p.source.column ?? 1, severity: 'info', code: 'build-dockerfile-missing', message: `${p.name} is built from ${p.buildDockerfile}, which is not in the repository (or is ignored).` });
      }
    }
  }
  // Dockerfiles nobody builds: their own workload, or merged by name (folder) into one that exists.
  for (const [file, df] of [...dockerfiles].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (usedDockerfiles.has(file)) continue;
    const id = slug(df.name);
    const existing = byId.get(id);
    if (existing && !existing.descriptors.includes('dockerfile')) {
      mergeInto(existing, df);
      continue;
    }
    let uid = id;
    for (let n = 2; byId.has(uid); n++) uid = `${id}-${n}`;
    const w = newWorkload(uid, uid === id ? df.name : uid, df.kind);
    byId.set(uid, w);
    order.push(w);
    mergeInto(w, df);
  }

  linkKubernetes(order, aux);
  for (const w of order) {
    const dirs = new Set(w.sources.map((s) => posixDirname(s.file)));
    const crd = crdDirs.find((d) => dirs.has(d));
    if (crd !== undefined && w.traits.some((t) => t.name === 'k8s.kind')) {
      w.traits.push({ name: 'k8s.operator', value: `custom resources in ${crd || '.'}`, source: w.sources[0] });
    }
  }

  // Dependencies: names of other workloads, plus env values that mention another workload's name as a host.
  const ids = new Set(order.map((w) => w.id));
  for (const w of order) {
    const deps = new Map<string, SourceRef | undefined>();
    for (const d of w.dependsOn) {
      const id = slug(d.value);
      if (id !== w.id && ids.has(id) && !deps.has(id)) deps.set(id, d.source);
    }
    for (const e of w.env) {
      if (!e.value) continue;
      for (const m of e.value.matchAll(/(?:^|[/@=,\s])([a-z0-9][a-z0-9-]*)(?=[:/.]|$)/gi)) {
        const id = slug(m[1]);
        if (id !== w.id && ids.has(id) && !deps.has(id)) deps.set(id, e.source);
      }
    }
    w.dependsOn = [...deps].map(([value, source]) => ({ value, source })).sort((a, b) => (a.value < b.value ? -1 : 1));
    w.sources.sort(compareRef);
    w.sources = w.sources.filter((s, i, a) => i === 0 || compareRef(a[i - 1], s) !== 0);
    const primary = w.sources[0];
    const derived: Trait[] = [
      { name: 'kind', value: w.kind, source: primary },
      { name: 'ports.count', value: w.ports.length, source: primary },
      { name: 'name', value: w.name, source: primary },
    ];
    for (const d of w.descriptors) derived.push({ name: 'descriptor', value: d, source: primary });
    if (w.image) derived.push({ name: 'image.repository', value: imageRepository(w.image), source: primary });
    w.traits.push(...derived);
    w.traits.sort((a, b) => compareRef(a.source, b.source) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  order.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return order;
}

function labelsOf(w: Workload): Map<string, string> {
  const m = new Map<string, string>();
  for (const t of w.traits) {
    if (t.name !== 'k8s.label') continue;
    const s = String(t.value);
    const i = s.indexOf('=');
    m.set(s.slice(0, i), s.slice(i + 1));
  }
  return m;
}

function namespaceOf(w: Workload): string {
  return String(w.traits.find((t) => t.name === 'k8s.namespace')?.value ?? 'default');
}

function linkKubernetes(workloads: Workload[], aux: K8sAux[]): void {
  const k8s = workloads.filter((w) => w.traits.some((t) => t.name === 'k8s.kind'));
  if (k8s.length === 0 || aux.length === 0) return;
  const ns = new Map(k8s.map((w) => [w, namespaceOf(w)]));
  const byName = new Map(k8s.map((w) => [`${ns.get(w)}/${w.name}`, w]));
  // Selector matching through an index of namespace/label=value → workloads: linear, not quadratic.
  const byLabel = new Map<string, Workload[]>();
  for (const w of k8s) {
    for (const [k, v] of labelsOf(w)) {
      const key = `${ns.get(w)}/${k}=${v}`;
      const l = byLabel.get(key);
      if (l) l.push(w);
      else byLabel.set(key, [w]);
    }
  }
  const services = new Map<string, Workload[]>();
  const pvcs = new Map<string, K8sAux>();
  for (const a of aux) if (a.kind === 'PersistentVolumeClaim') pvcs.set(`${a.namespace}/${a.name}`, a);
  for (const a of aux) {
    if (a.kind === 'Service') {
      const sel = a.spec.selector as Record<string, unknown> | undefined;
      if (!sel || typeof sel !== 'object') continue;
      const entries = Object.entries(sel).map(([k, v]) => [k, String(v)] as const);
      const lists = entries.map(([k, v]) => byLabel.get(`${a.namespace}/${k}=${v}`) ?? []);
      lists.sort((x, y) => x.length - y.length);
      const targets = entries.length === 0 ? [] : lists[0].filter((w) => lists.every((l) => l === lists[0] || l.includes(w)));
      services.set(`${a.namespace}/${a.name}`, targets);
      for (const w of targets) {
        w.traits.push({ name: 'k8s.service', value: `${a.name} (${String(a.spec.type ?? 'ClusterIP')})`, source: a.source });
        if (a.spec.type === 'LoadBalancer' || a.spec.type === 'NodePort') w.traits.push({ name: 'k8s.exposed', value: String(a.spec.type), source: a.source });
        w.sources.push(a.source);
      }
    }
  }
  for (const a of aux) {
    if (a.kind === 'HorizontalPodAutoscaler') {
      const ref = (a.spec.scaleTargetRef ?? {}) as Record<string, unknown>;
      const w = byName.get(`${a.namespace}/${String(ref.name)}`);
      if (!w) continue;
      const min = Number(a.spec.minReplicas ?? 1);
      const max = Number(a.spec.maxReplicas);
      if (Number.isFinite(min)) w.resources.minReplicas = { value: min, source: a.source };
      if (Number.isFinite(max)) w.resources.maxReplicas = { value: max, source: a.source };
      w.traits.push({ name: 'autoscaling', value: `HPA ${a.name}: ${min}–${max}`, source: a.source });
      w.sources.push(a.source);
    } else if (a.kind === 'Ingress' || a.kind === 'Route') {
      const names = new Set<string>();
      const collect = (v: unknown): void => {
        if (Array.isArray(v)) v.forEach(collect);
        else if (v && typeof v === 'object') {
          const o = v as Record<string, unknown>;
          if (typeof o.serviceName === 'string') names.add(o.serviceName);
          if (o.service && typeof o.service === 'object' && typeof (o.service as Record<string, unknown>).name === 'string') names.add((o.service as Record<string, string>).name);
          if (a.kind === 'Route' && o.to && typeof o.to === 'object') names.add(String((o.to as Record<string, unknown>).name));
          Object.values(o).forEach(collect);
        }
      };
      collect(a.spec);
      for (const n of names) {
        for (const w of services.get(`${a.namespace}/${n}`) ?? []) {
          w.traits.push({ name: 'ingress', value: a.name, source: a.source });
          if (a.kind === 'Route') w.traits.push({ name: 'openshift.kind', value: 'Route', source: a.source });
        }
      }
    }
  }
  // PVCs referenced by pod volumes: access mode and size.
  for (const w of k8s) {
    for (const t of w.traits.filter((x) => x.name === 'k8s.pvc-ref')) {
      const pvc = pvcs.get(`${ns.get(w)}/${String(t.value)}`);
      if (!pvc) continue;
      const modes = Array.isArray(pvc.spec.accessModes) ? pvc.spec.accessModes.map(String) : [];
      w.traits.push({ name: modes.includes('ReadWriteMany') ? 'volume.shared' : 'volume.rwo', value: pvc.name, source: pvc.source });
      const req = ((pvc.spec.resources ?? {}) as Record<string, Record<string, unknown>>).requests ?? {};
      const size = String(req.storage ?? '');
      const m = /^([0-9.]+)\s*(Gi|G|Mi|M|Ti|T)?$/.exec(size);
      if (m) {
        const n = Number(m[1]);
        const gib = m[2] === 'Mi' || m[2] === 'M' ? n / 1024 : m[2] === 'Ti' || m[2] === 'T' ? n * 1024 : n;
        w.resources.storageGiB = { value: (w.resources.storageGiB?.value ?? 0) + gib, source: pvc.source };
      }
      w.sources.push(pvc.source);
    }
  }
}
