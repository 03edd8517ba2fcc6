import { memoized } from '../collections';
import { imageRepository, lastSegment, posixDirname } from '../parse/common';
import type { SourceRef, Trait, Workload } from '../types';

/**
 * What a workload *is* (a PostgreSQL, a Kafka broker, a Prometheus…), told from all the evidence
 * the descriptors give, strongest first: the image it runs, the image it is built FROM, the
 * command it starts, environment keys only that server reads, and last its well-known ports.
 * The answer becomes a `role.<name>` trait that the rules in data/rules.yaml turn into targets.
 */
export interface Role {
  name: string;
  /** Image repository names (last path segment, or the whole path) that are this role. */
  images: RegExp;
  commands?: RegExp;
  /** Environment variables only the server itself reads (a client never sets them). */
  serverEnv?: RegExp;
  ports?: number[];
  /** The server's own client programs: a container of its image whose command starts one sets the server up. */
  clients?: RegExp;
}

export const ROLES: readonly Role[] = [
  { name: 'postgres', images: /^(postgres|postgresql|postgis|timescaledb|timescaledb-ha|pgvector|pgvecto-rs|vchord-postgres|vectorchord|paradedb|supabase-postgres|bitnami-postgresql|postgresql-ha|crunchy-postgres|postgres-flex)$/, commands: /(^|[\s/"])(postgres|pg_ctl)(\s|$|")/, serverEnv: /^(PGDATA|POSTGRES_INITDB_ARGS|POSTGRES_HOST_AUTH_METHOD)$/, ports: [5432], clients: /^(psql|pg_dump|pg_restore|createdb|createuser)$/ },
  { name: 'mariadb', images: /^(mariadb|mariadb-server)$/, serverEnv: /^(MARIADB_ROOT_PASSWORD|MARIADB_ALLOW_EMPTY_ROOT_PASSWORD|MARIADB_RANDOM_ROOT_PASSWORD|MARIADB_DATABASE)$/ },
  { name: 'mysql', images: /^(mysql|mysql-server|percona|percona-server|eventuate-mysql8?|eventuate-tram-sagas-mysql|eventuate-mysql)$/, commands: /(^|[\s/"])mysqld(\s|$|")/, serverEnv: /^(MYSQL_ROOT_PASSWORD|MYSQL_ALLOW_EMPTY_PASSWORD|MYSQL_RANDOM_ROOT_PASSWORD)$/, ports: [3306], clients: /^(mysql|mysqldump|mysqladmin)$/ },
  { name: 'sqlserver', images: /^(mssql\/server|mssql-server(-linux|-windows(-developer|-express)?)?|azure-sql-edge)$/, serverEnv: /^(MSSQL_SA_PASSWORD|SA_PASSWORD|MSSQL_PID)$/, ports: [1433] },
  { name: 'oracle', images: /^(oracle|oracle-database|oracle-xe|oracle-free|database\/(enterprise|express|free)|oracle\/database)$/, serverEnv: /^(ORACLE_PWD|ORACLE_PASSWORD|ORACLE_SID)$/, ports: [1521] },
  { name: 'db2', images: /^(db2|db2express-c|db2_community)$/, serverEnv: /^(DB2INST1_PASSWORD|DB2INSTANCE)$/, ports: [50000] },
  { name: 'mongodb', images: /^(mongo|mongodb|mongodb-community-server|mongodb-enterprise-server|percona-server-mongodb|documentdb|documentdb-local|ferretdb)$/, commands: /(^|[\s/"])mongod(\s|$|")/, serverEnv: /^(MONGO_INITDB_ROOT_USERNAME|MONGO_INITDB_DATABASE)$/, ports: [27017], clients: /^(mongosh|mongo|mongoimport|mongorestore)$/ },
  { name: 'redis', images: /^(redis|valkey|keydb|redis-stack|redis-stack-server|redis-cluster|dragonfly)$/, commands: /(^|[\s/"])(redis-server|valkey-server)(\s|$|")/, ports: [6379], clients: /^redis-cli$/ },
  { name: 'memcached', images: /^memcached$/, commands: /(^|[\s/"])memcached(\s|$|")/, ports: [11211] },
  { name: 'rabbitmq', images: /^rabbitmq$/, commands: /rabbitmq-server/, serverEnv: /^(RABBITMQ_DEFAULT_USER|RABBITMQ_ERLANG_COOKIE)$/, ports: [5672] },
  { name: 'kafka-connect', images: /^(cp-kafka-connect|kafka-connect|connect|debezium-connect|eventuate-cdc-service)$/, commands: /connect-distributed/ },
  { name: 'kafka', images: /^(kafka|cp-kafka|cp-server|redpanda|eventuate-kafka|kafka-native)$/, commands: /kafka-server-start/, serverEnv: /^(KAFKA_BROKER_ID|KAFKA_ADVERTISED_LISTENERS|KAFKA_PROCESS_ROLES|KAFKA_CFG_PROCESS_ROLES|KAFKA_NODE_ID)$/, ports: [9092], clients: /^kafka-(topics|configs|acls|consumer-groups)(\.sh)?$/ },
  { name: 'zookeeper', images: /^(zookeeper|cp-zookeeper|eventuate-zookeeper)$/, commands: /zookeeper-server-start|zkServer/, serverEnv: /^(ZOOKEEPER_CLIENT_PORT|ZOO_MY_ID|ZOO_SERVERS)$/, ports: [2181] },
  { name: 'search', images: /^(elasticsearch|opensearch|elasticsearch-oss)$/, commands: /(^|[\s/"])(elasticsearch|opensearch)(\s|$|")/, serverEnv: /^(discovery\.type|cluster\.name|OPENSEARCH_JAVA_OPTS|ES_JAVA_OPTS)$/, ports: [9200] },
  { name: 'cassandra', images: /^(cassandra|scylla|scylladb)$/, ports: [9042] },
  // Not 9000 (its native protocol): PHP-FPM, MinIO, SonarQube, Portainer and Graylog listen there too.
  { name: 'clickhouse', images: /^(clickhouse|clickhouse-server)$/, ports: [8123] },
  // Servers no cloud runs as a managed service of its own: they keep their data on the cluster or move to another engine.
  { name: 'vector-db', images: /^(weaviate|qdrant|milvus|chroma|chromadb|marqo|vespa)$/ },
  { name: 'search-engine', images: /^(meilisearch|typesense|solr|manticoresearch|zincsearch)$/ },
  { name: 'object-store', images: /^(minio|seaweedfs|garage|cloudserver|s3proxy)$/ },
  { name: 'dynamodb-local', images: /^(dynamodb-local|dynamodblocal)$/ },
  { name: 'prometheus', images: /^(prometheus|prom\/prometheus|alertmanager|pushgateway|node-exporter|kube-state-metrics|thanos|prometheus-[a-z-]+|[a-z]+-exporter|victoria-metrics|victoriametrics\/vmagent|cadvisor|telegraf)$/ },
  { name: 'grafana', images: /^(grafana|grafana-oss|grafana-enterprise)$/ },
  { name: 'tracing', images: /^(zipkin|jaeger|all-in-one|jaeger-all-in-one|jaeger-collector|tempo)$/, ports: [9411, 16686] },
  { name: 'otel-collector', images: /^(opentelemetry-collector|opentelemetry-collector-contrib|otel-collector|otelcol|otelcol-contrib)$/ },
  // Seq and Vector by their repository only: `seq` and `vector` are ordinary words in project names.
  { name: 'logging', images: /^(loki|fluentd|fluent-bit|logstash|promtail|kibana|opensearch-dashboards|datalust\/seq|graylog|graylog2\/server|filebeat|metricbeat|auditbeat|timberio\/vector)$/ },
  { name: 'edge-proxy', images: /^(traefik|cloudflared|ngrok|edge-router|edge-proxy|reverse-proxy|nginx-proxy|nginx-proxy-manager|acme-companion|letsencrypt-nginx-proxy-companion|docker-letsencrypt-nginx-proxy-companion|swag)$/ },
  { name: 'certificates', images: /^(certbot|acme\.sh|lego|dns-[a-z0-9]+)$/, commands: /(^|[\s/"'])certbot\s+(renew|certonly)/ },
  // Host-level container tooling: updaters, restarters of unhealthy containers (autoheal), and the
  // Docker management UIs the cloud console replaces.
  { name: 'container-updater', images: /^(watchtower|ouroboros|diun|portainer|portainer-ce|portainer-ee|portainer\/agent|dockge|yacht|autoheal|docker-autoheal)$/ },
  { name: 'db-backup', images: /^(postgres-backup-local|postgres-backup-s3|pgbackups3|mysql-backup|mysql-backup-s3|docker-db-backup|db-backup|mongodb-backup|borgmatic|docker-volume-backup)$/ },
  // Uptime checkers: the cloud's uptime checks (CloudWatch Synthetics, Cloud Monitoring) replace them.
  { name: 'uptime-monitor', images: /^(uptime-kuma|gatus|statping|statping-ng)$/ },
  // A connection pooler in front of PostgreSQL or MySQL: the managed database's proxy or pooling takes its place.
  { name: 'db-pooler', images: /^(pgbouncer|pgbouncer-[a-z0-9-]+|pgpool|pgpool2|pgpool-ii|supavisor|pgcat|pgdog|odyssey|proxysql)$/ },
  // Apache Airflow's own image (or one built FROM it): one component of an Airflow deployment; see markAirflow.
  { name: 'airflow', images: /^(airflow|apache\/airflow|astro-runtime)$/ },
  // A Spark or Hadoop cluster's nodes (master and workers, name and data nodes); see markDataCluster.
  { name: 'spark', images: /^(spark|spark-master|spark-worker|spark-base|spark-py|spark-history-server|apache\/spark|apache\/spark-py|bitnami\/spark)$/, commands: /org\.apache\.spark\.deploy\.(master\.Master|worker\.Worker)|start-(master|worker|slave)\.sh/ },
  { name: 'hadoop', images: /^(hadoop-namenode|hadoop-datanode|hadoop-resourcemanager|hadoop-nodemanager|hadoop-historyserver|apache\/hadoop)$/, commands: /(^|[\s/"])(hdfs\s+(namenode|datanode)|yarn\s+(resourcemanager|nodemanager))(\s|$|")/ },
  { name: 'service-registry', images: /^(eureka|eureka-server|consul|etcd)$/, ports: [8761, 8500] },
];

/** Images of an operating system or a language runtime: they say what a container is built on, not what it is. */
export const RUNTIME_IMAGE = /^(alpine|debian|debian-slim|ubuntu|centos|fedora|rockylinux|almalinux|busybox|scratch|buildpack-deps|distroless|static|base|node|python|golang|openjdk|eclipse-temurin|amazoncorretto|java|ruby|php|dotnet|aspnet|runtime|sdk|rust|gradle|maven|servercore|nanoserver|windows|powershell)$/;

/** An image reference that is only variables (`${IMAGE_NAME}:${VERSION}-cart`) says nothing. */
function unresolvedImage(w: Workload): boolean {
  const imgs = w.traits.filter((t) => t.name === 'image' || t.name === 'base-image').map((t) => String(t.value));
  return imgs.length > 0 && imgs.every((i) => /^\$\{?[A-Za-z_]/.test(i) || /^:/.test(i) || i.trim() === '');
}


/** One test for "is this any role's name at all", so that most names (applications) cost one regex. */
const ANY_IMAGE = new RegExp(ROLES.map((r) => r.images.source).join('|'));
const ANY_COMMAND = new RegExp(ROLES.flatMap((r) => (r.commands ? [r.commands.source] : [])).join('|'));
const ANY_SERVER_ENV = new RegExp(ROLES.flatMap((r) => (r.serverEnv ? [r.serverEnv.source] : [])).join('|'));

function roleNamed(name: string): Role | undefined {
  return ANY_IMAGE.test(name) ? ROLES.find((r) => r.images.test(name)) : undefined;
}

const roleOfImage = memoized((image: string): Role | undefined => {
  const repo = imageRepository(image);
  const last = repo.slice(repo.lastIndexOf('/') + 1);
  const exact = roleNamed(last) ?? roleNamed(repo);
  if (exact) return exact;
  // A project's own build of a server (`zulip-postgresql`, `piggymetrics-mongodb`), not a tool around one.
  const words = last.split(/[-_.]/);
  if (words.length < 2 || words.some((x) => TOOL_WORDS.test(x))) return undefined;
  for (const x of words) {
    const role = roleNamed(x);
    if (role) return role;
  }
  return undefined;
});

interface Found {
  role: Role;
  why: string;
  source: SourceRef;
}

function byImageTraits(traits: Trait[], names: string[], label: string): Found | undefined {
  for (const t of traits) {
    if (!names.includes(t.name)) continue;
    const role = roleOfImage(String(t.value));
    if (role) return { role, why: `${label} ${String(t.value)}`, source: t.source };
  }
  return undefined;
}

/** Find the role of a workload; undefined for an ordinary application. */
export function findRole(w: Workload): Found | undefined {
  const t = w.traits;
  const fromImage = byImageTraits(t, ['image'], 'image');
  if (fromImage) return fromImage;
  const fromBase = byImageTraits(t, ['base-image', 'helm.subchart-image'], 'built FROM');
  if (fromBase) return fromBase;
  const fromChart = byImageTraits(t, ['helm.release-chart'], 'Helm chart');
  if (fromChart) return fromChart;
  for (const c of t) {
    if (c.name !== 'cmd' && c.name !== 'entrypoint' && c.name !== 'command') continue;
    const role = ANY_COMMAND.test(String(c.value)) ? ROLES.find((r) => r.commands?.test(String(c.value))) : undefined;
    if (role) return { role, why: `its command starts ${(role.commands?.exec(String(c.value)) ?? [''])[0].trim().replace(/^["/]|"$/g, '')}`, source: c.source };
  }
  for (const e of w.env) {
    const role = ANY_SERVER_ENV.test(e.name) ? ROLES.find((r) => r.serverEnv?.test(e.name)) : undefined;
    // A client (phpMyAdmin, a web app) may set the server's variables too: its ports tell it apart.
    if (role && w.ports.length > 0 && !w.ports.some((p) => role.ports?.includes(p))) continue;
    if (role) return { role, why: `it sets ${e.name}, which only the server reads`, source: e.source };
  }
  // Ports last, and only for a workload whose image does not already say it is an application:
  // one built from the repository's own Dockerfile is (its base would have said otherwise above).
  const base = t.find((x) => x.name === 'base-image' || x.name === 'image');
  const generic = base ? RUNTIME_IMAGE.test(lastSegment(String(base.value))) : false;
  const built = t.some((x) => x.name === 'build' || x.name === 'docker.stage-base');
  if (w.ports.length > 0 && w.ports.length <= 3 && !generic && !built) {
    for (const p of t) {
      if (p.name !== 'port') continue;
      const role = ROLES.find((r) => r.ports?.includes(Number(p.value)));
      if (role) return { role, why: `it listens on ${String(p.value)}, the well-known ${role.name} port`, source: p.source };
    }
  }
  return undefined;
}

/**
 * A container of a server's image whose command runs the server's client tool, not the server
 * (`kafka-init` running `kafka-topics.sh --create` on the Kafka image): it sets the server up, then stops.
 */
function clientOfServer(w: Workload, role: Role): { tool: string; source: SourceRef } | undefined {
  if (!role.clients) return undefined;
  for (const t of w.traits) {
    if (t.name !== 'command') continue;
    const program = firstProgram(String(t.value));
    // Only a command that starts with the client: one that starts the server too (`… & /etc/confluent/docker/run`) is the server.
    if (program && role.clients.test(program) && !role.commands?.test(String(t.value))) return { tool: program, source: t.source };
  }
  return undefined;
}

/** The program a command line starts, past a `sh -c` and quotes, without its folder: `kafka-topics.sh`. */
function firstProgram(command: string): string | undefined {
  const rest = command.replace(/^\s*\[?\s*(["']?(\S*\/)?(ba)?sh["']?\s*,?\s*["']?-c["']?\s*,?\s*)?/, '');
  const word = /^["']?([^\s"',\]]+)/.exec(rest)?.[1];
  return word?.split('/').pop();
}

/** Is this the name of a well-known server (`kafka`, `postgres`), as a service is often named after it? */
export function isRoleName(name: string): boolean {
  return roleNamed(name.toLowerCase()) !== undefined;
}

/** The well-known server an image is (`postgres`, `mariadb`, `redis`…), if any. */
export function serverOfImage(image: string): string | undefined {
  return roleOfImage(image)?.name;
}

/** Is this image a well-known server (PostgreSQL, Kafka…) rather than something built here? */
export function isRoleImage(image: string): boolean {
  return roleOfImage(image) !== undefined;
}

/** Words in a name that make it a tool around a server, not the server (`kafka-gui`, `redis-exporter`). */
const TOOL_WORDS = /^(gui|ui|admin|meta|api|graphql|exporter|commander|manager|console|web|client|cli|init|setup|proxy|insight|browser|dashboard|ctl|operator|backup|restore|migrate|migrator|seed|connect|rest|schema|registry|monitor|metrics|agent|sidecar|tests?|e2e|sync|worker)$/;

/** The weakest sign, used when nothing else speaks: the workload is named after a server (`valkey-cart`). */
function byName(w: Workload): Found | undefined {
  // A service named after its compose project's folder (`nginx-golang-mysql-backend`) is named by its compose name.
  const name = String(w.traits.find((t) => t.name === 'compose.service')?.value ?? w.name);
  const whole = roleNamed(name.toLowerCase());
  if (whole) return { role: whole, why: `its name, ${name}`, source: w.sources[0] };
  const words = name.toLowerCase().split(/[-_.]/);
  if (words.some((x) => TOOL_WORDS.test(x))) return undefined;
  for (const word of words) {
    const role = roleNamed(word);
    if (role) return { role, why: `its name, ${w.name}`, source: w.sources[0] };
  }
  return undefined;
}

/** Namespaces and folders of a cluster's own logging stack (EFK / ELK). */
const LOGGING_NAMESPACE = /^(kube-system|logging|kube-logging|efk|elk|observability)$/;
const LOGGING_FOLDER = /(^|\/|[-_])(logging|efk|elk)(\/|[-_]|$)/;

/**
 * An Elasticsearch or OpenSearch deployed in the cluster's logging namespace or a logging folder
 * (Sock Shop's `manifests-logging/elasticsearch.yml` in kube-system, beside fluentd and Kibana) is
 * the log store of an EFK stack: the managed logging service replaces it, not a search service.
 */
function asLogStore(w: Workload, found: Found | undefined): Found | undefined {
  if (found?.role.name !== 'search') return found;
  const ns = w.traits.find((t) => t.name === 'k8s.namespace' && LOGGING_NAMESPACE.test(String(t.value)));
  const folder = w.sources.find((s) => LOGGING_FOLDER.test(posixDirname(s.file)));
  if (!ns && !folder) return found;
  const logging = ROLES.find((r) => r.name === 'logging') as Role;
  const where = ns ? `namespace ${String(ns.value)}` : `${posixDirname(folder?.file ?? '')}/`;
  return { role: logging, why: `${found.why}, the log store of the cluster's logging stack (${where})`, source: found.source };
}

/** Extensions a PostgreSQL image ships, by the words of its name and tag (`postgres:14-vectorchord0.4.3-pgvectors0.2.0`) or what its command preloads. */
const PG_EXTENSIONS: { name: string; pattern: RegExp; managed: boolean }[] = [
  { name: 'pgvector', pattern: /pgvector(?!s)/, managed: true },
  { name: 'PostGIS', pattern: /postgis/, managed: true },
  { name: 'pgvecto.rs', pattern: /pgvecto-?rs|pgvectors|vectors\.so/, managed: false },
  { name: 'VectorChord', pattern: /vectorchord|vchord/, managed: false },
  { name: 'TimescaleDB', pattern: /timescale/, managed: false },
  { name: 'ParadeDB (pg_search)', pattern: /paradedb|pg_search/, managed: false },
  { name: "Supabase's extensions (pg_graphql, pg_net, pgsodium…)", pattern: /supabase/, managed: false },
];

/**
 * A PostgreSQL server whose image or command brings extensions: those RDS and Cloud SQL both offer
 * (pgvector, PostGIS) are a note; any other is a risk to check before the data moves.
 */
function addPostgresExtensions(w: Workload): void {
  const found = new Map<string, { managed: boolean; source: SourceRef }>();
  for (const t of w.traits) {
    if (t.name !== 'image' && t.name !== 'base-image' && t.name !== 'command' && t.name !== 'args' && t.name !== 'cmd') continue;
    const text = String(t.value).toLowerCase();
    if ((t.name === 'command' || t.name === 'args' || t.name === 'cmd') && !text.includes('shared_preload_libraries')) continue;
    for (const e of PG_EXTENSIONS) if (!found.has(e.name) && e.pattern.test(text)) found.set(e.name, { managed: e.managed, source: t.source });
  }
  for (const managed of [true, false]) {
    const names = [...found].filter(([, v]) => v.managed === managed);
    if (names.length) w.traits.push({ name: managed ? 'db.extensions.managed' : 'db.extensions.check', value: names.map(([n]) => n).join(', '), source: names[0][1].source });
  }
}

/** Add the `role.<name>` trait (value: why) that the rules match. */
export function addRoleTrait(w: Workload): void {
  if (w.traits.some((t) => t.name.startsWith('role.'))) return;
  const found = asLogStore(w, findRole(w) ?? (w.traits.some((t) => t.name === 'base-image' || t.name === 'image') && !unresolvedImage(w) ? undefined : byName(w)));
  if (!found) return;
  const client = clientOfServer(w, found.role);
  if (client) {
    w.traits.push({ name: 'setup.client', value: `${client.tool} against the ${found.role.name} server`, source: client.source });
    return;
  }
  w.traits.push({ name: `role.${found.role.name}`, value: found.why, source: found.source });
  if (['postgres', 'mariadb', 'mysql', 'sqlserver', 'oracle', 'db2', 'mongodb', 'redis', 'memcached', 'rabbitmq', 'kafka', 'zookeeper', 'search', 'cassandra', 'clickhouse', 'vector-db', 'search-engine'].includes(found.role.name)) {
    w.kind = 'datastore';
  }
  if (found.role.name === 'postgres') addPostgresExtensions(w);
}
