import type { PartialWorkload } from '../types';
import { arr, at, isObj, num, obj, parseYaml, str, type Obj, type YamlDoc } from './yaml';
import { inspectEnv, newWorkload, posixDirname, trait, type ParseResult } from './common';

/**
 * An Amazon ECS task definition kept in the repository (`.aws/task-definition.json`, the file the
 * `amazon-ecs-deploy-task-definition` action deploys): the task's CPU and memory, its containers
 * (the essential one is the service; log routers and agents ride along) and their ports. The task
 * runs on AWS today.
 */

type Path = (string | number)[];

/** Whether JSON is a task definition: `containerDefinitions` with containers. */
export function looksLikeTaskDefinition(js: unknown): boolean {
  const root = obj(js);
  const defs = root.containerDefinitions ?? obj(root.taskDefinition).containerDefinitions;
  return arr(defs).some((c) => isObj(c) && (typeof c.image === 'string' || typeof c.name === 'string'));
}

export function parseTaskDefinition(text: string, file: string): ParseResult {
  const { docs, diagnostics } = parseYaml(text, file);
  const d = docs[0];
  if (d && obj(d.js).AWSEBDockerrunVersion !== undefined) return { workloads: readDockerrun(d, file), diagnostics };
  if (!d || !looksLikeTaskDefinition(d.js)) return { workloads: [], diagnostics, notDescriptor: 'JSON with no ECS `containerDefinitions`' };
  // `aws ecs describe-task-definition` output wraps the definition in `taskDefinition`.
  const base: Path = isObj(obj(d.js).taskDefinition) ? ['taskDefinition'] : [];
  const task = base.length ? obj(obj(d.js).taskDefinition) : obj(d.js);
  const containers = arr(task.containerDefinitions).map((c, i) => [obj(c), [...base, 'containerDefinitions', i]] as [Obj, Path]);
  const [main, mainPath] = containers.find(([c]) => c.essential !== false && arr(c.portMappings).length > 0) ?? containers.find(([c]) => c.essential !== false) ?? containers[0];
  const name = str(task.family) ?? str(main.name) ?? 'task';
  const src = at(d, task.family !== undefined ? [...base, 'family'] : mainPath);
  const ports = arr(main.portMappings).map((p) => num(obj(p).containerPort)).filter((p): p is number => p !== undefined);
  const w = newWorkload(name, ports.length > 0 ? 'service' : 'worker', src, 'ecs');
  trait(w, 'runtime', 'container', src);
  trait(w, 'ecs.task-definition', `ECS task definition ${name}`, src);
  for (const c of arr(task.requiresCompatibilities)) trait(w, 'ecs.launch-type', String(c), at(d, [...base, 'requiresCompatibilities']));
  readContainer(d, main, mainPath, w, ports);
  readTaskSize(d, task, base, containers, w);
  const sidecars = containers.filter(([c]) => c !== main).map(([c]) => str(c.name) ?? str(c.image) ?? 'container');
  if (sidecars.length > 0) trait(w, 'ecs.sidecars', sidecars.join(', '), at(d, [...base, 'containerDefinitions']));
  return { workloads: [w], diagnostics };
}

/** The service's own container: its image (as written: a deploy step often fills it in), ports, command, environment and health check. */
function readContainer(d: YamlDoc, c: Obj, path: Path, w: PartialWorkload, ports: number[]): void {
  const image = str(c.image);
  if (image) {
    w.image = image;
    trait(w, 'image', image, at(d, [...path, 'image']));
  }
  ports.forEach((p, i) => {
    w.ports.push(p);
    trait(w, 'port', p, at(d, [...path, 'portMappings', i]));
  });
  const command = arr(c.command).map(String).join(' ') || str(c.command);
  if (command) trait(w, 'command', command, at(d, [...path, 'command']));
  arr(c.environment).forEach((e, i) => {
    const key = str(obj(e).name);
    const value = str(obj(e).value) ?? (num(obj(e).value) !== undefined ? String(num(obj(e).value)) : undefined);
    if (key) inspectEnv(w, key, value, at(d, [...path, 'environment', i, 'value']));
  });
  if (isObj(c.healthCheck)) trait(w, 'healthcheck', true, at(d, [...path, 'healthCheck']));
}

/** The task's CPU (units of 1/1,024 vCPU, or `1 vCPU`) and memory (MiB, or `2 GB`), else its containers' own. */
function readTaskSize(d: YamlDoc, task: Obj, base: Path, containers: Array<[Obj, Path]>, w: PartialWorkload): void {
  const cpu = cpuOf(task.cpu);
  const memory = memoryOf(task.memory);
  if (cpu !== undefined) w.resources.cpu = { value: cpu, source: at(d, [...base, 'cpu']), cap: true };
  else {
    const sum = containers.reduce((n, [c]) => n + (num(c.cpu) ?? 0), 0);
    if (sum > 0) w.resources.cpu = { value: sum / 1024, source: at(d, [...containers[0][1], 'cpu']), cap: true };
  }
  if (memory !== undefined) w.resources.memoryMiB = { value: memory, source: at(d, [...base, 'memory']), cap: true };
  else {
    const sum = containers.reduce((n, [c]) => n + (num(c.memory) ?? num(c.memoryReservation) ?? 0), 0);
    if (sum > 0) w.resources.memoryMiB = { value: sum, source: at(d, [...containers[0][1], 'memory']), cap: true };
  }
}

function cpuOf(v: unknown): number | undefined {
  const s = typeof v === 'number' ? String(v) : str(v);
  const m = s ? /^\s*(\d+(?:\.\d+)?)\s*(vcpu)?\s*$/i.exec(s) : null;
  if (!m) return undefined;
  return m[2] ? Number(m[1]) : Number(m[1]) / 1024;
}

function memoryOf(v: unknown): number | undefined {
  const s = typeof v === 'number' ? String(v) : str(v);
  const m = s ? /^\s*(\d+(?:\.\d+)?)\s*(gb|mb)?\s*$/i.exec(s) : null;
  if (!m) return undefined;
  return Number(m[1]) * (m[2]?.toLowerCase() === 'gb' ? 1024 : 1);
}

/**
 * Elastic Beanstalk's `Dockerrun.aws.json`: version 2 lists the containers of a multi-container
 * environment (client, API, worker, nginx), each a workload of its own with its `memory` (MiB, the
 * most it may use), ports and `links`; version 1 runs one image. Either runs on AWS today.
 */
function readDockerrun(d: YamlDoc, file: string): PartialWorkload[] {
  const root = obj(d.js);
  const beanstalk = `Elastic Beanstalk (${file.slice(file.lastIndexOf('/') + 1)})`;
  if (!Array.isArray(root.containerDefinitions)) {
    const image = str(obj(root.Image).Name);
    const src = at(d, root.Image !== undefined ? ['Image', 'Name'] : ['AWSEBDockerrunVersion']);
    const ports = arr(root.Ports).map((p) => num(obj(p).ContainerPort)).filter((p): p is number => p !== undefined);
    const w = newWorkload(posixDirname(file).split('/').pop() || 'app', ports.length > 0 ? 'service' : 'worker', src, 'ecs');
    trait(w, 'runtime', 'container', src);
    trait(w, 'aws.beanstalk', beanstalk, at(d, ['AWSEBDockerrunVersion']));
    if (image) {
      w.image = image;
      trait(w, 'image', image, src);
    }
    ports.forEach((p, i) => {
      w.ports.push(p);
      trait(w, 'port', p, at(d, ['Ports', i, 'ContainerPort']));
    });
    return [w];
  }
  return arr(root.containerDefinitions).filter(isObj).map((c, i) => {
    const path: Path = ['containerDefinitions', i];
    const ports = arr(c.portMappings).map((p) => num(obj(p).containerPort)).filter((p): p is number => p !== undefined);
    const src = at(d, [...path, 'name']);
    const w = newWorkload(str(c.name) ?? `container-${i + 1}`, ports.length > 0 ? 'service' : 'worker', src, 'ecs');
    trait(w, 'runtime', 'container', src);
    trait(w, 'aws.beanstalk', beanstalk, at(d, ['AWSEBDockerrunVersion']));
    readContainer(d, c, path, w, ports);
    const memory = num(c.memory) ?? num(c.memoryReservation);
    if (memory !== undefined && memory > 0) w.resources.memoryMiB = { value: memory, source: at(d, [...path, c.memory !== undefined ? 'memory' : 'memoryReservation']), cap: c.memory !== undefined };
    const hostname = str(c.hostname);
    if (hostname && hostname !== w.name) trait(w, 'service.alias', hostname, at(d, [...path, 'hostname']));
    arr(c.links).forEach((l, j) => w.dependsOn.push({ value: String(l).split(':')[0], source: at(d, [...path, 'links', j]) }));
    return w;
  });
}
