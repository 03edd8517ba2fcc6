import type { PartialWorkload, SourceRef } from '../types';
import { at, isObj, num, obj, parseYaml, str, type Obj } from './yaml';
import { newWorkload, posixDirname, posixJoin, trait, type ParseContext, type ParseResult } from './common';
import { dockerfileWorkloadName } from './dockerfile';
import { readToml, tomlKeyLines } from './toml';

/**
 * A Railway service's config as code (`railway.json` or `railway.toml`, one per service folder):
 * how it is built (a Dockerfile, or Nixpacks/Railpack from source), the command it starts, its
 * replicas, health check, cron schedule and pre-deploy command. The production environment's
 * overrides (`environments.production`) are what is planned.
 */

type Locate = (section: string, key: string) => SourceRef;

/** Keys only Railway's config has at its top level. */
function looksLikeRailway(cfg: Obj): boolean {
  return isObj(cfg.deploy) || isObj(cfg.build) || (typeof cfg.$schema === 'string' && cfg.$schema.includes('railway'));
}

export function parseRailway(text: string, file: string, ctx?: ParseContext): ParseResult {
  const diagnostics: ParseResult['diagnostics'] = [];
  let cfg: Obj | undefined;
  let locate: Locate;
  if (/\.toml$/i.test(file)) {
    cfg = readToml(text, file, diagnostics);
    const line = tomlKeyLines(text);
    locate = (section, key) => ({ file, line: line(section, key), column: 1 });
  } else {
    const r = parseYaml(text, file);
    for (const x of r.diagnostics) diagnostics.push(x);
    const d = r.docs[0];
    cfg = d && isObj(d.js) ? d.js : undefined;
    locate = (section, key) => (d ? at(d, [...section.split('.').filter(Boolean), key]) : { file, line: 1, column: 1 });
  }
  if (!cfg) return { workloads: [], diagnostics };
  if (!looksLikeRailway(cfg)) return { workloads: [], diagnostics, notDescriptor: 'no Railway `build` or `deploy` section' };
  const service = readService(cfg, file, locate, ctx);
  const pre = preDeployJob(cfg, service, locate);
  return { workloads: pre ? [service, pre] : [service], diagnostics };
}

/** A command that starts a web server: the service answers requests though the config names no port. */
const WEB_SERVER = /\b(gunicorn|uvicorn|hypercorn|daphne|waitress|flask\s+run|runserver|next\s+start|nuxt\s+start|rails\s+s(erver)?|puma|artisan\s+serve|php\s+-S|streamlit\s+run|http-server|serve\s+-s)\b/;

function readService(cfg: Obj, file: string, locate: Locate, ctx: ParseContext | undefined): PartialWorkload {
  // Settings of the production environment override the service's own.
  const production = obj(obj(cfg.environments).production);
  const deploy = { ...obj(cfg.deploy), ...obj(production.deploy) };
  const build = { ...obj(cfg.build), ...obj(production.build) };
  const section = (key: string, base: string): string => (obj(production[base])[key] !== undefined ? `environments.production.${base}` : base);
  const ref = (base: 'deploy' | 'build', key: string): SourceRef => locate(section(key, base), key);
  const src = locate('', isObj(cfg.deploy) ? 'deploy' : 'build');
  const name = dockerfileWorkloadName(file);
  const cron = str(deploy.cronSchedule);
  const command = str(deploy.startCommand);
  const dockerfile = buildDockerfileOf(build, file, ctx);
  const serves = deploy.healthcheckPath !== undefined || (command !== undefined && WEB_SERVER.test(command)) || (dockerfile !== undefined && /^\s*EXPOSE\s/im.test(ctx?.readFile(dockerfile) ?? ''));
  const w = newWorkload(name, cron ? 'scheduled-job' : serves ? 'service' : 'worker', src, 'railway');
  trait(w, 'runtime', 'container', src);
  trait(w, 'railway.service', name, src);
  if (cron) trait(w, 'schedule', cron, ref('deploy', 'cronSchedule'));
  if (command) trait(w, 'command', command, ref('deploy', 'startCommand'));
  if (dockerfile) {
    w.buildDockerfile = dockerfile;
    trait(w, 'build', dockerfile, ref('build', str(build.dockerfilePath) ? 'dockerfilePath' : 'builder'));
  } else if (str(build.builder)) trait(w, 'railway.builder', String(build.builder), ref('build', 'builder'));
  if (deploy.healthcheckPath !== undefined) trait(w, 'healthcheck', true, ref('deploy', 'healthcheckPath'));
  if (serves && deploy.healthcheckPath === undefined && !dockerfile) {
    w.ports.push(8080);
    trait(w, 'port', '$PORT', ref('deploy', 'startCommand'));
  }
  const replicas = num(deploy.numReplicas);
  if (replicas !== undefined && replicas > 0) w.resources.replicas = { value: replicas, source: ref('deploy', 'numReplicas') };
  if (deploy.sleepApplication === true) trait(w, 'railway.sleeps', 'the service sleeps when idle', ref('deploy', 'sleepApplication'));
  return w;
}

/** `deploy.preDeployCommand` (migrations): a one-off job run before each deployment goes live, from the service's image. */
function preDeployJob(cfg: Obj, service: PartialWorkload, locate: Locate): PartialWorkload | undefined {
  const production = obj(obj(cfg.environments).production);
  const raw = obj(production.deploy).preDeployCommand ?? obj(cfg.deploy).preDeployCommand;
  const command = Array.isArray(raw) ? raw.map(String).join(' && ') : str(raw);
  if (!command) return undefined;
  const src = locate(obj(production.deploy).preDeployCommand !== undefined ? 'environments.production.deploy' : 'deploy', 'preDeployCommand');
  const w = newWorkload(`${service.name}-pre-deploy`, 'job', src, 'railway');
  trait(w, 'runtime', 'container', src);
  trait(w, 'command', command, src);
  if (service.buildDockerfile) w.buildDockerfile = service.buildDockerfile;
  return w;
}

/** The Dockerfile the service is built from: `dockerfilePath`, or the folder's own with the DOCKERFILE builder or none named. */
function buildDockerfileOf(build: Obj, file: string, ctx: ParseContext | undefined): string | undefined {
  const dir = posixDirname(file);
  const path = str(build.dockerfilePath);
  if (path) return posixJoin(dir, path);
  const builder = str(build.builder)?.toUpperCase();
  if (builder && builder !== 'DOCKERFILE') return undefined;
  const beside = posixJoin(dir, 'Dockerfile');
  return ctx?.readFile(beside) !== undefined ? beside : undefined;
}
