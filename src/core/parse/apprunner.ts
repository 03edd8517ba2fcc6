import { arr, at, isObj, num, obj, parseYaml, str, type Obj, type PathSeg, type YamlDoc } from './yaml';
import type { PartialWorkload } from '../types';
import { newWorkload, trait, type ParseResult } from './common';
import { dockerfileWorkloadName } from './dockerfile';

/**
 * An AWS App Runner configuration file (`apprunner.yaml`, beside the source it builds): the managed
 * runtime it builds on, the command it runs, the port App Runner routes to and the environment.
 * App Runner always serves HTTP on that port (8080 unless the file says otherwise). The instance
 * size is set on the service, not in the file: App Runner's default, 1 vCPU and 2 GB, is assumed and
 * said.
 */

/** App Runner's default instance configuration (CreateService `InstanceConfiguration`: 1 vCPU, 2 GB). */
const DEFAULT_CPU = 1;
const DEFAULT_MEMORY_MIB = 2048;
/** App Runner's default port for a source-code service. */
const DEFAULT_PORT = 8080;

export function parseAppRunner(text: string, file: string): ParseResult {
  const { docs, diagnostics } = parseYaml(text, file);
  const d = docs[0];
  const cfg = obj(d?.js);
  const runtime = str(cfg.runtime);
  if (!d || (!isObj(cfg.run) && !isObj(cfg.build))) return { workloads: [], diagnostics, notDescriptor: 'no App Runner `build` or `run` section' };
  if (!runtime) {
    // App Runner refuses a configuration file without its runtime: say so where it should be.
    diagnostics.push({ ...at(d, cfg.runtime !== undefined ? ['runtime'] : []), severity: 'warning', code: 'apprunner-runtime', message: 'This apprunner.yaml names no `runtime` (python3, nodejs18, corretto11…), which App Runner requires; the service was left out of the plan.' });
    return { workloads: [], diagnostics };
  }
  const run = obj(cfg.run);
  const src = at(d, ['runtime']);
  const w = newWorkload(dockerfileWorkloadName(file), 'service', src, 'apprunner');
  trait(w, 'runtime', 'container', src);
  trait(w, 'aws.apprunner', `App Runner source-code service on ${runtime}${str(run['runtime-version']) ? ` ${str(run['runtime-version'])}` : ''}`, src);
  const command = str(run.command);
  if (command) trait(w, 'command', command, at(d, ['run', 'command']));
  const network = obj(run.network);
  const port = num(network.port) ?? DEFAULT_PORT;
  w.ports.push(port);
  trait(w, 'port', port, at(d, network.port !== undefined ? ['run', 'network', 'port'] : ['run']));
  w.resources.cpu = { value: DEFAULT_CPU, source: src, cap: true };
  w.resources.memoryMiB = { value: DEFAULT_MEMORY_MIB, source: src, cap: true };
  trait(w, 'apprunner.default-instance', `${DEFAULT_CPU} vCPU / ${DEFAULT_MEMORY_MIB / 1024} GB`, src);
  readEnv(d, run, w);
  return { workloads: [w], diagnostics };
}

/** `run.env` (name / value) and `run.secrets` (name / value-from: a Secrets Manager or Parameter Store ARN). */
function readEnv(d: YamlDoc, run: Obj, w: PartialWorkload): void {
  for (const key of ['env', 'secrets'] as const) {
    arr(run[key]).forEach((e, i) => {
      const name = str(obj(e).name);
      if (!name) return;
      const path: PathSeg[] = ['run', key, i];
      if (key === 'secrets') {
        w.env.push({ name, source: at(d, path) });
        trait(w, 'secret.managed', name, at(d, path));
      } else {
        const value = obj(e).value;
        w.env.push({ name, value: value === undefined || value === null ? undefined : String(value), source: at(d, [...path, 'value']) });
      }
    });
  }
}
