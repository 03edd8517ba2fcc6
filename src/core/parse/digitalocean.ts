import type { PartialWorkload, SourceRef, WorkloadKind } from '../types';
import { arr, at, isObj, num, obj, parseYaml, str, type Obj, type YamlDoc } from './yaml';
import { diag, inspectEnv, newWorkload, posixDirname, posixJoin, trait, type ParseResult } from './common';
import { table } from '../collections';
import { SHARED_VCPU } from '../units';

/**
 * A DigitalOcean App Platform app spec (`.do/app.yaml`, or `.do/deploy.template.yaml` with the spec
 * under `spec:`): its services, workers, jobs, static sites, functions and databases, each with its
 * instance size and count, and the components its environment binds to (`${db.DATABASE_URL}`).
 */

type Path = (string | number)[];

/**
 * App Platform's fixed instance sizes (the API's `/v2/apps/tiers/instance_sizes`): CPUs, whether
 * they are dedicated, and memory. The newer slugs say the same in their name (`apps-s-1vcpu-0.5gb`).
 */
const LEGACY_SIZES: Record<string, { cpus: number; dedicated: boolean; memoryMiB: number }> = table({
  'basic-xxs': { cpus: 1, dedicated: false, memoryMiB: 512 },
  'basic-xs': { cpus: 1, dedicated: false, memoryMiB: 1024 },
  'basic-s': { cpus: 1, dedicated: false, memoryMiB: 2048 },
  'basic-m': { cpus: 2, dedicated: false, memoryMiB: 4096 },
  'professional-xs': { cpus: 1, dedicated: false, memoryMiB: 1024 },
  'professional-s': { cpus: 1, dedicated: false, memoryMiB: 2048 },
  'professional-m': { cpus: 2, dedicated: false, memoryMiB: 4096 },
  'professional-1l': { cpus: 1, dedicated: true, memoryMiB: 4096 },
  'professional-l': { cpus: 2, dedicated: true, memoryMiB: 8192 },
  'professional-xl': { cpus: 4, dedicated: true, memoryMiB: 16384 },
});

/** The image a managed database engine is, for the roles that plan it. */
const ENGINE_IMAGE: Record<string, string> = table({ PG: 'postgres', MYSQL: 'mysql', REDIS: 'redis', VALKEY: 'valkey', MONGODB: 'mongo', KAFKA: 'kafka', OPENSEARCH: 'opensearch' });

/** Where each registry type keeps images: Docker Hub's need no host. */
const REGISTRY_HOST: Record<string, string> = table({ DOCR: 'registry.digitalocean.com/', GHCR: 'ghcr.io/', DOCKER_HUB: '' });

const COMPONENTS: Array<[string, WorkloadKind]> = [['services', 'service'], ['workers', 'worker'], ['jobs', 'job'], ['static_sites', 'service'], ['functions', 'function']];

/** Keys only App Platform components have. */
const COMPONENT_KEYS = ['github', 'gitlab', 'git', 'image', 'instance_size_slug', 'instance_count', 'dockerfile_path', 'environment_slug', 'http_port', 'source_dir', 'run_command', 'envs'];

/** Whether YAML is an App Platform spec: components that have App Platform's keys, or typed databases (a template's are under `spec`). */
export function looksLikeDoAppSpec(js: unknown): boolean {
  const root = obj(js);
  const spec = isObj(root.spec) ? root.spec : root;
  const component = (c: unknown) => isObj(c) && COMPONENT_KEYS.some((k) => k in c);
  return COMPONENTS.some(([k]) => arr(spec[k]).some(component)) || arr(spec.databases).some((db) => isObj(db) && typeof db.engine === 'string');
}

export function parseDoAppSpec(text: string, file: string): ParseResult {
  const { docs, diagnostics } = parseYaml(text, file);
  const d = docs[0];
  if (!d || !looksLikeDoAppSpec(d.js)) return { workloads: [], diagnostics, notDescriptor: 'YAML with no App Platform components (services, workers, jobs, static_sites) or databases' };
  const base: Path = isObj(obj(d.js).spec) ? ['spec'] : [];
  const spec = base.length ? obj(obj(d.js).spec) : obj(d.js);
  // `.do/app.yaml` describes the repository it sits in: paths in it are from the repository's root.
  const root = /(^|\/)\.do$/.test(posixDirname(file)) ? posixDirname(posixDirname(file)) : posixDirname(file);
  const workloads: PartialWorkload[] = [];
  const app = str(spec.name) ?? 'app';
  const count = COMPONENTS.reduce((n, [key]) => n + arr(spec[key]).length, 0);
  for (const [key, kind] of COMPONENTS) {
    arr(spec[key]).forEach((c, i) => {
      // A component the spec leaves unnamed is the app's own, or numbered within it.
      const name = str(obj(c).name) ?? (count === 1 ? app : `${app}-${key.replace(/s$/, '')}-${i + 1}`);
      if (isObj(c)) workloads.push(readComponent(d, c, [...base, key, i], key, kind, name, root, diagnostics));
    });
  }
  arr(spec.databases).forEach((db, i) => {
    if (isObj(db) && str(db.name)) workloads.push(readDatabase(d, db, [...base, 'databases', i]));
  });
  return { workloads, diagnostics };
}

function readComponent(d: YamlDoc, c: Obj, path: Path, key: string, kind: WorkloadKind, name: string, root: string, diagnostics: ParseResult['diagnostics']): PartialWorkload {
  const src = at(d, c.name !== undefined ? [...path, 'name'] : path);
  const jobKind = str(c.kind)?.toUpperCase();
  const schedule = str(obj(c.schedule).cron);
  const w = newWorkload(name, schedule ? 'scheduled-job' : kind, src, 'digitalocean');
  trait(w, 'runtime', key === 'functions' ? 'function' : 'container', src);
  trait(w, 'do.component', key.replace(/s$/, '').replace('_site', ' site'), at(d, path));
  if (key === 'static_sites') trait(w, 'static-site', `App Platform static site (${str(c.output_dir) ?? 'build output'})`, src);
  if (key === 'workers') trait(w, 'serves-no-http', 'App Platform worker', src);
  if (jobKind) trait(w, 'do.job-kind', jobKind, at(d, [...path, 'kind']));
  if (schedule) trait(w, 'schedule', schedule, at(d, [...path, 'schedule', 'cron']));
  if (key === 'services') {
    const port = num(c.http_port) ?? 8080;
    w.ports.push(port);
    trait(w, 'port', port, c.http_port !== undefined ? at(d, [...path, 'http_port']) : src);
  }
  if (str(obj(c.health_check).http_path)) trait(w, 'healthcheck', true, at(d, [...path, 'health_check']));
  if (str(c.run_command)) trait(w, 'command', str(c.run_command) as string, at(d, [...path, 'run_command']));
  readSource(d, c, path, root, w);
  readSize(d, c, path, w, diagnostics);
  readEnvs(d, c, path, w);
  return w;
}

/** What the component runs: an image from a registry, a Dockerfile of the repository, or a buildpack's build of its source. */
function readSource(d: YamlDoc, c: Obj, path: Path, root: string, w: PartialWorkload): void {
  const image = obj(c.image);
  if (str(image.repository)) {
    const host = REGISTRY_HOST[str(image.registry_type)?.toUpperCase() ?? ''] ?? '';
    const namespace = str(image.registry);
    w.image = `${host}${namespace ? `${namespace}/` : ''}${str(image.repository)}${str(image.tag) ? `:${str(image.tag)}` : ''}`;
    trait(w, 'image', w.image, at(d, [...path, 'image']));
  } else if (str(c.dockerfile_path)) {
    w.buildDockerfile = posixJoin(root, str(c.dockerfile_path) as string);
    trait(w, 'build', w.buildDockerfile, at(d, [...path, 'dockerfile_path']));
  } else if (str(c.environment_slug)) trait(w, 'do.buildpack', str(c.environment_slug) as string, at(d, [...path, 'environment_slug']));
}

/** The instance size (CPUs and memory) and count, or the autoscaling bounds. */
function readSize(d: YamlDoc, c: Obj, path: Path, w: PartialWorkload, diagnostics: ParseResult['diagnostics']): void {
  const slug = str(c.instance_size_slug)?.toLowerCase();
  if (slug) {
    const ssrc = at(d, [...path, 'instance_size_slug']);
    const named = /^apps-([sd])-(\d+)vcpu-(\d+(?:\.\d+)?)gb/.exec(slug);
    const size = named ? { cpus: Number(named[2]), dedicated: named[1] === 'd', memoryMiB: Number(named[3]) * 1024 } : LEGACY_SIZES[slug];
    if (size) {
      w.resources.cpu = { value: size.dedicated ? size.cpus : size.cpus * SHARED_VCPU, source: ssrc, cap: true };
      w.resources.memoryMiB = { value: size.memoryMiB, source: ssrc, cap: true };
      if (!size.dedicated) trait(w, 'do.shared-cpu', `${size.cpus} shared vCPU${size.cpus === 1 ? '' : 's'}`, ssrc);
    } else diag(diagnostics, ssrc, 'warning', 'do-instance-size', `Instance size ${slug} is not one App Platform lists; ${w.name} is sized from defaults.`);
  }
  const count = num(c.instance_count);
  if (count !== undefined && count > 0) w.resources.replicas = { value: count, source: at(d, [...path, 'instance_count']) };
  const auto = obj(c.autoscaling);
  const min = num(auto.min_instance_count);
  const max = num(auto.max_instance_count);
  if (min !== undefined) w.resources.minReplicas = { value: min, source: at(d, [...path, 'autoscaling', 'min_instance_count']) };
  if (max !== undefined) w.resources.maxReplicas = { value: max, source: at(d, [...path, 'autoscaling', 'max_instance_count']) };
  if (min !== undefined || max !== undefined) trait(w, 'autoscaling', `App Platform autoscaling: ${min ?? 1}–${max ?? '?'}`, at(d, [...path, 'autoscaling']));
}

/**
 * Environment values are read for secrets and addresses as any environment is (an encrypted
 * `type: SECRET` value is no secret in clear); a bindable variable (`${db.DATABASE_URL}`) makes the
 * component it names a dependency.
 */
function readEnvs(d: YamlDoc, c: Obj, path: Path, w: PartialWorkload): void {
  arr(c.envs).forEach((e, j) => {
    const env = obj(e);
    const key = str(env.key);
    const value = str(env.value) ?? (num(env.value) !== undefined ? String(num(env.value)) : undefined);
    const esrc: SourceRef = at(d, [...path, 'envs', j]);
    for (const m of (value ?? '').matchAll(/\$\{([A-Za-z0-9_-]+)\.[A-Za-z0-9_]+\}/g)) {
      if (m[1] !== '_self' && m[1] !== 'APP_DOMAIN' && !w.dependsOn.some((x) => x.value === m[1])) w.dependsOn.push({ value: m[1], source: esrc });
    }
    if (key && value !== undefined && str(env.type)?.toUpperCase() !== 'SECRET') inspectEnv(w, key, value, at(d, [...path, 'envs', j, 'value']));
  });
}

/** A database: a managed cluster (`production: true`) or a development database, of its engine and version. */
function readDatabase(d: YamlDoc, db: Obj, path: Path): PartialWorkload {
  const src = at(d, [...path, 'name']);
  const w = newWorkload(str(db.name) as string, 'datastore', src, 'digitalocean');
  const engine = str(db.engine)?.toUpperCase() ?? 'PG';
  const image = ENGINE_IMAGE[engine] ?? engine.toLowerCase();
  const version = str(db.version) ?? (num(db.version) !== undefined ? String(num(db.version)) : undefined);
  w.image = version ? `${image}:${version}` : image;
  trait(w, 'image', w.image, at(d, [...path, 'engine']));
  trait(w, 'do.database', db.production === true ? `managed ${engine} cluster${str(db.cluster_name) ? ` ${str(db.cluster_name)}` : ''}` : `development ${engine} database`, src);
  const nodes = num(db.num_nodes);
  if (nodes !== undefined && nodes > 1) trait(w, 'do.database-nodes', nodes, at(d, [...path, 'num_nodes']));
  return w;
}
