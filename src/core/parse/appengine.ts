import type { PartialWorkload } from '../types';
import { arr, at, isObj, num, obj, parseYaml, str } from './yaml';
import { diag, inspectEnv, newWorkload, trait, type ParseResult } from './common';
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

const APPENGINE_KEYS = ['handlers', 'env', 'instance_class', 'automatic_scaling', 'manual_scaling', 'basic_scaling', 'entrypoint', 'service', 'runtime_config', 'env_variables'];

export function parseAppEngine(text: string, file: string): ParseResult {
  const { docs, diagnostics } = parseYaml(text, file);
  const workloads: PartialWorkload[] = [];
  const d = docs[0];
  if (!d || !isObj(d.js)) return { workloads, diagnostics };
  const a = d.js;
  const runtime = typeof a.runtime === 'string' ? a.runtime : undefined;
  if (!APPENGINE_KEYS.some((k) => k in a)) return { workloads: [], diagnostics: [] }; // another app.yaml
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
  if (ic && INSTANCE_CLASSES[ic]) {
    // An instance class is the instance: sized as it is.
    w.resources.cpu = { value: INSTANCE_CLASSES[ic].cpu, source: at(d, ['instance_class']), cap: true };
    w.resources.memoryMiB = { value: INSTANCE_CLASSES[ic].memoryMiB, source: at(d, ['instance_class']), cap: true };
  }
  const res = obj(a.resources);
  if (num(res.cpu) !== undefined) w.resources.cpu = { value: num(res.cpu) as number, source: at(d, ['resources', 'cpu']), cap: true };
  if (num(res.memory_gb) !== undefined) w.resources.memoryMiB = { value: (num(res.memory_gb) as number) * 1024, source: at(d, ['resources', 'memory_gb']), cap: true };
  const auto = obj(a.automatic_scaling);
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
  workloads.push(w);
  return { workloads, diagnostics };
}
