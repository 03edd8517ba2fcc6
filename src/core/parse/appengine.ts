import type { Diagnostic, PartialWorkload } from '../types';
import { arr, at, isObj, num, obj, parseYaml, str } from './yaml';
import { diag, inspectEnv, newWorkload, posixDirname, trait, type ParseContext, type ParseResult } from './common';
import { unreadableQuantity } from './bounds';
import { table } from '../collections';

/** App Engine standard instance classes: memory (MiB) and CPU (GHz → vCPU share as sized here). */
export const INSTANCE_CLASSES: Record<string, { memoryMiB: number; cpu: number }> = table({
  F1: { memoryMiB: 384, cpu: 0.25 },
  F2: { memoryMiB: 768, cpu: 0.5 },
  F4: { memoryMiB: 1536, cpu: 1 },
  F4_1G: { memoryMiB: 3072, cpu: 1 },
  B1: { memoryMiB: 384, cpu: 0.25 },
  B2: { memoryMiB: 768, cpu: 0.5 },
  B4: { memoryMiB: 1536, cpu: 1 },
  B4_1G: { memoryMiB: 3072, cpu: 1 },
  B8: { memoryMiB: 3072, cpu: 2 },
});

/** App Engine's runtime names, first and second generation, standard and flexible (`custom` for a Dockerfile). */
const APPENGINE_RUNTIME = /^(python(2[57]|3[0-9]*)?|nodejs[0-9]*|go(1[0-9]*|[0-9]{3})?|java[0-9]*|php[0-9]*|ruby[0-9]*|dotnet[0-9]*|aspnetcore|custom)$/;

const APPENGINE_KEYS = ['handlers', 'env', 'instance_class', 'automatic_scaling', 'manual_scaling', 'basic_scaling', 'entrypoint', 'service', 'runtime_config', 'env_variables'];

export function parseAppEngine(text: string, file: string, ctx?: ParseContext): ParseResult {
  const { docs, diagnostics } = parseYaml(text, file);
  const workloads: PartialWorkload[] = [];
  const d = docs[0];
  if (!d || !isObj(d.js)) return { workloads, diagnostics };
  const a = d.js;
  const runtime = typeof a.runtime === 'string' ? a.runtime : undefined;
  // Another tool's app.yaml, unless its runtime is one of App Engine's (`runtime: python312` alone deploys).
  if (!APPENGINE_KEYS.some((k) => k in a) && !(runtime && APPENGINE_RUNTIME.test(runtime))) return { workloads: [], diagnostics: [] };
  if (!runtime) {
    // App Engine's own keys with a runtime that is not a name: an App Engine file that cannot deploy.
    if (a.runtime !== undefined) diag(diagnostics, at(d, ['runtime']), 'warning', 'appengine-runtime', `runtime ${JSON.stringify(a.runtime)} is not a runtime name (python312, nodejs20, custom…); this App Engine service was skipped.`);
    return { workloads: [], diagnostics };
  }
  const name = str(a.service) ?? str(a.module) ?? 'default';
  const src = at(d, a.service ? ['service'] : ['runtime']);
  const w = newWorkload(name, 'service', src, 'appengine');
  trait(w, 'runtime', 'container', src);
  trait(w, 'appengine.runtime', runtime, at(d, ['runtime']));
  const env = str(a.env) === 'flex' || str(a.env) === 'flexible' ? 'flex' : 'standard';
  trait(w, 'appengine.env', env, a.env ? at(d, ['env']) : src);
  w.ports.push(8080);
  const ic = str(a.instance_class)?.toUpperCase();
  if (a.instance_class !== undefined && !(ic && INSTANCE_CLASSES[ic])) {
    diag(diagnostics, at(d, ['instance_class']), 'warning', 'appengine-instance-class', `instance_class ${JSON.stringify(a.instance_class)} is not an App Engine instance class (${Object.keys(INSTANCE_CLASSES).join(', ')}); the default size was used.`);
  }
  if (ic && INSTANCE_CLASSES[ic]) {
    // An instance class is the instance: sized as it is.
    w.resources.cpu = { value: INSTANCE_CLASSES[ic].cpu, source: at(d, ['instance_class']), cap: true };
    w.resources.memoryMiB = { value: INSTANCE_CLASSES[ic].memoryMiB, source: at(d, ['instance_class']), cap: true };
  }
  const res = obj(a.resources);
  if (num(res.cpu) !== undefined) w.resources.cpu = { value: num(res.cpu) as number, source: at(d, ['resources', 'cpu']), cap: true };
  if (num(res.memory_gb) !== undefined) w.resources.memoryMiB = { value: (num(res.memory_gb) as number) * 1024, source: at(d, ['resources', 'memory_gb']), cap: true };
  const auto = obj(a.automatic_scaling);
  for (const k of ['min_instances', 'min_num_instances', 'max_instances', 'max_num_instances']) {
    if (auto[k] !== undefined && num(auto[k]) === undefined) diagnostics.push(unreadableQuantity(k, auto[k], at(d, ['automatic_scaling', k]), name));
  }
  const min = num(auto.min_instances) ?? num(auto.min_num_instances);
  const max = num(auto.max_instances) ?? num(auto.max_num_instances);
  if (min !== undefined) w.resources.minReplicas = { value: min, source: at(d, ['automatic_scaling', auto.min_instances !== undefined ? 'min_instances' : 'min_num_instances']) };
  if (max !== undefined) w.resources.maxReplicas = { value: max, source: at(d, ['automatic_scaling', auto.max_instances !== undefined ? 'max_instances' : 'max_num_instances']) };
  const manual = num(obj(a.manual_scaling).instances);
  if (manual !== undefined) w.resources.replicas = { value: manual, source: at(d, ['manual_scaling', 'instances']) };
  arr(a.handlers).forEach((h, i) => {
    const ho = obj(h);
    if (ho.static_dir || ho.static_files) trait(w, 'static-assets', str(ho.static_dir) ?? str(ho.static_files) ?? '', at(d, ['handlers', i]));
  });
  for (const [k, v] of Object.entries(obj(a.env_variables))) inspectEnv(w, k, str(v), at(d, ['env_variables', k]));
  if (ctx) readCompanions(w, name, file, ctx, diagnostics);
  workloads.push(w);
  return { workloads, diagnostics };
}

/**
 * The files App Engine deploys beside a service's app.yaml: `cron.yaml` (scheduled calls of a
 * service's URLs), `queue.yaml` (push task queues) and `index.yaml` (Datastore's composite
 * indexes: the app keeps its data in Datastore). Each becomes evidence on the service it concerns;
 * a cron job or queue names its service with `target` (default: `default`).
 */
function readCompanions(w: PartialWorkload, service: string, file: string, ctx: ParseContext, diagnostics: Diagnostic[]): void {
  const dir = posixDirname(file);
  const companion = (base: string, key: string) => {
    const rel = dir ? `${dir}/${base}` : base;
    const text = ctx.readFile(rel);
    if (text === undefined) return undefined;
    const parsed = parseYaml(text, rel);
    for (const x of parsed.diagnostics) diagnostics.push(x);
    const doc = parsed.docs[0];
    return doc && isObj(doc.js) && Array.isArray(doc.js[key]) ? { doc, items: doc.js[key] as unknown[] } : undefined;
  };
  const targets = (item: unknown) => (str(obj(item).target) ?? 'default') === service;
  const cron = companion('cron.yaml', 'cron');
  cron?.items.forEach((job, i) => {
    const j = obj(job);
    if (targets(job) && str(j.url)) trait(w, 'appengine.cron', `${str(j.url)} ${str(j.schedule) ?? ''}`.trim(), at(cron.doc, ['cron', i]));
  });
  const queues = companion('queue.yaml', 'queue');
  queues?.items.forEach((q, i) => {
    const o = obj(q);
    if (str(o.name) && str(o.mode) !== 'pull' && targets(q)) trait(w, 'appengine.queue', str(o.name) as string, at(queues.doc, ['queue', i]));
  });
  const indexes = companion('index.yaml', 'indexes');
  if (indexes && indexes.items.length > 0) trait(w, 'appengine.datastore', `${indexes.items.length} composite index${indexes.items.length === 1 ? '' : 'es'}`, at(indexes.doc, ['indexes']));
}
