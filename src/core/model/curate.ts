import { DEV_VARIANT, PRODUCTION_SUFFIX } from '../parse/dockerfile';
import { imageRepository, lastSegment, posixDirname, type ComposeInclude } from '../parse/common';
import { RUNTIME_IMAGE } from './roles';
import type { DescriptorKind, PartialWorkload, SourceRef, Workload } from '../types';

/**
 * Which descriptors describe the deployment to plan, and which workloads are not workloads at all.
 *
 * A repository often holds several ways to deploy the same services (top-level manifests and
 * `examples/`, a default compose file and `compose.<variant>.yaml`, Kustomize bases and overlays).
 * The primary one is planned; the others are variants: listed, never sized from. Test harnesses
 * are test tooling. A repository's `.migration.yaml` `primary:` globs override the guess.
 */
export type FileRole = 'primary' | 'variant' | 'test';

const VARIANT_DIRS = new Set(['extras', 'extra', 'examples', 'example', 'samples', 'sample', 'demo', 'demos', 'overlays', 'overlay', 'staging', 'dev', 'development', 'local', 'localdev', 'hack', 'contrib', 'docs', 'doc', '.devcontainer', 'devcontainer', 'devcontainer-example', 'sandbox', 'quickstart', 'tools', 'legacy', 'old', 'archive', 'deprecated', 'tutorial', 'tutorials', 'playground', 'workstation']);
const TEST_DIRS = new Set(['test', 'tests', 'testing', 'e2e', 'ci', '_integration-test', 'integration-test', 'integration-tests', 'cypress', 'playwright', 'load-test', 'loadtest', 'perf', 'benchmark', 'benchmarks', 'testdata', 'test-data', 'test_data', 'fixtures', 'fixture', '__fixtures__', '__tests__', '__mocks__', 'mocks', 'spec']);
/** A test folder by name, or one named for what it tests (`manifests-loadtest`, `k8s-e2e`). */
function isTestDir(segment: string): boolean {
  return TEST_DIRS.has(segment) || /[-_](load-?test|loadtest|e2e|tests)$/.test(segment);
}
const DEFAULT_COMPOSE = /^(docker-)?compose(\.override)?\.ya?ml$/i;
const TEST_FILE = /(^|[._-])(test|tests|e2e|ci|sut|integration|cypress)([._-]|$)/i;
const VARIANT_FILE = /(^|[._-])(quickstart|all-in-one|allinone|example|examples|sample|demo|dev|local|debug|minikube|kind|k3d|fix|patch|canary|istio|override|staging|stg|qa|uat|preprod|pre-prod|sandbox)([._-]|$)/i;
/** `docker-compose.prod.yml`, `compose.production.yaml`: the deployment to plan, whatever sits beside it. */
const PRODUCTION_FILE = /(^|[._-])(prod|production)([._-]|$)/i;
const DEV_COMPOSE_FILE = /(^|[._-])(dev|develop|development|local|debug|override)([._-]|$)/i;

const PRODUCTION_DIRS = new Set(['prod', 'production', 'prd']);
/** Folders whose Dockerfiles, when nothing of the deployment runs them, are examples, demos, docs or tools. */
const ASIDE_DIRS = new Set(['examples', 'example', 'samples', 'sample', 'demo', 'demos', 'tutorial', 'tutorials', 'playground', 'quickstart', 'docs', 'doc', 'hack', 'contrib', 'legacy', 'old', 'archive', 'deprecated', 'sandbox']);
/** Folders of CI systems' own configuration: the images there run jobs and actions. */
const CI_DIRS = new Set(['.github', '.gitlab', '.circleci', '.buildkite', '.gitea', '.forgejo', '.woodpecker', '.drone', '.tekton']);
/** Descriptors whose file name may say they are a variant (`deployment-staging.yaml`, App Engine's `app.staging.yaml`). */
const NAMED_VARIANT_KINDS = new Set<DescriptorKind>(['kubernetes', 'appengine', 'cloudfoundry', 'fly', 'kamal']);

/** Whether a file is named for production (`docker-compose.prod.yml`, `deployment-prod.yaml`). */
function hasProductionName(file: string): boolean {
  const name = baseName(file).replace(/\.ya?ml$/i, '');
  return PRODUCTION_FILE.test(name) && !/(^|[._-])(pre|non)[._-]?prod/i.test(name);
}

/**
 * Whether a descriptor describes the production deployment by its folder (`overlays/production/`,
 * `k8s/prod/`) or its name (`docker-compose.prod.yml`, `deployment-prod.yaml`): its figures size
 * the services before those of a base or default file.
 */
export function isProductionFile(file: string): boolean {
  return segments(file).some((s) => PRODUCTION_DIRS.has(s)) || hasProductionName(file);
}

function segments(file: string): string[] {
  const dir = posixDirname(file);
  return dir ? dir.toLowerCase().split('/') : [];
}

function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

/**
 * A compose file in a folder with a production one: the production file and the default file are
 * the deployment; any other (`compose.dev.yml`, even `compose.override.yml`) is a variant.
 */
function roleBesideProduction(file: string): FileRole {
  const base = baseName(file);
  const isDefault = DEFAULT_COMPOSE.test(base) && !DEV_COMPOSE_FILE.test(base.replace(/\.ya?ml$/i, ''));
  return hasProductionName(file) || isDefault ? 'primary' : 'variant';
}

/** Guess each descriptor file's role from its path and its neighbours. */
export function fileRoles(files: { path: string; kind: DescriptorKind }[], primaryGlobs?: (path: string) => boolean, includes: ComposeInclude[] = [], promoted?: Set<string>): Map<string, FileRole> {
  const roles = new Map<string, FileRole>();
  const composeDirs = new Set(files.filter((f) => f.kind === 'compose' && DEFAULT_COMPOSE.test(baseName(f.path))).map((f) => posixDirname(f.path)));
  // A folder with a production compose file: it and the default file beside it are the deployment,
  // and a development one (`compose.dev.yml`, even `compose.override.yml`) is a variant.
  const prodDirs = new Set(files.filter((f) => f.kind === 'compose' && hasProductionName(f.path)).map((f) => posixDirname(f.path)));
  const hasAncestorCompose = (dir: string): boolean => {
    for (const d of composeDirs) if (d !== dir && (d === '' || dir.startsWith(d + '/'))) return true;
    return false;
  };
  for (const f of files) {
    const segs = segments(f.path);
    const base = baseName(f.path);
    let role: FileRole = 'primary';
    if (primaryGlobs) role = primaryGlobs(f.path) || f.kind === 'dockerfile' ? 'primary' : 'variant';
    // Only a compose file's role depends on its neighbours; any other file's is in its path.
    else if (f.kind !== 'compose') role = roleByPath(f.path, f.kind);
    else if (segs.some(isTestDir)) role = 'test';
    else if (TEST_FILE.test(base.replace(/\.ya?ml$/i, ''))) role = 'test';
    else if (isProductionDir(segs)) role = 'primary';
    else if (segs.some((s) => VARIANT_DIRS.has(s))) role = 'variant';
    else if (prodDirs.has(posixDirname(f.path))) role = roleBesideProduction(f.path);
    else if (!DEFAULT_COMPOSE.test(base) && composeDirs.has(posixDirname(f.path))) role = 'variant';
    else if (hasAncestorCompose(posixDirname(f.path))) role = 'variant';
    roles.set(f.path, role);
  }
  if (!primaryGlobs) includedTakeIncluderRole(roles, includes);
  // With no primary deployment descriptor at all, the variants are all there is: plan them. Not a
  // development environment's (a devcontainer's compose file starts the editor's workspace container
  // and the servers it works against): it describes no deployment, whatever else the repository has.
  const deployFiles = files.filter((f) => f.kind !== 'dockerfile' && f.kind !== 'config');
  if (deployFiles.length > 0 && deployFiles.every((f) => roles.get(f.path) !== 'primary')) {
    for (const f of deployFiles) {
      if (roles.get(f.path) !== 'variant' || isDevEnvironmentPath(f.path)) continue;
      roles.set(f.path, 'primary');
      promoted?.add(f.path);
    }
  }
  return roles;
}

/**
 * Variants planned for want of a primary deployment (TeaStore keeps every deployment in
 * `examples/`): one that runs all the services of another of the same kind, and more (its
 * `docker-compose_kieker.yaml` adds a RabbitMQ for Kieker monitoring to `docker-compose_default.yaml`),
 * is an extension of it and stays a variant, so that its extras are not planned as the deployment.
 */
export function keepExtensionsAside(partials: Array<{ name: string; descriptor: DescriptorKind; source: { file: string } }>, roles: Map<string, FileRole>, promoted: Set<string>): void {
  if (promoted.size < 2) return;
  const names = new Map<string, { kind: DescriptorKind; names: Set<string> }>();
  for (const p of partials) {
    if (!promoted.has(p.source.file) || p.descriptor === 'dockerfile') continue;
    let e = names.get(p.source.file);
    if (!e) names.set(p.source.file, (e = { kind: p.descriptor, names: new Set() }));
    e.names.add(p.name.toLowerCase());
  }
  const files = [...names];
  for (const [file, mine] of files) {
    const extends_ = files.some(([other, theirs]) => other !== file && theirs.kind === mine.kind && theirs.names.size > 0 && theirs.names.size < mine.names.size && [...theirs.names].every((n) => mine.names.has(n)));
    if (extends_) roles.set(file, 'variant');
  }
}

/** A production overlay is the deployment; `examples/production/` is still an example. */
function isProductionDir(segs: string[]): boolean {
  return segs.some((s) => PRODUCTION_DIRS.has(s)) && !segs.some((s) => VARIANT_DIRS.has(s) && s !== 'overlays' && s !== 'overlay');
}

/** The role a descriptor other than a compose file has from its folder and name alone. */
function roleByPath(path: string, kind: DescriptorKind): FileRole {
  const segs = segments(path);
  if (segs.some(isTestDir)) return 'test';
  if (kind === 'dockerfile' || isProductionDir(segs)) return 'primary';
  if (segs.some((s) => VARIANT_DIRS.has(s))) return 'variant';
  if (NAMED_VARIANT_KINDS.has(kind) && VARIANT_FILE.test(baseName(path).replace(/\.ya?ml$/i, ''))) return 'variant';
  return 'primary';
}

/**
 * Whether a Kubernetes object that is not a workload (a Service, an autoscaler, a ConfigMap) belongs
 * to the deployment planned: a file that holds workloads has its role already; another file's comes
 * from its path, and counts as the deployment when the variants are planned for want of any other.
 * A Service or an autoscaler in `extras/` never sizes or exposes the services of the deployment.
 */
export function auxInDeployment(roles: Map<string, FileRole>, primaryGlobs?: (path: string) => boolean): (file: string) => boolean {
  let variantsPlanned: boolean | undefined;
  return (file) => {
    const known = roles.get(file);
    if (known) return known === 'primary';
    if (primaryGlobs) return primaryGlobs(file);
    const role = roleByPath(file, 'kubernetes');
    if (role !== 'variant') return role === 'primary';
    variantsPlanned ??= [...roles].some(([f, r]) => r === 'primary' && roleByPath(f, 'kubernetes') === 'variant');
    return variantsPlanned;
  };
}

/**
 * A compose file another one `include`s is part of that file's deployment, whatever its folder or
 * name would say (`infra/compose.yaml` included by the top-level `compose.yaml` is no variant). An
 * includer with no services of its own has no role yet: it is the deployment. Chains of includes
 * are followed; a cycle ends when nothing changes.
 */
function includedTakeIncluderRole(roles: Map<string, FileRole>, includes: ComposeInclude[]): void {
  for (let changed = true, rounds = 0; changed && rounds <= includes.length; rounds++) {
    changed = false;
    for (const inc of includes) {
      const role = roles.get(inc.at.file) ?? 'primary';
      if (roles.has(inc.file) && roles.get(inc.file) !== role) {
        roles.set(inc.file, role);
        changed = true;
      }
    }
  }
}

/** Why a workload is left out of the plan. */
export type NotPlannedReason = 'base-image' | 'build-helper' | 'all-in-one' | 'dev-variant' | 'helm-chart' | 'variant' | 'data-container' | 'platform-service' | 'patch' | 'optional-profile';

export interface NotPlanned {
  name: string;
  reason: NotPlannedReason;
  message: string;
  sources: SourceRef[];
}

const NAME_TEST = /^((virtual|simulated|fake|dummy|synthetic)-.*|sut|tests?|e2e|e2e-.*|.*-e2e|.*-e2e-.*|.*-tests?|tests?-.*|.*-tests?-.*|cypress|playwright|selenium.*|.*-selenium|integration-tests?|smoke-tests?|k6|locust.*|.*-locust|jmeter|gatling|artillery|load|loadgen|load-gen|load-generator|loadgenerator|loadtest|load-?tester|stress-?tests?|(user|traffic|load|client)-sim(ulator)?|.*-load-generator|.*-loadgen|traffic-generator|mock-.*|.*-mock|wiremock|.*-stub)$/;
const NAME_ONE_SHOT = /^(.*[-_])?(seed|seeder|seeding|init|setup|bootstrap|migrate|migrations?|migrator|provision|provisioner|createbuckets|create-buckets|configurator|create-site|db-init|schema|populate|import|loader|installer|install|upgrade|prepare|config-init)([-_].*)?$/;
const ONE_SHOT_COMMAND = /\b(migrate|db:migrate|db:setup|db:seed|seed|createbuckets|mc mb|bootstrap|setup\.sh|init\.sh|install|upgrade|new-site|create-site|configure)\b/;
const BUILD_ARG = /^(ARTIFACT|ARTIFACT_NAME|ARTIFACT_ID|SERVICE|SERVICE_NAME|APP_NAME|APPLICATION|MODULE|MODULE_NAME|PROJECT|PROJECT_NAME|COMPONENT|COMPONENT_NAME|TARGET|JAR_FILE|BINARY|CMD_NAME|SVC|SERVICE_DIR|APP_DIR)$/;
const ALL_IN_ONE = /(^|[-_.])(all-?in-?one|aio|bundle|monolith|standalone-all)([-_.]|$)/i;

/** Development stand-ins for real services: mail catchers and local cloud emulators. */
const DEV_TOOL_IMAGE = /^(mailhog|mailpit|maildev|smtp4dev|mailcatcher|greenmail|localstack|fake-gcs-server|gcloud-emulator|azurite)$/;
/**
 * Development tools run beside an application in its compose file, by image repository: code
 * quality (SonarQube), a documentation preview (MkDocs), an API editor, a mock server (Prism, Mockoon).
 */
const DEV_SERVICE_IMAGE = /^(sonarqube|sonarsource\/sonarqube|squidfunk\/mkdocs-material|polinux\/mkdocs|swaggerapi\/swagger-editor|stoplight\/prism|mockoon\/cli)$/;
/** Storybook's development server (`storybook dev`, `start-storybook`): a workshop for UI components. */
const STORYBOOK_COMMAND = /(^|[\s/"'])(start-storybook|storybook["',\s]+dev)\b/;
/** Front-end development servers (`bin/webpack-dev-server`, `webpack serve`): production serves compiled assets. */
const ASSET_DEV_SERVER_COMMAND = /(^|[\s/"'])(webpack-dev-server|shakapacker-dev-server|webpack["',\s]+serve)\b/;
/** Jupyter's notebook servers (the Docker Stacks images, JupyterLab). */
const NOTEBOOK_IMAGE = /(^|\/)([a-z0-9-]*-notebook|jupyterlab)$/;
/** Cloud and cluster command-line tools: images whose entrypoint is the CLI itself. */
const CLI_TOOL_IMAGE = /^(amazon\/aws-cli|google\/cloud-sdk|google\.com\/cloudsdktool\/(google-)?cloud-(sdk|cli)|azure-cli|bitnami\/kubectl|alpine\/k8s)$/;
/** Admin UIs for a database or broker that run beside it in development stacks. */
const DB_ADMIN_IMAGE = /^(phpmyadmin|adminer|pgadmin4?|pgweb|dbgate|cloudbeaver|mongo-express|redis-commander|redisinsight|kafka-ui|kafdrop|akhq|kowl|kafka-manager|cmak)$/;
/** Compose profiles that mark development and test aids (not `feature-complete`, `monitoring`…). */
const DEV_PROFILE = /^(debug|dev|develop|development|test|tests|testing|e2e|ci|tools?|tooling|local|mock|mocks|docs|demo|sandbox|seed|seeding|seed-data|fixtures|load|loadtest|load-test|perf|benchmark|bench)$/i;

/** Where development environments live, and the images they build on. */
const DEV_ENV_PATH = /(^|\/)(\.devcontainer|\.gitpod|\.codesandbox|\.cloudshell|\.vscode|\.idea|\.coder)(\/|$)|(^|\/)\.gitpod\.Dockerfile$/i;
const DEV_ENV_IMAGE = /^(mcr\.microsoft\.com\/(vscode\/)?devcontainers\/|gitpod\/workspace-|codercom\/)/i;

/** A file of a development environment's configuration (`.devcontainer/`, `.gitpod.Dockerfile`…). */
export function isDevEnvironmentPath(file: string): boolean {
  return DEV_ENV_PATH.test(file);
}

/** A devcontainer, Gitpod or similar workspace image: what it is, or undefined. */
function devEnvironmentOf(file: string, base: string | undefined): string | undefined {
  const m = DEV_ENV_PATH.exec(file);
  if (m) return (m[2] ?? '.gitpod').replace(/^\./, '');
  if (base && DEV_ENV_IMAGE.test(base)) return `FROM ${base}`;
  return undefined;
}

/** Package managers and build tools that a compose service is only an entrypoint for (`docker compose run --rm composer install`). */
const TOOL_EXECUTABLE = /^(composer|npm|npx|yarn|pnpm|pip|pip3|poetry|mvn|gradle|artisan|cargo|dotnet|make)$/;

/** A service whose whole command is such a tool, or Laravel's `php …/artisan`, with no port: the tool's name. */
function onDemandTool(w: Workload): string | undefined {
  const commands = traitValues(w, 'command');
  if (has(w, 'port') || commands.length !== 1) return undefined;
  const words = commands[0].replace(/[[\]",']/g, ' ').trim().split(/\s+/);
  const exe = (word: string) => word.split('/').pop() ?? '';
  const tool = words.length === 1 ? exe(words[0]) : words.length === 2 && /^php[0-9.]*$/.test(exe(words[0])) && exe(words[1]) === 'artisan' ? 'artisan' : undefined;
  return tool && TOOL_EXECUTABLE.test(tool) ? tool : undefined;
}

/** Commands that only move or print files: a container that hands files over, then stops. */
const FILE_UTILITY = /^(cp|mv|cat|echo|true|ls|mkdir|chown|chmod|tar|touch|rsync)$/;

/** Shells and interpreters started with no script: a container to work in, not a service. */
const SHELL_OR_REPL = /^(sh|bash|ash|zsh|cmd|powershell|pwsh|node|python[0-9.]*|irb|ruby|php|perl|jshell|ghci|iex|erl)$/i;

/** The program a CMD or ENTRYPOINT starts, without its folder or `.exe` (`["C:\\tools\\diskspd.exe"]` → diskspd). */
function executableOf(command: string): string | undefined {
  const first = /^\[?\s*"?([^\s",\]]+)/.exec(command.trim())?.[1];
  if (!first) return undefined;
  const name = first.replace(/\\\\/g, '\\').split(/[\\/]/).pop() ?? '';
  return name.replace(/\.(exe|cmd|bat|ps1)$/i, '') || undefined;
}

/** A command of one word, in exec (`["sh"]`) or shell (`sh`) form: no script or arguments given. */
function isSingleWord(command: string): boolean {
  const c = command.trim();
  if (c.startsWith('[')) {
    try {
      const a = JSON.parse(c) as unknown;
      return Array.isArray(a) && a.length === 1 && typeof a[0] === 'string' && !/\s/.test(a[0].trim());
    } catch {
      return false;
    }
  }
  return c.length > 0 && !/\s/.test(c);
}

/** The tool a Dockerfile's ENTRYPOINT runs is named like the workload or the folder it sits in. */
function sameName(tool: string, name: string, file: string): boolean {
  const t = tool.toLowerCase();
  const dir = posixDirname(file).split('/').pop()?.toLowerCase();
  return t === name.toLowerCase() || t === dir;
}

function has(w: Workload, name: string): boolean {
  return w.traits.some((t) => t.name === name);
}

function traitValues(w: Workload, name: string): string[] {
  return w.traits.filter((t) => t.name === name).map((t) => String(t.value));
}

/**
 * Decide, for workloads described by nothing but a Dockerfile that nobody deploys, whether they are
 * images of their own or tooling: a base image others build FROM, a parameterised build helper, an
 * all-in-one bundle, or a debug/dev variant of another Dockerfile.
 */
export function dockerfileOnlyVerdict(w: Workload, builtFrom: Set<string>, siblings: Map<string, Array<DockerfileSibling>>, isServer: boolean, besideDeployment = false, ownBases: Set<string> = new Set()): { reason: NotPlannedReason; message: string } | undefined {
  const file = w.sources[0]?.file ?? '';
  const aside = besideDeployment ? posixDirname(file).split('/').find((seg) => ASIDE_DIRS.has(seg.toLowerCase())) : undefined;
  if (aside) return { reason: 'variant', message: `an image under ${aside}/ that no descriptor of the deployment runs: an example, demo or tool beside the application, not part of it` };
  const suffix = traitValues(w, 'docker.suffix')[0];
  const folderKey = normaliseKey(w.name);
  if (builtFrom.has(w.name.toLowerCase()) || builtFrom.has(folderKey) || has(w, 'docker.onbuild') || (!isServer && namesBuiltFrom(w, ownBases))) {
    return { reason: 'base-image', message: 'a base image: other Dockerfiles here build FROM it; it is not deployed by itself' };
  }
  const ci = posixDirname(file).split('/').find((seg) => CI_DIRS.has(seg.toLowerCase()));
  if (ci) return { reason: 'build-helper', message: `a CI pipeline's own image (under ${ci}/: a job or action container): it runs in the pipeline, not in production` };
  const devEnv = devEnvironmentOf(file, traitValues(w, 'base-image')[0]);
  if (devEnv) return { reason: 'dev-variant', message: `a development environment image (${devEnv}) that developers work in; it is not deployed` };
  const buildArgs = traitValues(w, 'arg.name').filter((a) => BUILD_ARG.test(a));
  if (buildArgs.length > 0 && (has(w, 'docker.from-arg') || !has(w, 'port'))) {
    return { reason: 'build-helper', message: `a parameterised build helper (ARG ${buildArgs[0]}): it builds whichever service it is given, each of which is planned on its own` };
  }
  if (ALL_IN_ONE.test(baseName(file)) || ALL_IN_ONE.test(suffix ?? '')) {
    return { reason: 'all-in-one', message: 'an all-in-one image bundling services that are planned one by one' };
  }
  if (suffix && DEV_VARIANT.test(suffix.split(/[._-]/)[0])) {
    return { reason: 'dev-variant', message: `a ${suffix} variant of a Dockerfile, for development, tests or builds` };
  }
  const dir = posixDirname(file);
  const production = productionSibling(w, siblings.get(dir) ?? []);
  if (!suffix && production) {
    return { reason: 'dev-variant', message: `a development build of the image: ${production} beside it builds production's, which is planned` };
  }
  // A `Dockerfile.prod` that nothing deploys is the service's image, not a variant of the `Dockerfile` beside it.
  const productionOfUnused = suffix !== undefined && PRODUCTION_SUFFIX.test(suffix) && !(siblings.get(dir) ?? []).some((o) => o.used && !o.traits.some((t) => t.name === 'docker.suffix'));
  if (suffix && !productionOfUnused && (siblings.get(dir) ?? []).some((o) => o !== w && !o.traits.some((t) => t.name === 'docker.suffix'))) {
    return { reason: 'dev-variant', message: `a variant (${suffix}) of ${dir ? dir + '/' : ''}Dockerfile, which is planned instead` };
  }
  const base = traitValues(w, 'base-image')[0];
  const tool = executableOf(traitValues(w, 'entrypoint')[0] ?? '');
  if (!has(w, 'port') && tool && sameName(tool, w.name, file) && base && RUNTIME_IMAGE.test(lastSegment(base))) {
    return { reason: 'build-helper', message: `a command-line tool image (ENTRYPOINT ${tool}) that scripts run now and then; it is not a service` };
  }
  const starts = executableOf(traitValues(w, 'entrypoint')[0] ?? traitValues(w, 'cmd')[0] ?? '');
  if (!has(w, 'port') && starts && BUILD_ARTIFACT.test(starts)) {
    return { reason: 'build-helper', message: `it only carries a build artifact (${starts}) out of the build, as \`docker build --output\` does: a mobile app, package or archive, not a service` };
  }
  if (!has(w, 'port') && starts && FILE_UTILITY.test(starts)) {
    return { reason: 'data-container', message: `its command only copies, lists or prints files (${has(w, 'entrypoint') ? 'ENTRYPOINT' : 'CMD'} ${starts} …): a one-shot or data container, not a service` };
  }
  const cmd = traitValues(w, 'cmd')[0] ?? '';
  const shell = has(w, 'entrypoint') || !isSingleWord(cmd) ? undefined : executableOf(cmd);
  if (!has(w, 'port') && shell && SHELL_OR_REPL.test(shell) && !isServer) {
    return { reason: 'base-image', message: `its only command is an interactive shell or interpreter (CMD ${shell}) and it opens no port: a base or tool image to run things in, not a service` };
  }
  const noCommand = !has(w, 'cmd') && !has(w, 'entrypoint') && !has(w, 'port');
  if (noCommand && base && RUNTIME_IMAGE.test(lastSegment(base)) && !isServer) {
    return { reason: 'base-image', message: `builds on ${base} and sets no command, port or entrypoint: a base or build image, not a service` };
  }
  return undefined;
}

/** A Dockerfile of the same folder, as the verdicts below compare them; `used` when a deployment builds it. */
export type DockerfileSibling = Pick<Workload, 'traits'> & { used?: boolean };

/** The `Dockerfile.prod` (or `.production`, `.release`) beside a plain Dockerfile that no deployment builds either. */
function productionSibling(w: Workload, siblings: DockerfileSibling[]): string | undefined {
  const prod = siblings.find((o) => o !== w && !o.used && o.traits.some((t) => t.name === 'docker.suffix' && PRODUCTION_SUFFIX.test(String(t.value))));
  return prod?.traits.find((t) => t.name === 'docker.suffix')?.source.file;
}

/**
 * A folder that names every word of an image of the project's own namespace that other Dockerfiles
 * build FROM (and is no server of its own: `database` holds the word `base`) is where that image is
 * built: TeaStore's services are `FROM descartesresearch/teastore-base`, built in
 * `utilities/tools.descartes.teastore.dockerbase/`.
 */
function namesBuiltFrom(w: Workload, ownBases: Set<string>): boolean {
  const mine = w.name.toLowerCase().split(/[^a-z0-9]+/);
  // A word of the folder's, or its end (`dockerbase` ends with `base`).
  const named = (x: string) => mine.some((m) => m === x || (x.length >= 4 && m.endsWith(x)));
  // Not an image it builds FROM itself (`Dockerfile.bosh-cli` is FROM splatform/bosh-cli).
  const own = new Set(traitValues(w, 'docker.stage-base').map((b) => lastSegment(b).toLowerCase()));
  for (const image of ownBases) {
    if (own.has(image)) continue;
    const words = image.split(/[-_.]+/).filter((x) => x.length >= 3);
    if (words.length >= 2 && words.every(named)) return true;
  }
  return false;
}

/** Build outputs that no container runs: an app package, an installer, an archive. */
const BUILD_ARTIFACT = /\.(apk|aab|ipa|zip|tar|tgz|gz|whl|deb|rpm|msi|dmg|nupkg|vsix)$/i;

/** Is this workload test or operator tooling (a test harness, a load generator, a mock, a console)? Returns the why. */
export function testToolingReason(w: Workload, roles: FileRole[]): string | undefined {
  if (roles.length > 0 && roles.every((r) => r === 'test')) return 'described only by test descriptors';
  if (NAME_TEST.test(w.name.toLowerCase())) return `its name (${w.name}) marks it as test or load-generation tooling`;
  const tier = w.traits.find((t) => (t.name === 'k8s.label' || t.name === 'label') && /^(tier|app\.kubernetes\.io\/component|component)=(test|tests|e2e|loadgen|load-generator)$/.test(String(t.value)));
  if (tier) return `it is labelled ${String(tier.value)}`;
  const img = traitValues(w, 'image').map(lastSegment).find((s) => /^(locust|k6|jmeter|gatling|artillery|selenium.*|cypress|playwright|wiremock|vegeta|hey|wrk|mockserver|load-?test(er)?|loadgen(erator)?|load-generator)$/.test(s));
  if (img) return `it runs ${img}, a test or load tool`;
  const devTool = traitValues(w, 'image').map(lastSegment).find((s) => DEV_TOOL_IMAGE.test(s));
  if (devTool) return `it runs ${devTool}, a development stand-in (a mail catcher or a local cloud emulator) that production replaces with the real service`;
  const devService = traitValues(w, 'image').map(imageRepository).find((r) => DEV_SERVICE_IMAGE.test(r));
  if (devService) return `it runs ${devService}, a development tool (code quality, a documentation preview, an API editor or a mock server) that production does not run`;
  const commands = ['command', 'cmd', 'entrypoint'].flatMap((k) => traitValues(w, k));
  if (commands.some((c) => STORYBOOK_COMMAND.test(c))) return "it runs Storybook's development server, a workshop for building UI components; its static build can be published with the site";
  const assets = commands.map((c) => ASSET_DEV_SERVER_COMMAND.exec(c)?.[2]).find((x) => x !== undefined);
  if (assets) return `it runs ${assets.replace(/["',\s]+/g, ' ')}, a front-end development server that rebuilds assets as they are edited; production serves the compiled assets (from the image or a CDN)`;
  const adminUi = traitValues(w, 'image').map(lastSegment).find((s) => DB_ADMIN_IMAGE.test(s));
  if (adminUi) return `it runs ${adminUi}, a database admin UI; the managed database's console and query editor (RDS Query Editor, Cloud SQL Studio) take its place`;
  const cli = [...traitValues(w, 'image'), ...traitValues(w, 'base-image')].map(imageRepository).find((r) => CLI_TOOL_IMAGE.test(r));
  if (cli && !has(w, 'port') && !has(w, 'cmd') && !traitValues(w, 'command').some((c) => LONG_RUNNING_WORD.test(c))) return `it runs ${cli}, an operator's command-line tool run on demand (\`docker compose run\`), not a service`;
  const notebook = traitValues(w, 'image').map(imageRepository).find((r) => NOTEBOOK_IMAGE.test(r));
  if (notebook) return `it runs ${notebook}, a notebook server for interactive work; a managed notebook service (SageMaker Studio, Vertex AI Workbench) takes its place`;
  const tool = onDemandTool(w);
  if (tool) return `its command is only ${tool}, a package manager or build tool run on demand (\`docker compose run --rm ${w.name} …\`), not a service`;
  if (runsFlower(w)) return "it runs Flower, Celery's monitoring UI; the cloud's monitoring of the managed queue and the workers (CloudWatch, Cloud Monitoring) takes its place";
  const profiles = traitValues(w, 'compose.profile');
  if (profiles.length > 0 && profiles.every((p) => DEV_PROFILE.test(p))) return `compose starts it only with the profile ${profiles.join(' / ')}, a development or test aid`;
  if (has(w, 'compose.interactive') && !has(w, 'port') && w.kind !== 'datastore') return 'an interactive console (stdin_open and tty, no port) that operators open a shell in; it serves nothing';
  return undefined;
}

/** Celery's Flower, by its image (`mher/flower`) or its command (`celery flower`, `/start-flower`). */
function runsFlower(w: Workload): boolean {
  if (traitValues(w, 'image').some((i) => lastSegment(i) === 'flower')) return true;
  return ['command', 'cmd', 'entrypoint'].some((k) => traitValues(w, k).some((c) => /(^|[\s/"'-])(celery\b.*\bflower|start-flower)\b/.test(c)));
}

/** A word in a command that says the process keeps running (`docker-bootstrap.sh beat` starts Celery beat; it does not bootstrap and stop). */
const LONG_RUNNING_WORD = /\b(server|serve|start|run|worker|web|beat|scheduler|cron|clock|consumer|listen|daemon|watch|app|gunicorn|uwsgi)\b/;

/** Database migration tools' images: each run applies the migrations, then stops. */
const MIGRATION_TOOL_IMAGE = /^(flyway|flyway\/flyway|redgate\/flyway|liquibase|liquibase\/liquibase|migrate\/migrate|arigaio\/atlas|sqitch\/sqitch|amacneil\/dbmate|ghcr\.io\/amacneil\/dbmate)$/;

/** Is this a run-to-completion job (seeders, migrations, set-up)? Returns the why. */
export function oneShotReason(w: Workload): string | undefined {
  if (w.kind === 'job') return undefined;
  if (w.kind === 'datastore' || w.traits.some((t) => t.name.startsWith('role.'))) return undefined;
  const setup = traitValues(w, 'setup.client')[0];
  if (setup) return `it runs ${setup}: a set-up step that runs to completion, not a second server`;
  const migrations = traitValues(w, 'image').map(imageRepository).find((r) => MIGRATION_TOOL_IMAGE.test(r));
  if (migrations && !has(w, 'port')) return `it runs ${migrations}, a database migration tool: a set-up step that runs to completion`;
  const restart = traitValues(w, 'compose.restart')[0];
  const cmd = traitValues(w, 'command').join(' ');
  if (restart === 'no' || restart === 'on-failure') return `compose restart: ${restart}: it runs to completion`;
  if (NAME_ONE_SHOT.test(w.name.toLowerCase()) && !has(w, 'port')) return `its name (${w.name}) marks a set-up or seeding step`;
  if (cmd && ONE_SHOT_COMMAND.test(cmd) && !has(w, 'port') && !LONG_RUNNING_WORD.test(cmd.replace(ONE_SHOT_COMMAND, ''))) return 'its command is a set-up step that runs to completion';
  return undefined;
}

/** A name reduced for matching: lower case, the last dotted part, common suffixes off. */
export function normaliseKey(name: string): string {
  let s = name.toLowerCase();
  if (s.includes('.')) s = s.slice(s.lastIndexOf('.') + 1) || s;
  s = s.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  s = s.replace(/-(service|svc|server|srv|app|application|chart|image|img|docker|container|ms|microservice|api-server)$/, '');
  return s;
}

/** Token prefixes (`rs-`, `retail-store-sample-`) shared by several names: a project's naming scheme. */
export function commonPrefixes(names: string[]): string[] {
  const counts = new Map<string, number>();
  for (const n of new Set(names.map((x) => x.toLowerCase()))) {
    const toks = n.split(/[-_.]/);
    for (let i = 1; i < toks.length; i++) {
      const p = toks.slice(0, i).join('-') + '-';
      counts.set(p, (counts.get(p) ?? 0) + 1);
    }
  }
  return [...counts].filter(([, c]) => c >= 2).map(([p]) => p).sort((a, b) => b.length - a.length);
}

/** Keys a name can be matched by, strongest first. */
export function matchKeys(name: string, prefixes: string[]): string[] {
  const keys = [normaliseKey(name)];
  const dashed = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  for (const p of prefixes) {
    // What is left must still be a name (`cart`), not a number (`k8s-0` and `svc-0` are not one service).
    if (dashed.startsWith(p) && /[a-z]{2,}/.test(dashed.slice(p.length))) {
      keys.push(normaliseKey(dashed.slice(p.length)));
      break;
    }
  }
  keys.push(dashed.replace(/-/g, ''));
  return [...new Set(keys.filter(Boolean))];
}

/** A workload's partials split by file role. */
export function splitByRole(parts: PartialWorkload[], roles: Map<string, FileRole>): { primary: PartialWorkload[]; variant: PartialWorkload[]; test: PartialWorkload[] } {
  const out = { primary: [] as PartialWorkload[], variant: [] as PartialWorkload[], test: [] as PartialWorkload[] };
  for (const p of parts) out[roles.get(p.source.file) ?? 'primary'].push(p);
  return out;
}
