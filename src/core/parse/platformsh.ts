import type { PartialWorkload } from '../types';
import { at, isObj, num, obj, parseYaml, str, type Obj, type PathSeg, type YamlDoc } from './yaml';
import { dockerfileWorkloadName } from './dockerfile';
import { newWorkload, trait, volumeUse, type ParseResult } from './common';

/**
 * Platform.sh and Upsun: an application's `.platform.app.yaml` (or the apps of
 * `.platform/applications.yaml`), the services of `.platform/services.yaml`, or all of them in
 * Upsun's `.upsun/config.yaml`. An application is a web service on its runtime (`type: python:3.11`),
 * its `workers` are workers and its `crons` scheduled jobs; `relationships` name the services it
 * uses. A service is a managed server by its type (`mysql:10.6` is MariaDB, `postgresql:15`,
 * `redis:7.0`…), its `disk` the storage.
 */

/** Platform.sh service types → the server image they stand for (Platform.sh's `mysql` is MariaDB). */
const SERVICE_IMAGE: Record<string, string> = {
  mysql: 'mariadb', mariadb: 'mariadb', 'oracle-mysql': 'mysql', postgresql: 'postgres', redis: 'redis', 'redis-persistent': 'redis',
  memcached: 'memcached', elasticsearch: 'elasticsearch', opensearch: 'opensearch', rabbitmq: 'rabbitmq', kafka: 'kafka',
  mongodb: 'mongo', 'mongodb-enterprise': 'mongo', solr: 'solr', influxdb: 'influxdb', varnish: 'varnish', 'chrome-headless': 'chrome-headless', 'network-storage': 'network-storage',
};

type App = { name: string; cfg: Obj; path: PathSeg[] };

export function parsePlatformSh(text: string, file: string): ParseResult {
  const { docs, diagnostics } = parseYaml(text, file);
  const d = docs[0];
  const root = obj(d?.js);
  if (!d) return { workloads: [], diagnostics };
  if (/(^|\/)\.platform\.app\.ya?ml$/.test(file) && !str(root.type)) {
    diagnostics.push({ ...at(d, root.type !== undefined ? ['type'] : []), severity: 'warning', code: 'platformsh-app-type', message: 'This .platform.app.yaml names no runtime `type` (php:8.2, python:3.12…), which Platform.sh requires; the application was left out of the plan.' });
  }
  const workloads: PartialWorkload[] = [];
  for (const app of appsOf(root, file)) readApp(d, app, workloads);
  for (const [name, svc, path] of servicesOf(root, file)) {
    const engine = String(svc.type).split(':')[0];
    if (SERVICE_IMAGE[engine]) workloads.push(readService(d, name, svc, path));
    else diagnostics.push({ ...at(d, [...path, 'type']), severity: 'info', code: 'platformsh-service-type', message: `Service ${name} is of type ${String(svc.type)}, which this planner does not know; it was left out of the plan.` });
  }
  if (!workloads.length) return { workloads, diagnostics, notDescriptor: 'no Platform.sh application (`type`) or service' };
  return { workloads, diagnostics };
}

/** The applications a file describes: one (`.platform.app.yaml`), a list or a map (`applications.yaml`, Upsun's `applications:`). */
function appsOf(root: Obj, file: string): App[] {
  if (/(^|\/)\.platform\.app\.ya?ml$/.test(file)) return str(root.type) ? [{ name: str(root.name) ?? dockerfileWorkloadName(file), cfg: root, path: [] }] : [];
  if (/(^|\/)\.platform\/services\.ya?ml$/.test(file)) return [];
  const apps = /(^|\/)\.upsun\/config\.ya?ml$/.test(file) ? root.applications : /applications\.ya?ml$/.test(file) ? root : undefined;
  if (Array.isArray(apps)) return apps.flatMap((a, i) => (isObj(a) && str(a.type) ? [{ name: str(a.name) ?? `app-${i + 1}`, cfg: a, path: [i] }] : []));
  const upsun = /(^|\/)\.upsun\//.test(file);
  return Object.entries(obj(apps)).flatMap(([name, a]) => (isObj(a) && str(a.type) ? [{ name, cfg: a, path: upsun ? ['applications', name] : [name] }] : []));
}

/** The services of `.platform/services.yaml`, or of Upsun's `services:`. */
function servicesOf(root: Obj, file: string): [string, Obj, PathSeg[]][] {
  const upsun = /(^|\/)\.upsun\/config\.ya?ml$/.test(file);
  if (!upsun && !/(^|\/)\.platform\/services\.ya?ml$/.test(file)) return [];
  const services = upsun ? obj(root.services) : root;
  return Object.entries(services).flatMap(([name, s]) => (isObj(s) && str(s.type) ? [[name, s, upsun ? ['services', name] : [name]] as [string, Obj, PathSeg[]]] : []));
}

function readApp(d: YamlDoc, app: App, out: PartialWorkload[]): void {
  const { name, cfg, path } = app;
  const src = at(d, [...path, 'type']);
  const w = newWorkload(name, 'service', src, 'platformsh');
  trait(w, 'runtime', 'container', src);
  trait(w, 'platformsh.app', `${name} on ${str(cfg.type)}`, src);
  const start = str(obj(obj(cfg.web).commands).start);
  if (start) trait(w, 'command', start, at(d, [...path, 'web', 'commands', 'start']));
  w.ports.push(8080);
  trait(w, 'port', '$PORT', at(d, [...path, 'web']));
  const disk = num(cfg.disk);
  if (disk !== undefined && disk > 0) w.resources.storageGiB = { value: disk / 1024, source: at(d, [...path, 'disk']) };
  for (const [mount, m] of Object.entries(obj(cfg.mounts))) trait(w, mountTrait(mount, obj(m)), mount, at(d, [...path, 'mounts', mount]));
  relationships(d, cfg, path, w);
  for (const [k, v] of Object.entries(obj(obj(cfg.variables).env))) if (typeof v !== 'object') w.env.push({ name: k, value: String(v), source: at(d, [...path, 'variables', 'env', k]) });
  out.push(w);
  for (const [worker, wc] of Object.entries(obj(cfg.workers))) {
    const ws = at(d, [...path, 'workers', worker]);
    const x = newWorkload(`${name}-${worker}`, 'worker', ws, 'platformsh');
    trait(x, 'runtime', 'container', ws);
    const cmd = str(obj(obj(wc).commands).start);
    if (cmd) trait(x, 'command', cmd, at(d, [...path, 'workers', worker, 'commands', 'start']));
    relationships(d, cfg, path, x);
    out.push(x);
  }
  for (const [cron, cc] of Object.entries(obj(cfg.crons))) {
    const cs = at(d, [...path, 'crons', cron]);
    const spec = str(obj(cc).spec);
    const x = newWorkload(`${name}-${cron}`, 'scheduled-job', cs, 'platformsh');
    trait(x, 'runtime', 'container', cs);
    if (spec) trait(x, 'schedule', spec, at(d, [...path, 'crons', cron, 'spec']));
    const cmd = str(obj(cc).cmd) ?? str(obj(obj(cc).commands).start);
    if (cmd) trait(x, 'command', cmd, cs);
    out.push(x);
  }
}

/** A writable mount by what it holds (a cache, uploaded files, or state); a network-storage service's is shared. */
function mountTrait(mount: string, m: Obj): string {
  if (str(m.source) === 'service') return 'volume.shared';
  const use = volumeUse(undefined, mount);
  return use ? `volume.${use}` : 'volume.named';
}

/** `relationships: {database: "db:mysql"}` (or `{service: db, endpoint: mysql}`): the services it uses, by name. */
function relationships(d: YamlDoc, cfg: Obj, path: PathSeg[], w: PartialWorkload): void {
  for (const [rel, v] of Object.entries(obj(cfg.relationships))) {
    const service = typeof v === 'string' ? v.split(':')[0] : str(obj(v).service) ?? (v === null ? rel : undefined);
    if (service && !w.dependsOn.some((x) => x.value === service)) w.dependsOn.push({ value: service, source: at(d, [...path, 'relationships', rel]) });
  }
}

function readService(d: YamlDoc, name: string, svc: Obj, path: PathSeg[]): PartialWorkload {
  const type = str(svc.type) as string;
  const [engine, version] = type.split(':');
  const src = at(d, [...path, 'type']);
  const w = newWorkload(name, engine === 'network-storage' ? 'storage' : 'worker', src, 'platformsh');
  w.image = `${SERVICE_IMAGE[engine]}${version ? `:${version}` : ''}`;
  trait(w, 'image', w.image, src);
  trait(w, 'platformsh.service', type, src);
  const disk = num(svc.disk);
  if (disk !== undefined && disk > 0) w.resources.storageGiB = { value: disk / 1024, source: at(d, [...path, 'disk']) };
  if (engine === 'network-storage') trait(w, 'volume.shared', name, src);
  return w;
}

/** A Platform.sh or Upsun descriptor, by its path. */
export function isPlatformShPath(rel: string): boolean {
  return /(^|\/)(\.platform\.app\.ya?ml|\.platform\/(services|applications)\.ya?ml|\.upsun\/config\.ya?ml)$/.test(rel);
}
