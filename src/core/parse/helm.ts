import type { PartialWorkload, SourceRef } from '../types';
import { parseCpu, parseMemoryMiB } from '../units';
import { arr, at, num, obj, parseYaml, str, type Obj, type PathSeg, type YamlDoc } from './yaml';
import { diag, newWorkload, posixDirname, posixJoin, trait, type ParseContext, type ParseResult } from './common';
import { pushAll, table } from '../collections';
import { unreadableQuantity } from './bounds';
import { readChartTemplates } from './helm-templates';

/** Bitnami-style subcharts and the image family each one runs. */
const SUBCHARTS: Record<string, string> = table({
  postgresql: 'bitnami/postgresql',
  'postgresql-ha': 'bitnami/postgresql',
  mysql: 'bitnami/mysql',
  mariadb: 'bitnami/mariadb',
  mongodb: 'bitnami/mongodb',
  redis: 'bitnami/redis',
  'redis-cluster': 'bitnami/redis',
  memcached: 'bitnami/memcached',
  rabbitmq: 'bitnami/rabbitmq',
  kafka: 'bitnami/kafka',
  elasticsearch: 'bitnami/elasticsearch',
  opensearch: 'opensearchproject/opensearch',
  cassandra: 'bitnami/cassandra',
  minio: 'bitnami/minio',
});

/**
 * A Helm chart, read from Chart.yaml and values.yaml without rendering templates: the main
 * workload from the usual `image`/`replicaCount`/`resources`/`autoscaling`/`persistence` values,
 * plus one workload per enabled datastore subchart.
 */
export function parseHelm(text: string, file: string, ctx: ParseContext): ParseResult {
  const { docs, diagnostics } = parseYaml(text, file);
  const workloads: PartialWorkload[] = [];
  const chart = docs[0];
  if (!chart) return { workloads, diagnostics };
  const c = obj(chart.js);
  const chartName = str(c.name);
  if (!chartName) {
    diag(diagnostics, at(chart, []), 'error', 'helm-chart', 'Chart.yaml has no name.');
    return { workloads, diagnostics };
  }
  // A library chart only defines helpers other charts include: it deploys nothing of its own.
  if (str(c.type)?.toLowerCase() === 'library') return { workloads, diagnostics, notDescriptor: `the library chart ${chartName} (helpers other charts include; it deploys nothing)` };
  const dir = posixDirname(file);
  const valuesRel = posixJoin(dir, 'values.yaml');
  const vd = readValues(valuesRel, ctx, diagnostics);
  const prod = productionValues(dir, ctx, diagnostics);
  const values = prod ? mergeValues(obj(vd?.js), obj(prod.js)) : obj(vd?.js);
  // A figure the production values set is cited there; any other from values.yaml.
  const vloc = (...p: PathSeg[]) => (prod && hasPath(prod.js, p) ? at(prod, p) : vd ? at(vd, p) : { file: valuesRel, line: 1 });

  // What the templates render to with these values, when they can be read; else the usual values.
  const rendered = ctx.templates?.length ? readChartTemplates(ctx.templates, { values, chartName, appVersion: scalar(c.appVersion), chartVersion: scalar(c.version) }, ctx) : undefined;
  const own = chartWorkloads(rendered?.workloads ?? [], () => valuesWorkload(chart, c, chartName, values, vloc, diagnostics), chartName);
  for (const w of own) {
    if (w.descriptor === 'helm' && !w.traits.some((t) => t.name === 'helm.chart')) trait(w, 'helm.chart', chartName, at(chart, ['name']));
    workloads.push(w);
  }
  const fromTemplates = rendered !== undefined && own.some((w) => w.traits.some((t) => t.name === 'k8s.kind'));
  if (fromTemplates) pushAll(diagnostics, rendered.diagnostics);

  // Dependencies declared in Chart.yaml, enabled by their condition or by `<name>.enabled` in values.
  const deps = dependenciesDoc(chart, dir, ctx, diagnostics);
  arr(obj(deps.js).dependencies).forEach((dep, i) => {
    const dw = readSubchart(obj(dep), i, deps, chartName, values, vloc);
    if (!dw) return;
    for (const w of own) w.dependsOn.push({ value: dw.name, source: dw.source });
    workloads.push(dw);
  });
  return { workloads, diagnostics, ...(fromTemplates ? { aux: rendered.aux } : {}) };
}

/**
 * The chart's own workloads: those its templates render with an image. One whose pod comes from a
 * helper (grafana's `include "grafana.pod"`) renders with no container, and the chart's own one is
 * then read from its values; with no template to read, the values are all there is.
 */
function chartWorkloads(rendered: PartialWorkload[], fromValues: () => PartialWorkload, chartName: string): PartialWorkload[] {
  const out = rendered.filter((w) => w.image);
  if (out.length === 0 || rendered.some((w) => !w.image && w.name === chartName)) out.unshift(fromValues());
  return out;
}

/** Where a chart lists its dependencies: Chart.yaml, or a Helm 2 chart's `requirements.yaml` beside it. */
function dependenciesDoc(chart: YamlDoc, dir: string, ctx: ParseContext, diagnostics: ParseResult['diagnostics']): YamlDoc {
  if (Array.isArray(obj(chart.js).dependencies)) return chart;
  const req = readValues(posixJoin(dir, 'requirements.yaml'), ctx, diagnostics) ?? readValues(posixJoin(dir, 'requirements.yml'), ctx, diagnostics);
  return req && Array.isArray(obj(req.js).dependencies) ? req : chart;
}

/** A chart's version or appVersion, which YAML may read as a number (`appVersion: 1.16`). */
function scalar(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** The chart's own workload from its values alone (no templates, or none that could be read). */
function valuesWorkload(chart: YamlDoc, c: Obj, chartName: string, values: Obj, vloc: ValuesAt, diagnostics: ParseResult['diagnostics']): PartialWorkload {
  const w = newWorkload(chartName, 'service', at(chart, ['name']), 'helm');
  trait(w, 'runtime', 'container', w.source);
  trait(w, 'helm.chart', chartName, w.source);
  readChartValues(w, c, values, vloc, diagnostics);
  if (w.ports.length === 0) w.kind = 'worker';
  return w;
}

type ValuesAt = (...p: PathSeg[]) => SourceRef;

/** Production values files beside values.yaml, as `helm install -f values-prod.yaml` would layer them. */
const PRODUCTION_VALUES = ['values-production.yaml', 'values-prod.yaml', 'values.production.yaml', 'values.prod.yaml', 'production-values.yaml', 'prod-values.yaml', 'values-production.yml', 'values-prod.yml'];

function readValues(rel: string, ctx: ParseContext, diagnostics: ParseResult['diagnostics']): YamlDoc | undefined {
  const text = ctx.readFile(rel);
  if (text === undefined) return undefined;
  const parsed = parseYaml(text, rel);
  pushAll(diagnostics, parsed.diagnostics);
  return parsed.docs[0];
}

/** The chart's production values file, when it has one: its figures size the chart's workloads. */
function productionValues(dir: string, ctx: ParseContext, diagnostics: ParseResult['diagnostics']): YamlDoc | undefined {
  for (const name of PRODUCTION_VALUES) {
    const doc = readValues(posixJoin(dir, name), ctx, diagnostics);
    if (doc) return doc;
  }
  return undefined;
}

/**
 * Helm's layering of values: maps merge key by key, anything else in the later file replaces.
 * Recursion is bounded: the YAML reader refuses documents nested deeper than MAX_DEPTH.
 */
function mergeValues(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (k === '__proto__') continue;
    const b = out[k];
    out[k] = b && v && typeof b === 'object' && typeof v === 'object' && !Array.isArray(b) && !Array.isArray(v) ? mergeValues(b as Obj, v as Obj) : v;
  }
  return out;
}

function hasPath(root: unknown, p: readonly PathSeg[]): boolean {
  let cur = root;
  for (const seg of p) {
    if (!cur || typeof cur !== 'object' || !(String(seg) in (cur as Obj))) return false;
    cur = (cur as Obj)[String(seg)];
  }
  return true;
}

/** The chart's own workload from values.yaml: image, replicas, requests, autoscaling, persistence, service. */
function readChartValues(w: PartialWorkload, c: Obj, values: Obj, vloc: ValuesAt, diagnostics: ParseResult['diagnostics']): void {
  const image = obj(values.image);
  const repo = str(image.repository);
  if (repo) {
    const tag = str(image.tag) || scalar(image.tag) || scalar(c.appVersion); // an empty tag is `default .Chart.AppVersion`
    const registry = str(image.registry);
    w.image = `${registry ? registry + '/' : ''}${repo}${tag ? ':' + tag : ''}`;
    trait(w, 'image', w.image, vloc('image', 'repository'));
  }
  const replicas = num(values.replicaCount);
  if (replicas === undefined && values.replicaCount !== undefined && values.replicaCount !== null) diagnostics.push(unreadableQuantity('Replicas', values.replicaCount, vloc('replicaCount'), w.name));
  if (replicas !== undefined) w.resources.replicas = { value: replicas, source: vloc('replicaCount') };
  const res = obj(values.resources);
  const req = obj(res.requests);
  const lim = obj(res.limits);
  const cpu = parseCpu(req.cpu ?? lim.cpu);
  if (cpu !== undefined) w.resources.cpu = { value: cpu, source: vloc('resources', req.cpu !== undefined ? 'requests' : 'limits', 'cpu'), ...(req.cpu === undefined ? { cap: true } : {}) };
  const mem = parseMemoryMiB(req.memory ?? lim.memory);
  if (mem !== undefined) w.resources.memoryMiB = { value: mem, source: vloc('resources', req.memory !== undefined ? 'requests' : 'limits', 'memory'), ...(req.memory === undefined ? { cap: true } : {}) };
  const as = obj(values.autoscaling);
  if (as.enabled === true) {
    const min = num(as.minReplicas);
    const max = num(as.maxReplicas);
    if (min !== undefined) w.resources.minReplicas = { value: min, source: vloc('autoscaling', 'minReplicas') };
    if (max !== undefined) w.resources.maxReplicas = { value: max, source: vloc('autoscaling', 'maxReplicas') };
    trait(w, 'autoscaling', true, vloc('autoscaling'));
  }
  const persistence = obj(values.persistence);
  if (persistence.enabled === true) {
    const modes = arr(persistence.accessModes).map(String);
    trait(w, modes.includes('ReadWriteMany') ? 'volume.shared' : 'volume.rwo', 'persistence', vloc('persistence', 'enabled'));
    const size = parseMemoryMiB(str(persistence.size));
    if (size !== undefined) w.resources.storageGiB = { value: size / 1024, source: vloc('persistence', 'size') };
  }
  const svc = obj(values.service);
  const port = num(svc.port) ?? num(svc.targetPort);
  if (port !== undefined) {
    w.ports.push(port);
    trait(w, 'port', port, vloc('service', 'port'));
  }
  if (obj(values.ingress).enabled === true) trait(w, 'ingress', true, vloc('ingress', 'enabled'));
  const sc = obj(values.securityContext);
  if (sc.privileged === true) trait(w, 'privileged', true, vloc('securityContext', 'privileged'));
  if (values.hostNetwork === true) trait(w, 'host.network', true, vloc('hostNetwork'));
}

/** A dependency chart, when enabled: a datastore for the well-known ones, sized from its values. */
function readSubchart(depo: Obj, i: number, chart: YamlDoc, chartName: string, values: Obj, vloc: ValuesAt): PartialWorkload | undefined {
  const name = str(depo.name);
  if (!name) return undefined;
  const alias = str(depo.alias) ?? name;
  const sub = obj(values[alias]);
  const condition = str(depo.condition);
  let enabled = true;
  let enabledSrc = at(chart, ['dependencies', i]);
  if (condition) {
    const path = condition.split(',')[0].trim().split('.');
    let v: unknown = values;
    for (const p of path) v = obj(v)[p];
    if (v === false) enabled = false;
    if (v !== undefined) enabledSrc = vloc(...path);
  } else if (sub.enabled === false) enabled = false;
  if (!enabled) return undefined;
  const family = SUBCHARTS[name];
  const dw = newWorkload(family ? `${chartName}-${alias}` : alias, family ? 'datastore' : 'service', enabledSrc, 'helm');
  trait(dw, 'runtime', 'container', dw.source);
  trait(dw, 'helm.subchart', name, at(chart, ['dependencies', i]));
  // The values may run another image than the chart's own (zulip runs zulip/zulip-postgresql): that is
  // the image, and what links the subchart to the same service in a compose file; the chart's family
  // still tells its role.
  const subImage = obj(sub.image);
  const repo = str(subImage.repository);
  const tag = subImage.tag === undefined || subImage.tag === null ? undefined : String(subImage.tag);
  const image = repo ? `${str(subImage.registry) ? `${str(subImage.registry)}/` : ''}${repo}${tag ? `:${tag}` : ''}` : family;
  if (image) {
    dw.image = image;
    trait(dw, 'image', image, repo ? vloc(alias, 'image', 'repository') : at(chart, ['dependencies', i]));
  }
  if (family && image !== family) trait(dw, 'helm.subchart-image', family, at(chart, ['dependencies', i]));
  const subPersist = obj(obj(sub.primary).persistence);
  const size = parseMemoryMiB(str(subPersist.size) ?? str(obj(sub.persistence).size));
  if (size !== undefined) dw.resources.storageGiB = { value: size / 1024, source: vloc(alias) };
  const subRes = obj(obj(obj(sub.primary).resources).requests);
  const scpu = parseCpu(subRes.cpu);
  const smem = parseMemoryMiB(subRes.memory);
  if (scpu !== undefined) dw.resources.cpu = { value: scpu, source: vloc(alias, 'primary', 'resources') };
  if (smem !== undefined) dw.resources.memoryMiB = { value: smem, source: vloc(alias, 'primary', 'resources') };
  return dw;
}
