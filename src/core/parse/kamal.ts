import type { PartialWorkload, SourceRef } from '../types';
import { arr, at, isObj, num, obj, parseYaml, str, type Obj, type YamlDoc } from './yaml';
import { diag, inspectEnv, newWorkload, posixDirname, posixJoin, trait, type ParseContext, type ParseResult } from './common';

/**
 * A Kamal deployment (`config/deploy.yml`, the default of every Rails 8 application): the app's
 * image run on the servers of each role, and its accessories (a database, Redis) on theirs. A
 * destination file (`config/deploy.staging.yml`) is layered over it by `kamal deploy -d staging`.
 */

type Path = (string | number)[];

/** Whether YAML is a Kamal configuration: a `service` and the servers or image it deploys. */
export function looksLikeKamal(js: unknown): boolean {
  const root = obj(js);
  return typeof root.service === 'string' && (root.servers !== undefined || typeof root.image === 'string' || isObj(root.accessories));
}

/**
 * Kamal renders its configuration with ERB before reading the YAML. Tags are not run here: a line
 * of control code (`<% if … %>`) is left blank, so lines keep their numbers and both branches are
 * read; a value (`<%= ENV["WEB_HOST"] %>`) becomes `erb-value`, or the default an `ENV.fetch` gives.
 */
function withoutErb(text: string): string {
  if (!text.includes('<%')) return text;
  return text
    .replace(/^[ \t]*<%(?!=)[^\n]*?%>[ \t]*$/gm, '')
    .replace(/<%=\s*ENV\.fetch\(\s*["'][^"'\n]+["']\s*,\s*["']([^"'\n]*)["']\s*\)\s*%>/g, '$1')
    .replace(/<%=?[^\n]*?%>/g, 'erb-value');
}

export function parseKamal(text: string, file: string, ctx?: ParseContext): ParseResult {
  const erb = text.includes('<%');
  const { docs, diagnostics } = parseYaml(withoutErb(text), file);
  if (erb) diag(diagnostics, { file, line: text.slice(0, text.indexOf('<%')).split('\n').length, column: 1 }, 'info', 'kamal-erb', 'This Kamal configuration uses ERB tags, which are not run here: a value they compute is read as `erb-value` (or the default its `ENV.fetch` gives), and both branches of a condition are read.');
  const d = docs[0];
  const root = obj(d?.js);
  const service = str(root.service) ?? baseServiceOf(file, ctx);
  if (!d || !service || (!looksLikeKamal(d.js) && !isDestination(file))) {
    return { workloads: [], diagnostics, notDescriptor: 'YAML named config/deploy.yml that is not a Kamal configuration (no `service` with `servers` or `image`)' };
  }
  // The project's root: config/deploy.yml sits in its config/ folder.
  const projectDir = posixDirname(posixDirname(file));
  const workloads: PartialWorkload[] = [];
  for (const role of rolesOf(root)) workloads.push(readRole(d, root, role, service, projectDir));
  for (const [name, a] of Object.entries(obj(root.accessories))) if (isObj(a)) workloads.push(readAccessory(d, a, name, service));
  return { workloads, diagnostics };
}

/** `config/deploy.staging.yml`: a destination, layered over `config/deploy.yml`. */
function isDestination(file: string): boolean {
  return /(^|\/)config\/deploy\.[^/.]+\.ya?ml$/i.test(file);
}

/** A destination file's service is the base file's. */
function baseServiceOf(file: string, ctx: ParseContext | undefined): string | undefined {
  if (!isDestination(file) || !ctx) return undefined;
  const base = ctx.readFile(posixJoin(posixDirname(file), 'deploy.yml'));
  const m = base === undefined ? null : /^service:\s*["']?([A-Za-z0-9_.-]+)/m.exec(base);
  return m?.[1];
}

interface Role {
  name: string;
  hosts: unknown[];
  path: Path;
  spec: Obj;
}

/** The roles and their hosts: `servers: [ip…]` is the web role; `servers: {web: [ip…], job: {hosts, cmd}}` names them. */
function rolesOf(root: Obj): Role[] {
  if (Array.isArray(root.servers)) return [{ name: 'web', hosts: root.servers, path: ['servers'], spec: {} }];
  const roles: Role[] = [];
  for (const [name, r] of Object.entries(obj(root.servers))) {
    if (Array.isArray(r)) roles.push({ name, hosts: r, path: ['servers', name], spec: {} });
    else if (isObj(r)) roles.push({ name, hosts: arr(r.hosts), path: ['servers', name], spec: r });
  }
  return roles;
}

function readRole(d: YamlDoc, root: Obj, role: Role, service: string, projectDir: string): PartialWorkload {
  const src = at(d, role.path);
  const name = role.name === 'web' ? service : `${service}-${role.name}`;
  // The web role runs behind Kamal's proxy; another role serves only if it says so (`proxy: true`).
  const served = role.name === 'web' ? role.spec.proxy !== false : role.spec.proxy !== undefined && role.spec.proxy !== false;
  const w = newWorkload(name, served ? 'service' : 'worker', src, 'kamal');
  trait(w, 'runtime', 'container', src);
  trait(w, 'kamal.role', role.name, src);
  if (role.hosts.length > 0) {
    w.resources.replicas = { value: role.hosts.length, source: src };
    trait(w, 'kamal.hosts', `${role.hosts.length} server${role.hosts.length === 1 ? '' : 's'}`, src);
  }
  if (served) {
    const port = num(obj(root.proxy).app_port) ?? 80;
    w.ports.push(port);
    trait(w, 'port', port, root.proxy !== undefined ? at(d, ['proxy']) : src);
    if (str(obj(obj(root.proxy).healthcheck).path)) trait(w, 'healthcheck', true, at(d, ['proxy', 'healthcheck']));
  }
  const cmd = str(role.spec.cmd);
  if (cmd) trait(w, 'command', cmd, at(d, [...role.path, 'cmd']));
  if (!served) trait(w, 'serves-no-http', `Kamal role ${role.name}, not behind the proxy`, src);
  readImage(d, root, w, projectDir);
  readEnv(d, root.env, ['env'], w);
  readEnv(d, role.spec.env, [...role.path, 'env'], w);
  arr(root.volumes).forEach((v, i) => readVolume(String(v), at(d, ['volumes', i]), w));
  return w;
}

/** The image the roles run, built by `kamal` from the project's Dockerfile (or the builder's own). */
function readImage(d: YamlDoc, root: Obj, w: PartialWorkload, projectDir: string): void {
  const builder = obj(root.builder);
  const context = str(builder.context) ?? '.';
  const dockerfile = str(builder.dockerfile) ?? 'Dockerfile';
  w.buildDockerfile = posixJoin(projectDir, context, dockerfile);
  trait(w, 'build', w.buildDockerfile, at(d, root.builder !== undefined ? ['builder'] : root.image !== undefined ? ['image'] : ['service']));
}

/** `env: {clear: {…}, secret: [NAME…]}`, or a plain map: the clear values are read as any environment is; secrets are only names. */
function readEnv(d: YamlDoc, env: unknown, path: Path, w: PartialWorkload): void {
  if (!isObj(env)) return;
  const clear = isObj(env.clear) ? env.clear : env.secret === undefined && env.tags === undefined ? env : {};
  const base = isObj(env.clear) ? [...path, 'clear'] : path;
  for (const [k, v] of Object.entries(clear)) {
    if (v === null || v === undefined || typeof v === 'object') continue;
    inspectEnv(w, k, String(v), at(d, [...base, k]));
  }
}

/** A volume `name:/path` (Docker named volume) or `/host/path:/path` (a host folder): state kept on the server. */
function readVolume(v: string, src: SourceRef, w: PartialWorkload): void {
  const [host, target] = v.split(':');
  if (!target) return;
  if (host.startsWith('/') || host.startsWith('.')) trait(w, 'volume.bind', `${host}:${target}`, src);
  else trait(w, 'volume.named', host, src);
}

/** An accessory: a server the app needs (a database, Redis) run from its image on its own host. */
function readAccessory(d: YamlDoc, a: Obj, name: string, service: string): PartialWorkload {
  const path: Path = ['accessories', name];
  const src = at(d, path);
  // Kamal names an accessory's container `<service>-<accessory>`: the app reaches it by that host name.
  const w = newWorkload(`${service}-${name}`, 'service', src, 'kamal');
  trait(w, 'runtime', 'container', src);
  trait(w, 'kamal.accessory', name, src);
  const image = str(a.image);
  if (image) {
    w.image = image;
    trait(w, 'image', image, at(d, [...path, 'image']));
  }
  const port = str(a.port) ?? (num(a.port) !== undefined ? String(num(a.port)) : undefined);
  const inner = port ? Number(port.split(':').pop()) : NaN;
  if (Number.isInteger(inner) && inner > 0 && inner < 65536) {
    w.ports.push(inner);
    trait(w, 'port', inner, at(d, [...path, 'port']));
  }
  const cmd = str(a.cmd);
  if (cmd) trait(w, 'command', cmd, at(d, [...path, 'cmd']));
  readEnv(d, a.env, [...path, 'env'], w);
  arr(a.directories).forEach((v, i) => trait(w, 'volume.named', String(v).split(':')[0], at(d, [...path, 'directories', i])));
  arr(a.volumes).forEach((v, i) => readVolume(String(v), at(d, [...path, 'volumes', i]), w));
  return w;
}
