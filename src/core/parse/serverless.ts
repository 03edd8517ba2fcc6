import type { Diagnostic, PartialWorkload, SourceRef } from '../types';
import { arr, at, CLOUDFORMATION_TAGS, isObj, lineOf, num, obj, parseYaml, str, type Obj, type PathSeg, type YamlDoc } from './yaml';
import { diag, inspectEnv, newWorkload, posixDirname, posixJoin, trait, type ParseContext, type ParseResult } from './common';
import { pushAll, table } from '../collections';

/** CloudFormation resource types in `resources:` that are workloads of their own. */
const CFN_RESOURCES: Record<string, { kind: PartialWorkload['kind']; image?: string; label: string }> = table({
  'AWS::DynamoDB::Table': { kind: 'datastore', label: 'dynamodb' },
  'AWS::S3::Bucket': { kind: 'storage', label: 's3' },
  'AWS::RDS::DBInstance': { kind: 'datastore', label: 'rds' },
  'AWS::RDS::DBCluster': { kind: 'datastore', label: 'aurora' },
  'AWS::SQS::Queue': { kind: 'datastore', label: 'sqs' },
  'AWS::SNS::Topic': { kind: 'datastore', label: 'sns' },
  'AWS::ElastiCache::CacheCluster': { kind: 'datastore', image: 'redis', label: 'elasticache' },
  'AWS::OpenSearchService::Domain': { kind: 'datastore', image: 'opensearch', label: 'opensearch' },
  'AWS::Elasticsearch::Domain': { kind: 'datastore', image: 'elasticsearch', label: 'opensearch' },
});

/** `${file(path)}` or `${file(path):key}`, the Serverless Framework's include. */
const FILE_INCLUDE = /^\$\{file\(([^)]+)\)(?::([A-Za-z0-9_.-]+))?\}$/;
/** Variables the framework resolves at deploy time, which a static reading cannot. */
const VARIABLE = /\$\{(self|opt|env|ssm|cf|s3|sls|param|aws):[^}]*\}/g;

export function parseServerless(text: string, file: string, ctx?: ParseContext): ParseResult {
  if (/\.[cm]?[jt]s$/i.test(file)) return serverlessCode(text, file);
  const { docs, diagnostics } = parseYaml(text, file, { formatTags: CLOUDFORMATION_TAGS });
  const workloads: PartialWorkload[] = [];
  const d = docs[0];
  if (!d || !isObj(d.js)) return { workloads, diagnostics };
  const s = d.js;
  const provider = obj(s.provider);
  const providerName = str(provider.name) ?? 'aws';
  const service = str(s.service) ?? str(obj(s.service).name) ?? 'service';
  if (!isObj(s.functions)) {
    diag(diagnostics, at(d, []), 'warning', 'serverless-no-functions', 'serverless.yml declares no functions.');
  }
  const functions: Array<{ w: PartialWorkload; fo: Obj }> = [];
  for (const [fname, f] of Object.entries(obj(s.functions))) {
    const fo = obj(f);
    const base = ['functions', fname];
    const src = at(d, base);
    const w = newWorkload(`${service}-${fname}`, 'function', src, 'serverless');
    trait(w, 'runtime', 'function', src);
    trait(w, 'serverless.provider', providerName, at(d, ['provider', 'name']));
    const runtime = str(fo.runtime) ?? str(provider.runtime);
    if (runtime) trait(w, 'serverless.runtime', runtime, fo.runtime ? at(d, [...base, 'runtime']) : at(d, ['provider', 'runtime']));
    const mem = num(fo.memorySize) ?? num(provider.memorySize);
    if (mem !== undefined) w.resources.memoryMiB = { value: mem, source: fo.memorySize !== undefined ? at(d, [...base, 'memorySize']) : at(d, ['provider', 'memorySize']) };
    const timeout = num(fo.timeout) ?? num(provider.timeout);
    if (timeout !== undefined) w.resources.timeoutSeconds = { value: timeout, source: fo.timeout !== undefined ? at(d, [...base, 'timeout']) : at(d, ['provider', 'timeout']) };
    arr(fo.events).forEach((e, i) => {
      const ev = obj(e);
      const type = Object.keys(ev)[0];
      if (!type) return;
      const esrc = at(d, [...base, 'events', i]);
      trait(w, 'serverless.event', type, esrc);
      if (type === 'schedule') {
        const sched = isObj(ev.schedule) ? str(ev.schedule.rate) ?? str(arr(ev.schedule.rate)[0]) : str(ev.schedule);
        if (sched) trait(w, 'schedule', sched, esrc);
      }
      if (type === 'http' || type === 'httpApi') w.ports.push(443);
    });
    for (const [k, v] of Object.entries({ ...obj(provider.environment), ...obj(fo.environment) })) inspectEnv(w, k, str(v), at(d, fo.environment && k in obj(fo.environment) ? [...base, 'environment', k] : ['provider', 'environment', k]));
    workloads.push(w);
    functions.push({ w, fo });
  }
  const ids = new Set<string>();
  for (const part of resourceParts(d, s.resources, file, ctx, diagnostics)) {
    for (const [rname, r] of Object.entries(obj(obj(part.js).Resources))) {
      ids.add(rname);
      const w = cfnWorkload(rname, obj(r), (...p) => at(part.doc, [...part.path, 'Resources', rname, ...p]));
      if (!w) continue;
      trait(w, 'serverless.provider', providerName, at(d, ['provider', 'name']));
      workloads.push(w);
    }
  }
  for (const { w, fo } of functions) for (const dep of referencedResources([fo, provider], ids, '')) w.dependsOn.push({ value: dep, source: w.source });
  reportVariables(text, file, diagnostics);
  return { workloads, diagnostics };
}

/**
 * The template's resources a function names in its environment (its own or the shared one), triggers
 * or policies (`!Ref Orders`, `!GetAtt Jobs.Arn`, read as `Orders` and `Jobs.Arn`): it depends on
 * them, so it moves after them. For SAM (`Environment`, `Events`, `Policies`) and the Serverless
 * Framework (`environment`, `events`).
 */
export function referencedResources(scopes: Obj[], ids: Set<string>, self: string): string[] {
  const found = new Set<string>();
  const visit = (v: unknown, depth: number): void => {
    if (depth > 12) return;
    if (typeof v === 'string') {
      const id = v.split('.')[0];
      if (id !== self && ids.has(id)) found.add(id);
    } else if (Array.isArray(v)) for (const x of v) visit(x, depth + 1);
    else if (isObj(v)) for (const x of Object.values(v)) visit(x, depth + 1);
  };
  for (const props of scopes) for (const key of ['Environment', 'Events', 'Policies', 'environment', 'events']) visit(props[key], 0);
  return [...found].sort();
}

/** A CloudFormation resource the plan knows (a table, bucket, queue, topic, database), as a workload; `asType` reads it as another type (SAM's SimpleTable is a DynamoDB table). */
export function cfnWorkload(rname: string, r: Obj, loc: (...p: string[]) => SourceRef, asType?: string): PartialWorkload | undefined {
  const type = asType ?? str(r.Type);
  const info = type ? CFN_RESOURCES[type] : undefined;
  if (!info) return undefined;
  const src = loc();
  const w = newWorkload(rname, info.kind, src, 'serverless');
  trait(w, 'cfn.type', type as string, loc('Type'));
  const props = obj(r.Properties);
  const engine = str(props.Engine);
  if (engine) {
    w.image = engine;
    trait(w, 'image', engine, loc('Properties', 'Engine'));
  } else if (info.image) {
    w.image = info.image;
    trait(w, 'image', info.image, src);
  }
  const storage = num(props.AllocatedStorage);
  if (storage !== undefined) w.resources.storageGiB = { value: storage, source: loc('Properties', 'AllocatedStorage') };
  return w;
}

interface ResourcePart {
  doc: YamlDoc;
  /** Path of the mapping that holds `Resources` in `doc`. */
  path: PathSeg[];
  js: unknown;
}

/**
 * `resources:` as a mapping, or as a list of mappings and `${file(...)}` includes (each read from
 * the repository; one that is missing is reported at its line).
 */
function resourceParts(d: YamlDoc, resources: unknown, file: string, ctx: ParseContext | undefined, diagnostics: Diagnostic[]): ResourcePart[] {
  if (!Array.isArray(resources)) return isObj(resources) ? [{ doc: d, path: ['resources'], js: resources }] : [];
  const parts: ResourcePart[] = [];
  resources.forEach((item, i) => {
    if (isObj(item)) {
      parts.push({ doc: d, path: ['resources', i], js: item });
      return;
    }
    const m = FILE_INCLUDE.exec(String(item ?? '').trim());
    if (!m) return;
    const rel = posixJoin(posixDirname(file), m[1].trim());
    const text = ctx?.readFile(rel);
    if (text === undefined) {
      diag(diagnostics, at(d, ['resources', i]), 'warning', 'serverless-include', `Included file ${m[1].trim()} was not found; the resources it declares are not in the plan.`);
      return;
    }
    const inc = parseYaml(text, rel, { formatTags: CLOUDFORMATION_TAGS });
    pushAll(diagnostics, inc.diagnostics);
    const doc = inc.docs[0];
    if (!doc) return;
    const key = m[2];
    parts.push({ doc, path: key ? [key] : [], js: key ? obj(doc.js)[key] : doc.js });
  });
  return parts;
}

/** Deploy-time variables cannot be read statically: say which kinds the file uses, once. */
function reportVariables(text: string, file: string, diagnostics: Diagnostic[]): void {
  const kinds = new Map<string, number>();
  for (const m of text.matchAll(VARIABLE)) if (!kinds.has(m[1])) kinds.set(m[1], lineOf(text, m[0]));
  if (kinds.size === 0) return;
  const first = Math.min(...kinds.values());
  diag(diagnostics, { file, line: first }, 'info', 'serverless-variables', `Deploy-time variables (${[...kinds.keys()].sort().map((k) => `\${${k}:…}`).join(', ')}) are not resolved here: values that use them are read as written.`);
}

/**
 * A `serverless.ts` / `serverless.js` configuration is code: what it exports is known only by
 * running it, which this tool never does. Said once, at the file, so that its functions are not
 * silently missing from the plan; a file of that name that is no Serverless configuration is not one.
 */
function serverlessCode(text: string, file: string): ParseResult {
  if (!/\bfunctions\b/.test(text) || !/\bprovider\b/.test(text)) return { workloads: [], diagnostics: [], notDescriptor: 'a script named serverless, with no provider and functions' };
  const line = Math.max(1, lineOf(text, 'functions'));
  return {
    workloads: [],
    diagnostics: [{ file, line, column: 1, severity: 'warning', code: 'serverless-code', message: `${file.slice(file.lastIndexOf('/') + 1)} is code, and code is never run here: its functions are not planned. Export it as YAML (\`serverless print > serverless.yml\`) or declare the functions in migration-inventory.yaml.` }],
  };
}
