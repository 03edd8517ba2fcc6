import type { PartialWorkload } from '../types';
import { arr, at, isObj, num, obj, parseYaml, str } from './yaml';
import { diag, inspectEnv, newWorkload, trait, type ParseResult } from './common';

/** CloudFormation resource types in `resources:` that are workloads of their own. */
const CFN_RESOURCES: Record<string, { kind: PartialWorkload['kind']; image?: string; label: string }> = {
  'AWS::DynamoDB::Table': { kind: 'datastore', label: 'dynamodb' },
  'AWS::S3::Bucket': { kind: 'storage', label: 's3' },
  'AWS::RDS::DBInstance': { kind: 'datastore', label: 'rds' },
  'AWS::RDS::DBCluster': { kind: 'datastore', label: 'aurora' },
  'AWS::SQS::Queue': { kind: 'datastore', label: 'sqs' },
  'AWS::SNS::Topic': { kind: 'datastore', label: 'sns' },
  'AWS::ElastiCache::CacheCluster': { kind: 'datastore', image: 'redis', label: 'elasticache' },
  'AWS::OpenSearchService::Domain': { kind: 'datastore', image: 'opensearch', label: 'opensearch' },
  'AWS::Elasticsearch::Domain': { kind: 'datastore', image: 'elasticsearch', label: 'opensearch' },
};

export function parseServerless(text: string, file: string): ParseResult {
  const { docs, diagnostics } = parseYaml(text, file);
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
  }
  for (const [rname, r] of Object.entries(obj(obj(s.resources).Resources))) {
    const type = str(obj(r).Type);
    const info = type ? CFN_RESOURCES[type] : undefined;
    if (!info) continue;
    const src = at(d, ['resources', 'Resources', rname]);
    const w = newWorkload(rname, info.kind, src, 'serverless');
    trait(w, 'cfn.type', type as string, at(d, ['resources', 'Resources', rname, 'Type']));
    const props = obj(obj(r).Properties);
    const engine = str(props.Engine);
    if (engine) {
      w.image = engine;
      trait(w, 'image', engine, at(d, ['resources', 'Resources', rname, 'Properties', 'Engine']));
    } else if (info.image) {
      w.image = info.image;
      trait(w, 'image', info.image, src);
    }
    const storage = num(props.AllocatedStorage);
    if (storage !== undefined) w.resources.storageGiB = { value: storage, source: at(d, ['resources', 'Resources', rname, 'Properties', 'AllocatedStorage']) };
    workloads.push(w);
  }
  return { workloads, diagnostics };
}
