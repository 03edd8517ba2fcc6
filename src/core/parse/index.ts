import { parseAppEngine } from './appengine';
import { looksLikeCloudFormation, parseCloudFormation } from './sam';
import { parseCloudFoundry } from './cloudfoundry';
import type { ParseContext, ParseResult } from './common';
import { parseCompose } from './compose';
import { parseDockerfile } from './dockerfile';
import { parseYaml } from './yaml';
import { parseHelm } from './helm';
import { parseHerokuApp, parseHerokuYml, parseProcfile } from './heroku';
import { parseInventory } from './inventory';
import { looksLikeKubernetes, parseKubernetes } from './kubernetes';
import { parseRender } from './render-blueprint';
import { parseFly } from './fly';
import { parseKamal } from './kamal';
import { parseRailway } from './railway';
import { parseAppRunner } from './apprunner';
import { parseNetlify } from './netlify';
import { parsePlatformSh } from './platformsh';
import { looksLikeDoAppSpec, parseDoAppSpec } from './digitalocean';
import { parseAzd } from './azd';
import { parseTaskDefinition } from './ecs';
import { parseCopilot } from './copilot';
import { parseServerless } from './serverless';
import { readDiscovered, readRepoFile } from '../discover/read';
import { contentHash, ParseCache } from './cache';
import type { DescriptorFile, DescriptorKind, Diagnostic } from '../types';
import { boundResources } from './bounds';

/** No real descriptor describes more services than this; a file that does is cut, with a diagnostic. */
export const MAX_WORKLOADS_PER_FILE = 20_000;

/** What a parse worker is given: all the files, cut into chunks it claims one at a time. */
export interface ParseJob {
  root: string;
  files: DescriptorFile[];
  chunks: number[][];
  /** One Int32: the next chunk to claim, shared by every thread. */
  counter: SharedArrayBuffer;
  /** Whether results carry what the parse cache needs (content hashes): only when it is on. */
  forCache: boolean;
}

/** A parse context whose reads of other files go through the guarded reader and are remembered (for the parse cache). */
export function recordingContext(read: (rel: string) => string | undefined, templates?: readonly string[]): { ctx: ParseContext; reads: Map<string, string | undefined> } {
  const reads = new Map<string, string | undefined>();
  return {
    reads,
    ctx: {
      ...(templates ? { templates } : {}),
      readFile: (rel) => {
        const text = read(rel);
        reads.set(rel, text);
        return text;
      },
    },
  };
}

/** Read a descriptor through the guarded reader and parse it (a worker's unit of work); no caching here. */
export function readAndParse(root: string, f: DescriptorFile, forCache = false): ParseResult {
  const got = readDiscovered(root, f.path);
  if (got.text === undefined) {
    return { workloads: [], diagnostics: [got.diagnostic ?? { file: f.path, line: 1, column: 1, severity: 'warning', code: 'unreadable', message: 'File could not be read.' }] };
  }
  const other: Diagnostic[] = [];
  const { ctx, reads } = recordingContext((rel) => {
    const r = readRepoFile(root, rel);
    if (r.diagnostic) other.push(r.diagnostic);
    return r.text;
  }, f.templates);
  const result = parseFile(f.kind, got.text, f.path, ctx);
  const diagnostics = [...(got.diagnostic ? [got.diagnostic] : []), ...other];
  for (const d of result.diagnostics) diagnostics.push(d);
  if (!forCache) return { ...result, diagnostics };
  return {
    ...result,
    diagnostics,
    cacheKey: ParseCache.key(f, got.text),
    reads: [...reads].map(([rel, text]) => [rel, text === undefined ? null : contentHash(text)]),
  };
}

/** A YAML file with a top-level `services:` whose entries have an `image:` or `build:`. */
export function looksLikeCompose(text: string): boolean {
  return /^services\s*:\s*$/m.test(text) && /^\s+(image|build)\s*:/m.test(text) && !/^\s*apiVersion\s*:/m.test(text);
}

/** A YAML file with a top-level `runtime:` and App Engine's own keys, and no Kubernetes apiVersion. */
export function looksLikeAppEngine(text: string): boolean {
  return /^runtime\s*:\s*[A-Za-z]/m.test(text) && /^(?:(?:service|instance_class|automatic_scaling|manual_scaling|basic_scaling|entrypoint|handlers|env_variables)\s*:|env\s*:\s*flex)/m.test(text) && !/^\s*apiVersion\s*:/m.test(text);
}

/** Is this text, not a binary file with a descriptor's name? */
export function isBinary(text: string): boolean {
  const n = Math.min(text.length, 8192);
  for (let i = 0; i < n; i++) if (text.charCodeAt(i) === 0) return true;
  return false;
}

/**
 * Parse one descriptor. Never throws: a parser that fails on some input this engine has not met
 * before turns into a diagnostic on that file, and the run goes on.
 */
export function parseFile(kind: DescriptorKind, text: string, file: string, ctx: ParseContext): ParseResult {
  if (isBinary(text)) {
    return { workloads: [], diagnostics: [{ file, line: 1, column: 1, severity: 'warning', code: 'binary-file', message: 'Skipped: the file is binary, not a descriptor.' }] };
  }
  try {
    const r = parseWithFallback(kind, text, file, ctx);
    if (r.workloads.length > MAX_WORKLOADS_PER_FILE) {
      r.diagnostics.push({ file, line: 1, column: 1, severity: 'warning', code: 'too-many-workloads', message: `This file describes ${r.workloads.length.toLocaleString('en-US')} workloads; the first ${MAX_WORKLOADS_PER_FILE.toLocaleString('en-US')} were planned, the rest left out.` });
      r.workloads.length = MAX_WORKLOADS_PER_FILE;
    }
    boundResources(r.workloads, r.diagnostics);
    return r;
  } catch (e) {
    return { workloads: [], diagnostics: [{ file, line: 1, column: 1, severity: 'error', code: 'parser-failure', message: `The ${kind} parser failed on this file: ${(e as Error).message}` }] };
  }
}

function parseWithFallback(kind: DescriptorKind, text: string, file: string, ctx: ParseContext): ParseResult {
  const r = parseByKind(kind, text, file, ctx);
  // Names are hints: a `manifest.yml` or `app.yaml` that turns out to be Kubernetes is read as such.
  if (r.workloads.length === 0 && r.diagnostics.length === 0 && (kind === 'cloudfoundry' || kind === 'appengine' || kind === 'serverless' || kind === 'render' || kind === 'kamal' || kind === 'azd') && looksLikeKubernetes(text)) {
    return parseKubernetes(text, file);
  }
  // A compose file under another name (`pwd.yml`, `stack.yml`): top-level services with images or builds.
  if (kind === 'kubernetes' && r.workloads.length === 0 && looksLikeCompose(text)) return parseCompose(text, file, ctx);
  // An `app.yaml` that is a DigitalOcean App Platform spec, not App Engine's.
  if (kind === 'appengine' && r.workloads.length === 0 && /name:|services:|databases:/.test(text) && looksLikeDoAppSpec(parseYaml(text, file).docs[0]?.js)) return parseDoAppSpec(text, file);
  // An App Engine service under its own name (`worker.yaml`, deployed with `gcloud app deploy app.yaml worker.yaml`).
  if (kind === 'kubernetes' && r.workloads.length === 0 && looksLikeAppEngine(text)) return parseAppEngine(text, file, ctx);
  // An AWS SAM or CloudFormation template (`template.yaml`): functions and resources on AWS today.
  if (kind === 'kubernetes' && r.workloads.length === 0 && looksLikeCloudFormation(text)) return parseCloudFormation(text, file);
  return r;
}

function parseByKind(kind: DescriptorKind, text: string, file: string, ctx: ParseContext): ParseResult {
  switch (kind) {
    case 'dockerfile':
      return parseDockerfile(text, file);
    case 'compose':
      return parseCompose(text, file, ctx);
    case 'kubernetes':
      return parseKubernetes(text, file);
    case 'helm':
      return parseHelm(text, file, ctx);
    case 'procfile':
      return /\.ya?ml$/i.test(file) ? parseHerokuYml(text, file) : parseProcfile(text, file, ctx);
    case 'heroku-app':
      return parseHerokuApp(text, file);
    case 'cloudfoundry':
      return parseCloudFoundry(text, file, ctx);
    case 'serverless':
      return parseServerless(text, file, ctx);
    case 'appengine':
      return parseAppEngine(text, file, ctx);
    case 'render':
      return parseRender(text, file);
    case 'fly':
      return parseFly(text, file, ctx);
    case 'kamal':
      return parseKamal(text, file, ctx);
    case 'railway':
      return parseRailway(text, file, ctx);
    case 'digitalocean':
      return parseDoAppSpec(text, file);
    case 'azd':
      return parseAzd(text, file, ctx);
    case 'ecs':
      return parseTaskDefinition(text, file);
    case 'copilot':
      return parseCopilot(text, file);
    case 'apprunner':
      return parseAppRunner(text, file);
    case 'netlify':
      return parseNetlify(text, file);
    case 'platformsh':
      return parsePlatformSh(text, file);
    case 'inventory':
      return parseInventory(text, file);
    case 'config':
      return { workloads: [], diagnostics: [] };
  }
}
