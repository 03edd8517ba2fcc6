import type { PartialWorkload, SourceRef } from '../types';
import { at, CLOUDFORMATION_TAGS, isObj, num, obj, parseYaml, str, type Obj, type YamlDoc } from './yaml';
import { inspectEnv, newWorkload, trait, type ParseResult } from './common';
import { cfnWorkload, referencedResources } from './serverless';
import { table } from '../collections';

/**
 * An AWS SAM or CloudFormation template (`template.yaml`): its functions and the resources the
 * Serverless Framework reader knows (tables, buckets, queues, topics, databases). They run on AWS
 * today, like a Serverless Framework service with provider aws.
 */
export function looksLikeCloudFormation(text: string): boolean {
  return /^Resources\s*:/m.test(text) && (/^AWSTemplateFormatVersion\s*:/m.test(text) || /^Transform\s*:.*AWS::Serverless/m.test(text));
}

const FUNCTION_TYPES = new Set(['AWS::Serverless::Function', 'AWS::Lambda::Function']);

/** SAM event types, named as the Serverless Framework names the same triggers (the rules read those names). */
const EVENT_NAMES: Record<string, string> = table({ Api: 'http', HttpApi: 'httpApi', Schedule: 'schedule', ScheduleV2: 'schedule', SQS: 'sqs', SNS: 'sns', S3: 's3', DynamoDB: 'stream', Kinesis: 'stream', EventBridgeRule: 'eventBridge', CloudWatchEvent: 'cloudwatchEvent' });

export function parseCloudFormation(text: string, file: string): ParseResult {
  const { docs, diagnostics } = parseYaml(text, file, { formatTags: CLOUDFORMATION_TAGS });
  const workloads: PartialWorkload[] = [];
  const d = docs[0];
  if (!d || !isObj(d.js)) return { workloads, diagnostics };
  const sam = /AWS::Serverless/.test(JSON.stringify(d.js.Transform ?? ''));
  const home = at(d, [d.js.Transform !== undefined ? 'Transform' : 'AWSTemplateFormatVersion']);
  const globals = obj(obj(d.js.Globals).Function);
  const resourceIds = new Set(Object.keys(obj(d.js.Resources)));
  for (const [name, r] of Object.entries(obj(d.js.Resources))) {
    const loc = (...p: string[]): SourceRef => at(d, ['Resources', name, ...p]);
    const type = str(obj(r).Type) ?? '';
    const w = FUNCTION_TYPES.has(type) ? functionOf(d, name, obj(r), globals, loc) : cfnWorkload(name, obj(r), loc, type === 'AWS::Serverless::SimpleTable' ? 'AWS::DynamoDB::Table' : undefined);
    if (!w) continue;
    if (FUNCTION_TYPES.has(type)) for (const dep of referencedResources([obj(obj(r).Properties), globals], resourceIds, name)) w.dependsOn.push({ value: dep, source: loc() });
    trait(w, 'serverless.provider', 'aws', home);
    trait(w, 'cfn.template', sam ? 'AWS SAM' : 'CloudFormation', home);
    workloads.push(w);
  }
  noteUnplannedResources(d, file, diagnostics);
  return { workloads, diagnostics, ...(workloads.length ? {} : { notDescriptor: 'a CloudFormation template with no function or resource this planner reads' }) };
}

/** Resources that run or hold something a plan would size, which this reader does not read (networking, IAM and wiring are left out). */
const UNREAD_WORKLOAD_TYPES = /^AWS::(ECS::(Service|TaskDefinition)|EC2::Instance|AutoScaling::AutoScalingGroup|EKS::(Cluster|Nodegroup)|Batch::JobDefinition|StepFunctions::StateMachine|Serverless::StateMachine|Kinesis::Stream|KinesisFirehose::DeliveryStream|MSK::Cluster|AmazonMQ::Broker|Redshift::Cluster|DocDB::DBCluster|Neptune::DBCluster|EFS::FileSystem|AppRunner::Service|ElasticBeanstalk::Environment|Lightsail::Instance|SageMaker::Endpoint)$/;

/** One note for the template's resources of those kinds: the plan leaves them out, and says so. */
function noteUnplannedResources(d: YamlDoc, file: string, diagnostics: ParseResult['diagnostics']): void {
  const left = Object.entries(obj(obj(d.js).Resources)).filter(([, r]) => UNREAD_WORKLOAD_TYPES.test(str(obj(r).Type) ?? ''));
  if (left.length === 0) return;
  const shown = left.slice(0, 6).map(([name, r]) => `${name} (${str(obj(r).Type)})`).join(', ');
  const more = left.length > 6 ? ` and ${left.length - 6} more` : '';
  diagnostics.push({ ...at(d, ['Resources', left[0][0]]), file, column: 1, severity: 'info', code: 'cfn-not-planned', message: `This template also creates ${shown}${more}, which the plan does not size: declare them in migration-inventory.yaml to plan them.` });
}

/** A SAM or Lambda function: memory, timeout and runtime (its own, else the template's Globals), its triggers and environment. */
function functionOf(d: YamlDoc, name: string, r: Obj, globals: Obj, loc: (...p: string[]) => SourceRef): PartialWorkload {
  const props = obj(r.Properties);
  const own = (key: string) => props[key] !== undefined;
  const pick = (key: string) => (own(key) ? props[key] : globals[key]);
  const where = (key: string) => (own(key) ? loc('Properties', key) : at(d, ['Globals', 'Function', key]));
  const src = loc();
  const w = newWorkload(name, 'function', src, 'serverless');
  trait(w, 'runtime', 'function', src);
  const runtime = str(pick('Runtime'));
  if (runtime) trait(w, 'serverless.runtime', runtime, where('Runtime'));
  const mem = num(pick('MemorySize'));
  if (mem !== undefined) w.resources.memoryMiB = { value: mem, source: where('MemorySize') };
  const timeout = num(pick('Timeout'));
  if (timeout !== undefined) w.resources.timeoutSeconds = { value: timeout, source: where('Timeout') };
  for (const [ename, e] of Object.entries(obj(props.Events))) {
    const type = str(obj(e).Type) ?? '';
    const esrc = loc('Properties', 'Events', ename);
    trait(w, 'serverless.event', EVENT_NAMES[type] ?? type.toLowerCase(), esrc);
    const ep = obj(obj(e).Properties);
    const schedule = str(ep.Schedule) ?? str(ep.ScheduleExpression);
    if (EVENT_NAMES[type] === 'schedule' && schedule) trait(w, 'schedule', schedule, esrc);
    if ((type === 'Api' || type === 'HttpApi') && !w.ports.includes(443)) w.ports.push(443);
  }
  const env = { ...obj(obj(globals.Environment).Variables), ...obj(obj(props.Environment).Variables) };
  for (const [k, v] of Object.entries(env)) inspectEnv(w, k, str(v), own('Environment') ? loc('Properties', 'Environment', 'Variables', k) : at(d, ['Globals', 'Function', 'Environment', 'Variables', k]));
  return w;
}
