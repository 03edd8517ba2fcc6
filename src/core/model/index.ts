import { auxInDeployment, commonPrefixes, dockerfileOnlyVerdict, type DockerfileSibling, fileRoles, isDevEnvironmentPath, isProductionFile, keepExtensionsAside, matchKeys, normaliseKey, oneShotReason, splitByRole, testToolingReason, type FileRole, type NotPlanned } from './curate';
import type { ComposeInclude, K8sAux } from '../parse/common';
import { imageRepository, lastSegment, posixDirname, posixJoin } from '../parse/common';
import { addRoleTrait, findRole, isRoleImage, isRoleName, RUNTIME_IMAGE, serverOfImage } from './roles';
import type { DescriptorKind, Diagnostic, PartialWorkload, SourceRef, Trait, Workload } from '../types';
import { partition, pushAll, table } from '../collections';
import { parseMemoryMiB } from '../units';

export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'workload';
}

function compareRef(a: SourceRef, b: SourceRef): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line;
}

/** Which descriptor wins when two describe the same resource: the more specific one. */
const RANK: Record<string, number> = table({ inventory: 0, kubernetes: 1, helm: 2, compose: 3, cloudfoundry: 4, appengine: 5, serverless: 6, render: 7, fly: 8, kamal: 9, railway: 10, digitalocean: 11, azd: 12, ecs: 13, copilot: 13, apprunner: 13, netlify: 13, platformsh: 13, 'heroku-app': 14, procfile: 15, dockerfile: 16 });

/** A workload with every field in place from the start (one object shape for all of them). */
function newWorkload(id: string, name: string, kind: Workload['kind']): Workload {
  return { id, name, kind, image: undefined, buildDockerfile: undefined, sources: [], descriptors: [], traits: [], env: [], dependsOn: [], ports: [], resources: {} };
}

/** Host access a compose file grants: the Docker socket, privileged mode, the host's network or process namespace. */
function isHostAccess(t: Trait): boolean {
  if (t.name === 'docker-socket') return true;
  if (t.name === 'volume.bind') return /(docker|containerd)\.sock(:|$)/.test(String(t.value));
  return (t.name === 'privileged' || t.name === 'host.network' || t.name === 'host.pid') && t.value === true;
}

/**
 * A service deployed both by a compose file and by Kubernetes manifests or a chart runs as the
 * cluster runs it: host access only the compose file grants (Sock Shop's compose queue-master
 * mounts the Docker socket, its Deployment does not) is no blocker of the plan. Those traits are
 * left out of the merge, each said once as `compose.host-access-only`.
 */
function composeHostAccessOffCluster(parts: PartialWorkload[]): Set<Trait> {
  const off = new Set<Trait>();
  const cluster = parts.filter((p) => p.descriptor === 'kubernetes' || p.descriptor === 'helm');
  if (cluster.length === 0) return off;
  const onCluster = new Set(cluster.flatMap((p) => p.traits.filter(isHostAccess).map((t) => (t.name === 'volume.bind' ? 'docker-socket' : t.name))));
  for (const p of parts) {
    if (p.descriptor !== 'compose') continue;
    for (const t of p.traits) if (isHostAccess(t) && !onCluster.has(t.name === 'volume.bind' ? 'docker-socket' : t.name)) off.add(t);
  }
  return off;
}

function mergeInto(t: Workload, p: PartialWorkload, offCluster?: Set<Trait>): void {
  t.sources.push(p.source);
  if (!t.descriptors.includes(p.descriptor)) t.descriptors.push(p.descriptor);
  for (const x of p.traits) {
    if (!offCluster?.has(x)) t.traits.push(x);
    else if (x.name !== 'volume.bind') t.traits.push({ name: 'compose.host-access-only', value: x.name === 'docker-socket' ? String(x.value) : `${x.name}: true`, source: x.source });
  }
  for (const x of p.env) t.env.push(x);
  for (const x of p.dependsOn) t.dependsOn.push(x);
  for (const port of p.ports) if (!t.ports.includes(port)) t.ports.push(port);
  t.image ??= p.image;
  t.buildDockerfile ??= p.buildDockerfile;
  // Resources: the first descriptor that states a figure with a source wins; later ones fill gaps.
  for (const k of Object.keys(p.resources) as (keyof PartialWorkload['resources'])[]) {
    const cur = t.resources[k];
    const inc = p.resources[k];
    if (!inc) continue;
    if (!cur || (!cur.source && inc.source)) t.resources[k] = inc;
  }
  // A more specific kind replaces a generic one (a compose "worker" that a Procfile calls "web").
  if (t.kind === 'worker' && p.kind !== 'worker') t.kind = p.kind;
}

export interface ModelOptions {
  /** `.migration.yaml` `primary:` globs, as a matcher: descriptors of the deployment to plan. */
  primary?: (path: string) => boolean;
  /** Compose files other compose files `include`: each takes the role of the file that includes it. */
  composeIncludes?: ComposeInclude[];
  /** `.migration.yaml` `composeProfiles:` the profiles the deployment runs with, in place of the `.env`'s `COMPOSE_PROFILES`. */
  composeProfiles?: string[];
}

/**
 * Compose services that run only with a profile the deployment does not enable (Dify's twenty
 * vector stores, each behind its own profile, when `.env.example` sets
 * `COMPOSE_PROFILES=weaviate,postgresql`) are options, not workloads: set aside, with why. Without
 * `COMPOSE_PROFILES` in the `.env` or `.migration.yaml`, the profiles are chosen on the command line,
 * so every service stays.
 */
function setAsideInactiveProfiles(partials: PartialWorkload[], notPlanned: NotPlanned[], chosen: string[] | undefined): { kept: PartialWorkload[]; optional: PartialWorkload[] } {
  const optional: PartialWorkload[] = [];
  const kept = partials.filter((p) => {
    const profiles = p.traits.filter((t) => t.name === 'compose.profile').map((t) => String(t.value));
    if (p.descriptor !== 'compose' || !profiles.length) return true;
    const fromEnv = p.traits.find((t) => t.name === 'compose.active-profiles');
    const [activeText, envFile] = fromEnv ? String(fromEnv.value).split('\0') : [];
    const active = chosen ?? (fromEnv ? activeText.split(',').filter(Boolean) : undefined);
    if (active === undefined || active.includes('*') || profiles.some((x) => active.includes(x))) return true;
    const by = chosen ? '`composeProfiles` in .migration.yaml' : `COMPOSE_PROFILES in ${envFile}`;
    notPlanned.push({ name: p.name, reason: 'optional-profile', message: `compose starts it only with the profile ${profiles.join(' / ')}, which ${by} (${active.join(', ') || 'none'}) does not enable; add the profile there to plan it`, sources: [p.source] });
    optional.push(p);
    return false;
  });
  return { kept, optional };
}

export interface Model {
  workloads: Workload[];
  /** Descriptors that are not workloads (base images, build helpers, charts, variants), with why. */
  notPlanned: NotPlanned[];
  /** Descriptor files of other ways to deploy the same services: listed, never sized from. */
  variantFiles: string[];
}

/**
 * Turn the parsers' partial workloads into the workload model:
 * - each descriptor file gets a role (primary deployment, variant, test harness);
 * - partial workloads with the same name are one workload, sized from the primary deployment only;
 * - a Dockerfile joins the workload that builds it, or whose image it makes (by repository name);
 * - Dockerfiles nobody deploys are judged: images of their own, or base images, build helpers,
 *   all-in-one bundles and dev variants (not planned);
 * - Kubernetes Services, HPAs, PVCs and Ingresses are linked to the workloads they select;
 * - derived traits (`kind`, `descriptor`, `ports.count`, `role.*`) are added for the rules.
 */
export function buildModel(all: PartialWorkload[], aux: K8sAux[], crdDirs: string[], diagnostics: Diagnostic[], opts: ModelOptions = {}): Model {
  const notPlanned: NotPlanned[] = [];
  const { kept: partials, optional } = setAsideInactiveProfiles(all, notPlanned, opts.composeProfiles);
  const roles = rolesOfFiles(partials, opts);
  const devCompose = opts.primary ? new Set<string>() : markComposeBesideDeployments(partials, roles);
  const devServers = serversToKeep(partials, roles, devCompose);
  const dockerfiles = new Map<string, PartialWorkload>();
  const groups = new Map<string, PartialWorkload[]>();
  for (const p of partials) {
    if (p.descriptor === 'dockerfile') dockerfiles.set(p.source.file, p);
    else push(groups, slug(p.name), p);
  }
  const splitProjects = !opts.primary && splitComposeProjects(groups, roles);
  mergeNamesakes(groups);
  mergeByImage(groups);
  mergeSubchartsByImage(groups);
  if (!opts.primary) mergeSoleBuiltApp(groups, dockerfiles, roles);
  mergeFastCgiFrontends(groups, dockerfiles);
  const provided = opts.primary ? new Map<string, string>() : overrideDatastores(groups, roles);
  const byId = new Map<string, Workload>();
  const fileRolesOf = new Map<Workload, FileRole[]>();
  const used = dockerfilesOfOptions(optional, dockerfiles);
  const variantOnly: VariantOnly = { ids: new Set(), services: [] };
  for (const id of [...groups.keys()].sort()) {
    const parts = groups.get(id) as PartialWorkload[];
    const split = splitByRole(parts, roles);
    if (provided.has(id)) split.primary = parts.filter((p) => p.source.file === provided.get(id));
    if (split.primary.length > 1) split.primary = oneServerOfAlternatives(split.primary, diagnostics);
    const { chosen, kept } = partsToPlan(split, devServers);
    if (!split.primary.length && !split.test.length && !kept) {
      setAsideVariantOnly(id, parts, variantOnly, dockerfiles, used, notPlanned);
      continue;
    }
    const w = newWorkload(id, chosen[0].name, chosen[0].kind);
    const offCluster = composeHostAccessOffCluster(chosen);
    for (const p of sortParts(chosen)) {
      mergeInto(w, p, offCluster);
      if (p.buildDockerfile) linkBuild(w, p, dockerfiles, used, diagnostics, notPlanned);
    }
    // Variants never give sizes or images; but the Dockerfile a variant builds the service from is
    // still that service's image.
    for (const p of chosen === split.primary ? [...split.variant, ...split.test] : []) linkVariantBuild(w, p, dockerfiles, used, notPlanned);
    fileRolesOf.set(w, kept ? ['primary'] : chosen.map((p) => roles.get(p.source.file) ?? 'primary'));
    if (kept) w.traits.push({ name: 'compose.dev-server', value: chosen[0].source.file, source: chosen[0].source });
    byId.set(id, w);
  }
  dropDataContainers(byId, notPlanned);
  dropUntypedPlatformServices(byId, notPlanned);
  markClusterAddonImages(byId);
  dropClusterAddons(byId, notPlanned);
  dropReleaseCopies(byId, notPlanned);
  linkDockerfilesBeside([...byId.values()], dockerfiles, used);
  linkDockerfilesByImage([...byId.values()], dockerfiles, used);
  linkRootDockerfile([...byId.values()], dockerfiles, used);
  addDockerfileOnly(byId, dockerfiles, used, notPlanned, fileRolesOf, roles, variantOnly);
  adoptScaffoldChartImage(byId, dockerfiles, fileRolesOf);
  curateHelmCharts(byId, notPlanned);
  curatePatches(byId, notPlanned);
  const workloads = [...byId.values()];
  linkKubernetesByRole(workloads, aux, (w) => (fileRolesOf.get(w) ?? ['primary']).includes('primary'), auxInDeployment(roles, opts.primary));
  markOperators(workloads, crdDirs);
  for (const w of workloads) {
    markCommandWorker(w);
    markEdgeProxy(w);
    addRoleTrait(w);
    markNonProduction(w, fileRolesOf.get(w) ?? []);
  }
  markProxiedServices(workloads, splitProjects);
  markHttpReferenced(workloads, splitProjects);
  linkHerokuAddons(workloads);
  resolveDependencies(workloads, splitProjects);
  markAirflow(workloads);
  markDataCluster(workloads);
  for (const w of workloads) addDerivedTraits(w);
  workloads.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  notPlanned.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const variantFiles = [...roles].filter(([, r]) => r === 'variant').map(([f]) => f).sort();
  return { workloads, notPlanned, variantFiles };
}

/**
 * The Dockerfile a variant builds a planned service from is that service's image, unless the
 * deployment builds the service from another one (a development image beside the production one).
 */
function linkVariantBuild(w: Workload, p: PartialWorkload, dockerfiles: Map<string, PartialWorkload>, used: Set<string>, notPlanned: NotPlanned[]): void {
  const df = p.buildDockerfile ? builtFrom(p.buildDockerfile, dockerfiles) : undefined;
  if (!df || used.has(df.source.file)) return;
  used.add(df.source.file);
  // A development Dockerfile (`client/Dockerfile.dev`) beside the folder's own: the service's image is built from the latter.
  const production = isDevDockerfile(df.source.file) ? dockerfiles.get(posixJoin(posixDirname(df.source.file), 'Dockerfile')) : undefined;
  if (production) {
    notPlanned.push({ name: df.name, reason: 'dev-variant', message: `the development image ${p.source.file} builds ${p.name} from; ${production.source.file} beside it builds the one deployed`, sources: [df.source] });
    if (used.has(production.source.file) || w.sources.some((s) => dockerfiles.has(s.file))) return;
    used.add(production.source.file);
    mergeInto(w, production);
    return;
  }
  const own = w.sources.find((s) => s.file !== df.source.file && dockerfiles.has(s.file));
  if (!own) mergeInto(w, df);
  else notPlanned.push({ name: df.name, reason: 'variant', message: `the image ${p.source.file} builds ${p.name} from; the planned deployment builds it from ${own.file}`, sources: [df.source] });
}

/**
 * Datastores that a planned compose service needs but only a compose override provides:
 * frappe_docker's `overrides/compose.mariadb.yaml` adds `db` and makes the configurator depend on
 * it, adding nothing else to that service. Each is planned from the first such file by path (the
 * others, such as a PostgreSQL override adding the same `db`, are alternatives). Keyed by workload
 * id, valued by that file.
 */
function overrideDatastores(groups: Map<string, PartialWorkload[]>, roles: Map<string, FileRole>): Map<string, string> {
  const out = new Map<string, string>();
  const variantOnly = (parts: PartialWorkload[]) => parts.every((x) => roles.get(x.source.file) === 'variant');
  for (const parts of groups.values()) {
    // Only a service with an override part beside its own can have an override's dependency.
    if (parts.length < 2 || !parts.some((p) => p.descriptor === 'compose' && roles.get(p.source.file) === 'primary')) continue;
    for (const p of parts) {
      // An override adds to the service (no image or build of its own); a whole alternative stack
      // (temporal's docker-compose-mysql.yml) is a variant, datastores included.
      if (p.descriptor !== 'compose' || roles.get(p.source.file) !== 'variant' || p.image !== undefined || p.buildDockerfile !== undefined) continue;
      for (const dep of p.dependsOn) {
        const id = slug(dep.value);
        const needed = groups.get(id);
        if (!needed || !variantOnly(needed)) continue;
        const server = needed.some((x) => x.source.file === p.source.file && x.descriptor === 'compose' && ((x.image !== undefined && isRoleImage(x.image)) || isRoleName(x.name)));
        const cur = out.get(id);
        if (server && (cur === undefined || p.source.file < cur)) out.set(id, p.source.file);
      }
    }
  }
  return out;
}

/** A compose file beside another deployment of the same application is often its local setup or an alternative: a variant. */
function markComposeBesideDeployments(partials: PartialWorkload[], roles: Map<string, FileRole>): Set<string> {
  const dev = markLocalDevCompose(partials, roles);
  markAlternativeCompose(partials, roles);
  markComposeOfClusterImages(partials, roles);
  markLocalDependenciesCompose(partials, roles);
  return dev;
}

/**
 * The servers (PostgreSQL, Redis…) of a developer's compose file that the deployment does not run
 * itself: an Elastic Beanstalk or ECS application whose database and cache are RDS and ElastiCache
 * made by hand still needs them, so they are planned from the compose file. Nothing is kept when the
 * deployment declares any datastore of its own (a chart's subcharts, Heroku add-ons, Kamal accessories).
 */
function serversToKeep(partials: PartialWorkload[], roles: Map<string, FileRole>, devCompose: Set<string>): Set<PartialWorkload> {
  const keep = new Set<PartialWorkload>();
  if (devCompose.size === 0) return keep;
  const primary = partials.filter((p) => roles.get(p.source.file) === 'primary' && p.descriptor !== 'dockerfile');
  if (primary.some((p) => p.kind === 'datastore' || (p.image !== undefined && isRoleImage(p.image)))) return keep;
  for (const p of partials) if (devCompose.has(p.source.file) && p.image !== undefined && p.buildDockerfile === undefined && isRoleImage(p.image)) keep.add(p);
  return keep;
}

/** Deployments on a platform: beside them, a compose file is usually the developers' local setup. */
const PLATFORM_KINDS = new Set<DescriptorKind>(['appengine', 'cloudfoundry', 'heroku-app', 'procfile', 'serverless', 'render', 'fly', 'kamal', 'railway', 'digitalocean', 'azd', 'apprunner', 'netlify', 'platformsh']);

/**
 * A compose file whose every built service mounts source from the working tree over itself
 * (`.:/opt/app`), or is built from a development Dockerfile (`Dockerfile.dev`), runs the code as it
 * is being edited: a developer's setup. Beside a platform deployment (App Engine, Cloud Foundry,
 * Heroku, Serverless) or manifests, a chart, ECS or Copilot services that run the application
 * (Superset's chart beside its development compose file) it is a variant of that deployment, not a
 * second deployment of the same services.
 */
function markLocalDevCompose(partials: PartialWorkload[], roles: Map<string, FileRole>): Set<string> {
  const dev = new Set<string>();
  // A platform deployment, or one that runs an application image (not only servers).
  const deploysApp = (p: PartialWorkload) => PLATFORM_KINDS.has(p.descriptor) || (CLUSTER_OR_AWS.has(p.descriptor) && p.image !== undefined && !isRoleImage(p.image));
  if (!partials.some((p) => deploysApp(p) && roles.get(p.source.file) === 'primary')) return dev;
  const byFile = new Map<string, PartialWorkload[]>();
  for (const p of partials) if (p.descriptor === 'compose' && roles.get(p.source.file) === 'primary') push(byFile, p.source.file, p);
  for (const [file, parts] of byFile) {
    const built = parts.filter((p) => p.buildDockerfile);
    if (built.length > 0 && built.every((p) => mountsOwnSource(p, posixDirname(file)) || isDevDockerfile(p.buildDockerfile as string))) {
      roles.set(file, 'variant');
      dev.add(file);
    }
  }
  return dev;
}

/** Deployments that run the application's images: manifests, a chart, ECS task definitions (Elastic Beanstalk's too), Copilot services. */
const CLUSTER_OR_AWS = new Set<DescriptorKind>(['kubernetes', 'helm', 'ecs', 'copilot']);

/** A Dockerfile named for development (`Dockerfile.dev`, `dev.Dockerfile`): the compose file that builds from it is a developer's setup. */
function isDevDockerfile(file: string): boolean {
  const base = file.slice(file.lastIndexOf('/') + 1);
  const suffix = /^(?:dockerfile|containerfile)[._-](.+)$/i.exec(base)?.[1] ?? /^(.+)\.(?:dockerfile|containerfile)$/i.exec(base)?.[1];
  return suffix !== undefined && /^(dev|develop|development|local|debug)$/i.test(suffix);
}

/** A compose service that bind-mounts the working tree (`.:/opt/app`) or its own build context (`./backend:/app`, built from `./backend`) over itself. */
function mountsOwnSource(p: PartialWorkload, composeDir: string): boolean {
  const context = posixDirname(p.buildDockerfile ?? '');
  return p.traits.some((t) => {
    if (t.name !== 'volume.bind') return false;
    const source = String(t.value).split(':')[0];
    if (/^(\.\/?|\$\{?PWD\}?\/?)$/.test(source)) return true;
    return !source.includes('$') && !source.startsWith('/') && posixJoin(composeDir, source) === context;
  });
}

/**
 * A compose file that runs nothing but servers (PostgreSQL, MySQL, Redis…), beside a deployment that
 * runs the application and its own servers (Kubernetes manifests or a chart with an application
 * image and a server image, or a platform deployment with servers of its own: Heroku add-ons, a
 * Render Blueprint's databases, Kamal's accessories), is the developers' local dependencies: a
 * variant (spring-petclinic's MySQL and PostgreSQL beside its Kubernetes demo-db). With no server
 * in that deployment, the compose servers stay: they are what the application needs.
 */
function markLocalDependenciesCompose(partials: PartialWorkload[], roles: Map<string, FileRole>): void {
  const primary = (p: PartialWorkload) => roles.get(p.source.file) === 'primary';
  const onCluster = partials.filter((p) => (p.descriptor === 'kubernetes' || p.descriptor === 'helm') && primary(p) && p.image !== undefined);
  // The cluster deployment runs the application and its own servers: the compose servers are not the only word on them.
  const clusterOwnsData = onCluster.some((p) => !isRoleImage(p.image as string)) && onCluster.some((p) => isRoleImage(p.image as string));
  // A platform deployment that declares its own servers: Heroku add-ons, a Blueprint's databases, Kamal's accessories…
  const addOns = partials.some((p) => PLATFORM_KINDS.has(p.descriptor) && primary(p) && (p.kind === 'datastore' || (p.image !== undefined && isRoleImage(p.image))));
  if (!clusterOwnsData && !addOns) return;
  const byFile = new Map<string, PartialWorkload[]>();
  for (const p of partials) if (p.descriptor === 'compose' && primary(p)) push(byFile, p.source.file, p);
  for (const [file, parts] of byFile) {
    if (parts.every((p) => p.image !== undefined && p.buildDockerfile === undefined && isRoleImage(p.image))) roles.set(file, 'variant');
  }
}

/**
 * A compose file that builds nothing and runs, for at least half of its applications, the services
 * Kubernetes manifests or a chart deploy (by name or image) is another way to run the same stack:
 * Sock Shop's `deploy/docker-compose/` beside `deploy/kubernetes/`. It is a variant, so that the
 * stack's own router or load generator there is not planned beside the cluster.
 */
function markComposeOfClusterImages(partials: PartialWorkload[], roles: Map<string, FileRole>): void {
  const primary = (p: PartialWorkload) => roles.get(p.source.file) === 'primary';
  const cluster = partials.filter((p) => (p.descriptor === 'kubernetes' || p.descriptor === 'helm') && primary(p) && p.image !== undefined && !isRoleImage(p.image));
  if (cluster.length === 0) return;
  const names = new Set(cluster.map((p) => slug(p.name)));
  const images = new Set(cluster.map((p) => imageRepository(p.image as string)));
  const byFile = new Map<string, PartialWorkload[]>();
  for (const p of partials) if (p.descriptor === 'compose' && primary(p)) push(byFile, p.source.file, p);
  for (const [file, parts] of byFile) {
    if (parts.some((p) => p.buildDockerfile !== undefined || p.image === undefined)) continue;
    const apps = parts.filter((p) => !isRoleImage(p.image as string));
    const same = apps.filter((p) => names.has(slug(p.name)) || images.has(imageRepository(p.image as string)));
    if (apps.length > 0 && same.length * 2 >= apps.length) roles.set(file, 'variant');
  }
}

/** A command that does nothing: the container exists only to hold volumes (`volumes_from`). */
const DATA_ONLY_COMMAND = /^(\/bin\/)?(true|false)$|^(\/bin\/)?echo\b/;

/**
 * A Heroku app (app.json) that declares its own datastores, and a compose file that runs the same
 * processes (a compose service named like a Procfile process) are two ways to deploy one app: the
 * compose file is the alternative, a variant, so that its own database and workers are not planned
 * a second time beside the add-ons and processes (huginn: MySQL beside the Heroku PostgreSQL).
 */
function markAlternativeCompose(partials: PartialWorkload[], roles: Map<string, FileRole>): void {
  const primary = (p: PartialWorkload) => roles.get(p.source.file) === 'primary';
  const platform = partials.filter((p) => (p.descriptor === 'heroku-app' || p.descriptor === 'procfile') && primary(p));
  if (!platform.some((p) => p.descriptor === 'heroku-app' && p.kind === 'datastore')) return;
  const processes = new Set(platform.filter((p) => p.kind !== 'datastore').map((p) => slug(p.name)));
  const byFile = new Map<string, PartialWorkload[]>();
  for (const p of partials) if (p.descriptor === 'compose' && primary(p)) push(byFile, p.source.file, p);
  for (const [file, parts] of byFile) {
    if (!parts.some((p) => p.kind !== 'datastore' && processes.has(slug(p.name)))) continue;
    // The compose file is the fuller deployment when it also runs a component of the project the Heroku app does not (Mastodon's streaming server).
    if (runsAnotherComponent(parts, processes)) for (const p of platform) roles.set(p.source.file, 'variant');
    else roles.set(file, 'variant');
  }
}

/**
 * Does this compose file run, beside the services that are Heroku processes, another application
 * image of the same project (`ghcr.io/mastodon/mastodon-streaming` beside `ghcr.io/mastodon/mastodon`),
 * or one built from another Dockerfile? Huginn's `threaded` runs the web process's image: no.
 */
function runsAnotherComponent(parts: PartialWorkload[], processes: Set<string>): boolean {
  const component = (p: PartialWorkload): string | undefined => (p.image && !isRoleImage(p.image) ? imageRepository(p.image) : p.buildDockerfile ? `build:${p.buildDockerfile}` : undefined);
  const asProcesses = parts.filter((p) => processes.has(slug(p.name)));
  const known = new Set(asProcesses.map(component).filter((c): c is string => c !== undefined));
  const namespaces = new Set([...known].filter((c) => !c.startsWith('build:')).map(namespaceOfImage));
  return parts.some((p) => {
    const c = p.kind === 'datastore' || processes.has(slug(p.name)) ? undefined : component(p);
    return c !== undefined && !known.has(c) && (c.startsWith('build:') ? [...known].some((k) => k.startsWith('build:')) : namespaces.has(namespaceOfImage(c)) && namespaceOfImage(c) !== '');
  });
}

/**
 * A Heroku add-on is attached to the whole app: every process of the app (`web`, `worker`, the
 * `release` phase) gets its config vars (DATABASE_URL, REDIS_URL), so each depends on the app's
 * datastore add-ons, in the folder of its app.json (a logging or e-mail add-on orders nothing).
 */
function linkHerokuAddons(workloads: Workload[]): void {
  const addonsIn = new Map<string, Workload[]>();
  for (const w of workloads) {
    if (w.kind !== 'datastore' || !w.traits.some((t) => t.name === 'heroku.addon')) continue;
    for (const s of w.sources) push(addonsIn, posixDirname(s.file), w);
  }
  if (addonsIn.size === 0) return;
  for (const w of workloads) {
    if (w.kind === 'datastore' || w.traits.some((t) => t.name === 'heroku.addon') || !w.descriptors.some((d) => d === 'procfile' || d === 'heroku-app')) continue;
    const dirs = new Set(w.sources.filter((s) => /(^|\/)(Procfile|app\.json|heroku\.yml)$/.test(s.file)).map((s) => posixDirname(s.file)));
    for (const dir of dirs) for (const addon of addonsIn.get(dir) ?? []) if (addon !== w) w.dependsOn.push({ value: addon.name, source: addon.sources.find((s) => posixDirname(s.file) === dir) });
  }
}

/** Data-only containers are not workloads: their volumes belong to the services that use them. */
function dropDataContainers(byId: Map<string, Workload>, notPlanned: NotPlanned[]): void {
  for (const [id, w] of byId) {
    const commands = w.traits.filter((t) => t.name === 'command').map((t) => String(t.value).trim());
    if (commands.length === 0 || !commands.every((c) => DATA_ONLY_COMMAND.test(c)) || w.ports.length > 0) continue;
    byId.delete(id);
    notPlanned.push({ name: w.name, reason: 'data-container', message: `a data-only container (command \`${commands[0].slice(0, 40)}\`): its volumes belong to the services that use them`, sources: [...w.sources].sort(compareRef) });
  }
}

/** Names of bound identity services: SAP XSUAA / IAS, Cloud Foundry UAA, SSO and OAuth brokers. */
const IDENTITY_SERVICE = /(^|[-_.])(xsuaa|uaa|ias|auth|authn|identity|sso|oauth|saml)([-_.]|$)/i;

/**
 * A Cloud Foundry service instance that the manifest only names (no known type in its name) is not a
 * server to size: an identity service (XSUAA, IAS) moves to the cloud's identity service, anything
 * else needs its type stated before it can be planned.
 */
function dropUntypedPlatformServices(byId: Map<string, Workload>, notPlanned: NotPlanned[]): void {
  for (const [id, w] of byId) {
    if (w.descriptors.some((d) => d !== 'cloudfoundry') || w.image || !w.traits.some((t) => t.name === 'cf.service-unknown')) continue;
    byId.delete(id);
    const message = IDENTITY_SERVICE.test(w.name)
      ? 'a bound identity service: the apps\' sign-in moves to Amazon Cognito / Google Identity Platform (or stays with the provider); nothing to size'
      : 'a bound service instance whose type the manifest does not say: nothing to size; declare it in migration-inventory.yaml to plan it';
    notPlanned.push({ name: w.name, reason: 'platform-service', message, sources: [...w.sources].sort(compareRef) });
  }
}

/** Background-job runners started by a command (Celery, Sidekiq, RQ, Resque, Laravel queues…), and the schedulers among them. */
const WORKER_COMMAND = /\b(celery\b.*\b(worker|beat)\b|bin\/jobs\b|sidekiq|rq\s+worker|rqworker|resque|jobs:work|delayed_job|queue:(work|listen)|artisan\s+horizon|qcluster|dramatiq|huey_consumer|good_job|solid_queue|arq\s)/;
const SCHEDULER_COMMAND = /\b(celery\b.*\bbeat\b|clockwork|schedule:work|rqscheduler|sidekiq-cron)\b/;

/**
 * A service whose own command starts a background-job runner (`celery -A app worker`) serves no
 * HTTP even when the image it shares with the web process EXPOSEs a port: it is a worker, and a
 * scheduler (`celery beat`) is scheduled work. So is a process its platform says nothing routes to
 * (a Kamal role off the proxy, a Fly process group with no service, a Render background worker),
 * whatever its command. Ports its own descriptor declares keep it a service.
 */
function markCommandWorker(w: Workload): void {
  const command = w.traits.find((t) => (t.name === 'command' && WORKER_COMMAND.test(String(t.value))) || t.name === 'serves-no-http') ?? workerMode(w);
  if (!command) return;
  const declared = w.traits.some((t) => t.name === 'port' && !/(^|\/)(Dockerfile|Containerfile)[^/]*$|\.(Dockerfile|Containerfile)$/i.test(t.source.file));
  if (declared) return;
  w.traits = w.traits.filter((t) => t.name !== 'port');
  w.ports = [];
  w.kind = 'worker';
  w.traits.push({ name: 'worker.command', value: String(command.value).slice(0, 120), source: command.source });
  const scheduler = SCHEDULER_COMMAND.test(String(command.value)) || SCHEDULER_MODE.test(String(command.value));
  if (scheduler && !w.traits.some((t) => t.name === 'schedule')) w.traits.push({ name: 'schedule', value: 'clock process', source: command.source });
}

/** Which Airflow component a workload runs, by its command or its name: the scheduler first, then the API server / web server. */
function airflowRank(w: Workload): number {
  const text = `${w.traits.filter((t) => t.name === 'command').map((t) => String(t.value)).join(' ')} ${w.name}`;
  return /\bscheduler\b/.test(text) ? 0 : /\b(api-server|apiserver|webserver)\b/.test(text) ? 1 : 2;
}

/**
 * Apache Airflow run as containers (its scheduler, API server, DAG processor, Celery workers,
 * triggerer and init job, each a compose service on the Airflow image) is one Airflow deployment:
 * the managed service (Amazon MWAA / Cloud Composer) runs all of it, and the metadata database and
 * Celery broker only Airflow uses come with it. The scheduler carries the environment; the other
 * components and those datastores retire into it. Per folder: two Airflow stacks stay two.
 */
function markAirflow(workloads: Workload[]): void {
  const isAirflow = (w: Workload) => w.traits.some((t) => t.name === 'role.airflow');
  const groups = markPlatformGroups(workloads, (w) => isAirflow(w) && !w.traits.some((t) => t.name === 'nonprod.test'), (parts) => [...parts].sort((a, b) => airflowRank(a) - airflowRank(b) || (a.name < b.name ? -1 : 1))[0], ['airflow.environment', 'airflow.component']);
  if (groups.length === 0) return;
  const usersOf = new Map<string, Workload[]>();
  for (const w of workloads) for (const d of w.dependsOn) push(usersOf, d.value, w);
  for (const { head, members } of groups) {
    const ids = new Set(members.map((w) => w.id));
    for (const ds of workloads) {
      if (ds.kind !== 'datastore') continue;
      const users = usersOf.get(ds.id) ?? [];
      if (users.length > 0 && users.every((w) => ids.has(w.id) || isAirflow(w)) && users.some((w) => ids.has(w.id))) ds.traits.push({ name: 'airflow.metadata', value: head.name, source: ds.sources[0] });
    }
  }
}

/**
 * Workloads that together are one managed platform (an Airflow deployment, a Spark cluster), one
 * group per folder: the head carries the platform (its trait lists the members), each other member
 * is a part of it (its trait names the head). The role trait that made each a member is cited.
 */
function markPlatformGroups(workloads: Workload[], member: (w: Workload) => boolean, pickHead: (members: Workload[]) => Workload, [headTrait, partTrait]: [string, string]): { head: Workload; members: Workload[] }[] {
  const byDir = new Map<string, Workload[]>();
  for (const w of workloads) if (member(w)) push(byDir, posixDirname(w.sources[0].file), w);
  const cite = (w: Workload) => w.traits.find((t) => t.name.startsWith('role.'))?.source ?? w.sources[0];
  return [...byDir.values()].map((members) => {
    const head = pickHead(members);
    head.traits.push({ name: headTrait, value: members.map((w) => w.name).sort().join(', '), source: cite(head) });
    for (const w of members) if (w !== head) w.traits.push({ name: partTrait, value: head.name, source: cite(w) });
    return { head, members };
  });
}

/** A cluster's head node, by its command, environment (`SPARK_MODE=master`) or name. */
function isHeadNode(w: Workload): boolean {
  const text = [w.name, ...w.traits.filter((t) => t.name === 'command' || t.name === 'image').map((t) => String(t.value)), ...w.env.map((e) => `${e.name}=${e.value ?? ''}`)].join(' ');
  return /(\bmaster\b|deploy\.master|SPARK_MODE=master|namenode|resourcemanager)/i.test(text);
}

/** Spark and Hadoop nodes: the roles markDataCluster groups. */
const DATA_NODE_ROLES = new Set(['role.spark', 'role.hadoop']);

/**
 * A Spark (or Hadoop) cluster run as containers (a master and its workers, bitnami's `SPARK_MODE`,
 * bde2020's `spark-master` / `spark-worker-1`, a name node and data nodes) is one cluster: the head
 * node is planned as EMR / Dataproc with as many nodes as the containers, the worker's size per
 * node; the other nodes are part of it. Per folder.
 */
function markDataCluster(workloads: Workload[]): void {
  const groups = markPlatformGroups(workloads, (w) => w.traits.some((t) => DATA_NODE_ROLES.has(t.name)), (nodes) => nodes.find(isHeadNode) ?? nodes[0], ['data.cluster', 'data.cluster-part']);
  for (const { head, members } of groups) {
    const count = members.reduce((n, w) => n + (w.resources.replicas?.value ?? 1), 0);
    head.resources.replicas = { value: count, source: head.resources.replicas?.source ?? head.traits.find((t) => t.name === 'data.cluster')?.source };
    sizeNodesLikeWorker(head, members.find((w) => w !== head));
  }
}

/** The cluster's nodes are sized like its worker: SPARK_WORKER_CORES / SPARK_WORKER_MEMORY, or the worker's own resources. */
function sizeNodesLikeWorker(head: Workload, worker: Workload | undefined): void {
  if (!worker) return;
  const cores = worker.env.find((e) => e.name === 'SPARK_WORKER_CORES');
  const memory = worker.env.find((e) => e.name === 'SPARK_WORKER_MEMORY');
  const cpu = Number(cores?.value);
  const mem = parseMemoryMiB(memory?.value, true);
  if (cores?.source && Number.isFinite(cpu) && cpu > 0) head.resources.cpu = { value: cpu, source: cores.source };
  else if (worker.resources.cpu) head.resources.cpu = worker.resources.cpu;
  if (memory?.source && mem !== undefined && mem > 0) head.resources.memoryMiB = { value: mem, source: memory.source };
  else if (worker.resources.memoryMiB) head.resources.memoryMiB = worker.resources.memoryMiB;
}

/** Variables whose value picks what an image's entrypoint starts (Dify's `MODE: worker`), and the values that start background work. */
const MODE_VARIABLE = /^(MODE|APP_MODE|RUN_MODE|SERVICE_MODE|SERVER_MODE|START_MODE|PROCESS_TYPE|PROCESS|APP_ROLE|CONTAINER_ROLE|SERVICE_ROLE)$/;
const WORKER_MODE = /^(worker|workers|beat|scheduler|cron|consumer|jobs?|queue|celery|celery-worker|celery-beat|sidekiq)$/i;
const SCHEDULER_MODE = /^[A-Z_]+=(beat|scheduler|cron|celery-beat)$/;

/**
 * A compose service that starts its image's background worker or scheduler by a mode variable
 * (`MODE: worker`, `MODE: beat`), as the command would: the mode, as the worker's command.
 */
function workerMode(w: Workload): Trait | undefined {
  const e = w.env.find((x) => MODE_VARIABLE.test(x.name) && x.value !== undefined && WORKER_MODE.test(x.value.trim()));
  if (!e?.source) return undefined;
  const mode = (e.value as string).trim().toLowerCase();
  return { name: 'command', value: `${e.name}=${mode}`, source: e.source };
}

/**
 * A compose service built here FROM a stock proxy image that adds only its configuration (no site
 * of its own: cookiecutter-django's `compose/production/nginx/Dockerfile`, FROM nginx with a
 * `default.conf`), in front of the services it depends on: the edge, as the stock image would be.
 */
function builtProxyConfig(w: Workload): boolean {
  if (!w.descriptors.includes('dockerfile') || !w.descriptors.every((d) => d === 'compose' || d === 'dockerfile') || w.dependsOn.length === 0) return false;
  if (w.traits.some((t) => t.name === 'static-site' || t.name === 'cmd' || t.name === 'entrypoint')) return false;
  const base = w.traits.find((t) => t.name === 'base-image');
  const seg = base ? lastSegment(String(base.value)) : '';
  if (!PROXY_IMAGE.test(seg)) return false;
  w.traits.push({ name: 'role.edge-proxy', value: `${seg} built with its own configuration, in front of ${w.dependsOn.map((x) => String(x.value)).slice(0, 3).join(', ')}`, source: (base as Trait).source });
  return true;
}

/** Proxy server images that sit in front of an application as they come, configured by a mounted file. */
const PROXY_IMAGE = /^(nginx|nginx-unprivileged|openresty|caddy|haproxy|envoy|httpd)$/;

/**
 * A stock proxy image (nginx, Caddy, HAProxy…) that the repository does not build, listening on 80
 * or 443 in front of services it depends on, is the edge: the managed load balancer's job.
 */
function markEdgeProxy(w: Workload): void {
  if (builtProxyConfig(w)) return;
  if (!w.image || w.descriptors.includes('dockerfile')) return;
  if (!w.descriptors.every((d) => d === 'compose')) return;
  const seg = lastSegment(w.image);
  if (!PROXY_IMAGE.test(seg) || !w.ports.some((p) => p === 80 || p === 443)) return;
  const src = w.traits.find((t) => t.name === 'image')?.source ?? w.sources[0];
  if (w.dependsOn.length > 0) {
    w.traits.push({ name: 'role.edge-proxy', value: `${seg} in front of ${w.dependsOn.map((x) => String(x.value)).slice(0, 3).join(', ')}`, source: src });
    return;
  }
  // With no depends_on, a gateway by its name whose routes are a mounted file (eShop's `webshoppingapigw`, Envoy with ./ApiGateways/Envoy/config).
  const config = w.traits.find((t) => t.name === 'volume.bind');
  if (config && GATEWAY_NAME.test(w.name)) w.traits.push({ name: 'role.edge-proxy', value: `${seg} routing by ${String(config.value).split(':')[0]}`, source: src });
}

/** Names of a gateway or proxy in front of the others: `webshoppingapigw`, `api-gateway`, `edge-proxy`, `reverse-proxy`, `lb`. */
const GATEWAY_NAME = /(gw|gateway|proxy|edge|(^|[-_])lb|loadbalancer|load-balancer|ingress)([-_]|$)/i;

/**
 * The applications an edge proxy routes to serve HTTP, though their compose service publishes no
 * port of its own (cookiecutter-django's django behind Traefik): they are services, behind the
 * managed load balancer that takes the proxy's place, not workers.
 */
function markProxiedServices(workloads: Workload[], splitProjects: boolean): void {
  const proxies = workloads.filter((w) => w.traits.some((t) => t.name === 'role.edge-proxy'));
  if (proxies.length === 0) return;
  const byId = new Map(workloads.map((w) => [w.id, w]));
  const resolve = nameResolver(workloads, splitProjects);
  for (const proxy of proxies) {
    for (const dep of proxy.dependsOn) {
      const app = byId.get(resolve(String(dep.value), dep.source));
      if (!app || app === proxy || app.kind !== 'worker' || app.ports.length > 0) continue;
      if (app.traits.some((t) => t.name.startsWith('role.') || t.name === 'worker.command' || t.name === 'schedule')) continue;
      app.kind = 'service';
      app.traits.push({ name: 'http.proxied', value: `${proxy.name} routes requests to it`, source: dep.source ?? proxy.sources[0] });
    }
  }
}

/** An HTTP URL naming a service: `http://snuba-api:1218`, `https://user:pw@search/`. */
const HTTP_URL = /^https?:\/\/(?:[^@/\s]*@)?([A-Za-z][A-Za-z0-9_.-]*)(?::(\d+))?(?:[/?#]|$)/;

/**
 * A workload the others call by an HTTP URL (Sentry's `SNUBA: http://snuba-api:1218`) answers HTTP,
 * though its compose service publishes no port: a service, billed by request on Cloud Run. Not a
 * datastore or other server (a role), a command worker or a scheduled job.
 */
function markHttpReferenced(workloads: Workload[], splitProjects: boolean): void {
  for (const w of workloads) markHttpHealthChecked(w);
  const byId = new Map(workloads.map((w) => [w.id, w]));
  const resolve = nameResolver(workloads, splitProjects);
  for (const caller of workloads) {
    for (const e of caller.env) {
      const m = e.value ? HTTP_URL.exec(e.value) : null;
      const app = m ? byId.get(resolve(m[1], e.source)) : undefined;
      if (!m || !app || app === caller || app.kind !== 'worker' || app.ports.length > 0) continue;
      if (app.traits.some((t) => t.name.startsWith('role.') || t.name === 'worker.command' || t.name === 'schedule')) continue;
      app.kind = 'service';
      app.traits.push({ name: 'http.referenced', value: `${caller.name} calls it at ${m[0].replace(/\/\/[^@/]*@/, '//')}`, source: e.source });
    }
  }
}

/**
 * A worker whose health check asks itself over HTTP on a port (Supabase's `auth` checks
 * `http://localhost:9999/health`) answers HTTP there, though its compose service publishes nothing:
 * a service on that port. Not a server (a role), a command worker or a scheduled job.
 */
function markHttpHealthChecked(w: Workload): void {
  if (w.kind !== 'worker' || w.ports.length > 0) return;
  const check = w.traits.find((t) => t.name === 'healthcheck.http');
  if (!check || w.traits.some((t) => t.name.startsWith('role.') || t.name === 'worker.command' || t.name === 'schedule')) return;
  w.kind = 'service';
  w.ports.push(Number(check.value));
  w.traits.push({ name: 'port', value: Number(check.value), source: check.source });
}

/** Images of cluster add-ons whose manifests a repository vendors (an ingress controller, cert-manager, DNS, CNI…). */
const CLUSTER_ADDON_IMAGE = /(^|\/)(ingress-nginx\/(controller|kube-webhook-certgen)|jetstack\/cert-manager-[a-z]+|cert-manager-(controller|webhook|cainjector)|external-dns(\/external-dns)?|metrics-server(\/metrics-server)?|autoscaling\/cluster-autoscaler|cluster-autoscaler|sealed-secrets-controller|bitnami\/sealed-secrets-controller|eks\/aws-load-balancer-controller|coredns(\/coredns)?|kube-proxy|calico\/[a-z-]+|cilium\/[a-z-]+|flannel(\/flannel)?|fluxcd\/[a-z-]+-controller|argoproj\/argocd|kyverno\/[a-z-]+|openpolicyagent\/gatekeeper|traefik\/traefik|envoyproxy\/gateway)$/;

/** A Kubernetes workload that runs a cluster add-on's image is the cluster's, like a Helm release of one. */
function markClusterAddonImages(byId: Map<string, Workload>): void {
  for (const w of byId.values()) {
    if (!w.image || !w.descriptors.every((d) => d === 'kubernetes')) continue;
    const repo = imageRepository(w.image);
    if (CLUSTER_ADDON_IMAGE.test(repo)) w.traits.push({ name: 'platform.addon', value: repo, source: w.traits.find((t) => t.name === 'image')?.source ?? w.sources[0] });
  }
}

/** Names of a second copy of a service kept for a release strategy. */
const RELEASE_COPY = /^(.+?)[-_](canary|blue|green|preview|next|stable)$/;

/**
 * A canary or blue/green copy of a service (`web-canary` beside `web`, `app-blue` beside
 * `app-green`) running the same image is one service released two ways, planned once: the copy is
 * listed as a variant. With only colours (blue and green), the first is planned.
 */
function dropReleaseCopies(byId: Map<string, Workload>, notPlanned: NotPlanned[]): void {
  const repoOf = (w: Workload) => (w.image ? imageRepository(w.image) : undefined);
  for (const [id, w] of [...byId]) {
    const m = RELEASE_COPY.exec(w.name);
    if (!m || !repoOf(w)) continue;
    const base = byId.get(slug(m[1])) ?? [...byId.values()].find((o) => o !== w && RELEASE_COPY.exec(o.name)?.[1] === m[1] && o.name < w.name);
    if (!base || repoOf(base) !== repoOf(w)) continue;
    byId.delete(id);
    notPlanned.push({ name: w.name, reason: 'variant', message: `a ${m[2]} copy of ${base.name} running the same image: one service released two ways, planned once as ${base.name}`, sources: [...w.sources].sort(compareRef) });
  }
}

/** Cluster add-ons a GitOps repository installs as Helm releases (cert-manager, an ingress controller): the cluster's, not workloads. */
function dropClusterAddons(byId: Map<string, Workload>, notPlanned: NotPlanned[]): void {
  for (const [id, w] of byId) {
    const addon = w.traits.find((t) => t.name === 'platform.addon');
    if (!addon || w.descriptors.some((d) => d !== 'kubernetes')) continue;
    byId.delete(id);
    const what = w.traits.some((t) => t.name === 'helm.release-chart') ? `Helm chart ${String(addon.value)}` : `image ${String(addon.value)}`;
    notPlanned.push({ name: w.name, reason: 'platform-service', message: `a cluster add-on (${what}): installed on the managed cluster too (an EKS add-on or GKE feature, or the same chart), not a workload to migrate`, sources: [...w.sources].sort(compareRef) });
  }
}

/**
 * One service under several names in several files is one workload: a Kubernetes `ftgo-kafka` is
 * the compose `kafka` once the project's common prefix is off; `cargo-tracker` is `cargotracker`;
 * a Helm chart `retail-store-sample-cart-chart` is `cart` once suffixes such as `-chart` are off too
 * (a suffix alone joins names only for charts: `order-service` and `order` may be two services).
 * A name joins another only when exactly one group answers to it.
 */
function mergeNamesakes(groups: Map<string, PartialWorkload[]>): void {
  const names = [...groups.keys()];
  const prefixes = commonPrefixes(names);
  const aliases = chartAliases(groups);
  const keysOf = new Map(names.map((id) => [id, withChartAlias(withoutKindSuffix(id, groups.get(id) ?? [], matchKeys(id, prefixes)), aliases.get(id))] as const));
  const byKey = new Map<string, string[]>();
  for (const [id, keys] of keysOf) for (const k of keys) push(byKey, k, id);
  // Only names that share a key with another name can join one: most repositories have few.
  const sharing = new Set<string>();
  for (const ids of byKey.values()) if (ids.length > 1) for (const id of ids) sharing.add(id);
  const files = new Map<string, Set<string>>();
  const filesOf = (id: string): Set<string> => {
    let s = files.get(id);
    if (!s) files.set(id, (s = new Set((groups.get(id) ?? []).map((p) => p.source.file))));
    return s;
  };
  // Longer names first: `ftgo-kafka` (Kubernetes) joins `kafka` (compose), not the other way round.
  for (const id of [...sharing].sort((a, b) => b.length - a.length || (a < b ? -1 : 1))) {
    const parts = groups.get(id);
    if (!parts) continue;
    const mine = filesOf(id);
    const [normalised, ...stripped] = keysOf.get(id) as string[];
    const keys = parts.every((p) => p.descriptor === 'helm') ? [...stripped, normalised] : stripped;
    for (const k of keys) {
      // Only groups described in other files: two services of one compose file are two services.
      const others = (byKey.get(k) ?? []).filter((o) => o !== id && groups.has(o) && ![...mine].some((f) => filesOf(o).has(f)) && !(isProjectSplit(parts) && isProjectSplit(groups.get(o) ?? [])));
      if (others.length !== 1) continue;
      pushAll(groups.get(others[0]) as PartialWorkload[], parts);
      for (const f of mine) filesOf(others[0]).add(f);
      groups.delete(id);
      break;
    }
  }
}

/**
 * Compose projects in sibling folders are separate applications (a collection such as
 * awesome-compose, or a monorepo with one compose file per service): their same-named services
 * that run different things (`db` as MySQL here and PostgreSQL there, `web` built from two
 * Dockerfiles) are different services, each named after its folder (`django-postgres-db`) and
 * remembering its compose name (`compose.service`) for the dependencies its project states.
 * Partials are copied, never changed: an editor's parse cache holds them.
 */
function splitComposeProjects(groups: Map<string, PartialWorkload[]>, roles: Map<string, FileRole>): boolean {
  let split = false;
  // What a compose service runs: its image repository or the Dockerfile it builds. An override (neither) runs what it overrides.
  const identity = (p: PartialWorkload) => (p.image ? imageRepository(p.image) : p.buildDockerfile ? `build:${p.buildDockerfile}` : undefined);
  for (const [id, parts] of [...groups]) {
    if (parts.length < 2 || !parts.every((p) => p.descriptor === 'compose')) continue;
    const defining = parts.filter((p) => roles.get(p.source.file) === 'primary' && identity(p) !== undefined);
    const dirs = [...new Set(defining.map((p) => posixDirname(p.source.file)))].sort();
    // One service described again in another folder (a per-service compose file an umbrella one includes) stays one.
    if (dirs.length < 2 || new Set(defining.map(identity)).size < 2) continue;
    groups.delete(id);
    split = true;
    for (const p of parts) {
      const dir = posixDirname(p.source.file);
      const project = dirs.includes(dir) ? dir : [...dirs].reverse().find((d) => d === '' || dir.startsWith(d + '/')) ?? dirs[0];
      const name = `${project.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '')}-${p.name}`;
      push(groups, slug(name), { ...p, name, traits: [...p.traits, { name: 'compose.service', value: p.name, source: p.source }] });
    }
  }
  return split;
}

/** A group split off by its compose project folder: two such never join by name again. */
function isProjectSplit(parts: PartialWorkload[]): boolean {
  return parts.some((p) => p.traits.some((t) => t.name === 'compose.service'));
}

/** Object kinds that Kubernetes manifests often append to a name (`frontend-deployment`, `db-sts`). */
const KIND_SUFFIX = /-(deployment|deploy|depl|dep|statefulset|sts|daemonset|ds|pod)$/;

/** Object kinds that run an application (not a job or a bare pod). */
const APP_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Rollout', 'DeploymentConfig']);

/**
 * A chart that deploys one application (besides its datastores and jobs) deploys it under the
 * chart's name too: Stratos's chart `console` runs its Deployment `stratos`, which is the Cloud
 * Foundry app `console`. Returns group id → the chart's name, for such groups only.
 */
function chartAliases(groups: Map<string, PartialWorkload[]>): Map<string, string> {
  const appsOf = new Map<string, string[]>();
  for (const [id, parts] of groups) {
    const helm = parts.filter((p) => p.descriptor === 'helm');
    if (helm.length === 0) continue;
    const chart = helm[0].traits.find((t) => t.name === 'helm.chart')?.value;
    const kind = helm[0].traits.find((t) => t.name === 'k8s.kind')?.value;
    const image = soleImageRepository(helm);
    if (typeof chart !== 'string' || !APP_KINDS.has(String(kind)) || !image || isRoleImage(image)) continue;
    push(appsOf, chart, id);
  }
  const out = new Map<string, string>();
  for (const [chart, ids] of appsOf) if (ids.length === 1 && normaliseKey(chart) !== normaliseKey(ids[0])) out.set(ids[0], chart);
  return out;
}

/** A group's match keys with its chart's name added, when the chart deploys this one application. */
function withChartAlias(keys: string[], chart: string | undefined): string[] {
  const alias = chart === undefined ? undefined : normaliseKey(chart);
  return alias && !keys.includes(alias) ? [...keys, alias] : keys;
}

/**
 * A Kubernetes workload named after its object kind (`frontend-deployment`) also answers to the
 * name without it, so that it joins the compose `frontend`: the suffix names the kind, not another service.
 */
function withoutKindSuffix(id: string, parts: PartialWorkload[], keys: string[]): string[] {
  if (!KIND_SUFFIX.test(id) || !parts.every((p) => p.descriptor === 'kubernetes')) return keys;
  const bare = id.replace(KIND_SUFFIX, '');
  return /[a-z]{2,}/.test(bare) && !keys.includes(bare) ? [...keys, bare] : keys;
}

/**
 * One image built here, run under different names by different kinds of descriptor, is one
 * service: compose's `frontend` and the Kubernetes `frontend-web` both running acme/frontend. Only
 * when each kind of descriptor has one workload running it (a web and a worker sharing an image
 * stay two), and never for a well-known server or runtime image (two PostgreSQLs may be two).
 * The shortest name stays.
 */
function mergeByImage(groups: Map<string, PartialWorkload[]>): void {
  const byRepo = new Map<string, string[]>();
  for (const [id, parts] of groups) {
    const repo = soleImageRepository(parts);
    if (repo && !isRoleImage(repo) && !RUNTIME_IMAGE.test(lastSegment(repo))) push(byRepo, repo, id);
  }
  for (const ids of byRepo.values()) {
    if (ids.length < 2) continue;
    const kindOf = (id: string) => new Set((groups.get(id) ?? []).map((p) => p.descriptor));
    const kinds = ids.map(kindOf);
    if (kinds.some((k) => k.size !== 1)) continue;
    const flat = kinds.map((k) => [...k][0]);
    if (new Set(flat).size !== flat.length) continue;
    const [keep, ...rest] = [...ids].sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
    for (const id of rest) {
      pushAll(groups.get(keep) as PartialWorkload[], groups.get(id) as PartialWorkload[]);
      groups.delete(id);
    }
  }
}

/**
 * A repository that builds one application and runs one image of its own on Kubernetes deploys
 * that application there: compose's `app`, built from the Dockerfile at the top, and the Deployment
 * `acme-shop-web` running ghcr.io/acme/acme-shop are one service, named as production names it.
 * Only when there is exactly one of each, both publish a port and they share one, and
 * neither is a datastore or a well-known image; a repository of several services is left to names.
 */
function mergeSoleBuiltApp(groups: Map<string, PartialWorkload[]>, dockerfiles: Map<string, PartialWorkload>, roles: Map<string, FileRole>): void {
  const primary = (parts: PartialWorkload[]) => parts.some((p) => roles.get(p.source.file) === 'primary');
  const serverBase = (p: PartialWorkload) => ((p.buildDockerfile ? builtFrom(p.buildDockerfile, dockerfiles) : undefined)?.traits ?? []).some((t) => t.name === 'base-image' && isRoleImage(String(t.value)));
  const built: string[] = [];
  const run: string[] = [];
  for (const [id, parts] of groups) {
    if (!primary(parts) || parts.some((p) => isRoleName(p.name) || (p.image !== undefined && isRoleImage(p.image)))) continue;
    const k8s = parts.every((p) => p.descriptor === 'kubernetes' || p.descriptor === 'helm');
    if (!k8s && parts.some((p) => p.buildDockerfile) && !parts.some(serverBase) && parts.every((p) => p.descriptor === 'compose')) built.push(id);
    const repo = k8s ? soleImageRepository(parts) : undefined;
    if (repo && repo.includes('/') && !RUNTIME_IMAGE.test(lastSegment(repo)) && parts.every((p) => p.kind === 'service' || p.kind === 'worker')) run.push(id);
  }
  if (built.length !== 1 || run.length !== 1) return;
  const a = groups.get(built[0]) as PartialWorkload[];
  const b = groups.get(run[0]) as PartialWorkload[];
  const ports = (parts: PartialWorkload[]) => new Set(parts.flatMap((p) => p.ports));
  const pa = ports(a);
  const pb = ports(b);
  // The same program listens on the same port; without ports on both sides there is nothing to tell.
  if (pa.size === 0 || pb.size === 0 || ![...pa].some((x) => pb.has(x))) return;
  pushAll(b, a);
  groups.delete(built[0]);
}

/** PHP-FPM's images: `php:8.3-fpm-alpine`, `bitnami/php-fpm`, `wodby/php`'s `-fpm` tags. */
const FPM_IMAGE = /(^|[/:.-])(php-)?fpm([-.:]|$)/;

/**
 * A stock web server (nginx, Caddy, httpd) in front of a PHP-FPM service of the same compose file
 * serves it over FastCGI, which no load balancer speaks: it is that application's web server, not an
 * edge to retire. The two are one workload: both containers in one ECS task, or one Cloud Run service
 * with the web server as its ingress container and PHP-FPM as a sidecar.
 */
function mergeFastCgiFrontends(groups: Map<string, PartialWorkload[]>, dockerfiles: Map<string, PartialWorkload>): void {
  const fpm = (p: PartialWorkload) => FPM_IMAGE.test(p.image ?? '') || (p.buildDockerfile ? builtFrom(p.buildDockerfile, dockerfiles)?.traits ?? [] : []).some((t) => t.name === 'base-image' && FPM_IMAGE.test(String(t.value)));
  for (const [id, parts] of [...groups]) {
    const web = parts[0];
    if (parts.length !== 1 || web.descriptor !== 'compose' || !web.image || !PROXY_IMAGE.test(lastSegment(imageRepository(web.image)))) continue;
    const apps = [...new Set(web.dependsOn.map((d) => slug(d.value)))].filter((x) => x !== id && (groups.get(x) ?? []).some(fpm));
    if (apps.length !== 1) continue;
    const note: Trait = { name: 'fastcgi.frontend', value: `${web.name} (${web.image}) serves ${apps[0]} over FastCGI`, source: web.source };
    // The web server's image is not the workload's: the application's is.
    (groups.get(apps[0]) as PartialWorkload[]).push({ ...web, image: undefined, traits: [...web.traits.filter((t) => t.name !== 'image'), note] });
    groups.delete(id);
  }
}

/** The one image repository a group's parts run, or undefined when none or several (or a templated image). */
function soleImageRepository(parts: PartialWorkload[]): string | undefined {
  let repo: string | undefined;
  for (const p of parts) {
    if (!p.image || p.image.includes('$')) continue;
    const r = imageRepository(p.image);
    if (repo !== undefined && r !== repo) return undefined;
    repo = r;
  }
  return repo;
}

/**
 * A Helm subchart's datastore is the compose service that runs the same image in another file
 * (zulip's chart `postgresql`, run as zulip/zulip-postgresql, is the compose `database`): joined when
 * exactly one other group runs that image.
 */
function mergeSubchartsByImage(groups: Map<string, PartialWorkload[]>): void {
  const repoOf = (p: PartialWorkload) => (p.image ? imageRepository(p.image) : undefined);
  const isSubchart = (parts: PartialWorkload[]) => parts.every((p) => p.descriptor === 'helm' && p.traits.some((t) => t.name === 'helm.subchart'));
  for (const [id, parts] of [...groups]) {
    if (!isSubchart(parts)) continue;
    const repos = new Set(parts.map(repoOf).filter((r): r is string => !!r));
    if (repos.size !== 1) continue;
    const [repo] = repos;
    const files = new Set(parts.map((p) => p.source.file));
    const others = [...groups].filter(([o, ps]) => o !== id && !isSubchart(ps) && ps.some((p) => repoOf(p) === repo && !files.has(p.source.file)));
    if (others.length !== 1) continue;
    pushAll(others[0][1], parts);
    groups.delete(id);
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

function sortParts(parts: PartialWorkload[]): PartialWorkload[] {
  // A production file's figures come before a base or default file's (`docker-compose.prod.yml` or
  // a Kustomize `overlays/production/` patch sets the replicas and resources the base leaves small).
  const prodFirst = (p: PartialWorkload): number => (isProductionFile(p.source.file) ? 0 : 1);
  return [...parts].sort((a, b) => (RANK[a.descriptor] ?? 99) - (RANK[b.descriptor] ?? 99) || prodFirst(a) - prodFirst(b) || compareRef(a.source, b.source));
}

/**
 * The Dockerfile a build path names; a build that names none (`build: .`, read as `./Dockerfile`)
 * finds a `Containerfile` there when there is no Dockerfile, as Podman and BuildKit do.
 */
function builtFrom(buildPath: string, dockerfiles: Map<string, PartialWorkload>): PartialWorkload | undefined {
  return dockerfiles.get(buildPath) ?? (/(^|\/)Dockerfile$/.test(buildPath) ? dockerfiles.get(buildPath.replace(/Dockerfile$/, 'Containerfile')) : undefined);
}

function linkBuild(w: Workload, p: PartialWorkload, dockerfiles: Map<string, PartialWorkload>, used: Set<string>, diagnostics: Diagnostic[], notPlanned: NotPlanned[]): void {
  const df = builtFrom(p.buildDockerfile as string, dockerfiles);
  if (df) {
    // One Dockerfile may build several services (an image with several commands): each gets it once.
    if (!w.sources.some((s) => s.file === df.source.file)) mergeInto(w, df);
    used.add(df.source.file);
    return;
  }
  // A server (database, cache) is built from the Dockerfiles whose base is one; an application from the others.
  const server = findRole(w) !== undefined;
  const alternatives = buildAlternatives(p.buildDockerfile as string, dockerfiles).filter((d) => !used.has(d.source.file) && d.traits.some((t) => t.name === 'base-image' && isRoleImage(String(t.value))) === server);
  if (alternatives.length > 0) {
    // `./bin/${PHPVERSION}`: a variable picks one of several Dockerfiles; each is the same service.
    for (const a of alternatives) {
      used.add(a.source.file);
      notPlanned.push({ name: a.name, reason: 'variant', message: `an alternative build of ${p.name}: ${p.buildDockerfile} picks one of ${alternatives.length} Dockerfiles by a variable`, sources: [a.source] });
    }
    return;
  }
  diagnostics.push({ ...p.source, column: p.source.column ?? 1, severity: 'info', code: 'build-dockerfile-missing', message: `${p.name} is built from ${p.buildDockerfile}, which is not in the repository (or is ignored).` });
}

/** The Dockerfiles a build path with an unset variable (`bin/${PHPVERSION}/Dockerfile`) may name. */
function buildAlternatives(buildPath: string, dockerfiles: Map<string, PartialWorkload>): PartialWorkload[] {
  if (!/\$\{?[A-Za-z_]/.test(buildPath)) return [];
  const pattern = new RegExp(`^${buildPath.split(/\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/).map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+')}$`);
  return [...dockerfiles.values()].filter((d) => pattern.test(d.source.file)).sort((a, b) => (a.source.file < b.source.file ? -1 : 1));
}

/**
 * A Dockerfile that no compose file builds may still make the image a manifest runs: match its
 * folder name with the image's repository name (last path segment), ignoring the project's common
 * prefixes (`rs-`, `retail-store-sample-`) and suffixes such as `-service`. Only unique matches count.
 */
function linkDockerfilesByImage(workloads: Workload[], dockerfiles: Map<string, PartialWorkload>, used: Set<string>): void {
  const free = [...dockerfiles.values()].filter((d) => !used.has(d.source.file) && !d.traits.some((t) => t.name === 'docker.suffix'));
  if (free.length === 0) return;
  const images = workloads.filter((w) => !w.descriptors.includes('dockerfile')).flatMap((w) => (w.image ? [lastSegment(w.image)] : []));
  const prefixes = commonPrefixes([...images, ...free.map((d) => d.name), ...workloads.map((w) => w.name)]);
  const dfByKey = new Map<string, PartialWorkload[]>();
  for (const d of free) for (const k of matchKeys(d.name, prefixes)) push(dfByKey, k, d);
  const wByKey = new Map<string, Workload[]>();
  for (const w of workloads) {
    if (w.descriptors.includes('dockerfile')) continue;
    const keys = new Set([...matchKeys(w.name, prefixes), ...(w.image ? matchKeys(lastSegment(w.image), prefixes) : [])]);
    for (const k of keys) push(wByKey, k, w);
  }
  for (const [k, dfs] of [...dfByKey].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const ws = (wByKey.get(k) ?? []).filter((w) => !w.descriptors.includes('dockerfile'));
    if (dfs.length !== 1 || ws.length === 0) continue;
    const [d] = dfs;
    if (used.has(d.source.file)) continue;
    // One image run by several services (account-mongodb, auth-mongodb…): the Dockerfile builds it for all.
    const repos = new Set(ws.map((w) => (w.image ? imageRepository(w.image) : `name:${w.name}`)));
    if (ws.length > 1 && (repos.size !== 1 || [...repos][0].startsWith('name:'))) continue;
    for (const w of ws) mergeInto(w, d);
    used.add(d.source.file);
  }
}

/**
 * An App Engine flexible `runtime: custom` service, a Cloud Foundry app, or a Fly app with no
 * `[build]`, is built from the Dockerfile in its own folder: join them when that folder describes
 * one workload only.
 */
function linkDockerfilesBeside(workloads: Workload[], dockerfiles: Map<string, PartialWorkload>, used: Set<string>): void {
  const byDir = new Map<string, Workload[]>();
  for (const w of workloads) {
    if (w.descriptors.includes('dockerfile') || !w.descriptors.some((d) => d === 'appengine' || d === 'cloudfoundry' || d === 'fly')) continue;
    for (const dir of new Set(w.sources.map((s) => posixDirname(s.file)))) push(byDir, dir, w);
  }
  for (const [file, d] of dockerfiles) {
    if (used.has(file) || d.traits.some((t) => t.name === 'docker.suffix')) continue;
    const ws = byDir.get(posixDirname(file));
    if (ws?.length !== 1) continue;
    mergeInto(ws[0], d);
    used.add(file);
  }
}

/**
 * The repository's top-level Dockerfile builds its product's image: when the top-level compose
 * services that run an image of their own (not a server such as postgres) all run the same one, it
 * is that image (netbox, netbox-worker and netbox-housekeeping all run netboxcommunity/netbox). With
 * no such compose service, the same holds for the Kubernetes or Helm applications (daytrader7), and
 * for an ECS task definition's service (the image its deploy action pushes to ECR).
 */
function linkRootDockerfile(workloads: Workload[], dockerfiles: Map<string, PartialWorkload>, used: Set<string>): void {
  const df = builtFrom('Dockerfile', dockerfiles);
  if (!df || used.has(df.source.file)) return;
  if (linkProductWrapper(workloads, df)) {
    used.add(df.source.file);
    return;
  }
  const apps = workloads.filter((w) => w.image && !w.descriptors.includes('dockerfile') && !isRoleImage(w.image));
  // Top-level compose services first; with none, the manifests' applications (one operator resource).
  const compose = apps.filter((w) => w.sources.some((s) => !s.file.includes('/') && /compose/i.test(s.file)));
  const ws = compose.length > 0 ? compose : apps.filter((w) => w.descriptors.every((d) => d === 'kubernetes' || d === 'helm' || d === 'ecs' || d === 'copilot') && findRole(w) === undefined);
  const repos = new Set(ws.map((w) => imageRepository(w.image as string)));
  const chosen = ws.length > 0 && repos.size === 1 ? ws : servingSamePort(apps, df);
  if (chosen.length === 0) return;
  for (const w of chosen) mergeInto(w, df);
  used.add(df.source.file);
}

/**
 * The services of one image, none built here, that serve a port the top-level Dockerfile EXPOSEs
 * (paperless-ngx's `webserver` on 8000, from compose files in `docker/compose/`): that Dockerfile
 * builds their image. Nothing when images of several repositories fit.
 */
function servingSamePort(apps: Workload[], df: PartialWorkload): Workload[] {
  if (df.ports.length === 0) return [];
  const fits = apps.filter((w) => !w.buildDockerfile && findRole(w) === undefined && w.ports.some((p) => df.ports.includes(p)));
  return new Set(fits.map((w) => imageRepository(w.image as string))).size === 1 ? fits : [];
}

/**
 * A deployment whose own Dockerfile only wraps the product's image (Heroku's `heroku/Dockerfile`
 * is `FROM shumc/imagor`, and app.json names the app `imagor`): the top-level Dockerfile builds that
 * image, so it is the same workload, not a second one.
 */
function linkProductWrapper(workloads: Workload[], df: PartialWorkload): boolean {
  const wrappers = workloads.filter((w) => {
    const names = w.traits.filter((t) => t.name === 'product.name').map((t) => String(t.value).toLowerCase());
    if (names.length === 0 || !w.descriptors.includes('dockerfile')) return false;
    return w.traits.some((t) => t.name === 'base-image' && names.includes(lastSegment(String(t.value)).toLowerCase()));
  });
  if (wrappers.length !== 1) return false;
  mergeInto(wrappers[0], df);
  return true;
}

/**
 * The one image of the project's own that every application (two or more) of the deployment at the
 * top of the repository runs, when no descriptor here builds it (frappe_docker's services all run
 * frappe/erpnext, pulled): a Dockerfile that nothing builds or runs, and that publishes no port of
 * its own, is then how that image is built (`images/production/Containerfile`), not another workload.
 */
function unbuiltProductImage(byId: Map<string, Workload>): { image: string; runBy: string; ports: Set<number> } | undefined {
  const apps = [...byId.values()].filter((w) => w.image && !w.descriptors.includes('dockerfile') && !isRoleImage(w.image) && !RUNTIME_IMAGE.test(lastSegment(w.image)) && findRole(w) === undefined);
  // Several services of one image (web, workers, scheduler) make it the project's product, not a third party's server.
  if (apps.length < 2 || apps.some((w) => w.buildDockerfile !== undefined)) return undefined;
  // The repository's own deployment, at its top level: not one example among a collection's folders.
  if (!apps.every((w) => w.sources.some((x) => !x.file.includes('/')))) return undefined;
  const repos = new Set(apps.map((w) => imageRepository(w.image as string)));
  if (repos.size !== 1) return undefined;
  const names = apps.map((w) => w.name).sort();
  return { image: apps[0].image as string, runBy: names.length > 3 ? `${names.slice(0, 3).join(', ')}…` : names.join(', '), ports: new Set(apps.flatMap((w) => w.ports)) };
}

/** Each descriptor file's role; variants planned for want of a primary deployment that extend another stay variants. */
function rolesOfFiles(partials: PartialWorkload[], opts: ModelOptions): Map<string, FileRole> {
  const files = new Map<string, DescriptorKind>();
  for (const p of partials) files.set(p.source.file, p.descriptor);
  const promoted = new Set<string>();
  const roles = fileRoles([...files].map(([path, kind]) => ({ path, kind })), opts.primary, opts.composeIncludes, promoted);
  keepExtensionsAside(partials, roles, promoted);
  if (!opts.primary) oneTemplateOfAlternatives(partials, roles);
  return roles;
}

/**
 * OpenShift templates side by side in one folder are a catalogue of alternatives (sclorg's
 * `django.json`, `django-postgresql.json`, `django-postgresql-persistent.json`): the persistent one,
 * production's, is the deployment; else the one that creates the most workloads. The others are
 * variants.
 */
function oneTemplateOfAlternatives(partials: PartialWorkload[], roles: Map<string, FileRole>): void {
  const byDir = new Map<string, Map<string, number>>();
  for (const p of partials) {
    if (roles.get(p.source.file) !== 'primary' || !p.traits.some((t) => t.name === 'openshift.template')) continue;
    const files = byDir.get(posixDirname(p.source.file)) ?? new Map<string, number>();
    files.set(p.source.file, (files.get(p.source.file) ?? 0) + 1);
    byDir.set(posixDirname(p.source.file), files);
  }
  const persistent = (f: string): number => (/persistent/i.test(f.slice(f.lastIndexOf('/') + 1)) ? 1 : 0);
  for (const files of byDir.values()) {
    if (files.size < 2) continue;
    const ranked = [...files].sort(([a, na], [b, nb]) => persistent(b) - persistent(a) || nb - na || (a < b ? -1 : 1));
    for (const [f] of ranked.slice(1)) roles.set(f, 'variant');
  }
}

/** The Dockerfiles optional services build: each is that option's image, no workload of its own. */
function dockerfilesOfOptions(optional: PartialWorkload[], dockerfiles: Map<string, PartialWorkload>): Set<string> {
  const used = new Set<string>();
  for (const p of optional) {
    const df = p.buildDockerfile ? builtFrom(p.buildDockerfile, dockerfiles) : undefined;
    if (df) used.add(df.source.file);
  }
  return used;
}

/** The parts a workload is planned from: the primary ones, else the test ones, else a server kept from a developer's compose file, else the variants. */
function partsToPlan(split: ReturnType<typeof splitByRole>, devServers: Set<PartialWorkload>): { chosen: PartialWorkload[]; kept: boolean } {
  if (split.primary.length) return { chosen: split.primary, kept: false };
  if (split.test.length) return { chosen: split.test, kept: false };
  const kept = split.variant.filter((p) => devServers.has(p));
  return kept.length ? { chosen: kept, kept: true } : { chosen: split.variant, kept: false };
}

/** Services only variants describe: their ids, and as workloads, to find the Dockerfiles that build their images. */
interface VariantOnly {
  ids: Set<string>;
  services: Workload[];
}

/**
 * A service only variants describe is not planned. A development environment's service (a
 * devcontainer's `app`) is no variant of a deployed one: it claims no Dockerfile of the repository
 * by its name.
 */
function setAsideVariantOnly(id: string, parts: PartialWorkload[], variantOnly: VariantOnly, dockerfiles: Map<string, PartialWorkload>, used: Set<string>, notPlanned: NotPlanned[]): void {
  if (!parts.every((p) => isDevEnvironmentPath(p.source.file))) {
    variantOnly.ids.add(id);
    variantOnly.services.push(variantService(id, parts));
  }
  noteVariantOnly(parts, dockerfiles, used, notPlanned);
}

/** A service only variants describe is not planned, and says so; the Dockerfiles it is built from are its own. */
function noteVariantOnly(parts: PartialWorkload[], dockerfiles: Map<string, PartialWorkload>, used: Set<string>, notPlanned: NotPlanned[]): void {
  for (const p of parts) {
    const df = p.buildDockerfile ? builtFrom(p.buildDockerfile, dockerfiles) : undefined;
    if (df) used.add(df.source.file);
  }
  const files = [...new Set(parts.map((x) => x.source.file))].sort().join(', ');
  const sources = parts.map((x) => x.source).sort(compareRef);
  if (parts.every((p) => isDevEnvironmentPath(p.source.file))) {
    notPlanned.push({ name: parts[0].name, reason: 'dev-variant', message: `a service of a development environment (${files}): the workspace developers work in and what it runs against, not a deployment; declare what production needs in migration-inventory.yaml`, sources });
    return;
  }
  notPlanned.push({ name: parts[0].name, reason: 'variant', message: `described only by variant descriptors (${files}); pick them in .migration.yaml \`primary\` to plan them`, sources });
}

/** A service only variants describe, as a workload, to find the Dockerfile that builds its image. */
function variantService(id: string, parts: PartialWorkload[]): Workload {
  const w = newWorkload(id, parts[0].name, parts[0].kind);
  for (const p of parts) mergeInto(w, p);
  return w;
}

/** An image's namespace: `descartesresearch` for `descartesresearch/teastore-db:latest`; empty for an official image. */
function namespaceOfImage(image: string): string {
  const repo = imageRepository(image);
  return repo.includes('/') ? repo.slice(0, repo.lastIndexOf('/')) : '';
}

/**
 * The namespaces of the images the planned services run (`descartesresearch` for TeaStore): images
 * there are the project's own, which its Dockerfiles may build.
 */
function projectNamespaces(byId: Map<string, Workload>): Set<string> {
  const out = new Set<string>();
  for (const w of byId.values()) {
    const ns = w.image && !isRoleImage(w.image) ? namespaceOfImage(w.image) : '';
    if (ns) out.add(ns);
  }
  return out;
}

/**
 * The service only variants describe whose image this Dockerfile builds: an image of the project's
 * own namespace every word of whose name is a word of the Dockerfile's folder (TeaStore's
 * `descartesresearch/teastore-kieker-rabbitmq`, run only by the Kieker variants, built in
 * `utilities/tools.descartes.teastore.kieker.rabbitmq/`).
 */
function variantImageOf(df: Workload, services: Workload[], namespaces: Set<string>): Workload | undefined {
  const words = new Set(df.name.toLowerCase().split(/[^a-z0-9]+/));
  const fits = services.filter((s) => {
    if (!s.image || !namespaces.has(namespaceOfImage(s.image))) return false;
    const image = lastSegment(imageRepository(s.image)).split(/[^a-z0-9]+/).filter((x) => x.length >= 3);
    return image.length >= 2 && image.every((x) => words.has(x));
  });
  // One image that several variants run (a compose file's and a manifest's) is still one image.
  return new Set(fits.map((s) => imageRepository(s.image as string))).size === 1 ? fits[0] : undefined;
}

/**
 * One service named alike in alternative compose files that run different servers (paperless-ngx's
 * `db`: MariaDB in two files, PostgreSQL in three): the server most of them run is planned (the
 * first file's on a tie), and the others are said at their place, not merged in.
 */
function oneServerOfAlternatives(parts: PartialWorkload[], diagnostics: Diagnostic[]): PartialWorkload[] {
  if (parts.some((p) => p.descriptor !== 'compose')) return parts;
  const byServer = new Map<string, PartialWorkload[]>();
  for (const p of [...parts].sort((a, b) => compareRef(a.source, b.source))) {
    const server = p.image ? serverOfImage(p.image) : undefined;
    if (!server) return parts;
    push(byServer, roleFamily(server), p);
  }
  if (byServer.size < 2) return parts;
  const ranked = [...byServer].sort((a, b) => b[1].length - a[1].length || compareRef(a[1][0].source, b[1][0].source));
  const [[, kept], ...others] = ranked;
  const keptServer = serverOfImage(kept[0].image as string);
  for (const [, ps] of others) {
    const server = serverOfImage(ps[0].image as string);
    const at = ps[0].source;
    diagnostics.push({ file: at.file, line: at.line, column: at.column ?? 1, severity: 'info', code: 'compose-alternative-server', message: `${ps[0].name} runs ${server} here${ps.length > 1 ? ` and in ${ps.length - 1} other compose file${ps.length > 2 ? 's' : ''}` : ''}, but ${keptServer} in ${kept.length} (${kept[0].source.file}…): alternative stacks; the plan keeps ${keptServer}. Name the files to plan in .migration.yaml \`primary\` to choose.` });
  }
  return kept;
}

/** MariaDB is MySQL to the plan: one server family. */
const roleFamily = (name: string): string => (name === 'mariadb' ? 'mysql' : name);

/**
 * The planned server whose image this Dockerfile of a server builds: a workload of the same server
 * (MySQL, PostgreSQL…) that runs an image of the project's own, not a public one, and shares a word
 * of its image's name with the Dockerfile's folder (TeaStore's `descartesresearch/teastore-db`,
 * built FROM mariadb in `utilities/tools.descartes.teastore.database/`). Only one may fit.
 */
function serverBuiltHere(df: Workload, byId: Map<string, Workload>): Workload | undefined {
  const role = findRole(df);
  if (!role) return undefined;
  const words = new Set(df.name.toLowerCase().split(/[^a-z0-9]+/).filter((x) => x.length >= 4));
  const fits: Workload[] = [];
  for (const w of byId.values()) {
    if (!w.image || w.descriptors.includes('dockerfile') || isRoleImage(w.image)) continue;
    const own = lastSegment(imageRepository(w.image)).split(/[^a-z0-9]+/);
    if (!own.some((x) => words.has(x))) continue;
    const found = findRole(w);
    if (found && roleFamily(found.role.name) === roleFamily(role.role.name)) fits.push(w);
  }
  return fits.length === 1 ? fits[0] : undefined;
}

/** Docker's official images and their per-architecture namespaces. */
const OFFICIAL_NAMESPACE = /^(|library|arm64v8|arm32v7|arm32v6|arm32v5|amd64|i386|ppc64le|s390x|riscv64|mips64le|windows-amd64)$/;

/** An official OS or language runtime image (`alpine`, `arm64v8/debian`, `python`), which no Dockerfile here builds. */
function officialRuntimeImage(image: string): boolean {
  return RUNTIME_IMAGE.test(lastSegment(image)) && OFFICIAL_NAMESPACE.test(namespaceOfImage(image));
}

/** Dockerfiles nobody deploys: their own workload, unless they are tooling (then not planned). */
function addDockerfileOnly(byId: Map<string, Workload>, dockerfiles: Map<string, PartialWorkload>, used: Set<string>, notPlanned: NotPlanned[], fileRolesOf: Map<Workload, FileRole[]>, roles: Map<string, FileRole>, variantOnly: VariantOnly): void {
  const rest = [...dockerfiles].filter(([f]) => !used.has(f)).sort(([a], [b]) => (a < b ? -1 : 1));
  const namespaces = projectNamespaces(byId);
  // Images other Dockerfiles build FROM, by the last segment of their repository; those of the project's own namespace apart.
  const builtFrom = new Set<string>();
  const ownBases = new Set<string>();
  for (const d of dockerfiles.values()) for (const t of d.traits) if (t.name === 'docker.stage-base') {
    if (namespaces.has(namespaceOfImage(String(t.value)))) ownBases.add(lastSegment(String(t.value)).toLowerCase());
    const seg = lastSegment(String(t.value));
    // Only images this repository could build: not public server images (postgres, kafka…), nor an
    // official OS or runtime image (`arm64v8/alpine` does not make `Dockerfile.alpine` a base image).
    if (seg && !isRoleImage(String(t.value)) && !officialRuntimeImage(String(t.value))) {
      builtFrom.add(seg);
      builtFrom.add(normaliseKey(seg));
    }
  }
  // Every Dockerfile of a folder, planned or not: `Containerfile_db2` is a variant of the Dockerfile beside it that a deployment builds.
  const siblings = new Map<string, DockerfileSibling[]>();
  for (const [f, df] of dockerfiles) if (used.has(f)) push(siblings, posixDirname(f), { traits: df.traits, used: true });
  const candidates: { w: Workload; df: PartialWorkload }[] = [];
  for (const [, df] of rest) {
    const w = newWorkload(slug(df.name), df.name, df.kind);
    mergeInto(w, df);
    candidates.push({ w, df });
    push(siblings, posixDirname(df.source.file), w);
  }
  // Beside a deployment that other descriptors describe, an image in an examples or docs folder is not part of it.
  const besideDeployment = byId.size > 0;
  const product = unbuiltProductImage(byId);
  for (const { w, df } of candidates) {
    const verdict = dockerfileOnlyVerdict(w, builtFrom, siblings, findRole(w) !== undefined, besideDeployment, ownBases);
    if (verdict) {
      notPlanned.push({ name: w.name, reason: verdict.reason, message: verdict.message, sources: [...w.sources] });
      continue;
    }
    // The image of a service that only variants describe (jitsi's jibri, in jibri.yml) is not planned either.
    const variant = !byId.has(w.id) && variantOnly.ids.has(w.id) ? w : variantImageOf(w, variantOnly.services, namespaces);
    if (variant) {
      notPlanned.push({ name: w.name, reason: 'variant', message: `the image of ${variant.name}, a service only variant descriptors describe; pick them in .migration.yaml \`primary\` to plan it`, sources: [...w.sources] });
      continue;
    }
    // A Dockerfile in a folder named like a workload of the deployment is that workload's image.
    const existing = byId.get(w.id);
    if (existing && !existing.descriptors.includes('dockerfile')) {
      mergeInto(existing, df);
      continue;
    }
    const server = serverBuiltHere(w, byId);
    if (server) {
      mergeInto(server, df);
      continue;
    }
    if (product && findRole(w) === undefined && w.ports.every((p) => product.ports.has(p))) {
      notPlanned.push({ name: w.name, reason: 'variant', message: `a build of \`${product.image}\`, the image the deployment's services run (${product.runBy}): they are planned, and this is how their image is built`, sources: [...w.sources] });
      continue;
    }
    let uid = w.id;
    for (let n = 2; byId.has(uid); n++) uid = `${w.id}-${n}`;
    w.id = uid;
    if (uid !== slug(w.name)) w.name = uid;
    byId.set(uid, w);
    fileRolesOf.set(w, w.sources.map((s) => roles.get(s.file) ?? 'primary'));
  }
}

/**
 * `helm create` writes a chart whose image is a placeholder: `nginx`, tagged with the chart's
 * `appVersion` of 1.16.0. A chart that keeps it gets the real image at install time
 * (`--set image.repository=…`). That image is the application this repository builds: with exactly
 * one application Dockerfile planned on its own, the two are one workload, under the chart's name.
 */
const HELM_CREATE_IMAGE = 'nginx:1.16.0';

function adoptScaffoldChartImage(byId: Map<string, Workload>, dockerfiles: Map<string, PartialWorkload>, fileRolesOf: Map<Workload, FileRole[]>): void {
  const charts = [...byId.values()].filter((w) => w.image === HELM_CREATE_IMAGE && w.descriptors.every((d) => d === 'helm'));
  const apps = [...byId.values()].filter((w) => w.descriptors.length === 1 && w.descriptors[0] === 'dockerfile' && (w.kind === 'service' || w.kind === 'worker') && findRole(w) === undefined);
  if (charts.length !== 1 || apps.length !== 1) return;
  const [chart] = charts;
  const df = dockerfiles.get(apps[0].sources[0].file);
  if (!df) return;
  byId.delete(apps[0].id);
  fileRolesOf.delete(apps[0]);
  chart.traits = chart.traits.filter((t) => !(t.name === 'image' && t.value === HELM_CREATE_IMAGE));
  chart.traits.push({ name: 'helm.placeholder-image', value: `${HELM_CREATE_IMAGE}, its real image built from ${df.source.file}`, source: chart.sources[0] });
  chart.image = undefined;
  mergeInto(chart, df);
}

/** A Helm chart as such is not a workload: an umbrella chart with no image of its own is left out. */
function curateHelmCharts(byId: Map<string, Workload>, notPlanned: NotPlanned[]): void {
  for (const w of [...byId.values()]) {
    if (w.descriptors.length !== 1 || w.descriptors[0] !== 'helm') continue;
    if (!w.traits.some((t) => t.name === 'helm.chart') || w.image) continue;
    byId.delete(w.id);
    notPlanned.push({ name: w.name, reason: 'helm-chart', message: 'a Helm chart with no image of its own: its components are planned one by one', sources: [...w.sources] });
  }
}

/**
 * A Kubernetes object with no container image is a patch (a Kustomize overlay's replicas or
 * resources): it sizes the workload it patches; with no such workload here (its base is remote, in
 * another repository) it is not one.
 */
function curatePatches(byId: Map<string, Workload>, notPlanned: NotPlanned[]): void {
  for (const w of [...byId.values()]) {
    if (w.image || !w.descriptors.every((d) => d === 'kubernetes') || !w.traits.some((t) => t.name === 'k8s.patch')) continue;
    byId.delete(w.id);
    notPlanned.push({ name: w.name, reason: 'patch', message: 'a patch with no container image: the workload it patches is not described in this repository', sources: [...w.sources] });
  }
}

/**
 * A workload in a folder of custom resources needs their operator on the cluster. Not a Knative
 * Service: Cloud Run serves Knative's API itself.
 */
function markOperators(order: Workload[], crdDirs: string[]): void {
  for (const w of order) {
    if (w.traits.some((t) => t.name === 'knative.service')) continue;
    const dirs = new Set(w.sources.map((s) => posixDirname(s.file)));
    const crd = crdDirs.find((d) => dirs.has(d));
    if (crd !== undefined && w.traits.some((t) => t.name === 'k8s.kind')) {
      w.traits.push({ name: 'k8s.operator', value: `custom resources in ${crd || '.'}`, source: w.sources[0] });
    }
  }
}

/** Test tooling and one-shot jobs, told from file roles, names, labels, images and restart policies. */
function markNonProduction(w: Workload, roles: FileRole[]): void {
  const src = w.sources[0];
  const test = testToolingReason(w, roles);
  if (test) {
    w.traits.push({ name: 'nonprod.test', value: test, source: src });
    return;
  }
  const oneShot = oneShotReason(w);
  if (oneShot) {
    w.traits.push({ name: 'one-shot', value: oneShot, source: src });
    w.kind = 'job';
  }
}

/** Environment keys whose bare value is a host name: DB_HOST, REDIS_ADDR, KAFKA_BROKERS, API_URL… */
const HOST_KEY = /(HOST|HOSTNAME|SERVER|SERVERS|ADDR|ADDRESS|URL|URI|ENDPOINT|BROKER|BROKERS|SERVICE|UPSTREAM|BACKEND|DSN)S?$|_HOST_|_ADDR_/i;

/** Dependencies: names of other workloads, plus env values that mention another workload as a host. */

/**
 * The workload id a name stated at a place refers to: by name, or by id; a compose service split
 * off by its project folder answers to its compose name in that folder.
 */
function nameResolver(order: Workload[], splitProjects: boolean): (name: string, at: SourceRef | undefined) => string {
  const byName = new Map(order.map((w) => [w.name.toLowerCase(), w.id]));
  // A compose `container_name` or `hostname`, or a Service an operator creates for its server (`db-rw`), names it too, unless another workload has that name.
  for (const w of order) for (const t of w.traits) if ((t.name === 'compose.alias' || t.name === 'service.alias') && !byName.has(String(t.value).toLowerCase())) byName.set(String(t.value).toLowerCase(), w.id);
  const inFolder = new Map<string, string>();
  if (splitProjects) for (const w of order) for (const t of w.traits) if (t.name === 'compose.service') inFolder.set(`${posixDirname(t.source.file)}\0${String(t.value).toLowerCase()}`, w.id);
  return (name, at) => {
    const local = at && inFolder.size > 0 ? inFolder.get(`${posixDirname(at.file)}\0${name.toLowerCase()}`) : undefined;
    return local ?? byName.get(name.toLowerCase()) ?? slug(name);
  };
}

/**
 * Whether a word found in an environment value stands where a host does: at the start, after `//`
 * or `@` (a URL's host), after `=` (a `host=db` connection string), or before a port (`kafka:9092`
 * in a comma list, `-h db:5432`). A path segment (`/var/lib/storage`) and a word of a list
 * (`PGRST_DB_SCHEMAS=public,storage`, `SPRING_PROFILES_ACTIVE=docker,mysql`) name no service.
 */
function inHostPosition(value: string, at: number, lead: number, length: number): boolean {
  const start = at + lead;
  const before = value[start - 1];
  const after = value[start + length];
  if (start === 0 || before === '@' || before === '=' || (before === '/' && value[start - 2] === '/')) return true;
  return after === ':' && before !== '/';
}

function resolveDependencies(order: Workload[], splitProjects: boolean): void {
  const ids = new Set(order.map((w) => w.id));
  const resolve = nameResolver(order, splitProjects);
  for (const w of order) {
    const deps = new Map<string, SourceRef | undefined>();
    const add = (name: string, src: SourceRef | undefined) => {
      const id = resolve(name, src);
      if (id !== w.id && ids.has(id) && !deps.has(id)) deps.set(id, src);
    };
    for (const d of w.dependsOn) add(d.value, d.source);
    for (const e of w.env) {
      if (!e.value) continue;
      // A URL or host:port names a service wherever it is; a bare word (POSTGRES_DB=orders) only
      // under a key that says it is an address.
      const bareCounts = HOST_KEY.test(e.name);
      for (const m of e.value.matchAll(/(?:^|[/@=,\s])([a-z0-9][a-z0-9_-]*)(?=[:/.,]|$)/gi)) {
        const bare = m[0].length === e.value.length || (m.index === 0 && e.value.length === m[1].length);
        if (bare ? bareCounts : inHostPosition(e.value, m.index as number, m[0].length - m[1].length, m[1].length)) add(m[1], e.source);
      }
    }
    w.dependsOn = [...deps].map(([value, source]) => ({ value, source })).sort((a, b) => (a.value < b.value ? -1 : 1));
  }
}

/** Sources in order, once each, and the traits the rules read about the workload as a whole. */
function addDerivedTraits(w: Workload): void {
  w.sources.sort(compareRef);
  w.sources = w.sources.filter((s, i, a) => i === 0 || compareRef(a[i - 1], s) !== 0);
  const primary = w.sources[0];
  const derived: Trait[] = [
    { name: 'kind', value: w.kind, source: primary },
    { name: 'ports.count', value: w.ports.length, source: primary },
    { name: 'name', value: w.name, source: primary },
  ];
  for (const d of w.descriptors) derived.push({ name: 'descriptor', value: d, source: primary });
  if (w.image) derived.push({ name: 'image.repository', value: imageRepository(w.image), source: primary });
  // Each TCP port it listens on, however stated (`ports`, `expose`, EXPOSE, containerPort): rules
  // read the protocol a well-known port speaks from it.
  const udp = new Set(w.traits.filter((t) => t.name === 'port.udp').map((t) => t.value));
  for (const port of new Set(w.ports)) {
    if (!udp.has(port)) derived.push({ name: 'port.tcp', value: port, source: w.traits.find((t) => t.name === 'port' && t.value === port)?.source ?? primary });
  }
  for (const t of derived) w.traits.push(t);
  w.traits.sort((a, b) => compareRef(a.source, b.source) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function labelsOf(w: Workload): Map<string, string> {
  const m = new Map<string, string>();
  for (const t of w.traits) {
    if (t.name !== 'k8s.label') continue;
    const s = String(t.value);
    const i = s.indexOf('=');
    m.set(s.slice(0, i), s.slice(i + 1));
  }
  return m;
}

function namespaceOf(w: Workload): string {
  return String(w.traits.find((t) => t.name === 'k8s.namespace')?.value ?? 'default');
}

/**
 * A container's `envFrom` ConfigMap: its entries join the environment, where they may name other
 * services. A map that holds the workload's own address too is the deployment's address book
 * (Bank of Anthos' `service-api-config`, loaded by every service): it says where services are, not
 * which of them this one calls, so it makes no dependency, and the workload says so.
 */
function linkConfigMaps(k8s: Workload[], aux: K8sAux[], ns: Map<Workload, string>): void {
  const maps = new Map<string, K8sAux>();
  for (const a of aux) if (a.kind === 'ConfigMap') maps.set(`${a.namespace}/${a.name}`, a);
  if (maps.size === 0) return;
  const names = new Set(k8s.map((w) => w.name));
  for (const w of k8s) {
    const refs = w.traits.filter((t) => t.name === 'k8s.envfrom');
    for (const t of refs) {
      const cm = maps.get(`${ns.get(w)}/${String(t.value)}`);
      if (!cm) continue;
      const entries = Object.entries(cm.spec.data as Record<string, string>);
      if (isAddressBookOf(entries, w.name, names)) w.traits.push({ name: 'k8s.address-book', value: cm.name, source: cm.source });
      else for (const [name, value] of entries) w.env.push({ name, value, source: cm.source });
    }
  }
}

/** Whether a map's values give the address of the workload `own` and of another of the deployment's workloads. */
function isAddressBookOf(entries: [string, unknown][], own: string, names: Set<string>): boolean {
  let self = false;
  let other = false;
  for (const [, value] of entries) {
    if (typeof value !== 'string') continue;
    for (const m of value.matchAll(/(?:^|[/@=,\s])([a-z0-9][a-z0-9_-]*)(?=[:/.,]|$)/gi)) {
      if (m[1] === own) self = true;
      else if (names.has(m[1])) other = true;
    }
    if (self && other) return true;
  }
  return false;
}

/**
 * Services, autoscalers, ConfigMaps and claims link to the workloads of the deployment only from
 * the deployment's own files: a Service or an HPA in `extras/` never exposes or sizes them. A
 * workload planned from variant or test files (for want of any other) links to any of them.
 */
function linkKubernetesByRole(workloads: Workload[], aux: K8sAux[], fromDeployment: (w: Workload) => boolean, inDeployment: (file: string) => boolean): void {
  const [deployed, others] = partition(workloads, fromDeployment);
  linkKubernetes(deployed, aux.filter((a) => inDeployment(a.source.file)));
  if (others.length > 0) linkKubernetes(others, aux);
}

function linkKubernetes(workloads: Workload[], aux: K8sAux[]): void {
  const k8s = workloads.filter((w) => w.traits.some((t) => t.name === 'k8s.kind'));
  if (k8s.length === 0 || aux.length === 0) return;
  const ns = new Map(k8s.map((w) => [w, namespaceOf(w)]));
  linkConfigMaps(k8s, aux, ns);
  const services = linkServices(k8s, aux, ns);
  const byName = new Map(k8s.map((w) => [`${ns.get(w)}/${w.name}`, w]));
  for (const a of aux) {
    if (a.kind === 'HorizontalPodAutoscaler') linkAutoscaler(a, byName);
    else if (a.kind === 'Ingress' || a.kind === 'Route') linkIngress(a, services);
  }
  linkClaims(k8s, aux, ns);
}

/** Services to the workloads their selectors pick (through a label index: linear, not quadratic); returns namespace/name → workloads. */
function linkServices(k8s: Workload[], aux: K8sAux[], ns: Map<Workload, string>): Map<string, Workload[]> {
  const byLabel = new Map<string, Workload[]>();
  for (const w of k8s) {
    for (const [k, v] of labelsOf(w)) {
      const key = `${ns.get(w)}/${k}=${v}`;
      const l = byLabel.get(key);
      if (l) l.push(w);
      else byLabel.set(key, [w]);
    }
  }
  const services = new Map<string, Workload[]>();
  for (const a of aux) {
    if (a.kind !== 'Service') continue;
    const sel = a.spec.selector as Record<string, unknown> | undefined;
    if (!sel || typeof sel !== 'object') continue;
    const entries = Object.entries(sel).map(([k, v]) => [k, String(v)] as const);
    const lists = entries.map(([k, v]) => byLabel.get(`${a.namespace}/${k}=${v}`) ?? []);
    lists.sort((x, y) => x.length - y.length);
    const targets = entries.length === 0 ? [] : lists[0].filter((w) => lists.every((l) => l === lists[0] || l.includes(w)));
    services.set(`${a.namespace}/${a.name}`, targets);
    for (const w of targets) {
      // A Service in front of it: it answers requests, whether or not its containers name their ports.
      if (w.kind === 'worker') w.kind = 'service';
      w.traits.push({ name: 'k8s.service', value: `${a.name} (${String(a.spec.type ?? 'ClusterIP')})`, source: a.source });
      if (a.spec.type === 'LoadBalancer' || a.spec.type === 'NodePort') w.traits.push({ name: 'k8s.exposed', value: String(a.spec.type), source: a.source });
      w.sources.push(a.source);
    }
  }
  return services;
}

/** An HPA's bounds on the workload it scales. */
function linkAutoscaler(a: K8sAux, byName: Map<string, Workload>): void {
  const ref = (a.spec.scaleTargetRef ?? {}) as Record<string, unknown>;
  const w = byName.get(`${a.namespace}/${String(ref.name)}`);
  if (!w) return;
  const min = Number(a.spec.minReplicas ?? 1);
  const max = Number(a.spec.maxReplicas);
  // The same bounds as replicas anywhere else: a whole number up to 100,000.
  const believable = (n: number) => Number.isInteger(n) && n >= 0 && n <= 100_000;
  if (believable(min)) w.resources.minReplicas = { value: min, source: a.source };
  if (believable(max)) w.resources.maxReplicas = { value: max, source: a.source };
  w.traits.push({ name: 'autoscaling', value: `${typeof a.spec.via === 'string' ? a.spec.via : 'HPA'} ${a.name}: ${min}–${max}`, source: a.source });
  w.sources.push(a.source);
}

/** An Ingress, an OpenShift Route or a Gateway API route marks the workloads behind the services it names. */
function linkIngress(a: K8sAux, services: Map<string, Workload[]>): void {
  const names = new Set<string>();
  // Iterative: a deep spec never grows the call stack.
  const stack: unknown[] = [a.spec];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
    } else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.serviceName === 'string') names.add(o.serviceName);
      if (o.service && typeof o.service === 'object' && typeof (o.service as Record<string, unknown>).name === 'string') names.add((o.service as Record<string, string>).name);
      if (a.kind === 'Route' && o.to && typeof o.to === 'object') names.add(String((o.to as Record<string, unknown>).name));
      for (const n of backendServices(o.backendRefs)) names.add(n);
      for (const x of Object.values(o)) stack.push(x);
    }
  }
  for (const n of [...names].sort()) {
    for (const w of services.get(`${a.namespace}/${n}`) ?? []) {
      w.traits.push({ name: 'ingress', value: a.name, source: a.source });
      if (a.kind === 'Route') w.traits.push({ name: 'openshift.kind', value: 'Route', source: a.source });
    }
  }
}

/** The Services a Gateway API route's `backendRefs` name (a ref's kind is Service unless it says otherwise). */
function backendServices(refs: unknown): string[] {
  if (!Array.isArray(refs)) return [];
  return refs.flatMap((r) => {
    const ref = (r && typeof r === 'object' ? r : {}) as Record<string, unknown>;
    return typeof ref.name === 'string' && (ref.kind ?? 'Service') === 'Service' ? [ref.name] : [];
  });
}

/** PVCs referenced by pod volumes: access mode and size. */
function linkClaims(k8s: Workload[], aux: K8sAux[], ns: Map<Workload, string>): void {
  const pvcs = new Map<string, K8sAux>();
  for (const a of aux) if (a.kind === 'PersistentVolumeClaim') pvcs.set(`${a.namespace}/${a.name}`, a);
  for (const w of k8s) {
    for (const t of w.traits.filter((x) => x.name === 'k8s.pvc-ref')) {
      const pvc = pvcs.get(`${ns.get(w)}/${String(t.value)}`);
      if (!pvc) continue;
      const modes = Array.isArray(pvc.spec.accessModes) ? pvc.spec.accessModes.map(String) : [];
      w.traits.push({ name: modes.includes('ReadWriteMany') ? 'volume.shared' : 'volume.rwo', value: pvc.name, source: pvc.source });
      const req = ((pvc.spec.resources ?? {}) as Record<string, Record<string, unknown>>).requests ?? {};
      const size = String(req.storage ?? '');
      const m = /^([0-9.]+)\s*(Gi|G|Mi|M|Ti|T)?$/.exec(size);
      if (m) {
        const n = Number(m[1]);
        const gib = m[2] === 'Mi' || m[2] === 'M' ? n / 1024 : m[2] === 'Ti' || m[2] === 'T' ? n * 1024 : n;
        w.resources.storageGiB = { value: (w.resources.storageGiB?.value ?? 0) + gib, source: pvc.source };
      }
      w.sources.push(pvc.source);
    }
  }
}
