import type { Diagnostic, PartialWorkload } from '../types';
import { parseMemoryMiB } from '../units';
import { arr, at, isObj, num, obj, parseYaml, str, type YamlDoc } from './yaml';
import { diag, inspectEnv, newWorkload, posixDirname, posixJoin, trait, type ParseContext, type ParseResult } from './common';
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

/** The manifest keys the plan is sized from. */
const SIZE_KEYS = new Set(['memory', 'instances', 'disk_quota']);

/** `((name))`: a variable `cf push` fills in from a vars file (`--vars-file`) or `--var`. */
const CF_VARIABLE = /\(\(([A-Za-z0-9_.-]+)\)\)/g;

/**
 * The manifest with its `((variables))` filled in from the vars file beside it (`vars.yml`), as
 * `cf push --vars-file vars.yml` would; a value that is a variable alone keeps its type (instances: 2).
 * A variable no vars file here sets stays as written; where it sets a size, it is reported once.
 */
function withVariables(d: YamlDoc, text: string, file: string, ctx: ParseContext | undefined, diagnostics: Diagnostic[]): unknown {
  if (!text.includes('((')) return d.js;
  const dir = posixDirname(file);
  const varsFile = ['vars.yml', 'vars.yaml'].map((b) => posixJoin(dir, b)).find((f) => ctx?.readFile(f) !== undefined);
  const parsedVars = varsFile ? parseYaml(ctx?.readFile(varsFile) ?? '', varsFile) : undefined;
  for (const x of parsedVars?.diagnostics ?? []) diagnostics.push(x);
  const vars = obj(parsedVars?.docs[0]?.js);
  const missing = new Map<string, (string | number)[]>();
  const fill = (v: unknown, path: (string | number)[]): unknown => {
    if (path.length > 64) return v;
    if (typeof v === 'string') {
      const whole = /^\(\(([A-Za-z0-9_.-]+)\)\)$/.exec(v.trim());
      if (whole && Object.prototype.hasOwnProperty.call(vars, whole[1]) && !isObj(vars[whole[1]])) return vars[whole[1]];
      return v.replace(CF_VARIABLE, (all, name: string) => {
        const x = Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined;
        if (x === undefined || isObj(x) || Array.isArray(x)) {
          if (!missing.has(name) || (!SIZE_KEYS.has(String(missing.get(name)?.at(-1))) && SIZE_KEYS.has(String(path.at(-1))))) missing.set(name, path);
          return all;
        }
        return String(x);
      });
    }
    if (Array.isArray(v)) return v.map((x, i) => fill(x, [...path, i]));
    if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x, [...path, k])]));
    return v;
  };
  const filled = fill(d.js, []);
  for (const [name, path] of missing) {
    // A route or an environment value is not planned from: only a size left unset is worth a note.
    if (!SIZE_KEYS.has(String(path[path.length - 1]))) continue;
    diag(diagnostics, at(d, path), 'info', 'cf-variable', `((${name})) is filled in by cf push from a vars file or --var${varsFile ? `; ${varsFile} does not set it` : ', and no vars.yml is beside this manifest'}: the default is used where it sets a size.`);
  }
  return filled;
}

export function parseCloudFoundry(text: string, file: string, ctx?: ParseContext): ParseResult {
  const { docs, diagnostics } = parseYaml(text, file);
  const workloads: PartialWorkload[] = [];
  const d = docs[0];
  if (!d) return { workloads, diagnostics };
  if (!Array.isArray(obj(d.js).applications)) {
    return { workloads, diagnostics }; // another tool's manifest.yml
  }
  const m = obj(withVariables(d, text, file, ctx, diagnostics));
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
    else if (app.memory !== undefined && !/\(\([^)]*\)\)/.test(String(app.memory))) diag(diagnostics, at(d, [...base, 'memory']), 'warning', 'cf-memory', `Memory ${String(app.memory)} could not be read.`);
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
