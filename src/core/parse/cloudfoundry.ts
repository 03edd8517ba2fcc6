import type { PartialWorkload } from '../types';
import { parseMemoryMiB } from '../units';
import { arr, at, isObj, num, obj, parseYaml, str } from './yaml';
import { diag, inspectEnv, newWorkload, trait, type ParseResult } from './common';
import { pushAll } from '../collections';

/** Bound service names that say what they are. Unknown ones stay unknown, with a note. */
const SERVICE_NAME_IMAGES: [RegExp, string][] = [
  [/postgres|pgsql|\bpg\b|elephantsql/i, 'postgres'],
  [/mysql|mariadb|cleardb/i, 'mysql'],
  [/redis/i, 'redis'],
  [/rabbit|amqp/i, 'rabbitmq'],
  [/mongo/i, 'mongo'],
  [/elastic|opensearch/i, 'elasticsearch'],
  [/kafka/i, 'kafka'],
  [/memcache/i, 'memcached'],
];

export function parseCloudFoundry(text: string, file: string): ParseResult {
  const { docs, diagnostics } = parseYaml(text, file);
  const workloads: PartialWorkload[] = [];
  const d = docs[0];
  if (!d) return { workloads, diagnostics };
  const m = obj(d.js);
  if (!Array.isArray(m.applications)) {
    return { workloads, diagnostics }; // another tool's manifest.yml
  }
  const services = new Map<string, PartialWorkload>();
  arr(m.applications).forEach((a, i) => {
    const app = obj(a);
    const name = str(app.name);
    const base = ['applications', i];
    if (!name) {
      diag(diagnostics, at(d, base), 'error', 'cf-app', `Application ${i + 1} has no name.`);
      return;
    }
    const src = at(d, [...base, 'name']);
    const noRoute = app['no-route'] === true;
    const w = newWorkload(name, noRoute ? 'worker' : 'service', src, 'cloudfoundry');
    trait(w, 'runtime', 'container', src);
    trait(w, 'cf.app', name, src);
    const mem = parseMemoryMiB(app.memory, true);
    // Cloud Foundry enforces `memory` as the instance's limit.
    if (mem !== undefined) w.resources.memoryMiB = { value: mem, source: at(d, [...base, 'memory']), cap: true };
    else if (app.memory !== undefined) diag(diagnostics, at(d, [...base, 'memory']), 'warning', 'cf-memory', `Memory ${String(app.memory)} could not be read.`);
    const disk = parseMemoryMiB(app.disk_quota, true);
    if (disk !== undefined) trait(w, 'cf.disk-quota-mib', disk, at(d, [...base, 'disk_quota']));
    const inst = num(app.instances);
    w.resources.replicas = { value: inst ?? 1, source: inst === undefined ? undefined : at(d, [...base, 'instances']) };
    const bps = [...arr(app.buildpacks), ...(app.buildpack ? [app.buildpack] : [])].map(String);
    bps.forEach((b) => trait(w, 'cf.buildpack', b, at(d, [...base, app.buildpacks ? 'buildpacks' : 'buildpack'])));
    const docker = obj(app.docker);
    if (str(docker.image)) {
      w.image = str(docker.image);
      trait(w, 'image', w.image as string, at(d, [...base, 'docker', 'image']));
    }
    if (noRoute) trait(w, 'cf.no-route', true, at(d, [...base, 'no-route']));
    else w.ports.push(8080);
    arr(app.routes).forEach((r, j) => trait(w, 'cf.route', str(obj(r).route) ?? '', at(d, [...base, 'routes', j])));
    if (str(app['health-check-type'])) trait(w, 'healthcheck', true, at(d, [...base, 'health-check-type']));
    for (const [k, v] of Object.entries(obj(app.env))) inspectEnv(w, k, str(v), at(d, [...base, 'env', k]));
    arr(app.services).forEach((s, j) => {
      const sname = isObj(s) ? str(s.name) : str(s);
      if (!sname) return;
      const ssrc = at(d, [...base, 'services', j]);
      w.dependsOn.push({ value: sname, source: ssrc });
      if (services.has(sname)) return;
      const sw = newWorkload(sname, 'datastore', ssrc, 'cloudfoundry');
      trait(sw, 'cf.service', sname, ssrc);
      const hit = SERVICE_NAME_IMAGES.find(([re]) => re.test(sname));
      if (hit) {
        sw.image = hit[1];
        trait(sw, 'image', hit[1], ssrc);
      } else trait(sw, 'cf.service-unknown', sname, ssrc);
      services.set(sname, sw);
    });
    workloads.push(w);
  });
  pushAll(workloads, services.values());
  return { workloads, diagnostics };
}
