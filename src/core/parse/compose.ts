import type { Diagnostic, PartialWorkload, SourceRef } from '../types';
import { parseCpu, parseMemoryMiB } from '../units';
import { arr, at, COMPOSE_TAGS, isObj, lineOf, num, obj, parseYaml, str, type Obj, type YamlDoc } from './yaml';
import { diag, imageRepository, inspectEnv, lastSegment, newWorkload, posixDirname, posixJoin, trait, volumeUse, type ComposeInclude, type ParseContext, type ParseResult } from './common';
import { parseDockerfile, WEB_ROOT, WEB_SERVER_IMAGE } from './dockerfile';
import { unreadableQuantity } from './bounds';

/** Read a `.env` file (KEY=value lines) as compose does. */
export function parseDotEnv(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let v = m[2];
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    vars.set(m[1], v);
  }
  return vars;
}

/**
 * Compose interpolation: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?err}`,
 * `${VAR:+alt}`, and `$$` for a literal dollar. Variables come from the project's `.env` only,
 * never from the machine's environment, so that the plan is the same on every machine.
 */
export function interpolate(s: string, vars: Map<string, string>, unknown: Set<string>): string {
  return s.replace(/\$(\$|\{([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (whole, a: string, braced?: string, bare?: string) => {
    if (a === '$') return '$';
    if (bare !== undefined) {
      if (vars.has(bare)) return vars.get(bare) as string;
      unknown.add(bare);
      return '';
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?+])(.*))?$/s.exec(braced ?? '');
    if (!m) return whole;
    const [, name, colon, op, arg] = m;
    const has = vars.has(name);
    const val = vars.get(name);
    const empty = !has || (colon === ':' && val === '');
    if (op === '-') return empty ? interpolate(arg ?? '', vars, unknown) : (val as string);
    if (op === '+') return empty ? '' : interpolate(arg ?? '', vars, unknown);
    if (op === '?') {
      if (empty) unknown.add(name);
      return val ?? '';
    }
    if (!has) {
      unknown.add(name);
      return '';
    }
    return val as string;
  });
}

function interpolateDeep(v: unknown, vars: Map<string, string>, unknown: Set<string>, depth = 0): unknown {
  if (depth > 64) return v;
  if (typeof v === 'string') return v.includes('$') ? interpolate(v, vars, unknown) : v;
  if (Array.isArray(v)) return v.map((x) => interpolateDeep(x, vars, unknown, depth + 1));
  if (isObj(v)) {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) out[k] = interpolateDeep(x, vars, unknown, depth + 1);
    return out;
  }
  return v;
}

/**
 * An image whose variables are not all set (no `.env`, no default) is shown as written
 * (`${IMAGE_NAME}:${DEMO_VERSION}-flagd-ui`), not as what is left of it (`:-flagd-ui`); and one that
 * takes a value from `.env` (often git-ignored) is shown as written too, so that nothing from `.env`
 * reaches the plan and the plan is the same with or without it.
 */
function keepWrittenImage(w: PartialWorkload, written: string | undefined, vars: Map<string, string>): void {
  if (!written || !written.includes('$') || !w.image) return;
  const unset = new Set<string>();
  interpolate(written, vars, unset);
  const fromDotEnv = [...written.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].some((m) => vars.has(m[1]));
  if (unset.size === 0 && !fromDotEnv) return;
  w.image = written;
  for (const t of w.traits) if (t.name === 'image') t.value = written;
}

/**
 * A build path with a variable that nothing sets (`./bin/${PHPVERSION}`) is kept as written: the model
 * then knows the service is built from one of several Dockerfiles, not from `bin/Dockerfile`.
 */
function keepWrittenBuild(w: PartialWorkload, written: unknown, vars: Map<string, string>, dir: string): void {
  if (written === undefined || !w.buildDockerfile) return;
  const b = typeof written === 'string' ? { context: written } : obj(written);
  const context = str(b.context) ?? '.';
  const dockerfile = str(b.dockerfile) ?? 'Dockerfile';
  const unset = new Set<string>();
  interpolate(`${context}/${dockerfile}`, vars, unset);
  if (unset.size === 0) return;
  w.buildDockerfile = posixJoin(dir, context, dockerfile);
  for (const t of w.traits) if (t.name === 'build') t.value = w.buildDockerfile;
}

/**
 * `.env` is usually git-ignored and holds secrets and a developer's own paths: the value of a
 * secret-named variable is never copied into the plan, and no `.env` value at all into a volume
 * (host paths such as `/home/alice/certs`). Where one went, the plan shows `${NAME}`. A volume the
 * service writes itself is shown as written, its variables as `${NAME}`, so `DB_USERNAME=postgres`
 * in `.env` does not turn `/var/lib/postgresql/data` into `/var/lib/${DB_USERNAME}ql/data`.
 */
interface DotEnvRedactor {
  vars: Map<string, string>;
  /** Secret-named variables' values, longest first. */
  secretish: [string, string][];
  /** Every value of two characters or more, longest first. */
  anyValue: [string, string][];
  /** Each variable as it is written, `${NAME}`. */
  shownVars: Map<string, string>;
}

/** What redacting needs from a file's `.env`, worked out once per file (a template may hold thousands of variables). */
function dotEnvRedactor(vars: Map<string, string>): DotEnvRedactor {
  const byLength = (a: [string, string], b: [string, string]) => b[1].length - a[1].length;
  return {
    vars,
    secretish: [...vars].filter(([k, v]) => v.length >= 4 && SECRET_KEY.test(k)).sort(byLength),
    anyValue: [...vars].filter(([, v]) => v.length >= 2).sort(byLength),
    shownVars: new Map([...vars.keys()].map((k) => [k, `\${${k}}`])),
  };
}

function redactDotEnv(w: PartialWorkload, r: DotEnvRedactor, writtenVolumes: unknown): void {
  const { secretish, anyValue } = r;
  const asWritten = volumesAsWritten(writtenVolumes, r);
  if (w.image) w.image = redact(w.image, secretish);
  for (const t of w.traits) {
    if (typeof t.value !== 'string') continue;
    if (!t.name.startsWith('volume.')) t.value = redact(t.value, secretish);
    else t.value = asWritten.get(t.value) ?? redact(t.value, anyValue);
  }
  for (const e of w.env) if (e.value !== undefined) e.value = redact(e.value, secretish);
}

/** Each value of `from` found in `s` becomes `${NAME}`. */
function redact(s: string, from: Array<[string, string]>): string {
  let out = s;
  for (const [k, v] of from) if (out.includes(v)) out = out.split(v).join(`\${${k}}`);
  return out;
}

/**
 * The volumes the service writes, as the model shows them (`source:target`, or a named volume's
 * name) once interpolated → the same with each `.env` variable left as `${NAME}`.
 */
function volumesAsWritten(volumes: unknown, { vars, shownVars }: DotEnvRedactor): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of arr(volumes)) {
    const parts = typeof v === 'string' ? v.split(':').slice(0, 2) : [str(obj(v).source) ?? '', str(obj(v).target) ?? ''];
    if (!parts.some((x) => x.includes('$'))) {
      // Written without a variable: no `.env` value went into it (`/usr/src/paperless/export` stays, whatever COMPOSE_PROJECT_NAME is).
      out.set(parts.join(':'), parts.join(':'));
      out.set(parts[0], parts[0]);
      continue;
    }
    const real = parts.map((x) => interpolate(x, vars, new Set()));
    const shown = parts.map((x) => interpolate(x, shownVars, new Set()));
    out.set(real.join(':'), shown.join(':'));
    out.set(real[0], shown[0]);
  }
  return out;
}

const SECRET_KEY = /(PASSWORD|PASSWD|SECRET|TOKEN|KEY|CREDENTIAL)/i;

/** Compose's merge of a service with the one it `extends`: mappings merge, the rest is replaced. */
function mergeService(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (k === 'extends') continue;
    const b = out[k];
    if (isObj(b) && isObj(v)) out[k] = mergeService(b, v);
    else if (Array.isArray(b) && Array.isArray(v) && ['ports', 'expose', 'volumes', 'cap_add', 'devices', 'dns'].includes(k)) out[k] = [...b, ...v];
    else out[k] = v;
  }
  return out;
}

/** Compose labels in list (`a=b`) or map form. */
function labelsOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(v)) {
    for (const x of v) {
      const s = String(x);
      const i = s.indexOf('=');
      out[i < 0 ? s : s.slice(0, i)] = i < 0 ? '' : s.slice(i + 1);
    }
  } else if (isObj(v)) for (const [k, x] of Object.entries(v)) out[k] = String(x ?? '');
  return out;
}

const SAFE_CAPS = new Set(['SYS_PTRACE', 'NET_BIND_SERVICE', 'CHOWN', 'SETUID', 'SETGID', 'KILL', 'DAC_OVERRIDE', 'FOWNER']);

/** A service of another compose file (`extends.file`), interpolated; 'missing' when the file is not there. */
function serviceOfFile(rel: string, name: string, ctx: ParseContext, interpolated: (v: unknown) => Obj): Obj | undefined | 'missing' {
  const text = ctx.readFile(rel);
  if (text === undefined) return 'missing';
  const o = parseYaml(text, rel, { formatTags: COMPOSE_TAGS }).docs[0];
  return o ? interpolated(obj(obj(obj(o.js).services)[name])) : undefined;
}

/**
 * Why a service entry is skipped, if it is: not a mapping, or a name Compose refuses (planning it
 * would give a workload nobody can refer to).
 */
function refusedService(name: string, raw: unknown): { code: string; message: string } | undefined {
  if (!isObj(raw)) return { code: 'compose-service-shape', message: `Service ${name} is not a mapping; it was skipped.` };
  if (!/^[a-zA-Z0-9._-]+$/.test(name)) return { code: 'compose-service-name', message: `Service name ${JSON.stringify(name)} is not one Compose accepts (letters, digits, '.', '_' and '-'); it was skipped.` };
  return undefined;
}

/** Container port numbers from compose `ports`/`expose` entries in short or long form. */
export function composePorts(ports: unknown): number[] {
  const out: number[] = [];
  for (const p of arr(ports)) {
    if (isObj(p)) {
      const t = num(p.target);
      if (t !== undefined) out.push(t);
      continue;
    }
    const s = str(p);
    if (!s) continue;
    const noProto = s.split('/')[0];
    const parts = noProto.split(':');
    const container = parts[parts.length - 1];
    const n = parseInt(container.split('-')[0], 10);
    if (Number.isFinite(n)) out.push(n);
  }
  return out;
}

/**
 * Variables with no value and no default. With a `.env` beside the file, each missing name is its
 * own warning at its first use; with no `.env` at all (often left out of the repository on
 * purpose), one warning at the first use names them all, instead of one per variable.
 */
function reportUnknownVariables(diagnostics: ParseResult['diagnostics'], text: string, file: string, names: string[], envFile: string | undefined): void {
  if (envFile !== undefined || names.length < 2) {
    for (const name of names) {
      diag(diagnostics, { file, line: lineOf(text, name) }, 'warning', 'compose-unknown-variable', `Variable ${name} is not set in ${envFile ?? 'the environment (there is no .env here)'} and has no default; it was read as an empty string.`);
    }
    return;
  }
  const line = names.reduce((min, n) => Math.min(min, lineOf(text, n)), Number.MAX_SAFE_INTEGER);
  const shown = names.slice(0, 8).join(', ');
  const more = names.length > 8 ? ` and ${names.length - 8} more` : '';
  diag(diagnostics, { file, line }, 'warning', 'compose-unknown-variable', `There is no .env beside this file: ${names.length} variables with no default (${shown}${more}) were read as empty strings, so images, ports and sizes that use them may be missing. Add the .env, or defaults (\${NAME:-value}), to plan them.`);
}

/**
 * The templates projects ship for the `.env` a user is told to copy (`cp .env.example .env`), in the
 * order they are looked for. `.env` itself is usually git-ignored, so the template is what the
 * repository says the variables are.
 */
const ENV_TEMPLATES = ['.env.example', 'example.env', 'env.example', '.env.sample', 'sample.env', '.env.template', '.env.dist', '.env.default', '.env.defaults'];

/** The variables compose reads for a file: `.env` beside it or, when there is none, the template the project ships for it. */
function projectEnv(dir: string, ctx: ParseContext): { file: string; text: string } | undefined {
  for (const name of ['.env', ...ENV_TEMPLATES]) {
    const text = ctx.readFile(posixJoin(dir, name));
    if (text !== undefined) return { file: name, text };
  }
  return undefined;
}

/**
 * The profiles compose runs with, as the `.env` (or its template) sets them: `COMPOSE_PROFILES`,
 * interpolated as compose does (`${VECTOR_STORE:-weaviate},${DB_TYPE:-postgresql}`). Undefined when
 * it is not set there: then the profiles are given on the command line, which the planner cannot see.
 */
function activeProfiles(vars: Map<string, string>): string[] | undefined {
  const raw = vars.get('COMPOSE_PROFILES');
  if (raw === undefined) return undefined;
  const rest = new Map(vars);
  rest.delete('COMPOSE_PROFILES');
  return interpolate(raw, rest, new Set()).split(',').map((p) => p.trim()).filter(Boolean);
}

/** Say, where a variable is first used, that its value came from the project's `.env` template. */
function reportEnvTemplate(diagnostics: Diagnostic[], text: string, file: string, template: string, vars: Map<string, string>): void {
  // One pass over the file for the names it uses (a template may hold thousands of variables).
  let first = -1;
  const used = new Set<string>();
  for (const m of text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) {
    if (!vars.has(m[1])) continue;
    if (first < 0) first = m.index ?? 0;
    used.add(m[1]);
  }
  if (!used.size) return;
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < first; i = text.indexOf('\n', i + 1)) line++;
  diag(diagnostics, { file, line }, 'info', 'compose-env-template', `There is no .env beside this file: ${used.size === 1 ? 'its variable was' : `its ${used.size} variables were`} read from ${template}, the template the project ships for it. Add the .env you deploy with to plan its values instead.`);
}

/** The file interpolated with the variables of its `.env` (or the template the project ships), the variables it lacks reported. */
function interpolatedWithEnv(d: YamlDoc, text: string, file: string, ctx: ParseContext, diagnostics: Diagnostic[]): { envFile?: string; vars: Map<string, string>; unknown: Set<string>; root: Obj } {
  const env = projectEnv(posixDirname(file), ctx);
  const vars = env ? parseDotEnv(env.text) : new Map<string, string>();
  const unknown = new Set<string>();
  const root = interpolateDeep(d.js, vars, unknown) as Obj;
  if (env && env.file !== '.env') reportEnvTemplate(diagnostics, text, file, env.file, vars);
  reportUnknownVariables(diagnostics, text, file, [...unknown].sort(), env?.file);
  return { envFile: env?.file, vars, unknown, root };
}

export function parseCompose(text: string, file: string, ctx: ParseContext): ParseResult {
  const { docs, diagnostics } = parseYaml(text, file, { formatTags: COMPOSE_TAGS });
  const workloads: PartialWorkload[] = [];
  const d = docs[0];
  if (!d) return { workloads, diagnostics };
  if (!isObj(d.js)) {
    diag(diagnostics, { file, line: 1 }, 'error', 'compose-shape', 'A compose file must be a mapping with a `services` key.');
    return { workloads, diagnostics };
  }
  const dir = posixDirname(file);
  const { envFile, vars, unknown, root } = interpolatedWithEnv(d, text, file, ctx, diagnostics);
  const services = obj(root.services);
  // A file that only `include`s others (each read on its own) has no services of its own, rightly.
  if (Array.isArray(root.services)) diag(diagnostics, at(d, ['services']), 'warning', 'compose-no-services', '`services` is a list here; compose expects a mapping of service names to their settings, so no service was read.');
  else if (!isObj(root.services) && !Array.isArray(root.include)) diag(diagnostics, at(d, []), 'warning', 'compose-no-services', 'This compose file has no `services`.');
  const composeIncludes = includesOf(root.include, d, dir);
  const active = activeProfiles(vars);
  const redactor = vars.size > 0 ? dotEnvRedactor(vars) : undefined;
  const namedVolumes = new Set(Object.keys(obj(root.volumes)));

  const resolveExtends = (svcName: string, svc: Obj, seen: Set<string>): Obj => {
    const ext = svc.extends;
    if (ext === undefined) return svc;
    const extObj = typeof ext === 'string' ? { service: ext } : obj(ext);
    const baseName = str(extObj.service);
    const src = at(d, ['services', svcName, 'extends']);
    if (!baseName) {
      diag(diagnostics, src, 'warning', 'compose-extends', `extends of ${svcName} names no service.`);
      return svc;
    }
    let base: Obj | undefined;
    const otherFile = str(extObj.file);
    if (otherFile) {
      const other = serviceOfFile(posixJoin(dir, otherFile), baseName, ctx, (v) => interpolateDeep(v, vars, unknown) as Obj);
      if (other === 'missing') {
        diag(diagnostics, src, 'warning', 'compose-extends', `extends file ${otherFile} was not found.`);
        return svc;
      }
      base = other;
    } else {
      const key = `${file}#${baseName}`;
      if (seen.has(key)) {
        diag(diagnostics, src, 'error', 'compose-extends-cycle', `extends of ${svcName} loops back to ${baseName}.`);
        return svc;
      }
      seen.add(key);
      const raw = services[baseName];
      base = isObj(raw) ? resolveExtends(baseName, raw, seen) : undefined;
    }
    if (!base || Object.keys(base).length === 0) {
      diag(diagnostics, src, 'warning', 'compose-extends', `extends names service ${baseName}, which was not found.`);
      return svc;
    }
    return mergeService(base, svc);
  };

  for (const svcName of Object.keys(services)) {
    const raw = services[svcName];
    const base: (string | number)[] = ['services', svcName];
    const src = at(d, base);
    const refused = refusedService(svcName, raw);
    if (refused) {
      diag(diagnostics, src, 'warning', refused.code, refused.message);
      continue;
    }
    const svc = resolveExtends(svcName, raw as Obj, new Set());
    const w = newWorkload(svcName, 'worker', src, 'compose');
    trait(w, 'runtime', 'container', src);
    const loc = (...p: (string | number)[]): SourceRef => at(d, [...base, ...p]);
    const written = obj(obj(obj(d.js).services)[svcName]);
    readComposeService(svc, w, loc, dir, namedVolumes, diagnostics, written.environment);
    readEnvFiles(svc.env_file, w, dir, ctx);
    keepWritten(w, written, vars, dir, redactor);
    if (active !== undefined && w.traits.some((t) => t.name === 'compose.profile')) trait(w, 'compose.active-profiles', `${active.join(',')}\0${envFile ?? '.env'}`, loc('profiles'));
    workloads.push(w);
  }
  return composeIncludes.length > 0 ? { workloads, diagnostics, composeIncludes } : { workloads, diagnostics };
}

/**
 * The compose files a top-level `include` names (Compose 2.20+): a path, or an entry whose `path`
 * is one path or several, relative to this file's folder.
 */
function includesOf(include: unknown, d: YamlDoc, dir: string): ComposeInclude[] {
  const out: ComposeInclude[] = [];
  arr(include).forEach((entry, i) => {
    const paths = typeof entry === 'string' ? [entry] : arr(obj(entry).path).length > 0 ? arr(obj(entry).path) : [obj(entry).path];
    for (const p of paths) if (typeof p === 'string' && p.trim()) out.push({ file: posixJoin(dir, p.trim()), at: at(d, ['include', i]) });
  });
  return out;
}

/** What the file wrote before `.env` was substituted: the image and build as written, and `.env` values kept out of the plan. */
function keepWritten(w: PartialWorkload, written: Obj, vars: Map<string, string>, dir: string, redactor: DotEnvRedactor | undefined): void {
  keepWrittenImage(w, str(written.image), vars);
  keepWrittenBuild(w, written.build, vars, dir);
  if (redactor) redactDotEnv(w, redactor, written.volumes);
}

function readComposeService(
  svc: Obj,
  w: PartialWorkload,
  loc: (...p: (string | number)[]) => SourceRef,
  dir: string,
  namedVolumes: Set<string>,
  diagnostics: Diagnostic[],
  writtenEnv: unknown = {},
): void {
  readImageBuildAndPorts(svc, w, loc, dir);
  readVolumes(svc, w, loc, namedVolumes, diagnostics);
  readDependencies(svc, w, loc);
  readDeploy(svc, w, loc, diagnostics);
  readHostAccess(svc, w, loc);
  readEnvironment(svc, w, loc, writtenEnv);
}

/**
 * A Dockerfile written in the compose file (`build.dockerfile_inline`): its base image and the ports
 * it exposes are the service's, cited at the compose key. No file is linked: there is none.
 */
function readInlineDockerfile(text: string, w: PartialWorkload, at: SourceRef): void {
  const df = parseDockerfile(text, 'Dockerfile').workloads[0];
  trait(w, 'build', 'dockerfile_inline', at);
  if (!df) return;
  for (const t of df.traits) if (t.name === 'base-image' || t.name === 'healthcheck' || t.name === 'user' || t.name === 'port') trait(w, t.name, t.value, at);
  for (const p of df.ports) if (!w.ports.includes(p)) w.ports.push(p);
}

/** Image, build context, ports, profiles, restart policy, command and labels. */
function readImageBuildAndPorts(svc: Obj, w: PartialWorkload, loc: (...p: (string | number)[]) => SourceRef, dir: string): void {
  const image = str(svc.image);
  if (image) {
    w.image = image;
    trait(w, 'image', image, loc('image'));
  }
  if (svc.build !== undefined) {
    const b = typeof svc.build === 'string' ? { context: svc.build } : obj(svc.build);
    const inline = str(b.dockerfile_inline);
    if (inline !== undefined) readInlineDockerfile(inline, w, loc('build', 'dockerfile_inline'));
    else {
      const context = str(b.context) ?? '.';
      const dockerfile = str(b.dockerfile) ?? 'Dockerfile';
      w.buildDockerfile = posixJoin(dir, context, dockerfile);
      trait(w, 'build', w.buildDockerfile, loc('build'));
    }
  }
  const ports = [...composePorts(svc.ports), ...composePorts(svc.expose)];
  arr(svc.ports).forEach((p, i) => {
    const port = composePorts([p])[0];
    if (port === undefined) {
      // `- "${AD_PORT}"` with no .env here: the service publishes a port, its number set elsewhere.
      if (typeof p === 'string' && !/\d/.test(p)) trait(w, 'port.unresolved', 'a port whose number a variable sets, unset here', loc('ports', i));
      return;
    }
    trait(w, 'port', port, loc('ports', i));
    const udp = isObj(p) ? str(p.protocol)?.toLowerCase() === 'udp' : /\/udp\s*$/i.test(String(p));
    if (udp) trait(w, 'port.udp', port, loc('ports', i));
  });
  for (const p of ports) if (!w.ports.includes(p)) w.ports.push(p);
  if (w.ports.length > 0 || w.traits.some((t) => t.name === 'port.unresolved')) w.kind = 'service';
  for (const p of arr(svc.profiles)) trait(w, 'compose.profile', String(p), loc('profiles'));
  const restart = svc.restart === false ? 'no' : str(svc.restart);
  if (restart) trait(w, 'compose.restart', restart, loc('restart'));
  const condition = str(obj(obj(svc.deploy).restart_policy).condition);
  if (condition) trait(w, 'compose.restart', condition === 'none' ? 'no' : condition, loc('deploy', 'restart_policy', 'condition'));
  for (const key of ['command', 'entrypoint'] as const) {
    const c = svc[key];
    const text = Array.isArray(c) ? c.map(String).join(' ') : str(c);
    if (text) trait(w, 'command', text, loc(key));
    // A cron daemon as the container's program (`crond -f`, `supercronic /etc/crontab`): its entries are scheduled jobs.
    const daemon = text ? CRON_DAEMON.exec(text)?.[1] : undefined;
    if (daemon) trait(w, 'cron.in-image', daemon, loc(key));
  }
  for (const [k, v] of Object.entries(labelsOf(svc.labels))) trait(w, 'label', `${k}=${v}`, loc('labels'));
  readTraefikRoutes(svc, w, loc);

}

/**
 * Traefik's labels on a service (`labels`, or `deploy.labels` in a swarm stack): a router rule means
 * Traefik sends it HTTP requests, a service that publishes no port of its own; the port Traefik
 * forwards to (`…loadbalancer.server.port`) is the one it listens on.
 */
function readTraefikRoutes(svc: Obj, w: PartialWorkload, loc: (...p: (string | number)[]) => SourceRef): void {
  const places: Array<[unknown, string[]]> = [[svc.labels, ['labels']], [obj(svc.deploy).labels, ['deploy', 'labels']]];
  for (const [raw, path] of places) {
    if (raw === undefined) continue;
    const at = loc(...path);
    for (const [k, v] of Object.entries(labelsOf(raw))) {
      if (/^traefik\.http\.routers\.[^.]+\.rule$/.test(k)) {
        trait(w, 'http.proxied', `Traefik routes ${v} to it`, at);
        w.kind = 'service';
      }
      const port = /^traefik\.http\.services\.[^.]+\.loadbalancer\.server\.port$/.test(k) ? Number(v) : NaN;
      if (Number.isInteger(port) && port > 0 && port < 65536 && !w.ports.includes(port)) {
        w.ports.push(port);
        trait(w, 'port', port, at);
      }
    }
  }
}

/** A cron daemon started as the program itself, its path or `busybox` before it allowed. */
const CRON_DAEMON = /^\s*(?:\S*\/)?(?:busybox\s+)?(crond|cron|supercronic|go-crond)(?=\s|$)/;

/**
 * A stock web server that serves a folder of the repository from its web root
 * (`./public:/usr/share/nginx/html`), in front of no other service: a static site.
 */
function staticSiteMount(svc: Obj, target: string | undefined): string | undefined {
  const image = str(svc.image);
  const server = image ? lastSegment(imageRepository(image)) : '';
  if (!target || !WEB_SERVER_IMAGE.test(server) || !WEB_ROOT.test(target) || svc.depends_on !== undefined || svc.links !== undefined) return undefined;
  return `${target} (${server})`;
}

/** Volumes: named volumes hold state; bind mounts tie the service to a host's files. */
function readVolumes(svc: Obj, w: PartialWorkload, loc: (...p: (string | number)[]) => SourceRef, namedVolumes: Set<string>, diagnostics: Diagnostic[]): void {
  arr(svc.volumes).forEach((v, i) => {
    const vsrc = loc('volumes', i);
    let source: string | undefined;
    let target: string | undefined;
    let type: string | undefined;
    if (isObj(v)) {
      type = str(v.type);
      source = str(v.source);
      target = str(v.target);
    } else if (typeof v === 'string') {
      const parts = v.split(':');
      if (parts.length === 1) target = parts[0];
      else [source, target] = parts;
    }
    if (source && /docker\.sock$/.test(source)) trait(w, 'docker-socket', source, vsrc);
    if (type === 'tmpfs') return;
    const bind = type === 'bind' || (source !== undefined && (source.startsWith('.') || source.startsWith('/') || source.startsWith('~')));
    if (bind && target && /^\/docker-entrypoint-initdb\.d(\/|$)/.test(target)) {
      trait(w, 'db.init-scripts', `${source}:${target}`, vsrc);
    } else if (bind) {
      trait(w, 'volume.bind', `${source}:${target ?? ''}`, vsrc);
      const site = staticSiteMount(svc, target);
      if (site) trait(w, 'static-site', site, vsrc);
    } else if (source || type === 'volume') {
      // A cache or scratch space is no state; uploaded files go to object storage; anything else is state.
      const use = volumeUse(source, target);
      if (use) trait(w, `volume.${use}`, `${source ?? 'volume'}${target ? ` at ${target}` : ''}`, vsrc);
      else trait(w, 'volume.named', source ?? target ?? '', vsrc);
      if (source && !namedVolumes.has(source)) {
        diag(diagnostics, vsrc, 'info', 'compose-volume', `Volume ${source} is not declared under top-level volumes.`);
      }
    } else if (target) {
      trait(w, 'volume.anonymous', target, vsrc);
    }
  });

}

function readDependencies(svc: Obj, w: PartialWorkload, loc: (...p: (string | number)[]) => SourceRef): void {
  const deps = svc.depends_on;
  if (Array.isArray(deps)) deps.forEach((x, i) => str(x) && w.dependsOn.push({ value: str(x) as string, source: loc('depends_on', i) }));
  else if (isObj(deps)) for (const k of Object.keys(deps)) w.dependsOn.push({ value: k, source: loc('depends_on', k) });
  arr(svc.links).forEach((l, i) => {
    const s = str(l);
    if (s) w.dependsOn.push({ value: s.split(':')[0], source: loc('links', i) });
  });
  // Other names the service answers to on the compose network, which the others may use for it.
  for (const key of ['container_name', 'hostname'] as const) {
    const alias = str(svc[key]);
    if (alias && /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(alias)) trait(w, 'compose.alias', alias, loc(key));
  }
}

/** Replicas, CPU, memory and GPUs from `deploy` (and the older top-level keys). */
function readDeploy(svc: Obj, w: PartialWorkload, loc: (...p: (string | number)[]) => SourceRef, diagnostics: Diagnostic[]): void {
  const deploy = obj(svc.deploy);
  if (str(deploy.mode) === 'global') trait(w, 'deploy.global', true, loc('deploy', 'mode'));
  const replicas = num(deploy.replicas) ?? num(svc.scale);
  if (replicas === undefined && (deploy.replicas ?? svc.scale) !== undefined && (deploy.replicas ?? svc.scale) !== null) diagnostics.push(unreadableQuantity('Replicas', deploy.replicas ?? svc.scale, deploy.replicas !== undefined ? loc('deploy', 'replicas') : loc('scale'), w.name));
  if (replicas !== undefined) w.resources.replicas = { value: replicas, source: deploy.replicas !== undefined ? loc('deploy', 'replicas') : loc('scale') };
  const res = obj(deploy.resources);
  const reservations = obj(res.reservations);
  const limits = obj(res.limits);
  const cpuSrc = reservations.cpus !== undefined ? 'reservations' : 'limits';
  const cpu = parseCpu(reservations.cpus ?? limits.cpus ?? svc.cpus);
  const cpuRaw = reservations.cpus ?? limits.cpus ?? svc.cpus;
  if (cpu === undefined && cpuRaw !== undefined && cpuRaw !== null) diagnostics.push(unreadableQuantity('CPU', cpuRaw, loc('deploy', 'resources'), w.name));
  // A reservation is what the service asks for; a limit (`limits`, `cpus`, `mem_limit`) the most it may use.
  if (cpu !== undefined && cpu > 0) w.resources.cpu = { value: cpu, source: svc.cpus !== undefined && limits.cpus === undefined && reservations.cpus === undefined ? loc('cpus') : loc('deploy', 'resources', cpuSrc, 'cpus'), ...(reservations.cpus === undefined ? { cap: true } : {}) };
  const memRaw = reservations.memory ?? limits.memory ?? svc.mem_limit ?? svc.mem_reservation;
  const mem = parseMemoryMiB(memRaw, true);
  const memCap = reservations.memory === undefined && (limits.memory !== undefined || svc.mem_limit !== undefined);
  if (mem !== undefined && mem > 0) w.resources.memoryMiB = { value: mem, source: svc.mem_limit !== undefined && memRaw === svc.mem_limit ? loc('mem_limit') : loc('deploy', 'resources', reservations.memory !== undefined ? 'reservations' : 'limits', 'memory'), ...(memCap ? { cap: true } : {}) };
  else if (memRaw !== undefined) diag(diagnostics, loc('deploy', 'resources'), 'warning', 'compose-memory', `Memory ${String(memRaw)} could not be read.`);
  for (const dev of arr(obj(reservations).devices)) {
    const caps = arr(obj(dev).capabilities).map(String);
    if (caps.includes('gpu')) {
      const count = num(obj(dev).count) ?? 1;
      w.resources.gpus = { value: count, source: loc('deploy', 'resources', 'reservations', 'devices') };
      trait(w, 'gpu', count, loc('deploy', 'resources', 'reservations', 'devices'));
    }
  }

}

/**
 * The port a health check asks over HTTP on the container itself (`curl -f http://localhost:9999/health`,
 * `wget --spider http://storage:5000/status`): the service answers HTTP there.
 */
function httpHealthPort(test: unknown, self: string): number | undefined {
  const text = Array.isArray(test) ? test.map(String).join(' ') : typeof test === 'string' ? test : '';
  const m = /\bhttps?:\/\/([a-z0-9._-]+|\[::1?\])(?::(\d{1,5}))?/i.exec(text);
  if (!m) return undefined;
  const host = m[1].toLowerCase();
  if (!['localhost', '127.0.0.1', '0.0.0.0', '[::1]', '[::]', self.toLowerCase()].includes(host)) return undefined;
  const port = m[2] ? Number(m[2]) : /^https/i.test(m[0]) ? 443 : 80;
  return port > 0 && port < 65536 ? port : undefined;
}

/** What ties a container to its host: privileges, host namespaces, capabilities, devices, platform. */
function readHostAccess(svc: Obj, w: PartialWorkload, loc: (...p: (string | number)[]) => SourceRef): void {
  if (svc.privileged === true) trait(w, 'privileged', true, loc('privileged'));
  // A console kept open for `docker exec` / `attach` (stdin_open and tty), not a server.
  if (svc.stdin_open === true && svc.tty === true) trait(w, 'compose.interactive', true, loc('stdin_open'));
  if (str(svc.network_mode) === 'host') trait(w, 'host.network', true, loc('network_mode'));
  if (str(svc.pid) === 'host') trait(w, 'host.pid', true, loc('pid'));
  if (str(svc.ipc) === 'host') trait(w, 'host.ipc', true, loc('ipc'));
  arr(svc.cap_add).forEach((c, i) => {
    const cap = String(c).toUpperCase().replace(/^CAP_/, '');
    trait(w, SAFE_CAPS.has(cap) ? 'capability.benign' : 'capability', cap, loc('cap_add', i));
  });
  arr(svc.devices).forEach((dv, i) => trait(w, 'device', isObj(dv) ? String(dv.source ?? '') : String(dv), loc('devices', i)));
  if (isObj(svc.healthcheck) && svc.healthcheck.disable !== true) {
    trait(w, 'healthcheck', true, loc('healthcheck'));
    const port = httpHealthPort(svc.healthcheck.test, w.name);
    if (port !== undefined) trait(w, 'healthcheck.http', port, loc('healthcheck', 'test'));
  }
  const platform = str(svc.platform);
  if (platform && /windows/i.test(platform)) trait(w, 'windows', platform, loc('platform'));

}

/**
 * The variables of a service's `env_file`s that are in the repository (a `.env` that is git-ignored
 * is not): they name the services it talks to (`DATABASE_URL=postgres://db/app`), and a password
 * committed in one is a secret in clear like one in the compose file, cited in the env file.
 */
function readEnvFiles(envFile: unknown, w: PartialWorkload, dir: string, ctx: ParseContext): void {
  const entries = Array.isArray(envFile) ? envFile : envFile === undefined ? [] : [envFile];
  for (const e of entries.slice(0, 16)) {
    const rel = typeof e === 'string' ? e : str(obj(e).path);
    if (!rel || rel.includes('$') || rel.startsWith('/')) continue;
    const file = posixJoin(dir, rel);
    const text = ctx.readFile(file);
    if (text === undefined) continue;
    for (const [name, value] of parseDotEnv(text)) inspectEnv(w, name, value, { file, line: lineOf(text, text.includes(`${name}=`) ? `${name}=` : name) });
  }
}

/** Environment variables, with what the descriptor wrote before `.env` was substituted. */
function readEnvironment(svc: Obj, w: PartialWorkload, loc: (...p: (string | number)[]) => SourceRef, writtenEnv: unknown): void {
  const env = svc.environment;
  if (Array.isArray(env)) {
    env.forEach((e, i) => {
      const s = String(e);
      const eq = s.indexOf('=');
      const name = eq < 0 ? s : s.slice(0, eq);
      const value = eq < 0 ? undefined : s.slice(eq + 1);
      const w0 = Array.isArray(writtenEnv) && writtenEnv[i] !== undefined ? String(writtenEnv[i]) : undefined;
      inspectEnv(w, name, value, loc('environment', i), w0 !== undefined && w0.startsWith(`${name}=`) ? w0.slice(name.length + 1) : value);
    });
  } else if (isObj(env)) {
    for (const [k, v] of Object.entries(env)) {
      const value = v === null || v === undefined ? undefined : String(v);
      const written = isObj(writtenEnv) && Object.prototype.hasOwnProperty.call(writtenEnv, k) ? writtenEnv[k] : v;
      inspectEnv(w, k, value, loc('environment', k), written === null || written === undefined ? undefined : String(written));
    }
  }
}
