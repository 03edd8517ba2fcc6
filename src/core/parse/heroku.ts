import type { PartialWorkload, SourceRef } from '../types';
import { arr, at, isObj, num, obj, parseYaml, str } from './yaml';
import { diag, inspectEnv, newWorkload, posixDirname, posixJoin, trait, type ParseContext, type ParseResult } from './common';
import { pushAll, table } from '../collections';
import { unreadableQuantity } from './bounds';

/**
 * Heroku dyno sizes. Memory is Heroku's published figure; the vCPU figure is this tool's sizing
 * assumption (Heroku sells standard dynos by "compute" share, not by vCPU) and the plan says so.
 */
export const DYNO_SIZES: Record<string, { memoryMiB: number; cpu: number }> = table({
  eco: { memoryMiB: 512, cpu: 0.25 },
  basic: { memoryMiB: 512, cpu: 0.25 },
  free: { memoryMiB: 512, cpu: 0.25 },
  hobby: { memoryMiB: 512, cpu: 0.25 },
  'standard-1x': { memoryMiB: 512, cpu: 0.5 },
  'standard-2x': { memoryMiB: 1024, cpu: 1 },
  'performance-m': { memoryMiB: 2560, cpu: 2 },
  'performance-l': { memoryMiB: 14336, cpu: 8 },
  'performance-l-ram': { memoryMiB: 30720, cpu: 4 },
  'performance-xl': { memoryMiB: 63488, cpu: 8 },
  'performance-2xl': { memoryMiB: 129024, cpu: 16 },
});

/** What a Heroku add-on is, for the workload it becomes. */
const ADDONS: Record<string, { name: string; kind: PartialWorkload['kind']; image?: string }> = table({
  'heroku-postgresql': { name: 'postgresql', kind: 'datastore', image: 'postgres' },
  'heroku-redis': { name: 'redis', kind: 'datastore', image: 'redis' },
  'heroku-kafka': { name: 'kafka', kind: 'datastore', image: 'kafka' },
  cloudamqp: { name: 'rabbitmq', kind: 'datastore', image: 'rabbitmq' },
  bonsai: { name: 'elasticsearch', kind: 'datastore', image: 'elasticsearch' },
  searchbox: { name: 'elasticsearch', kind: 'datastore', image: 'elasticsearch' },
  memcachier: { name: 'memcached', kind: 'datastore', image: 'memcached' },
  jawsdb: { name: 'mysql', kind: 'datastore', image: 'mysql' },
  cleardb: { name: 'mysql', kind: 'datastore', image: 'mysql' },
  mongolab: { name: 'mongodb', kind: 'datastore', image: 'mongo' },
  scheduler: { name: 'scheduler', kind: 'scheduled-job' },
  papertrail: { name: 'papertrail', kind: 'service' },
  sendgrid: { name: 'sendgrid', kind: 'service' },
  mailgun: { name: 'mailgun', kind: 'service' },
  newrelic: { name: 'newrelic', kind: 'service' },
  sentry: { name: 'sentry', kind: 'service' },
  logdna: { name: 'logdna', kind: 'service' },
});

/** Heroku Postgres/Redis plan sizes (memory GiB, storage GiB) where the plan name says them. */
const ADDON_PLANS: Record<string, { memoryMiB?: number; storageGiB?: number }> = table({
  'heroku-postgresql:essential-0': { storageGiB: 1 },
  'heroku-postgresql:essential-1': { storageGiB: 10 },
  'heroku-postgresql:essential-2': { storageGiB: 32 },
  'heroku-postgresql:standard-0': { memoryMiB: 4096, storageGiB: 64 },
  'heroku-postgresql:standard-2': { memoryMiB: 8192, storageGiB: 256 },
  'heroku-postgresql:standard-3': { memoryMiB: 15360, storageGiB: 512 },
  'heroku-postgresql:premium-0': { memoryMiB: 4096, storageGiB: 64 },
  'heroku-postgresql:premium-2': { memoryMiB: 8192, storageGiB: 256 },
  'heroku-redis:mini': { memoryMiB: 25 },
  'heroku-redis:premium-0': { memoryMiB: 50 },
  'heroku-redis:premium-1': { memoryMiB: 100 },
  'heroku-redis:premium-2': { memoryMiB: 250 },
  'heroku-redis:premium-3': { memoryMiB: 500 },
  'heroku-redis:premium-5': { memoryMiB: 1024 },
  'heroku-redis:premium-7': { memoryMiB: 7168 },
});

function prefixFor(file: string): string {
  const dir = posixDirname(file);
  return dir ? `${dir.slice(dir.lastIndexOf('/') + 1)}-` : '';
}

const KIND_OF_PROCESS: Record<string, PartialWorkload['kind']> = table({ web: 'service', worker: 'worker', clock: 'scheduled-job', release: 'job' });

/** A Procfile runner started inside one dyno: the processes of another Procfile share that dyno. */
const PROCFILE_RUNNER = /(?:^|[\s/])(foreman|honcho|overmind|hivemind|forego|nf)\s+start\b/;

/**
 * What a process that runs a Procfile runner starts: the runner, and the processes of the Procfile
 * it is given (`-f Procfile.heroku`), read beside this one, when it can be read.
 */
function supervisedProcesses(command: string, file: string, ctx?: ParseContext): string | undefined {
  const runner = PROCFILE_RUNNER.exec(command)?.[1];
  if (!runner) return undefined;
  const given = /(?:^|\s)(?:-f|--procfile)[=\s]+([^\s;&|]+)/.exec(command)?.[1];
  const inner = given ? posixJoin(posixDirname(file), given) : undefined;
  const text = inner && ctx ? ctx.readFile(inner) : undefined;
  const names = text === undefined ? [] : text.split(/\r?\n/).flatMap((l) => /^\s*([A-Za-z0-9_-]+)\s*:/.exec(l)?.[1] ?? []);
  return names.length > 0 ? `${runner} starts ${names.join(', ')} from ${inner}` : `${runner}${inner ? ` with ${inner}` : ''}`;
}

export function parseProcfile(text: string, file: string, ctx?: ParseContext): ParseResult {
  const workloads: PartialWorkload[] = [];
  const diagnostics: ParseResult['diagnostics'] = [];
  const prefix = prefixFor(file);
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const m = /^([A-Za-z0-9_-]+)\s*:\s*(.+)$/.exec(line);
    const src: SourceRef = { file, line: i + 1, column: 1, endLine: i + 1, endColumn: raw.length + 1 };
    if (!m) {
      diag(diagnostics, src, 'error', 'procfile-syntax', 'This Procfile line is not "process: command"; it was skipped (its text is not repeated here: it may hold a secret).');
      return;
    }
    const [, type, command] = m;
    const w = newWorkload(prefix + type, KIND_OF_PROCESS[type] ?? 'worker', src, 'procfile');
    trait(w, 'runtime', 'container', src);
    trait(w, 'heroku.process', KIND_OF_PROCESS[type] ? type : 'custom', src);
    trait(w, 'command', command, src);
    if (type === 'web') {
      w.ports.push(8080);
      trait(w, 'port', '$PORT', src);
    }
    if (/\b(clockwork|apscheduler|node-cron|whenever|rufus|crono|sidekiq-cron|celery\s+beat)\b/i.test(command)) trait(w, 'schedule', 'clock process', src);
    const supervised = supervisedProcesses(command, file, ctx);
    if (supervised) trait(w, 'process-supervisor', supervised, src);
    // Heroku's default when app.json says nothing: one standard-1x dyno for web, none sized otherwise.
    w.resources.replicas = { value: 1 };
    workloads.push(w);
  });
  return { workloads, diagnostics };
}

/**
 * heroku.yml (the container stack): each `build.docker.<process>` names the Dockerfile that process
 * runs, and `run.<process>` its command.
 */
export function parseHerokuYml(text: string, file: string): ParseResult {
  const { docs, diagnostics } = parseYaml(text, file);
  const workloads: PartialWorkload[] = [];
  const d = docs[0];
  if (!d) return { workloads, diagnostics };
  const root = obj(d.js);
  const docker = obj(obj(root.build).docker);
  const run = obj(root.run);
  const dir = posixDirname(file);
  for (const type of [...new Set([...Object.keys(docker), ...Object.keys(run)])].sort()) {
    const src = at(d, docker[type] !== undefined ? ['build', 'docker', type] : ['run', type]);
    const w = newWorkload(type, KIND_OF_PROCESS[type] ?? 'worker', src, 'procfile');
    trait(w, 'runtime', 'container', src);
    trait(w, 'heroku.process', KIND_OF_PROCESS[type] ? type : 'custom', src);
    const dockerfile = str(docker[type]) ?? str(obj(docker[type]).dockerfile);
    if (dockerfile) w.buildDockerfile = posixJoin(dir, dockerfile);
    if (type === 'web') {
      w.ports.push(8080);
      trait(w, 'port', '$PORT', src);
    }
    workloads.push(w);
  }
  return { workloads, diagnostics };
}

export function parseHerokuApp(text: string, file: string): ParseResult {
  const workloads: PartialWorkload[] = [];
  // app.json is JSON; the YAML parser reads it too and keeps positions.
  const { docs, diagnostics } = parseYaml(text, file);
  const d = docs[0];
  if (!d || !isObj(d.js)) return { workloads, diagnostics };
  const app = d.js;
  const herokuish = ['formation', 'addons', 'buildpacks', 'scripts', 'stack', 'environments'].some((k) => k in app);
  if (!herokuish) return { workloads: [], diagnostics: [] }; // some other app.json
  const prefix = prefixFor(file);
  const formation = obj(app.formation);
  for (const [type, f] of Object.entries(formation)) {
    const fo = obj(f);
    const src = at(d, ['formation', type]);
    const w = newWorkload(prefix + type, KIND_OF_PROCESS[type] ?? 'worker', src, 'heroku-app');
    const q = num(fo.quantity);
    if (q === undefined && fo.quantity !== undefined && fo.quantity !== null) diagnostics.push(unreadableQuantity('Quantity', fo.quantity, at(d, ['formation', type, 'quantity']), w.name));
    if (q !== undefined) w.resources.replicas = { value: q, source: at(d, ['formation', type, 'quantity']) };
    const size = str(fo.size)?.toLowerCase();
    if (size) {
      const ds = DYNO_SIZES[size];
      const ssrc = at(d, ['formation', type, 'size']);
      trait(w, 'heroku.dyno-size', size, ssrc);
      if (ds) {
        // A dyno size is the dyno: its memory and CPU are what the process gets, sized as they are.
        w.resources.memoryMiB = { value: ds.memoryMiB, source: ssrc, cap: true };
        w.resources.cpu = { value: ds.cpu, source: ssrc, cap: true };
      } else diag(diagnostics, ssrc, 'warning', 'heroku-dyno-size', `Dyno size ${size} is not known; sizing falls back to defaults.`);
    }
    workloads.push(w);
  }
  const stack = str(app.stack);
  arr(app.addons).forEach((a, i) => {
    const plan = isObj(a) ? a.plan : a;
    if (typeof plan !== 'string' || !/^[a-z0-9][a-z0-9-]*(:[\w.-]+)?$/i.test(plan)) {
      diag(diagnostics, at(d, ['addons', i]), 'warning', 'heroku-addon', `Add-on ${JSON.stringify(plan ?? a) ?? String(a)} is not a plan name such as "heroku-postgresql:essential-0"; it was skipped.`);
      return;
    }
    const service = plan.split(':')[0];
    const src = at(d, ['addons', i]);
    const info = ADDONS[service];
    const as = isObj(a) ? str(a.as) : undefined;
    const name = prefix + (info?.name ?? service);
    const w = newWorkload(name, info?.kind ?? 'service', src, 'heroku-app');
    trait(w, 'heroku.addon', service, src);
    trait(w, 'heroku.addon-plan', plan, src);
    if (as) trait(w, 'heroku.addon-as', as, src);
    if (info?.image) {
      w.image = info.image;
      trait(w, 'image', info.image, src);
    }
    const ps = ADDON_PLANS[plan];
    if (ps?.memoryMiB) w.resources.memoryMiB = { value: ps.memoryMiB, source: src, cap: true };
    if (ps?.storageGiB) w.resources.storageGiB = { value: ps.storageGiB, source: src };
    workloads.push(w);
  });
  // Config vars with values: scan for secrets, IPs and localhost the same way as container env.
  const env = obj(app.env);
  const holder = newWorkload(prefix + 'web', 'service', at(d, []), 'heroku-app');
  for (const [k, v] of Object.entries(env)) {
    const value = isObj(v) ? str(v.value) : str(v);
    inspectEnv(holder, k, value, at(d, ['env', k]));
  }
  if (holder.env.length > 0 && !workloads.some((w) => w.name === holder.name)) workloads.push(holder);
  else if (holder.env.length > 0) {
    const web = workloads.find((w) => w.name === holder.name) as PartialWorkload;
    pushAll(web.env, holder.env);
    pushAll(web.traits, holder.traits);
  }
  if (stack) for (const w of workloads) trait(w, 'heroku.stack', stack, at(d, ['stack']));
  // The app's name is the product's: a process built FROM an image of that name runs the product.
  const appName = str(app.name);
  if (appName) for (const w of workloads) if (!w.traits.some((t) => t.name === 'heroku.addon')) trait(w, 'product.name', appName, at(d, ['name']));
  return { workloads, diagnostics };
}
