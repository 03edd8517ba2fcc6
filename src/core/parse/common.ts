import { memoized } from '../collections';
import type { DescriptorKind, Diagnostic, PartialWorkload, SourceRef, TraitValue, WorkloadKind } from '../types';

/** Kubernetes objects that describe other workloads (Service, HPA, PVC, Ingress), linked after parsing. */
export interface K8sAux {
  kind: string;
  name: string;
  namespace: string;
  source: SourceRef;
  /** The object's spec, as plain data. */
  spec: Record<string, unknown>;
  labels: Record<string, string>;
}

export interface ParseResult {
  workloads: PartialWorkload[];
  diagnostics: Diagnostic[];
  aux?: K8sAux[];
  /** Directories holding Kubernetes CustomResourceDefinitions or custom resources (operators). */
  crdDirs?: string[];
  /** Compose files this compose file `include`s (paths from the repository root), with where it says so. */
  composeIncludes?: ComposeInclude[];
  /** Why a file read as a possible descriptor is not one (a CI workflow, a template): listed by `--verbose`. */
  notDescriptor?: string;
  /** For the parse cache, when parsed on a worker: the entry's key and the other files read, by content hash. */
  cacheKey?: string;
  reads?: Array<[string, string | null]>;
}

/** A compose file's `include` of another: the included file is part of the including file's deployment. */
export interface ComposeInclude {
  file: string;
  at: SourceRef;
}

export interface ParseContext {
  /** Read another file of the repository (for compose `extends`, `.env`); undefined when absent. */
  readFile(rel: string): string | undefined;
  /** A Helm chart's own template files (from discovery), read with its Chart.yaml. */
  templates?: readonly string[];
}

export function newWorkload(name: string, kind: WorkloadKind, source: SourceRef, descriptor: DescriptorKind): PartialWorkload {
  return { name, kind, source, descriptor, traits: [], resources: {}, ports: [], dependsOn: [], env: [] };
}

export function trait(w: PartialWorkload, name: string, value: TraitValue, source: SourceRef): void {
  w.traits.push({ name, value, source });
}

export function diag(d: Diagnostic[], source: SourceRef, severity: Diagnostic['severity'], code: string, message: string): void {
  d.push({ ...source, column: source.column ?? 1, severity, code, message });
}

export function posixDirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

export function posixJoin(...parts: string[]): string {
  const out: string[] = [];
  for (const part of parts.join('/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)$|^SECRET_|SECRET_KEY/i;
/** A URL with a password in it: `scheme://user:password@host`. */
const URL_CREDENTIALS = /^[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:[^\s/@]+@/i;
/** A value that is only a reference to a variable (`${API_TOKEN}`, `$TOKEN`, `${TOKEN:?required}`): nothing in clear. A default (`${TOKEN:-s3cret}`) is written in clear. */
const REFERENCE = /^\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*(?::?\?[^}]*|:?-)?\})$/;
const LITERAL_IP = /(^|[^0-9.])((?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3})(?![0-9.])/;
const LOCALHOST_URL = /\b(localhost|127\.0\.0\.1|0\.0\.0\.0)\b/;

/**
 * Look at environment variables for things a migration has to change: secrets written in clear,
 * literal IP addresses and localhost URLs. The findings become traits that rules turn into evidence.
 */
export function inspectEnv(w: PartialWorkload, name: string, value: string | undefined, source: SourceRef, written: string | undefined = value): void {
  w.env.push({ name, value, source });
  // Secrets are judged on what the descriptor says, before any `.env` is substituted: a plan is the
  // same whether or not the developer's git-ignored `.env` is there.
  if (written !== undefined && written !== '' && !REFERENCE.test(written)) {
    if (SECRET_NAME.test(name)) trait(w, 'secret.in-config', name, source);
    else if (URL_CREDENTIALS.test(written)) trait(w, 'secret.in-config', `${name}, a URL with a password`, source);
  }
  if (value === undefined || value === '') return;
  const ip = LITERAL_IP.exec(value);
  if (ip && !ip[2].startsWith('127.') && ip[2] !== '0.0.0.0') trait(w, 'env.literal-ip', `${name}=${ip[2]}`, source);
  if (LOCALHOST_URL.test(value) && !isOwnListenAddress(name, value)) trait(w, 'env.localhost', name, source);
}

/** Keys that name the address a process listens on (`HOST`, `BIND_HOST`, `LISTEN_ADDR`, `SERVER_HOST`), not a peer it calls. */
const LISTEN_KEY = /^(HOST|BIND|LISTEN|ADDR|ADDRESS)$|(^|_)(BIND|LISTEN)(_|$)|^(SERVER|APP|HTTP|HTTPS|WEB|API|GUNICORN|UVICORN|PUMA|RAILS)_(HOST|ADDR|ADDRESS|IP)$/i;

/**
 * Whether a loopback or any-interface value is the process's own listening address: `0.0.0.0`
 * alone is never a peer, and `HOST=127.0.0.1` binds the process to loopback. Neither changes when
 * the peers become managed services, so neither is flagged.
 */
function isOwnListenAddress(name: string, value: string): boolean {
  const bare = /^\s*(0\.0\.0\.0|127\.0\.0\.1|localhost|::|\[::\])(:\d+)?\s*$/i.exec(value);
  if (!bare) return false;
  return bare[1] === '0.0.0.0' || bare[1].startsWith('::') || bare[1] === '[::]' || LISTEN_KEY.test(name);
}

/** The last path segment of an image's repository, variables left out (`${REPO}/base:tag` → `base`). */
export const lastSegment = memoized((image: string): string => {
  const repo = imageRepository(image.replace(/\$\{?[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\}?\/?/g, ''));
  return repo.slice(repo.lastIndexOf('/') + 1);
});

/** `repo/image:tag@digest` → `image` repository path without registry and tag. */
export const imageRepository = memoized((image: string): string => {
  let s = image.trim();
  const at = s.indexOf('@');
  if (at >= 0) s = s.slice(0, at);
  const lastSlash = s.lastIndexOf('/');
  const colon = s.lastIndexOf(':');
  if (colon > lastSlash) s = s.slice(0, colon);
  const parts = s.split('/');
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) parts.shift();
  if (parts[0] === 'library') parts.shift();
  return parts.join('/').toLowerCase();
});

/** Every place a parsed workload cites (its own, its traits', its figures', its links'). */
export function forEachRef(w: PartialWorkload, f: (ref: SourceRef) => void): void {
  f(w.source);
  for (const t of w.traits) f(t.source);
  for (const r of Object.values(w.resources) as Array<{ source?: SourceRef } | undefined>) if (r?.source) f(r.source);
  for (const d of w.dependsOn) if (d.source) f(d.source);
  for (const e of w.env) if (e.source) f(e.source);
}

/**
 * Moves the places a parse of an embedded text cites (a rendered Helm template, a patch written in a
 * kustomization) to the lines of the file they sit in: `lines[n - 1]` is the file's line for the
 * text's line n. Columns no longer apply. Each place moves once, however many fields share it.
 */
export function relocator(file: string, lines: readonly number[]): (ref: SourceRef) => void {
  const seen = new WeakSet<SourceRef>();
  return (ref) => {
    if (ref.file !== file || seen.has(ref)) return;
    seen.add(ref);
    ref.line = lines[ref.line - 1] ?? ref.line;
    if (ref.endLine !== undefined) ref.endLine = lines[ref.endLine - 1] ?? ref.endLine;
    delete ref.column;
    delete ref.endColumn;
  };
}

/** Words of a volume's name, or of the folder it is mounted on, that say what it keeps. */
const SCRATCH_WORD = /(^|[-_.])(cache|caches|tmp|temp|scratch|logs?|sessions?)($|[-_.])/i;
const SCRATCH_DIR = /^(var|\.cache)$/i;
const UPLOADS_WORD = /(^|[-_.])(media|uploads?|user-?uploads|attachments|static|staticfiles|user-?files|files|private)($|[-_.])/i;

/**
 * What a volume keeps, by its name (`model-cache`, `production_django_media`) or the folder it is
 * mounted on (`/cache`, Symfony's `var`, Drupal's `sites/default/files`): `scratch`, a cache or
 * temporary files the service can rebuild (task or instance storage replaces it); `uploads`, files
 * users upload or the application serves (object storage or a shared file system); undefined,
 * state.
 */
export function volumeUse(name: string | undefined, mountedOn: string | undefined): 'scratch' | 'uploads' | undefined {
  const dir = mountedOn?.replace(/\/+$/, '').split('/').pop();
  const says = (re: RegExp) => (name !== undefined && re.test(name)) || (dir !== undefined && re.test(dir));
  if (says(SCRATCH_WORD) || (dir !== undefined && SCRATCH_DIR.test(dir))) return 'scratch';
  if (says(UPLOADS_WORD)) return 'uploads';
  return undefined;
}
