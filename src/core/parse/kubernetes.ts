import type { PartialWorkload, SourceRef, WorkloadKind } from '../types';
import { parseCpu, parseMemoryMiB } from '../units';
import { arr, at, isObj, num, obj, parseYaml, str, subDoc, type Obj, type PathSeg, type YamlDoc } from './yaml';
import { diag, forEachRef, inspectEnv, newWorkload, posixDirname, relocator, trait, type K8sAux, type ParseResult } from './common';
import { unreadableQuantity } from './bounds';
import { table } from '../collections';
import { operatorServerOf, readOperatorServer } from './operators';

const WORKLOAD_KINDS: Record<string, WorkloadKind> = table({
  Deployment: 'service',
  StatefulSet: 'service',
  DaemonSet: 'daemon',
  Job: 'job',
  CronJob: 'scheduled-job',
  Pod: 'service',
  ReplicaSet: 'service',
  ReplicationController: 'service',
  DeploymentConfig: 'service', // OpenShift
  Rollout: 'service', // Argo Rollouts: a Deployment with a progressive-delivery controller
});
/** Operator custom resources that run one application image (Open Liberty, WebSphere Liberty, Runtime Component operators). */
const APP_CRS = new Set(['OpenLibertyApplication', 'WebSphereLibertyApplication', 'RuntimeComponent']);
/**
 * Cluster add-ons installed as Helm releases in GitOps repositories: the managed cluster provides
 * or installs them (EKS add-ons, GKE features, or the same chart); they are not workloads to move.
 */
const CLUSTER_ADDON_CHART = /^(cert-manager|ingress-nginx|nginx-ingress(-controller)?|traefik|envoy-gateway|gateway-helm|contour|haproxy-ingress|kong|istio(-base|d)?|base|istiod|linkerd[a-z0-9-]*|cilium|calico|tigera-operator|metallb|external-dns|external-secrets|sealed-secrets|kyverno[a-z0-9-]*|gatekeeper|metrics-server|cluster-autoscaler|karpenter|aws-load-balancer-controller|aws-ebs-csi-driver|secrets-store-csi-driver[a-z0-9-]*|csi-driver-[a-z0-9-]+|velero|reloader|keda|kube-state-metrics|prometheus-node-exporter|vpa|vertical-pod-autoscaler|descheduler|node-problem-detector|weave-gitops|flux2?|argo-cd|argocd|capsule|trust-manager|spegel)$/;

const AUX_KINDS = new Set(['Service', 'Ingress', 'HorizontalPodAutoscaler', 'PersistentVolumeClaim', 'Route']);
const OPENSHIFT_KINDS = new Set(['DeploymentConfig', 'Route', 'BuildConfig', 'ImageStream', 'Template', 'SecurityContextConstraints']);

/** apiVersion/kind pairs removed from Kubernetes, with the release that removed them. */
const DEPRECATED: Record<string, string> = table({
  'extensions/v1beta1': '1.16 (Deployment, DaemonSet, ReplicaSet) / 1.22 (Ingress)',
  'apps/v1beta1': '1.16',
  'apps/v1beta2': '1.16',
  'batch/v1beta1': '1.25',
  'batch/v2alpha1': '1.21',
  'autoscaling/v2beta1': '1.25',
  'autoscaling/v2beta2': '1.26',
  'networking.k8s.io/v1beta1': '1.22',
  'policy/v1beta1': '1.25',
});

const CORE_GROUP = /^(v1|apps\/|batch\/|autoscaling\/|networking\.k8s\.io\/|policy\/|rbac\.authorization\.k8s\.io\/|storage\.k8s\.io\/|extensions\/|apiextensions\.k8s\.io\/|admissionregistration\.k8s\.io\/|scheduling\.k8s\.io\/|coordination\.k8s\.io\/|discovery\.k8s\.io\/|node\.k8s\.io\/|certificates\.k8s\.io\/|events\.k8s\.io\/|flowcontrol\.apiserver\.k8s\.io\/)/;

/** The Kubernetes Gateway API: routing the managed clusters' load balancer controllers implement, not an operator's custom resources. */
const GATEWAY_API = /^gateway\.networking\.k8s\.io\//;
/**
 * Configuration of build and local-cluster tools written in Kubernetes form (Kustomize, Skaffold,
 * kind, k3d, kpt, ctlptl), GitOps delivery resources (Flux, Argo CD, k3s Helm charts) and a
 * developer portal's catalog entry (Backstage's `catalog-info.yaml`), which say how things are
 * built, deployed or listed, not that an application needs an operator.
 */
const TOOL_CONFIG_GROUP = /^(kustomize\.config\.k8s\.io|skaffold|kind\.x-k8s\.io|k3d\.io|kpt\.dev|ctlptl\.dev|config\.kubernetes\.io|fn\.kpt\.dev|[a-z]+\.toolkit\.fluxcd\.io|argoproj\.io|helm\.cattle\.io|backstage\.io)\//;

const GPU_RESOURCE = /^(nvidia\.com\/gpu|amd\.com\/gpu|gpu\.intel\.com\/.*)$/;

export function looksLikeKubernetes(text: string): boolean {
  // YAML, or JSON (an OpenShift template, `kubectl get -o json`): `"kind": "Template"`.
  return /^\s*(kind\s*:|"kind"\s*:\s*")/m.test(text) && /^\s*(apiVersion\s*:|"apiVersion"\s*:\s*")/m.test(text);
}

export function parseKubernetes(text: string, file: string): ParseResult {
  if (/(^|[^$])\{\{/.test(text)) {
    // A Helm or other template: not valid YAML until rendered, and we do not render templates.
    return { workloads: [], diagnostics: [], aux: [], notDescriptor: 'a template ({{ … }}): not YAML until it is rendered, and templates are not rendered' };
  }
  if (/(^|\/)kustomization\.ya?ml$/i.test(file)) return parseKustomization(text, file);
  return parseObjects(text, file);
}

/** The Kubernetes objects of a YAML stream: workloads, the objects linked to them, and custom resources. */
function parseObjects(text: string, file: string): ParseResult {
  const workloads: PartialWorkload[] = [];
  const aux: K8sAux[] = [];
  const crdDirs: string[] = [];
  if (!looksLikeKubernetes(text)) return { workloads, diagnostics: [], aux, notDescriptor: 'YAML with no Kubernetes apiVersion and kind and no compose services (configuration of some other tool)' };
  const { docs, diagnostics } = parseYaml(text, file);
  const out: KubeOut = { workloads, aux, crdDirs, diagnostics };
  for (const d of docs) {
    if (d.js === null || d.js === undefined) continue;
    const o = obj(d.js);
    if (str(o.kind) === 'Template' && Array.isArray(o.objects) && str(o.apiVersion)?.match(/^(template\.openshift\.io\/|v1$)/)) {
      readTemplateObjects(d, o, file, out);
      continue;
    }
    if (str(o.kind) === 'List' && Array.isArray(o.items)) {
      // `kubectl get -o yaml` output: each item is an object of its own.
      o.items.forEach((item, i) => {
        const sub = subDoc(d, ['items', i], item);
        if (sub && str(obj(item).kind) !== 'List') readObject(sub, file, out);
      });
      continue;
    }
    readObject(d, file, out);
  }
  linkBuilds(out);
  return { workloads, diagnostics, aux, crdDirs };
}

/**
 * An OpenShift Template (`oc process`): its `objects` are the objects it creates, each read as a
 * document of its own with the template's parameters filled in where they have a value
 * (`${MEMORY_LIMIT}` → `512Mi`, `${{REPLICAS}}` → a number); a parameter only generated or asked for
 * at processing time stays as written.
 */
function readTemplateObjects(d: YamlDoc, o: Obj, file: string, out: KubeOut): void {
  const params = new Map<string, string>();
  for (const p of arr(o.parameters)) {
    const name = str(obj(p).name);
    const value = obj(p).value;
    if (name && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) params.set(name, String(value));
  }
  const before = out.workloads.length;
  arr(o.objects).forEach((item, i) => {
    const sub = subDoc(d, ['objects', i], fillTemplateParams(item, params));
    if (sub && str(obj(item).kind) !== 'Template') readObject(sub, file, out);
  });
  const name = str(obj(o.metadata).name) ?? posixDirname(file);
  for (const w of out.workloads.slice(before)) trait(w, 'openshift.template', name, at(d, ['metadata', 'name']));
}

/** An OpenShift BuildConfig: how it builds (S2I from a builder image, a Dockerfile) the image stream tag it pushes. */
function noteBuild(d: YamlDoc, o: Obj, out: KubeOut): void {
  const spec = obj(o.spec);
  const to = str(obj(obj(spec.output).to).name)?.trim();
  if (!to) return;
  const strategy = obj(spec.strategy);
  const type = str(strategy.type) ?? (strategy.sourceStrategy ? 'Source' : strategy.dockerStrategy ? 'Docker' : 'Custom');
  const from = str(obj(obj(strategy.sourceStrategy ?? strategy.dockerStrategy).from).name);
  const how = type === 'Source' ? `source-to-image${from ? ` on ${from}` : ''}` : type === 'Docker' ? `a Dockerfile${from ? ` FROM ${from}` : ''}` : type;
  (out.builds ??= new Map()).set(to, { how, source: at(d, ['spec', 'strategy']) });
}

/** The workloads that run an image a BuildConfig of the same file builds: built on the cluster today. */
function linkBuilds(out: KubeOut): void {
  if (!out.builds) return;
  for (const w of out.workloads) {
    const b = w.image ? out.builds.get(w.image) ?? out.builds.get(`${w.image}:latest`) : undefined;
    if (b) trait(w, 'openshift.build', b.how, b.source);
  }
}

/** A template object with its parameters substituted, iteratively (no recursion on the input's depth). */
function fillTemplateParams(root: unknown, params: Map<string, string>): unknown {
  if (params.size === 0) return root;
  const fill = (v: unknown): unknown => {
    if (typeof v !== 'string' || !v.includes('${')) return v;
    const whole = /^\$\{\{([A-Za-z0-9_]+)\}\}$/.exec(v);
    if (whole && params.has(whole[1])) {
      const raw = params.get(whole[1]) as string;
      return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw === 'true' ? true : raw === 'false' ? false : raw;
    }
    return v.replace(/\$\{\{?([A-Za-z0-9_]+)\}?\}/g, (m, name: string) => params.get(name) ?? m);
  };
  const out = { v: fill(root) as unknown };
  const stack: Array<{ src: unknown; set: (x: unknown) => void }> = [{ src: root, set: (x) => (out.v = x) }];
  while (stack.length) {
    const { src, set } = stack.pop() as { src: unknown; set: (x: unknown) => void };
    if (Array.isArray(src)) {
      const copy: unknown[] = new Array(src.length);
      set(copy);
      src.forEach((x, k) => {
        copy[k] = fill(x);
        if (typeof x === 'object' && x !== null) stack.push({ src: x, set: (y) => (copy[k] = y) });
      });
    } else if (typeof src === 'object' && src !== null) {
      const copy: Obj = {};
      set(copy);
      for (const [k, x] of Object.entries(src as Obj)) {
        copy[k] = fill(x);
        if (typeof x === 'object' && x !== null) stack.push({ src: x, set: (y) => (copy[k] = y) });
      }
    }
  }
  return out.v;
}

/**
 * A `kustomization.yaml`: its `replicas:` transformer sets the replicas of the workloads it names,
 * like a patch (a production overlay's `replicas: [{name: api, count: 6}]`), and so do the patches
 * written in it (`patches:` with an inline `patch:`, strategic-merge or JSON 6902). Resources and
 * patch files it lists are files of their own; images change nothing a plan sizes.
 */
function parseKustomization(text: string, file: string): ParseResult {
  const { docs, diagnostics } = parseYaml(text, file);
  const workloads: PartialWorkload[] = [];
  const d = docs[0];
  if (d) for (const w of inlinePatches(d, text, file, diagnostics)) workloads.push(w);
  arr(obj(d?.js).replicas).forEach((r, i) => {
    const name = str(obj(r).name);
    const count = num(obj(r).count);
    if (!d || !name) return;
    const src = at(d, ['replicas', i]);
    if (count === undefined) {
      diagnostics.push(unreadableQuantity('Replicas', obj(r).count, at(d, ['replicas', i, 'count']), name));
      return;
    }
    // A worker: the most generic kind, which the patched workload's own kind replaces.
    const w = newWorkload(name, 'worker', src, 'kubernetes');
    trait(w, 'runtime', 'container', src);
    trait(w, 'k8s.patch', 'kustomize replicas', src);
    w.resources.replicas = { value: count, source: at(d, ['replicas', i, 'count']) };
    workloads.push(w);
  });
  return { workloads, diagnostics, ...(workloads.length ? {} : { notDescriptor: 'a Kustomize kustomization (its resources and patches are read as files of their own)' }) };
}

/** The inline patches of a kustomization: `patches`, `patchesStrategicMerge` and `patchesJson6902` entries with their text in place. */
function inlinePatches(d: YamlDoc, text: string, file: string, diagnostics: ParseResult['diagnostics']): PartialWorkload[] {
  const out: PartialWorkload[] = [];
  const k = obj(d.js);
  const entries: Array<{ path: PathSeg[]; patch: string; target: Obj }> = [];
  for (const key of ['patches', 'patchesJson6902'] as const) {
    arr(k[key]).forEach((e, i) => {
      const patch = str(obj(e).patch);
      if (patch !== undefined) entries.push({ path: [key, i, 'patch'], patch, target: obj(obj(e).target) });
    });
  }
  arr(k.patchesStrategicMerge).forEach((e, i) => {
    if (typeof e === 'string' && e.includes('\n')) entries.push({ path: ['patchesStrategicMerge', i], patch: e, target: {} });
  });
  const lines = text.split('\n');
  for (const e of entries) {
    // A block scalar's text starts on the line after its key: patch line n is file line first + n - 1.
    const keyLine = at(d, e.path).line;
    const first = /[|>][+-]?\d*\s*(#.*)?$/.test(lines[keyLine - 1] ?? '') ? keyLine + 1 : keyLine;
    const moved = relocator(file, Array.from({ length: e.patch.split('\n').length }, (_, n) => first + n));
    const opsDoc = parseYaml(e.patch, file).docs[0];
    const patched = opsDoc && Array.isArray(opsDoc.js) ? json6902Patch(opsDoc, e.target) : strategicMergePatch(e.patch, file, str(e.target.name));
    for (const w of patched.workloads) {
      forEachRef(w, moved);
      out.push(w);
    }
    for (const x of patched.diagnostics) diagnostics.push((moved(x), x));
  }
  return out;
}

/** A strategic-merge patch written in a kustomization: the Kubernetes objects it patches, read as patches are. */
function strategicMergePatch(patch: string, file: string, targetName: string | undefined): ParseResult {
  const named = targetName && !/^\s*metadata\s*:/m.test(patch) ? `${patch}\nmetadata: {name: ${JSON.stringify(targetName)}}\n` : patch;
  const r = parseObjects(named, file);
  return { workloads: r.workloads, diagnostics: r.diagnostics };
}

/** JSON 6902 operations on a workload's replicas or a container's CPU and memory (`replace /spec/replicas`). */
function json6902Patch(doc: YamlDoc, target: Obj): ParseResult {
  const name = str(target.name);
  const workloads: PartialWorkload[] = [];
  if (!name || (str(target.kind) && !(str(target.kind) as string in WORKLOAD_KINDS))) return { workloads, diagnostics: [] };
  const src: SourceRef = at(doc, []);
  const w = newWorkload(name, 'worker', src, 'kubernetes');
  trait(w, 'runtime', 'container', src);
  trait(w, 'k8s.patch', 'kustomize JSON patch', src);
  arr(doc.js).map(obj).forEach((op, i) => {
    if (str(op.op) !== 'replace' && str(op.op) !== 'add') return;
    const path = str(op.path) ?? '';
    const vsrc = at(doc, [i, 'value']);
    if (path === '/spec/replicas' && num(op.value) !== undefined) w.resources.replicas = { value: num(op.value) as number, source: vsrc };
    const res = /^\/spec\/template\/spec\/containers\/\d+\/resources\/(requests|limits)\/(cpu|memory)$/.exec(path);
    const value = res ? (res[2] === 'cpu' ? parseCpu(op.value) : parseMemoryMiB(op.value)) : undefined;
    if (!res || value === undefined) return;
    const figure = { value, source: vsrc, ...(res[1] === 'limits' ? { cap: true } : {}) };
    if (res[2] === 'cpu') w.resources.cpu = figure;
    else w.resources.memoryMiB = figure;
  });
  if (Object.keys(w.resources).length > 0) workloads.push(w);
  return { workloads, diagnostics: [] };
}

interface KubeOut {
  workloads: PartialWorkload[];
  aux: K8sAux[];
  crdDirs: string[];
  diagnostics: ParseResult['diagnostics'];
  /** OpenShift BuildConfigs, by the image stream tag they push (`django-psql-persistent:latest`). */
  builds?: Map<string, { how: string; source: SourceRef }>;
}

/** One Kubernetes object of a document (or of a List's items): a workload, an auxiliary object, or nothing. */
function readObject(d: YamlDoc, file: string, out: KubeOut): void {
  const { workloads, aux, crdDirs, diagnostics } = out;
  if (d.js === null || d.js === undefined) return;
  const o = obj(d.js);
  const kind = str(o.kind);
  const apiVersion = str(o.apiVersion);
  if (!kind || !apiVersion) {
    if (isObj(d.js)) diag(diagnostics, at(d, []), 'info', 'k8s-not-object', `Document ${d.index + 1} has no kind/apiVersion; it is not a Kubernetes object and was ignored.`);
    return;
  }
  const meta = obj(o.metadata);
  if (isDeletionPatch(d, o, kind, diagnostics)) return;
  // A Job or Workflow named at creation (`generateName: etl-`) is known by that prefix.
  const name = str(meta.name) ?? str(meta.generateName)?.replace(/[-.]+$/, '') ?? `${kind.toLowerCase()}-${d.index + 1}`;
  const namespace = str(meta.namespace) ?? 'default';
  const src = at(d, ['metadata', 'name']);
  if (isKnativeService(kind, apiVersion)) {
    workloads.push(readKnativeService(d, o, name, namespace, src, diagnostics));
    return;
  }
  if (GATEWAY_API.test(apiVersion)) {
    // Gateway API routes play an Ingress's part (GKE's and EKS's load balancer controllers implement them).
    if (/^(HTTP|GRPC|TLS)Route$/.test(kind)) aux.push({ kind: 'Ingress', name, namespace, source: src, spec: obj(o.spec), labels: strMap(meta.labels) });
    return;
  }
  if (kind === 'ScaledObject' && apiVersion.startsWith('keda.sh/')) {
    // KEDA's autoscaler: its bounds are the workload's, as an HPA's are (KEDA scales to zero by default).
    const spec = obj(o.spec);
    aux.push({ kind: 'HorizontalPodAutoscaler', name, namespace, source: src, spec: { scaleTargetRef: obj(spec.scaleTargetRef), minReplicas: spec.minReplicaCount ?? 0, maxReplicas: spec.maxReplicaCount ?? 100, via: 'KEDA ScaledObject' }, labels: strMap(meta.labels) });
  }
  // A database or broker an operator runs: the managed service replaces the operator and the resource.
  const server = operatorServerOf(kind, apiVersion);
  if (server) {
    workloads.push(readOperatorServer(d, o, server, name, namespace, src));
    return;
  }
  // Custom resources need their operator on the cluster; so does an Argo Rollout, its controller.
  if (kind === 'CustomResourceDefinition' || kind === 'Rollout' || (!CORE_GROUP.test(apiVersion) && !TOOL_CONFIG_GROUP.test(apiVersion) && !apiVersion.includes('openshift.io') && !(kind in WORKLOAD_KINDS))) {
    crdDirs.push(posixDirname(file));
  }
  if (kind === 'List') {
    diag(diagnostics, at(d, ['kind']), 'info', 'k8s-list', 'A List with no items array, or inside another List, is not expanded; split its items into documents.');
    return;
  }
  if (kind === 'BuildConfig') {
    noteBuild(d, o, out);
    return;
  }
  if (kind === 'ConfigMap') {
    // Its data become the environment of the containers that load it (envFrom): dependencies.
    aux.push({ kind, name, namespace, source: src, spec: { data: strMap(o.data) }, labels: strMap(meta.labels) });
    return;
  }
  if (AUX_KINDS.has(kind)) {
    aux.push({ kind, name, namespace, source: src, spec: obj(o.spec), labels: strMap(meta.labels) });
    if (kind === 'Route') {
      /* OpenShift route: recorded as aux, noted on workloads at link time */
    }
    return;
  }
  if (APP_CRS.has(kind) && str(obj(o.spec).applicationImage)) {
    workloads.push(readApplicationCr(d, kind, name, namespace, src, obj(o.spec), diagnostics));
    return;
  }
  if (ARGO_WORKFLOW_KINDS[kind] && apiVersion.startsWith('argoproj.io/')) {
    workloads.push(readArgoWorkflow(d, kind, name, namespace, src, obj(o.spec), diagnostics));
    return;
  }
  const release = helmReleaseOf(kind, apiVersion, obj(o.spec));
  if (release) {
    const controllers = isObj(release.values.controllers) ? readAppTemplate(d, name, namespace, src, release, diagnostics) : [];
    if (controllers.length > 0) for (const w of controllers) workloads.push(w);
    else workloads.push(readHelmRelease(d, kind, name, namespace, src, release, diagnostics));
    return;
  }
  const wkind = WORKLOAD_KINDS[kind];
  if (!wkind) return; // ConfigMap, Secret, RBAC…: not workloads, ignored without error
  workloads.push(readWorkloadObject(d, o, { kind, apiVersion, name, namespace, wkind }, src, diagnostics));
}

/**
 * A strategic-merge patch that deletes the object (a Kustomize component swapping an in-cluster
 * Redis for a managed one) describes no workload: it is not one, nor a patch of one. Said where it is.
 */
function isDeletionPatch(d: YamlDoc, o: Obj, kind: string, diagnostics: ParseResult['diagnostics']): boolean {
  if (o.$patch !== 'delete') return false;
  const name = str(obj(o.metadata).name);
  diag(diagnostics, at(d, ['$patch']), 'info', 'k8s-patch-delete', `${name ? `${kind} ${name}` : kind} is deleted by this patch where it is applied; the plan keeps it as the other descriptors describe it.`);
  return true;
}

function isKnativeService(kind: string, apiVersion: string): boolean {
  return kind === 'Service' && apiVersion.startsWith('serving.knative.dev/');
}

/**
 * A Knative Service: a serverless container by definition (Cloud Run runs Knative services), its
 * pod under spec.template like a Deployment's, its scale bounds in the template's annotations.
 */
function readKnativeService(d: YamlDoc, o: Obj, name: string, namespace: string, src: SourceRef, diagnostics: ParseResult['diagnostics']): PartialWorkload {
  const w = readWorkloadObject(d, o, { kind: 'Service', apiVersion: str(o.apiVersion) ?? '', name, namespace, wkind: 'service' }, src, diagnostics);
  trait(w, 'knative.service', name, at(d, ['kind']));
  const annotations = strMap(obj(obj(obj(o.spec).template).metadata).annotations);
  const bound = (keys: string[]): { value: number; source: SourceRef } | undefined => {
    const key = keys.find((k) => annotations[k] !== undefined);
    const n = key ? num(annotations[key]) : undefined;
    return key && n !== undefined && n >= 0 ? { value: n, source: at(d, ['spec', 'template', 'metadata', 'annotations', key]) } : undefined;
  };
  const min = bound(['autoscaling.knative.dev/min-scale', 'autoscaling.knative.dev/minScale']);
  const max = bound(['autoscaling.knative.dev/max-scale', 'autoscaling.knative.dev/maxScale']);
  if (min) w.resources.minReplicas = min;
  if (max) w.resources.maxReplicas = max;
  // Knative sends requests to the container's port, 8080 unless it names another.
  if (w.ports.length === 0) w.ports.push(8080);
  markCloudRunService(d, o, annotations, w);
  return w;
}

/**
 * A Knative Service written for Cloud Run (`gcloud run services replace`): Cloud Run's own
 * annotations (`run.googleapis.com/…`) on it or its template say it runs on Cloud Run today.
 */
function markCloudRunService(d: YamlDoc, o: Obj, templateAnnotations: Record<string, string>, w: PartialWorkload): void {
  const own = strMap(obj(o.metadata).annotations);
  const key = Object.keys(own).find((k) => k.startsWith('run.googleapis.com/'));
  const tkey = key ? undefined : Object.keys(templateAnnotations).find((k) => k.startsWith('run.googleapis.com/'));
  if (!key && !tkey) return;
  const where = key ? at(d, ['metadata', 'annotations', key]) : at(d, ['spec', 'template', 'metadata', 'annotations', tkey as string]);
  trait(w, 'gcp.cloud-run-service', key ?? (tkey as string), where);
}

/** A Deployment, StatefulSet, DaemonSet, Job, CronJob or Pod (or an OpenShift DeploymentConfig) as a workload. */
function readWorkloadObject(d: YamlDoc, o: Obj, id: { kind: string; apiVersion: string; name: string; namespace: string; wkind: WorkloadKind }, src: SourceRef, diagnostics: ParseResult['diagnostics']): PartialWorkload {
  const { kind, apiVersion, name, namespace, wkind } = id;
  const meta = obj(o.metadata);
  const w = newWorkload(name, wkind, src, 'kubernetes');
  trait(w, 'runtime', 'container', src);
  trait(w, 'k8s.kind', kind, at(d, ['kind']));
  trait(w, 'k8s.namespace', namespace, src);
  if (OPENSHIFT_KINDS.has(kind) || apiVersion.includes('openshift.io')) trait(w, 'openshift.kind', kind, at(d, ['kind']));
  if (apiVersion in DEPRECATED) trait(w, 'k8s.deprecated-api', `${apiVersion} ${kind} (removed in ${DEPRECATED[apiVersion]})`, at(d, ['apiVersion']));
  const spec = obj(o.spec);
  let podPath: PathSeg[] = ['spec', 'template', 'spec'];
  let pod = obj(obj(spec.template).spec);
  if (kind === 'Pod') {
    podPath = ['spec'];
    pod = spec;
  } else if (kind === 'CronJob') {
    podPath = ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
    pod = obj(obj(obj(obj(spec.jobTemplate).spec).template).spec);
    const schedule = str(spec.schedule);
    if (schedule) trait(w, 'schedule', schedule, at(d, ['spec', 'schedule']));
  }
  if (kind === 'StatefulSet') trait(w, 'k8s.statefulset', true, at(d, ['kind']));
  if (kind === 'DaemonSet') trait(w, 'k8s.daemonset', true, at(d, ['kind']));
  if (['Deployment', 'StatefulSet', 'ReplicaSet', 'DeploymentConfig', 'ReplicationController', 'Rollout'].includes(kind)) {
    const r = num(spec.replicas);
    if (r === undefined && spec.replicas !== undefined && spec.replicas !== null) diagnostics.push(unreadableQuantity('Replicas', spec.replicas, at(d, ['spec', 'replicas']), w.name));
    w.resources.replicas = { value: r ?? 1, source: r === undefined ? undefined : at(d, ['spec', 'replicas']) };
  }
  // Pod template labels, to link Services and HPAs.
  const tmplLabels = kind === 'Pod' ? strMap(meta.labels) : strMap(obj(obj(spec.template).metadata).labels);
  for (const [k, v] of Object.entries(tmplLabels)) trait(w, 'k8s.label', `${k}=${v}`, src);
  readPodSpec(d, pod, podPath, w, diagnostics);
  if (kind === 'DeploymentConfig' && !w.image) imageFromTrigger(d, spec, w);
  // A long-running pod that declares no port and that no Service selects (linked later) answers no requests: a worker.
  if (wkind === 'service' && kind !== 'Pod' && w.ports.length === 0) w.kind = 'worker';
  if (!w.image) trait(w, 'k8s.patch', 'no container image', src);
  if (kind === 'StatefulSet') {
    arr(spec.volumeClaimTemplates).forEach((t, i) => {
      const ts = obj(obj(t).spec);
      const modes = arr(ts.accessModes).map(String);
      const size = parseMemoryMiB(str(obj(obj(ts.resources).requests).storage));
      const tsrc = at(d, ['spec', 'volumeClaimTemplates', i]);
      trait(w, modes.includes('ReadWriteMany') ? 'volume.shared' : 'volume.rwo', str(obj(obj(t).metadata).name) ?? 'data', tsrc);
      if (size !== undefined) w.resources.storageGiB = { value: (w.resources.storageGiB?.value ?? 0) + size / 1024, source: tsrc };
    });
  }
  return w;
}

function strMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(obj(v))) if (str(x) !== undefined) out[k] = str(x) as string;
  return out;
}

function readPodSpec(d: YamlDoc, pod: Obj, podPath: PathSeg[], w: PartialWorkload, diagnostics: ParseResult['diagnostics']): void {
  const loc = (...p: PathSeg[]): SourceRef => at(d, [...podPath, ...p]);
  readPodHost(pod, w, loc);
  const sum: PodTotals = { cpu: 0, mem: 0, cpuSeen: false, memSeen: false };
  const containers = arr(pod.containers);
  if (containers.length === 0) diag(diagnostics, loc(), 'info', 'k8s-no-containers', `${w.name} has no containers: read as a patch of the workload of that name described elsewhere.`);
  containers.forEach((c, i) => readContainer(obj(c), i, w, (...p: PathSeg[]): SourceRef => loc('containers', i, ...p), sum, diagnostics));
  if (sum.cpuSeen) w.resources.cpu = { value: sum.cpu, source: sum.cpuSrc, ...(sum.cpuCap ? { cap: true } : {}) };
  if (sum.memSeen) w.resources.memoryMiB = { value: sum.mem, source: sum.memSrc, ...(sum.memCap ? { cap: true } : {}) };
}

/**
 * An operator's application resource (`OpenLibertyApplication`): one container of
 * `spec.applicationImage`, with the resources, environment, replicas and service port the spec gives.
 */
function readApplicationCr(d: YamlDoc, kind: string, name: string, namespace: string, src: SourceRef, spec: Obj, diagnostics: ParseResult['diagnostics']): PartialWorkload {
  const w = newWorkload(name, 'service', src, 'kubernetes');
  trait(w, 'runtime', 'container', src);
  trait(w, 'k8s.kind', kind, at(d, ['kind']));
  trait(w, 'k8s.namespace', namespace, src);
  const r = num(spec.replicas);
  w.resources.replicas = { value: r ?? 1, source: r === undefined ? undefined : at(d, ['spec', 'replicas']) };
  const port = num(obj(spec.service).port);
  const probes = obj(spec.probes);
  const container: Obj = { image: spec.applicationImage, resources: spec.resources, env: spec.env, envFrom: spec.envFrom, ports: port === undefined ? [] : [{ containerPort: port }], livenessProbe: probes.liveness ?? probes.readiness };
  const cl = (...p: PathSeg[]): SourceRef => at(d, p[0] === 'image' ? ['spec', 'applicationImage'] : p[0] === 'ports' ? ['spec', 'service', 'port'] : p[0] === 'livenessProbe' ? ['spec', 'probes'] : ['spec', ...p]);
  const sum: PodTotals = { cpu: 0, mem: 0, cpuSeen: false, memSeen: false };
  readContainer(container, 0, w, cl, sum, diagnostics);
  if (sum.cpuSeen) w.resources.cpu = { value: sum.cpu, source: sum.cpuSrc, ...(sum.cpuCap ? { cap: true } : {}) };
  if (sum.memSeen) w.resources.memoryMiB = { value: sum.mem, source: sum.memSrc, ...(sum.memCap ? { cap: true } : {}) };
  if (obj(spec.route).path !== undefined || spec.expose === true) trait(w, 'ingress', true, at(d, ['spec', spec.expose === true ? 'expose' : 'route']));
  return w;
}

/** Argo Workflows' resources that run containers: a run, a schedule of runs, and templates of runs. */
const ARGO_WORKFLOW_KINDS: Record<string, WorkloadKind> = table({ Workflow: 'job', CronWorkflow: 'scheduled-job', WorkflowTemplate: 'job', ClusterWorkflowTemplate: 'job' });

/**
 * An Argo workflow: a batch job whose steps are its templates' containers (or scripts). It is sized
 * from the entrypoint's container, or the first step's; a CronWorkflow's schedule makes it scheduled
 * work. One that only names a WorkflowTemplate (`workflowTemplateRef`) is planned under that
 * template's name, so that the two are one workload.
 */
function readArgoWorkflow(d: YamlDoc, kind: string, name: string, namespace: string, src: SourceRef, spec: Obj, diagnostics: ParseResult['diagnostics']): PartialWorkload {
  const cron = kind === 'CronWorkflow';
  const wfPath: PathSeg[] = cron ? ['spec', 'workflowSpec'] : ['spec'];
  const wf = cron ? obj(spec.workflowSpec) : spec;
  const templates = arr(wf.templates).map(obj);
  const ref = str(obj(wf.workflowTemplateRef).name);
  const runs = (t: Obj): 'container' | 'script' | undefined => (isObj(t.container) ? 'container' : isObj(t.script) ? 'script' : undefined);
  const steps = templates.map((t, i) => ({ t, i, key: runs(t) })).filter((x) => x.key !== undefined);
  const main = steps.find((x) => str(x.t.name) === str(wf.entrypoint)) ?? steps[0];
  const w = newWorkload(steps.length === 0 && ref ? ref : name, ARGO_WORKFLOW_KINDS[kind], src, 'kubernetes');
  trait(w, 'runtime', 'container', src);
  trait(w, 'k8s.kind', kind, at(d, ['kind']));
  trait(w, 'k8s.namespace', namespace, src);
  trait(w, 'argo.workflow', steps.length > 1 ? `${kind} ${name}, ${steps.length} container steps` : `${kind} ${name}`, at(d, ['kind']));
  const schedule = cron ? str(spec.schedule) ?? str(arr(spec.schedules)[0]) : undefined;
  if (schedule) trait(w, 'schedule', schedule, at(d, spec.schedule !== undefined ? ['spec', 'schedule'] : ['spec', 'schedules', 0]));
  if (!main) return w;
  const sum: PodTotals = { cpu: 0, mem: 0, cpuSeen: false, memSeen: false };
  readContainer(obj(main.t[main.key as string]), 0, w, (...p: PathSeg[]) => at(d, [...wfPath, 'templates', main.i, main.key as string, ...p]), sum, diagnostics);
  if (sum.cpuSeen) w.resources.cpu = { value: sum.cpu, source: sum.cpuSrc, ...(sum.cpuCap ? { cap: true } : {}) };
  if (sum.memSeen) w.resources.memoryMiB = { value: sum.mem, source: sum.memSrc, ...(sum.memCap ? { cap: true } : {}) };
  return w;
}

/** What a GitOps Helm release names: its chart, release name, values and where each is in the document. */
interface HelmReleaseRef {
  chart: string;
  chartPath: PathSeg[];
  releaseName?: string;
  targetNamespace?: string;
  values: Obj;
  valuesPath: PathSeg[];
}

/**
 * A Helm release deployed by a GitOps controller: Flux's `HelmRelease` (a chart template or a
 * `chartRef`), Argo CD's `Application` of a chart, and k3s/RKE2's `HelmChart`. Argo CD
 * applications of a folder of this repository are not releases: that folder's manifests are read
 * as they are. A release with no chart name (a Kustomize patch of one) is not one either.
 */
function helmReleaseOf(kind: string, apiVersion: string, spec: Obj): HelmReleaseRef | undefined {
  if (kind === 'HelmRelease' && apiVersion.startsWith('helm.toolkit.fluxcd.io/')) {
    const fromTemplate = str(obj(obj(spec.chart).spec).chart);
    const fromRef = str(obj(spec.chartRef).name);
    const chart = fromTemplate ?? fromRef;
    if (!chart) return undefined;
    return { chart, chartPath: fromTemplate ? ['spec', 'chart', 'spec', 'chart'] : ['spec', 'chartRef', 'name'], releaseName: str(spec.releaseName), targetNamespace: str(spec.targetNamespace), values: obj(spec.values), valuesPath: ['spec', 'values'] };
  }
  if (kind === 'Application' && apiVersion.startsWith('argoproj.io/')) {
    const sources = spec.source !== undefined ? [spec.source] : arr(spec.sources);
    const i = sources.findIndex((s) => str(obj(s).chart) !== undefined);
    if (i < 0) return undefined;
    const source = obj(sources[i]);
    const base: PathSeg[] = spec.source !== undefined ? ['spec', 'source'] : ['spec', 'sources', i];
    const helm = obj(source.helm);
    return { chart: str(source.chart) as string, chartPath: [...base, 'chart'], releaseName: str(helm.releaseName), targetNamespace: str(obj(spec.destination).namespace), values: obj(helm.valuesObject), valuesPath: [...base, 'helm', 'valuesObject'] };
  }
  if (kind === 'HelmChart' && apiVersion.startsWith('helm.cattle.io/') && str(spec.chart)) {
    return { chart: (str(spec.chart) as string).split('/').pop() as string, chartPath: ['spec', 'chart'], targetNamespace: str(spec.targetNamespace), values: obj(spec.set), valuesPath: ['spec', 'set'] };
  }
  return undefined;
}

/**
 * A release as a workload: named by its release, told by its chart (the chart's name says what it
 * is: `redis`, `postgresql`, `grafana`), sized from the values it sets (`replicaCount`,
 * `resources`, `image`). A cluster add-on's chart is marked so that the model leaves it out.
 */
function readHelmRelease(d: YamlDoc, kind: string, name: string, namespace: string, src: SourceRef, r: HelmReleaseRef, diagnostics: ParseResult['diagnostics']): PartialWorkload {
  const w = newWorkload(r.releaseName ?? name, 'service', src, 'kubernetes');
  trait(w, 'runtime', 'container', src);
  trait(w, 'k8s.kind', kind, at(d, ['kind']));
  trait(w, 'k8s.namespace', r.targetNamespace ?? namespace, src);
  const chartSrc = at(d, r.chartPath);
  trait(w, 'helm.release-chart', r.chart, chartSrc);
  if (CLUSTER_ADDON_CHART.test(r.chart.toLowerCase())) trait(w, 'platform.addon', r.chart, chartSrc);
  const v = (...p: PathSeg[]): SourceRef => at(d, [...r.valuesPath, ...p]);
  const replicas = num(r.values.replicaCount);
  w.resources.replicas = { value: replicas ?? 1, source: replicas === undefined ? undefined : v('replicaCount') };
  const container: Obj = { image: releaseImage(r.values.image), resources: r.values.resources };
  const cl = (...p: PathSeg[]): SourceRef => (p[0] === 'image' ? v('image', ...(isObj(r.values.image) ? ['repository'] : [])) : v(...p));
  const sum: PodTotals = { cpu: 0, mem: 0, cpuSeen: false, memSeen: false };
  readContainer(container, 0, w, cl, sum, diagnostics);
  if (sum.cpuSeen) w.resources.cpu = { value: sum.cpu, source: sum.cpuSrc, ...(sum.cpuCap ? { cap: true } : {}) };
  if (sum.memSeen) w.resources.memoryMiB = { value: sum.mem, source: sum.memSrc, ...(sum.memCap ? { cap: true } : {}) };
  return w;
}

/**
 * A release of bjw-s's `app-template` chart (the common chart of GitOps home-lab and small-team
 * repositories): each enabled controller in `values.controllers` is a workload, its main container
 * (`app`, `main` or the first) giving the image, resources, environment and probes, its `replicas`,
 * its type (a `cronjob` with its schedule is scheduled work), and the ports of the services that
 * select it. One controller is named by the release; several by release and controller.
 */
function readAppTemplate(d: YamlDoc, name: string, namespace: string, src: SourceRef, r: HelmReleaseRef, diagnostics: ParseResult['diagnostics']): PartialWorkload[] {
  const controllers = Object.entries(obj(r.values.controllers)).filter(([, c]) => isObj(c) && c.enabled !== false);
  const release = r.releaseName ?? name;
  return controllers.map(([ctrl, c]) => {
    const co = obj(c);
    const type = str(co.type) ?? 'deployment';
    const cname = Object.keys(obj(co.containers)).find((k) => k === 'app' || k === 'main') ?? Object.keys(obj(co.containers))[0];
    const cv = obj(obj(co.containers)[cname]);
    const at2 = (...p: PathSeg[]): SourceRef => at(d, [...r.valuesPath, 'controllers', ctrl, ...p]);
    const wname = controllers.length === 1 || ctrl === 'main' || ctrl === release ? release : `${release}-${ctrl}`;
    const w = newWorkload(wname, type === 'cronjob' ? 'scheduled-job' : type === 'daemonset' ? 'daemon' : 'service', src, 'kubernetes');
    trait(w, 'runtime', 'container', src);
    trait(w, 'k8s.kind', type === 'statefulset' ? 'StatefulSet' : type === 'cronjob' ? 'CronJob' : type === 'daemonset' ? 'DaemonSet' : 'Deployment', at(d, ['kind']));
    trait(w, 'k8s.namespace', r.targetNamespace ?? namespace, src);
    trait(w, 'helm.release-chart', r.chart, at(d, r.chartPath));
    const schedule = str(obj(co.cronjob).schedule);
    if (schedule) trait(w, 'schedule', schedule, at2('cronjob', 'schedule'));
    const replicas = num(co.replicas);
    w.resources.replicas = { value: replicas ?? 1, source: replicas === undefined ? undefined : at2('replicas') };
    const envKeys = Object.keys(obj(cv.env));
    const ports = appTemplatePorts(r.values, ctrl, controllers.length);
    const container: Obj = { image: releaseImage(cv.image), resources: cv.resources, env: envKeys.map((k) => ({ name: k, value: isObj(obj(cv.env)[k]) ? undefined : obj(cv.env)[k] })), ports: ports.map((p) => ({ containerPort: p })), livenessProbe: obj(cv.probes).liveness ?? obj(cv.probes).readiness };
    const cl = (...p: PathSeg[]): SourceRef => (p[0] === 'env' && typeof p[1] === 'number' ? at2('containers', cname, 'env', envKeys[p[1]]) : p[0] === 'ports' ? at(d, [...r.valuesPath, 'service']) : p[0] === 'livenessProbe' ? at2('containers', cname, 'probes') : at2('containers', cname, ...p));
    const sum: PodTotals = { cpu: 0, mem: 0, cpuSeen: false, memSeen: false };
    readContainer(container, 0, w, cl, sum, diagnostics);
    if (sum.cpuSeen) w.resources.cpu = { value: sum.cpu, source: sum.cpuSrc, ...(sum.cpuCap ? { cap: true } : {}) };
    if (sum.memSeen) w.resources.memoryMiB = { value: sum.mem, source: sum.memSrc, ...(sum.memCap ? { cap: true } : {}) };
    return w;
  });
}

/** The ports of app-template's `service` entries for a controller (an entry names it with `controller`, or there is one controller). */
function appTemplatePorts(values: Obj, ctrl: string, controllers: number): number[] {
  const out: number[] = [];
  for (const svc of Object.values(obj(values.service))) {
    const s = obj(svc);
    if (s.enabled === false || (str(s.controller) !== undefined ? str(s.controller) !== ctrl : controllers > 1)) continue;
    for (const p of Object.values(obj(s.ports))) {
      const port = num(obj(p).targetPort) ?? num(obj(p).port);
      if (port !== undefined && !out.includes(port)) out.push(port);
    }
  }
  return out;
}

/** The image a release's values set: `image: repo:tag`, or `image: { repository, tag }`. */
function releaseImage(image: unknown): string | undefined {
  if (typeof image === 'string') return image || undefined;
  const repository = str(obj(image).repository);
  if (!repository) return undefined;
  const tag = str(obj(image).tag) ?? (num(obj(image).tag) !== undefined ? String(num(obj(image).tag)) : undefined);
  return tag ? `${repository}:${tag}` : repository;
}

/** A pod's requests, summed over its containers. */
interface PodTotals {
  cpu: number;
  mem: number;
  cpuSeen: boolean;
  memSeen: boolean;
  cpuSrc?: SourceRef;
  memSrc?: SourceRef;
  /** Whether every container's figure is a limit (no request): the pod's most, not its ask. */
  cpuCap?: boolean;
  memCap?: boolean;
}

/** What ties a pod to its node: host namespaces, node selectors, host paths and claims. */
function readPodHost(pod: Obj, w: PartialWorkload, loc: (...p: PathSeg[]) => SourceRef): void {
  if (pod.hostNetwork === true) trait(w, 'host.network', true, loc('hostNetwork'));
  if (pod.hostPID === true) trait(w, 'host.pid', true, loc('hostPID'));
  if (pod.hostIPC === true) trait(w, 'host.ipc', true, loc('hostIPC'));
  const nodeSelector = strMap(pod.nodeSelector);
  for (const [k, v] of Object.entries(nodeSelector)) {
    trait(w, 'k8s.node-selector', `${k}=${v}`, loc('nodeSelector', k));
    if (/kubernetes\.io\/os$/.test(k) && v === 'windows') trait(w, 'windows', `${k}=${v}`, loc('nodeSelector', k));
    if (/gpu|accelerator/i.test(k)) trait(w, 'gpu.node-selector', `${k}=${v}`, loc('nodeSelector', k));
  }
  arr(pod.volumes).forEach((v, i) => {
    const vol = obj(v);
    const vsrc = loc('volumes', i);
    if (isObj(vol.hostPath)) {
      const p = str(vol.hostPath.path) ?? '';
      trait(w, /docker\.sock$|containerd\.sock$/.test(p) ? 'docker-socket' : 'host.path', p, vsrc);
    }
    if (isObj(vol.persistentVolumeClaim)) {
      const claim = str(vol.persistentVolumeClaim.claimName);
      if (claim) trait(w, 'k8s.pvc-ref', claim, vsrc);
    }
  });
}

/**
 * A DeploymentConfig's image, when its container leaves it blank: the image stream tag its
 * image-change trigger deploys (`mongodb:3.6` from the `openshift` namespace's catalog, or the tag
 * the template's own BuildConfig pushes).
 */
function imageFromTrigger(d: YamlDoc, spec: Obj, w: PartialWorkload): void {
  arr(spec.triggers).forEach((t, i) => {
    const from = obj(obj(obj(t).imageChangeParams).from);
    const name = str(from.name)?.trim();
    if (w.image || !name || (str(from.kind) ?? 'ImageStreamTag') !== 'ImageStreamTag') return;
    w.image = name;
    trait(w, 'image', name, at(d, ['spec', 'triggers', i, 'imageChangeParams', 'from', 'name']));
    const ns = str(from.namespace);
    if (ns) trait(w, 'openshift.image-stream', `${ns}/${name}`, at(d, ['spec', 'triggers', i, 'imageChangeParams', 'from', 'namespace']));
  });
}

/** One container: image, command, requests, GPUs, ports, privileges, probes and environment. */
function readContainer(co: Obj, i: number, w: PartialWorkload, cl: (...p: PathSeg[]) => SourceRef, sum: PodTotals, diagnostics: ParseResult['diagnostics']): void {
  // OpenShift templates leave the image blank (`image: ' '`) for an image-change trigger to fill.
  const image = str(co.image)?.trim() || undefined;
  if (image) {
    if (!w.image) w.image = image;
    trait(w, 'image', image, cl('image'));
  }
  if (i > 0) trait(w, 'k8s.sidecar', str(co.name) ?? `container-${i}`, cl());
  const command = [...arr(co.command), ...arr(co.args)].map(String).join(' ');
  if (command) trait(w, 'command', command, cl(co.command !== undefined ? 'command' : 'args'));
  const resources = obj(co.resources);
  const requests = obj(resources.requests);
  const limits = obj(resources.limits);
  const rc = parseCpu(requests.cpu ?? limits.cpu);
  if (rc !== undefined) {
    sum.cpu += rc;
    sum.cpuSeen = true;
    sum.cpuSrc ??= cl('resources', requests.cpu !== undefined ? 'requests' : 'limits', 'cpu');
    sum.cpuCap = (sum.cpuCap ?? true) && requests.cpu === undefined;
  } else if (requests.cpu !== undefined || limits.cpu !== undefined) {
    diag(diagnostics, cl('resources'), 'warning', 'k8s-quantity', `CPU quantity ${String(requests.cpu ?? limits.cpu)} could not be read.`);
  }
  const rm = parseMemoryMiB(requests.memory ?? limits.memory);
  if (rm !== undefined) {
    sum.mem += rm;
    sum.memSeen = true;
    sum.memSrc ??= cl('resources', requests.memory !== undefined ? 'requests' : 'limits', 'memory');
    sum.memCap = (sum.memCap ?? true) && requests.memory === undefined;
  } else if (requests.memory !== undefined || limits.memory !== undefined) {
    diag(diagnostics, cl('resources'), 'warning', 'k8s-quantity', `Memory quantity ${String(requests.memory ?? limits.memory)} could not be read.`);
  }
  for (const [k, v] of Object.entries({ ...requests, ...limits })) {
    if (GPU_RESOURCE.test(k)) {
      const n = num(v) ?? 1;
      w.resources.gpus = { value: n, source: cl('resources') };
      trait(w, 'gpu', n, cl('resources'));
    }
  }
  arr(co.ports).forEach((p, j) => {
    const n = num(obj(p).containerPort);
    if (n !== undefined) {
      w.ports.push(n);
      trait(w, 'port', n, cl('ports', j));
      if (str(obj(p).protocol)?.toUpperCase() === 'UDP') trait(w, 'port.udp', n, cl('ports', j));
    }
  });
  const sc = obj(co.securityContext);
  if (sc.privileged === true) trait(w, 'privileged', true, cl('securityContext', 'privileged'));
  arr(obj(sc.capabilities).add).forEach((cap, j) => {
    const c2 = String(cap).toUpperCase().replace(/^CAP_/, '');
    trait(w, c2 === 'SYS_PTRACE' || c2 === 'NET_BIND_SERVICE' ? 'capability.benign' : 'capability', c2, cl('securityContext', 'capabilities', 'add', j));
  });
  if (co.readinessProbe || co.livenessProbe || co.startupProbe) trait(w, 'healthcheck', true, cl(co.readinessProbe ? 'readinessProbe' : co.livenessProbe ? 'livenessProbe' : 'startupProbe'));
  arr(co.env).forEach((e, j) => {
    const eo = obj(e);
    const n = str(eo.name);
    if (n) inspectEnv(w, n, str(eo.value), cl('env', j));
  });
  // ConfigMaps loaded whole; their values are read when the model links them (never a Secret's).
  arr(co.envFrom).forEach((e, j) => {
    const ref = str(obj(obj(e).configMapRef).name);
    if (ref) trait(w, 'k8s.envfrom', ref, cl('envFrom', j));
  });
}
