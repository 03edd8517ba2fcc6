import type { PartialWorkload, SourceRef, WorkloadKind } from '../types';
import { arr, at, isObj, num, obj, parseYaml, str, type Obj, type YamlDoc } from './yaml';
import { diag, inspectEnv, newWorkload, posixDirname, posixJoin, trait, type ParseResult } from './common';
import { table } from '../collections';
import { unreadableQuantity } from './bounds';

/**
 * A Render Blueprint (`render.yaml`): the services, Key Value instances and PostgreSQL databases a
 * team deploys on Render, each with its instance type, instance count, disk and the services and
 * databases its environment is wired to (`fromDatabase`, `fromService`). A start-up leaving Render
 * has all its deployment here.
 */

/**
 * Render's instance types for services (render.com/pricing, "Compute"): CPU and RAM each type gets.
 * The free type's 0.1 CPU is Render's own figure.
 */
const INSTANCE_TYPES: Record<string, { cpu: number; memoryMiB: number }> = table({
  free: { cpu: 0.1, memoryMiB: 512 },
  starter: { cpu: 0.5, memoryMiB: 512 },
  standard: { cpu: 1, memoryMiB: 2048 },
  pro: { cpu: 2, memoryMiB: 4096 },
  'pro plus': { cpu: 4, memoryMiB: 8192 },
  'pro max': { cpu: 4, memoryMiB: 16384 },
  'pro ultra': { cpu: 8, memoryMiB: 32768 },
});

/** Render Key Value (Redis-compatible) instance types: their memory (render.com/pricing, "Key Value"). */
const KEY_VALUE_TYPES: Record<string, number> = table({ free: 25, starter: 256, standard: 1024, pro: 5120, 'pro plus': 10240 });

/** Render Postgres' legacy instance types: their RAM. The current ones say it in their name (`basic-1gb`, `pro-16gb`). */
const LEGACY_POSTGRES_TYPES: Record<string, number> = table({ free: 256, starter: 256, standard: 1024, pro: 4096, 'pro plus': 8192 });

/** What each Blueprint service type runs as: a web or private service answers requests, a worker does not, a cron job runs on its schedule; `keyvalue` (formerly `redis`) is a datastore. */
const KIND_OF_TYPE: Record<string, WorkloadKind> = table({ web: 'service', pserv: 'service', worker: 'worker', cron: 'scheduled-job', redis: 'datastore', keyvalue: 'datastore' });

/** Whether a YAML document is a Render Blueprint: a `services` list of typed entries, `databases`, or `projects` with environments. */
export function looksLikeRenderBlueprint(js: unknown): boolean {
  const root = obj(js);
  const services = root.services;
  if (Array.isArray(services)) return services.some((s) => isObj(s) && typeof s.type === 'string' && typeof s.name === 'string');
  if (Array.isArray(root.databases) && root.services === undefined) return arr(root.databases).some((d) => isObj(d) && typeof d.name === 'string');
  return arr(root.projects).some((p) => arr(obj(p).environments).some((e) => Array.isArray(obj(e).services) || Array.isArray(obj(e).databases)));
}

export function parseRender(text: string, file: string): ParseResult {
  const { docs, diagnostics } = parseYaml(text, file);
  const workloads: PartialWorkload[] = [];
  const d = docs[0];
  if (!d || !isObj(d.js) || !looksLikeRenderBlueprint(d.js)) {
    return { workloads, diagnostics, notDescriptor: 'YAML named render.yaml with no Render Blueprint `services` list or `databases` (configuration of some other tool)' };
  }
  for (const path of resourceLists(d, d.js, diagnostics)) readResources(d, path, file, workloads, diagnostics);
  return { workloads, diagnostics };
}

/**
 * Where the Blueprint's resources are: the top level, and the environments of its `projects`. Of
 * a project's environments, the production one is the deployment (`production`, `prod`, `live`);
 * with none of that name, the first. The others are named in a note, not planned twice.
 */
function resourceLists(d: YamlDoc, root: Obj, diagnostics: ParseResult['diagnostics']): Path[] {
  const out: Path[] = [[]];
  arr(root.projects).forEach((p, i) => {
    const envs = arr(obj(p).environments);
    if (envs.length === 0) return;
    const production = envs.findIndex((e) => /^(prod|production|live|main)$/i.test(str(obj(e).name) ?? ''));
    const chosen = production >= 0 ? production : 0;
    out.push(['projects', i, 'environments', chosen]);
    const others = envs.map((e, j) => (j === chosen ? undefined : str(obj(e).name) ?? `#${j + 1}`)).filter((x) => x !== undefined);
    if (others.length > 0) diag(diagnostics, at(d, ['projects', i, 'environments', chosen]), 'info', 'render-environments', `Planned from the ${str(obj(envs[chosen]).name) ?? 'first'} environment of project ${str(obj(p).name) ?? i + 1}; its other environments (${others.join(', ')}) run the same services and are not planned again.`);
  });
  return out;
}

/** The services and databases listed at one place of the Blueprint (the top level, or a project's environment). */
function readResources(d: YamlDoc, base: Path, file: string, workloads: PartialWorkload[], diagnostics: ParseResult['diagnostics']): void {
  const node = base.reduce<unknown>((o, k) => (Array.isArray(o) ? o[k as number] : obj(o)[k as string]), d.js);
  arr(obj(node).services).forEach((s, i) => {
    const w = isObj(s) ? readService(d, s, [...base, 'services', i], file, diagnostics) : undefined;
    if (w) workloads.push(w);
  });
  arr(obj(node).databases).forEach((db, i) => {
    const w = isObj(db) ? readDatabase(d, db, [...base, 'databases', i], diagnostics) : undefined;
    if (w) workloads.push(w);
  });
}

type Path = (string | number)[];

function readService(d: YamlDoc, s: Obj, path: Path, file: string, diagnostics: ParseResult['diagnostics']): PartialWorkload | undefined {
  const name = str(s.name);
  const type = str(s.type)?.toLowerCase();
  const src = at(d, [...path, 'name']);
  if (!name || !type) {
    diag(diagnostics, at(d, path), 'warning', 'render-service', 'A Blueprint service needs a `name` and a `type` (web, pserv, worker, cron, keyvalue); this one was skipped.');
    return undefined;
  }
  const runtime = (str(s.runtime) ?? str(s.env))?.toLowerCase();
  if (type === 'keyvalue' || type === 'redis') return readKeyValue(d, s, path, name, src, diagnostics);
  const kind = KIND_OF_TYPE[type];
  if (!kind) {
    diag(diagnostics, at(d, [...path, 'type']), 'warning', 'render-service', `Service type ${type} is not one Render Blueprints define (web, pserv, worker, cron, keyvalue); ${name} was skipped.`);
    return undefined;
  }
  const w = newWorkload(name, kind, src, 'render');
  trait(w, 'render.type', type, at(d, [...path, 'type']));
  if (runtime) trait(w, 'render.runtime', runtime, at(d, [...path, s.runtime !== undefined ? 'runtime' : 'env']));
  if (runtime === 'static') {
    // A static site: Render serves the published folder from its CDN.
    trait(w, 'static-site', `Render static site (${str(s.staticPublishPath) ?? 'published folder'})`, at(d, [...path, 'type']));
    return w;
  }
  trait(w, 'runtime', 'container', src);
  readBuild(d, s, path, file, w);
  readInstances(d, s, path, w, diagnostics);
  if (type === 'web') {
    w.ports.push(10000);
    trait(w, 'port', '$PORT', src);
  }
  if (type === 'worker') trait(w, 'serves-no-http', 'Render background worker', src);
  if (type === 'cron' && str(s.schedule)) trait(w, 'schedule', str(s.schedule) as string, at(d, [...path, 'schedule']));
  const command = str(s.startCommand) ?? str(s.dockerCommand);
  if (command) trait(w, 'command', command, at(d, [...path, s.startCommand !== undefined ? 'startCommand' : 'dockerCommand']));
  if (str(s.healthCheckPath)) trait(w, 'healthcheck', true, at(d, [...path, 'healthCheckPath']));
  readDisk(d, s, path, w);
  readEnvVars(d, s, path, w);
  return w;
}

/** How the service is built: a Dockerfile in the repository, a prebuilt image, or a language runtime's build. */
function readBuild(d: YamlDoc, s: Obj, path: Path, file: string, w: PartialWorkload): void {
  const dir = posixDirname(file);
  const image = str(obj(s.image).url) ?? str(s.image);
  if (image) {
    w.image = image;
    trait(w, 'image', image, at(d, [...path, 'image']));
    return;
  }
  const runtime = (str(s.runtime) ?? str(s.env))?.toLowerCase();
  if (runtime === 'docker') {
    const context = str(s.dockerContext) ?? str(s.rootDir) ?? '.';
    const dockerfile = str(s.dockerfilePath) ?? posixJoin(context, 'Dockerfile');
    w.buildDockerfile = posixJoin(dir, dockerfile);
    trait(w, 'build', w.buildDockerfile, at(d, [...path, s.dockerfilePath !== undefined ? 'dockerfilePath' : 'runtime']));
  }
}

/** The instance type's CPU and memory, and the instance count or autoscaling bounds. */
function readInstances(d: YamlDoc, s: Obj, path: Path, w: PartialWorkload, diagnostics: ParseResult['diagnostics']): void {
  const plan = str(s.plan)?.toLowerCase().replace(/[_-]/g, ' ');
  const psrc = at(d, [...path, 'plan']);
  if (plan) {
    trait(w, 'render.plan', plan, psrc);
    const size = INSTANCE_TYPES[plan];
    if (size) {
      // An instance type is what the service gets: sized as it is, as a Heroku dyno size is.
      w.resources.cpu = { value: size.cpu, source: psrc, cap: true };
      w.resources.memoryMiB = { value: size.memoryMiB, source: psrc, cap: true };
    } else diag(diagnostics, psrc, 'warning', 'render-plan', `Render instance type ${plan} is not known; ${w.name} is sized from defaults.`);
  }
  const count = readCount(d, s.numInstances, [...path, 'numInstances'], w.name, diagnostics);
  if (count) w.resources.replicas = count;
  const scaling = obj(s.scaling);
  const min = readCount(d, scaling.minInstances, [...path, 'scaling', 'minInstances'], w.name, diagnostics);
  const max = readCount(d, scaling.maxInstances, [...path, 'scaling', 'maxInstances'], w.name, diagnostics);
  if (min) w.resources.minReplicas = min;
  if (max) w.resources.maxReplicas = max;
  if (min || max) trait(w, 'autoscaling', `Render autoscaling: ${min?.value ?? 1}–${max?.value ?? '?'}`, at(d, [...path, 'scaling']));
}

function readCount(d: YamlDoc, v: unknown, path: Path, name: string, diagnostics: ParseResult['diagnostics']): { value: number; source: SourceRef } | undefined {
  if (v === undefined || v === null) return undefined;
  const n = num(v);
  if (n === undefined) {
    diagnostics.push(unreadableQuantity('Instance count', v, at(d, path), name));
    return undefined;
  }
  return { value: n, source: at(d, path) };
}

/** A persistent disk: state on a volume, one instance only (Render does not scale a service with a disk). */
function readDisk(d: YamlDoc, s: Obj, path: Path, w: PartialWorkload): void {
  if (!isObj(s.disk)) return;
  const disk = s.disk;
  const dsrc = at(d, [...path, 'disk']);
  trait(w, 'volume.rwo', `${str(disk.name) ?? 'disk'}${str(disk.mountPath) ? ` at ${str(disk.mountPath)}` : ''}`, dsrc);
  const size = num(disk.sizeGB);
  if (size !== undefined) w.resources.storageGiB = { value: size, source: at(d, [...path, 'disk', 'sizeGB']) };
}

/**
 * Environment variables: values are read for secrets and addresses as any environment is, and a
 * variable wired to a database or another service (`fromDatabase`, `fromService`) makes it a
 * dependency.
 */
function readEnvVars(d: YamlDoc, s: Obj, path: Path, w: PartialWorkload): void {
  arr(s.envVars).forEach((e, j) => {
    const ev = obj(e);
    const key = str(ev.key);
    const esrc = at(d, [...path, 'envVars', j]);
    // `fromDatabase: {name: db}`, or a name alone (`fromDatabase: db`), which Render also reads.
    const from = str(obj(ev.fromDatabase).name) ?? str(ev.fromDatabase) ?? str(obj(ev.fromService).name);
    if (from) {
      if (!w.dependsOn.some((x) => x.value === from)) w.dependsOn.push({ value: from, source: esrc });
      return;
    }
    if (key && ev.value !== undefined && ev.value !== null) inspectEnv(w, key, String(ev.value), at(d, [...path, 'envVars', j, 'value']));
  });
}

/** A Key Value instance (Render's Redis-compatible store). */
function readKeyValue(d: YamlDoc, s: Obj, path: Path, name: string, src: SourceRef, diagnostics: ParseResult['diagnostics']): PartialWorkload {
  const w = newWorkload(name, 'datastore', src, 'render');
  trait(w, 'render.type', 'keyvalue', at(d, [...path, 'type']));
  w.image = 'redis';
  trait(w, 'image', 'redis', at(d, [...path, 'type']));
  const plan = str(s.plan)?.toLowerCase().replace(/[_-]/g, ' ');
  if (plan) {
    const psrc = at(d, [...path, 'plan']);
    trait(w, 'render.plan', plan, psrc);
    const memory = KEY_VALUE_TYPES[plan];
    if (memory) w.resources.memoryMiB = { value: memory, source: psrc, cap: true };
    else diag(diagnostics, psrc, 'warning', 'render-plan', `Render Key Value instance type ${plan} is not known; ${name} is sized from defaults.`);
  }
  return w;
}

/** A Render Postgres database: its RAM from its instance type, its disk, and its read replicas. */
function readDatabase(d: YamlDoc, db: Obj, path: Path, diagnostics: ParseResult['diagnostics']): PartialWorkload | undefined {
  const name = str(db.name);
  if (!name) {
    diag(diagnostics, at(d, path), 'warning', 'render-database', 'A Blueprint database needs a `name`; this one was skipped.');
    return undefined;
  }
  const src = at(d, [...path, 'name']);
  const w = newWorkload(name, 'datastore', src, 'render');
  const version = str(db.postgresMajorVersion) ?? (num(db.postgresMajorVersion) !== undefined ? String(num(db.postgresMajorVersion)) : undefined);
  w.image = version ? `postgres:${version}` : 'postgres';
  trait(w, 'image', w.image, version ? at(d, [...path, 'postgresMajorVersion']) : src);
  trait(w, 'render.type', 'postgres', src);
  const plan = str(db.plan)?.toLowerCase();
  if (plan) {
    const psrc = at(d, [...path, 'plan']);
    trait(w, 'render.plan', plan, psrc);
    const memory = postgresMemoryMiB(plan);
    if (memory) w.resources.memoryMiB = { value: memory, source: psrc, cap: true };
    else diag(diagnostics, psrc, 'warning', 'render-plan', `Render Postgres instance type ${plan} is not known; ${name} is sized from defaults.`);
  }
  const disk = num(db.diskSizeGB);
  if (disk !== undefined) w.resources.storageGiB = { value: disk, source: at(d, [...path, 'diskSizeGB']) };
  if (obj(db.highAvailability).enabled === true) trait(w, 'render.high-availability', 'a standby in another zone', at(d, [...path, 'highAvailability']));
  const replicas = arr(db.readReplicas).length;
  if (replicas > 0) trait(w, 'render.read-replicas', replicas, at(d, [...path, 'readReplicas']));
  return w;
}

/** RAM of a Render Postgres instance type: in its name (`basic-256mb`, `pro-4gb`), or a legacy type's. */
function postgresMemoryMiB(plan: string): number | undefined {
  const m = /-(\d+)(mb|gb)$/.exec(plan);
  if (m) return Number(m[1]) * (m[2] === 'gb' ? 1024 : 1);
  return LEGACY_POSTGRES_TYPES[plan.replace(/[_-]/g, ' ')];
}
