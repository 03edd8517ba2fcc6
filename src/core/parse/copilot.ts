import type { PartialWorkload, SourceRef, WorkloadKind } from '../types';
import { at, isObj, num, obj, parseYaml, str, type Obj, type PathSeg, type YamlDoc } from './yaml';
import { inspectEnv, newWorkload, posixDirname, posixJoin, trait, type ParseResult } from './common';

/**
 * An AWS Copilot service or job manifest (`copilot/<name>/manifest.yml`): an ECS service on Fargate
 * (or an App Runner service) that runs on AWS today. Its type says what it is (a load-balanced web
 * service, a backend or worker service, a scheduled job, a static site); its task's CPU units,
 * memory and count size it, the production environment's overrides first; `image.build` names the
 * Dockerfile it is built from, relative to the folder that holds `copilot/`.
 */

const KINDS: Record<string, WorkloadKind> = {
  'load balanced web service': 'service',
  'request-driven web service': 'service',
  'backend service': 'service',
  'worker service': 'worker',
  'scheduled job': 'scheduled-job',
  'static site': 'service',
};

/** The environment whose overrides are the deployment to plan. */
const PRODUCTION_ENV = ['production', 'prod', 'prd', 'live'];

export function parseCopilot(text: string, file: string): ParseResult {
  const { docs, diagnostics } = parseYaml(text, file);
  const d = docs[0];
  const m = obj(d?.js);
  const type = str(m.type);
  if (!d || !type) return { workloads: [], diagnostics, notDescriptor: 'a Copilot manifest with no `type` (a pipeline or an add-on)' };
  const kind = KINDS[type.toLowerCase()];
  if (!kind) return { workloads: [], diagnostics, notDescriptor: `a Copilot ${type} manifest, not a service or job` };
  const envName = Object.keys(obj(m.environments)).find((e) => PRODUCTION_ENV.includes(e.toLowerCase()));
  // A field the production environment sets is read, and cited, there.
  const pick = (key: string): { v: unknown; path: PathSeg[] } => {
    const over = envName ? obj(obj(m.environments)[envName]) : {};
    return over[key] !== undefined ? { v: over[key], path: ['environments', envName as string, key] } : { v: m[key], path: [key] };
  };
  const src = at(d, m.name !== undefined ? ['name'] : ['type']);
  const name = str(m.name) ?? posixDirname(file).split('/').pop() ?? 'service';
  const image = obj(pick('image').v);
  const port = num(image.port);
  const w = newWorkload(name, kind === 'service' && port === undefined && type.toLowerCase() === 'backend service' ? 'worker' : kind, src, 'copilot');
  trait(w, 'runtime', 'container', src);
  trait(w, 'aws.copilot', `AWS Copilot ${type} ${name}`, at(d, ['type']));
  if (type.toLowerCase() === 'static site') trait(w, 'static-site', `Copilot Static Site ${name}`, at(d, ['type']));
  readImage(d, image, pick('image').path, file, w);
  readSize(d, pick, w);
  readEnvironment(d, pick, w);
  readSchedule(d, m, w);
  const http = pick('http');
  if (isObj(http.v) && http.v.healthcheck !== undefined) trait(w, 'healthcheck', true, at(d, [...http.path, 'healthcheck']));
  return { workloads: [w], diagnostics };
}

/** `image.build` (a Dockerfile path, or `dockerfile` and `context`), relative to the folder that holds `copilot/`; or `image.location`, a registry image. */
function readImage(d: YamlDoc, image: Obj, path: PathSeg[], file: string, w: PartialWorkload): void {
  const root = file.includes('copilot/') ? file.slice(0, file.lastIndexOf('copilot/')).replace(/\/$/, '') : '';
  const build = image.build;
  const dockerfile = typeof build === 'string' ? build : str(obj(build).dockerfile) ?? (isObj(build) ? posixJoin(str(build.context) ?? '.', 'Dockerfile') : undefined);
  if (dockerfile) {
    w.buildDockerfile = posixJoin(root || '.', dockerfile).replace(/^\.\//, '');
    trait(w, 'build', w.buildDockerfile, at(d, [...path, 'build']));
  }
  const location = str(image.location);
  if (location) {
    w.image = location;
    trait(w, 'image', location, at(d, [...path, 'location']));
  }
  const port = num(image.port);
  if (port !== undefined) {
    w.ports.push(port);
    trait(w, 'port', port, at(d, [...path, 'port']));
  }
}

type Pick = (key: string) => { v: unknown; path: PathSeg[] };

/** CPU units (1,024 a vCPU) and memory in MiB: the task's fixed size; `count` a number or an autoscaling `range`. */
function readSize(d: YamlDoc, pick: Pick, w: PartialWorkload): void {
  const positive = (v: unknown): number | undefined => {
    const n = num(v);
    return n !== undefined && Number.isFinite(n) && n > 0 ? n : undefined;
  };
  const cpu = pick('cpu');
  if (positive(cpu.v) !== undefined) w.resources.cpu = { value: (positive(cpu.v) as number) / 1024, source: at(d, cpu.path), cap: true };
  const memory = pick('memory');
  if (positive(memory.v) !== undefined) w.resources.memoryMiB = { value: positive(memory.v) as number, source: at(d, memory.path), cap: true };
  const count = pick('count');
  const n = num(count.v);
  if (n !== undefined) {
    if (Number.isFinite(n) && n >= 0) w.resources.replicas = { value: n, source: at(d, count.path) };
    return;
  }
  const range = obj(count.v).range;
  const bounds = typeof range === 'string' ? /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(range)?.slice(1).map(Number) : isObj(range) ? [num(range.min), num(range.max)] : undefined;
  if (!bounds || bounds[0] === undefined || bounds[1] === undefined) return;
  const ref: SourceRef = at(d, [...count.path, 'range']);
  w.resources.minReplicas = { value: bounds[0], source: ref };
  w.resources.maxReplicas = { value: bounds[1], source: ref };
  w.resources.replicas = { value: bounds[0], source: ref };
}

/** `variables` (the production environment's over the service's own) and the names of `secrets`. */
function readEnvironment(d: YamlDoc, pick: Pick, w: PartialWorkload): void {
  const vars = pick('variables');
  for (const [k, v] of Object.entries(obj(vars.v))) inspectEnv(w, k, typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined, at(d, [...vars.path, k]));
  const secrets = pick('secrets');
  for (const k of Object.keys(obj(secrets.v))) trait(w, 'secret.managed', k, at(d, [...secrets.path, k]));
}

/** A Scheduled Job's `on.schedule`: `@daily`, `@every 1h` or a cron expression. */
function readSchedule(d: YamlDoc, m: Obj, w: PartialWorkload): void {
  const schedule = str(obj(m.on).schedule);
  if (schedule) trait(w, 'schedule', schedule, at(d, ['on', 'schedule']));
}
