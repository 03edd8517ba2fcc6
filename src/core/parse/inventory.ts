import type { PartialWorkload, WorkloadKind } from '../types';
import { validateDoc } from './schemas';
import { arr, at, num, obj, parseYaml, str } from './yaml';
import { newWorkload, trait, type ParseResult } from './common';
import { pushAll, table } from '../collections';

const KINDS: Record<string, WorkloadKind> = table({
  service: 'service',
  batch: 'batch',
  database: 'datastore',
  vm: 'vm',
  'data-platform': 'data-platform',
  storage: 'storage',
  function: 'function',
});

/** Database engines as they are named in inventories, to the image family rules know. */
const ENGINE_IMAGE: Record<string, string> = table({
  postgresql: 'postgres',
  postgres: 'postgres',
  mysql: 'mysql',
  mariadb: 'mariadb',
  sqlserver: 'mssql',
  mssql: 'mssql',
  mongodb: 'mongo',
});

export function parseInventory(text: string, file: string): ParseResult {
  const { docs, diagnostics } = parseYaml(text, file);
  const workloads: PartialWorkload[] = [];
  const d = docs[0];
  if (!d) return { workloads, diagnostics };
  const errors = validateDoc('inventory', d);
  pushAll(diagnostics, errors);
  // Entries with errors are still read where they can be: a typo in one key must not drop a workload.
  arr(obj(d.js).workloads).forEach((raw, i) => {
    const e = obj(raw);
    const name = str(e.name);
    const kind = KINDS[str(e.kind) ?? ''];
    const base = ['workloads', i];
    if (!name || !kind) return; // reported by the schema
    const src = at(d, [...base, 'name']);
    const w = newWorkload(name, kind, src, 'inventory');
    trait(w, 'inventory.kind', str(e.kind) as string, at(d, [...base, 'kind']));
    trait(w, 'runtime', 'inventory', src);
    for (const key of ['platform', 'language', 'database', 'engineVersion'] as const) {
      const v = str(e[key]);
      if (v) trait(w, `inventory.${key}`, v.toLowerCase(), at(d, [...base, key]));
    }
    const db = str(e.database)?.toLowerCase();
    if (db && ENGINE_IMAGE[db]) {
      w.image = ENGINE_IMAGE[db];
      trait(w, 'image', w.image, at(d, [...base, 'database']));
    }
    const set = (key: string, f: (n: number) => void) => {
      const n = num(e[key]);
      if (n !== undefined) f(n);
    };
    set('vcpu', (n) => (w.resources.cpu = { value: n, source: at(d, [...base, 'vcpu']) }));
    set('memoryGb', (n) => (w.resources.memoryMiB = { value: n * 1024, source: at(d, [...base, 'memoryGb']) }));
    set('storageGb', (n) => (w.resources.storageGiB = { value: n, source: at(d, [...base, 'storageGb']) }));
    set('instances', (n) => (w.resources.replicas = { value: n, source: at(d, [...base, 'instances']) }));
    set('utilisation', (n) => (w.resources.utilisation = { value: n, source: at(d, [...base, 'utilisation']) }));
    set('onPremMonthlyUsd', (n) => (w.resources.onPremMonthlyUsd = { value: n, source: at(d, [...base, 'onPremMonthlyUsd']) }));
    const sched = str(e.schedule);
    if (sched) trait(w, 'schedule', sched, at(d, [...base, 'schedule']));
    arr(e.ports).forEach((p) => typeof p === 'number' && w.ports.push(p));
    arr(e.dependsOn).forEach((dep, j) => str(dep) && w.dependsOn.push({ value: str(dep) as string, source: at(d, [...base, 'dependsOn', j]) }));
    workloads.push(w);
  });
  return { workloads, diagnostics };
}
