import type { PartialWorkload, SourceRef } from '../types';
import { parseCpu, parseMemoryMiB } from '../units';
import { at, num, obj, str, type Obj, type PathSeg, type YamlDoc } from './yaml';
import { newWorkload, trait } from './common';

/**
 * A database, broker or search cluster that a Kubernetes operator runs from a custom resource
 * (CloudNativePG's `Cluster`, Strimzi's `Kafka`, a `RabbitmqCluster`…): the managed service takes
 * the operator's place, so it is planned as that server, sized from the resource, and no workload
 * beside it needs the operator for it. The names its operator gives the Services in front of it
 * (`<name>-rw`, `<name>-kafka-bootstrap`) name it too.
 */
interface OperatorServer {
  group: RegExp;
  kind: string;
  /** The server it runs, as an image the role table knows. */
  server: string;
  instances?: PathSeg[];
  storage?: PathSeg[];
  resources?: PathSeg[];
  /** The image, when the resource may name one. */
  image?: PathSeg[];
  /** Suffixes of the Services the operator creates for it. */
  services: string[];
  /** A cluster of peers (brokers, nodes) sized by their count; a database's instances are a primary and its standbys. */
  clustered?: boolean;
}

const SERVERS: OperatorServer[] = [
  { group: /^postgresql\.cnpg\.io\//, kind: 'Cluster', server: 'postgres', instances: ['instances'], storage: ['storage', 'size'], resources: ['resources'], image: ['imageName'], services: ['-rw', '-ro', '-r'] },
  { group: /^acid\.zalan\.do\//, kind: 'postgresql', server: 'postgres', instances: ['numberOfInstances'], storage: ['volume', 'size'], resources: ['resources'], image: ['dockerImage'], services: ['', '-repl'] },
  { group: /^postgres-operator\.crunchydata\.com\//, kind: 'PostgresCluster', server: 'postgres', instances: ['instances', 0, 'replicas'], storage: ['instances', 0, 'dataVolumeClaimSpec', 'resources', 'requests', 'storage'], resources: ['instances', 0, 'resources'], image: ['image'], services: ['-primary', '-replicas'] },
  { group: /^mysql\.oracle\.com\//, kind: 'InnoDBCluster', server: 'mysql', instances: ['instances'], storage: ['datadirVolumeClaimTemplate', 'resources', 'requests', 'storage'], services: ['', '-instances'] },
  { group: /^(k8s\.)?mariadb\.(mmontes\.io|com)\//, kind: 'MariaDB', server: 'mariadb', instances: ['replicas'], storage: ['storage', 'size'], resources: ['resources'], image: ['image'], services: ['', '-primary', '-secondary'] },
  { group: /^kafka\.strimzi\.io\//, kind: 'Kafka', server: 'kafka', instances: ['kafka', 'replicas'], storage: ['kafka', 'storage', 'size'], resources: ['kafka', 'resources'], services: ['-kafka-bootstrap', '-kafka-brokers'], clustered: true },
  { group: /^rabbitmq\.com\//, kind: 'RabbitmqCluster', server: 'rabbitmq', instances: ['replicas'], storage: ['persistence', 'storage'], resources: ['resources'], image: ['image'], services: ['', '-nodes'], clustered: true },
  { group: /^elasticsearch\.k8s\.elastic\.co\//, kind: 'Elasticsearch', server: 'elasticsearch', instances: ['nodeSets', 0, 'count'], services: ['-es-http', '-es-transport'], clustered: true },
  { group: /^mongodbcommunity\.mongodb\.com\//, kind: 'MongoDBCommunity', server: 'mongo', instances: ['members'], services: ['-svc'], clustered: true },
  { group: /^redis\.redis\.opstreelabs\.in\//, kind: 'Redis', server: 'redis', resources: ['kubernetesConfig', 'resources'], image: ['kubernetesConfig', 'image'], services: ['', '-headless'] },
  { group: /^redis\.redis\.opstreelabs\.in\//, kind: 'RedisCluster', server: 'redis', instances: ['clusterSize'], resources: ['kubernetesConfig', 'resources'], image: ['kubernetesConfig', 'image'], services: ['-leader', '-follower'], clustered: true },
];

/** The operator-run server this custom resource is, if it is one. */
export function operatorServerOf(kind: string, apiVersion: string): OperatorServer | undefined {
  return SERVERS.find((s) => s.kind === kind && s.group.test(apiVersion));
}

export function readOperatorServer(d: YamlDoc, o: Obj, def: OperatorServer, name: string, namespace: string, src: SourceRef): PartialWorkload {
  const spec = obj(o.spec);
  const get = (p: PathSeg[] | undefined): unknown => (p ? p.reduce<unknown>((v, k) => (Array.isArray(v) ? v[k as number] : obj(v)[k as string]), spec) : undefined);
  const loc = (p: PathSeg[]): SourceRef => at(d, ['spec', ...p]);
  const w = newWorkload(name, 'datastore', src, 'kubernetes');
  const kindAt = at(d, ['kind']);
  trait(w, 'runtime', 'container', src);
  trait(w, 'k8s.namespace', namespace, src);
  trait(w, 'k8s.operator-resource', `${def.kind} (${str(o.apiVersion)})`, kindAt);
  const image = str(get(def.image)) ?? def.server;
  w.image = image;
  trait(w, 'image', image, def.image && get(def.image) !== undefined ? loc(def.image) : kindAt);
  const n = num(get(def.instances));
  // A count that is no whole number of at least one is not read (the server's defaults apply).
  const instances = n !== undefined && Number.isInteger(n) && n >= 1 && n <= 1000 ? n : undefined;
  if (instances !== undefined && def.instances) {
    if (def.clustered) w.resources.replicas = { value: instances, source: loc(def.instances) };
    else trait(w, 'db.instances', instances, loc(def.instances));
  }
  const storage = def.storage ? parseMemoryMiB(get(def.storage), true) : undefined;
  if (storage !== undefined && storage > 0 && Number.isFinite(storage) && def.storage) w.resources.storageGiB = { value: storage / 1024, source: loc(def.storage) };
  readRequests(obj(get(def.resources)), def.resources, w, loc);
  for (const suffix of def.services) if (suffix) trait(w, 'service.alias', `${name}${suffix}`, src);
  return w;
}

/** The server pods' requests, else their limits (a limit alone is the most each may use). */
function readRequests(r: Obj, path: PathSeg[] | undefined, w: PartialWorkload, loc: (p: PathSeg[]) => SourceRef): void {
  if (!path) return;
  for (const key of ['requests', 'limits'] as const) {
    const cpu = parseCpu(obj(r[key]).cpu);
    if (cpu !== undefined && !w.resources.cpu) w.resources.cpu = { value: cpu, source: loc([...path, key, 'cpu']), ...(key === 'limits' ? { cap: true } : {}) };
    const mem = parseMemoryMiB(obj(r[key]).memory, true);
    if (mem !== undefined && !w.resources.memoryMiB) w.resources.memoryMiB = { value: mem, source: loc([...path, key, 'memory']), ...(key === 'limits' ? { cap: true } : {}) };
  }
}
