import * as assert from 'node:assert/strict';
import { assess } from '../src/core/plan/assess';
import { renderMarkdown } from '../src/core/render/markdown';
import { containerShapes } from '../src/core/target/size';
import { validator } from '../src/core/parse/schemas';
import { repo, workload } from './helpers';

/** What is a workload and what is not, on small repositories written for each case. */
describe('curation: one service, one workload', () => {
  it('a base image, a build helper and a debug variant are not planned; the service is, with its Dockerfile', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': 'services:\n  api:\n    image: acme/api-service:1\n    ports: ["80:8080"]\n',
      'base/Dockerfile': 'FROM debian:12\nRUN apt-get install -y curl\n',
      'api/Dockerfile': 'FROM acme/base:1\nEXPOSE 8080\nCMD ["api"]\n',
      'api/Dockerfile.debug': 'FROM acme/base:1\nCMD ["api", "--debug"]\n',
      'build/Dockerfile': 'FROM golang:1.22\nARG SERVICE_NAME\nRUN go build ./cmd/$SERVICE_NAME\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name), ['api']);
    assert.deepEqual(workload(plan, 'api').sources.map((s) => s.file), ['api/Dockerfile', 'docker-compose.yml']);
    assert.deepEqual(Object.fromEntries(plan.notPlanned.map((n) => [n.name, n.reason])), { 'api-debug': 'dev-variant', base: 'base-image', build: 'build-helper' });
    const md = renderMarkdown(plan);
    assert.match(md, /## Not planned/);
    assert.match(md, /\| base \| base-image: a base image: other Dockerfiles here build FROM it/);
    assert.ok(validator('plan')(JSON.parse(JSON.stringify(plan))));
  });

  it('an image whose only command is a shell or interpreter, or whose ENTRYPOINT is the tool it is named after, is not a service', async () => {
    const plan = await assess(repo({
      'busybox/Dockerfile': 'FROM mcr.microsoft.com/windows/nanoserver:1809\nCOPY busybox.exe /bin/\nCMD ["sh"]\n',
      'node/10/Dockerfile': 'FROM mcr.microsoft.com/windows/servercore:ltsc2016\nRUN install-node\nCMD [ "node" ]\n',
      'diskspd/Dockerfile': 'FROM mcr.microsoft.com/windows/servercore:ltsc2016\nADD diskspd.zip C:/\nENTRYPOINT [ "C:\\\\amd64fre\\\\diskspd.exe" ]\n',
      'worker/Dockerfile': 'FROM node:20\nCOPY . .\nCMD ["node", "worker.js"]\n',
      'web/Dockerfile': 'FROM python:3.12\nEXPOSE 8000\nCMD python\n',
      'certs/Dockerfile': 'FROM golang\nRUN go install example.com/cfssl@latest\nVOLUME ["/pki-out"]\nENTRYPOINT cp /pki/ca.pem /pki-out/ca.pem\n',
    }));
    const notPlanned = Object.fromEntries(plan.notPlanned.map((n) => [n.name, n.reason]));
    assert.equal(notPlanned.busybox, 'base-image');
    assert.equal(notPlanned['10'], 'base-image');
    assert.equal(notPlanned.diskspd, 'build-helper');
    assert.match(plan.notPlanned.find((n) => n.name === 'busybox')?.message ?? '', /interactive shell or interpreter \(CMD sh\)/);
    assert.equal(notPlanned.certs, 'data-container', 'ENTRYPOINT cp … hands files over and stops');
    // A script given to the interpreter, or a port, is a service.
    assert.deepEqual(plan.workloads.map((w) => w.name).sort(), ['web', 'worker']);
  });

  it('an interactive console in compose (stdin_open and tty, no port) is operator tooling, proposed for retirement', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': 'services:\n  server:\n    image: temporalio/server:1\n    ports: ["7233:7233"]\n  admin-tools:\n    image: temporalio/admin-tools:1\n    depends_on: [server]\n    stdin_open: true\n    tty: true\n',
    }));
    const tools = workload(plan, 'admin-tools');
    assert.equal(tools.strategy, 'retire');
    assert.match(tools.evidence[0].message, /^Test or operator tooling \(an interactive console \(stdin_open and tty, no port\)/);
    assert.equal(tools.evidence[0].line, 5);
    assert.equal(workload(plan, 'server').strategy === 'retire', false);
  });

  it('GitOps Helm releases are workloads of their chart; cluster add-ons and Kustomize patches of a release are not', async () => {
    const plan = await assess(repo({
      'apps/base/podinfo/release.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: { name: podinfo, namespace: podinfo }\nspec:\n  chart:\n    spec: { chart: podinfo, sourceRef: { kind: HelmRepository, name: podinfo } }\n  values:\n    replicaCount: 3\n    resources: { requests: { cpu: 500m, memory: 1Gi } }\n',
      'apps/base/podinfo/repository.yaml': 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata: { name: podinfo }\nspec: { url: https://stefanprodan.github.io/podinfo }\n',
      'apps/production/podinfo-values.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: { name: podinfo, namespace: podinfo }\nspec:\n  values: { replicaCount: 9 }\n',
      'infrastructure/cert-manager.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: { name: cert-manager }\nspec:\n  chartRef: { kind: OCIRepository, name: cert-manager }\n',
      'argo/cache.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: { name: cache }\nspec:\n  source: { repoURL: https://charts.bitnami.com/bitnami, chart: redis, targetRevision: 19.0.0 }\n  destination: { namespace: shop }\n',
      'argo/shop.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: { name: shop }\nspec:\n  source: { repoURL: https://example.com/shop.git, path: deploy }\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name).sort(), ['cache', 'podinfo']);
    const podinfo = workload(plan, 'podinfo');
    assert.equal(podinfo.targets.aws?.service, 'aws.eks');
    assert.equal(podinfo.targets.aws?.sizing.summary, '3 pods × 0.5 vCPU / 1 GiB on m6i.large nodes', 'sized from the values, not from the patch');
    assert.ok(podinfo.evidence.some((e) => e.rule === 'k8s.helm-release' && /chart podinfo/.test(e.message)));
    assert.ok(!podinfo.evidence.some((e) => e.rule === 'k8s.operator' || e.rule === 'no-healthcheck'), 'GitOps resources are no operator; the chart may well have a probe');
    // A Redis chart is a Redis, told by its chart's name.
    assert.equal(workload(plan, 'cache').targets.aws?.service, 'aws.elasticache');
    assert.deepEqual(plan.notPlanned.map((n) => [n.name, n.reason]), [['cert-manager', 'platform-service']]);
  });

  it('development aids are not production: a devcontainer or Gitpod image, a debug-profile service, a mail catcher, a database admin UI', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': 'services:\n  api:\n    image: acme/api:1\n    ports: ["8080:8080"]\n  inspector:\n    image: acme/inspector:1\n    profiles: [debug]\n    ports: ["8081:8080"]\n  mailhog:\n    image: mailhog/mailhog\n    ports: ["8025:8025"]\n  pma:\n    image: phpmyadmin/phpmyadmin:5\n    ports: ["8082:80"]\n  kafka-gui:\n    image: quay.io/cloudhut/kowl:master\n    ports: ["9088:8080"]\n  consumer:\n    image: acme/consumer:1\n    profiles: [feature-complete]\n',
      '.gitpod.Dockerfile': 'FROM gitpod/workspace-full\n',
      'tools/workspace/Dockerfile': 'FROM mcr.microsoft.com/devcontainers/typescript-node:20\nRUN npm i -g pnpm\n',
    }));
    assert.equal(workload(plan, 'inspector').strategy, 'retire');
    assert.match(workload(plan, 'inspector').evidence[0].message, /only with the profile debug/);
    assert.equal(workload(plan, 'mailhog').strategy, 'retire');
    assert.equal(workload(plan, 'pma').strategy, 'retire');
    assert.match(workload(plan, 'pma').evidence[0].message, /database admin UI/);
    assert.equal(workload(plan, 'kafka-gui').strategy, 'retire', 'a Kafka admin UI (Kowl) too');
    assert.notEqual(workload(plan, 'consumer').strategy, 'retire', 'a profile that is not a development aid');
    const seeded = await assess(repo({ 'docker-compose.yml': 'services:\n  vote:\n    image: acme/vote:1\n    ports: ["8080:80"]\n  seed:\n    build: ./seed-data\n    profiles: ["seed"]\n    depends_on: [vote]\n    restart: "no"\n', 'seed-data/Dockerfile': 'FROM python:3.9-slim\nCMD /seed/generate-votes.sh\n' }));
    assert.equal(workload(seeded, 'seed').strategy, 'retire', 'a service compose starts only with a seed profile fills test data');
    assert.notEqual(workload(plan, 'api').strategy, 'retire');
    const dev = Object.fromEntries(plan.notPlanned.map((n) => [n.name, n.reason]));
    assert.equal(dev['.gitpod'], 'dev-variant');
    assert.equal(dev.workspace, 'dev-variant');
  });

  it('development tools beside the application are not production: SonarQube, an MkDocs preview, a mock server, Storybook, webpack-dev-server; port 9000 alone is no ClickHouse', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': [
        'services:',
        '  api:\n    image: ghcr.io/acme/api:1\n    ports: ["8080:8080"]',
        '  php:\n    image: ghcr.io/acme/shop-fpm:3\n    ports: ["9001:9000"]',
        '  docs:\n    image: squidfunk/mkdocs-material\n    ports: ["8000:8000"]\n    volumes: [".:/docs"]',
        '  sonarqube:\n    image: sonarqube:community\n    ports: ["9000:9000"]',
        '  mock:\n    image: stoplight/prism:5\n    command: mock -h 0.0.0.0 /spec/openapi.yaml\n    ports: ["4010:4010"]',
        '  storybook:\n    build: ./storybook\n    ports: ["6006:6006"]',
        '  webpacker:\n    image: ghcr.io/acme/rails:1\n    command: ./bin/webpack-dev-server\n    ports: ["3035:3035"]',
        '  analytics:\n    image: clickhouse/clickhouse-server:24.8\n    ports: ["8123:8123", "9000:9000"]',
        '',
      ].join('\n'),
      'storybook/Dockerfile': 'FROM node:20\nEXPOSE 6006\nCMD ["npx", "storybook", "dev", "-p", "6006"]\n',
    }));
    for (const name of ['docs', 'sonarqube', 'mock', 'storybook', 'webpacker']) assert.equal(workload(plan, name).strategy, 'retire', name);
    assert.match(workload(plan, 'webpacker').evidence[0].message, /webpack-dev-server, a front-end development server/);
    assert.match(workload(plan, 'sonarqube').evidence[0].message, /sonarqube, a development tool/);
    assert.match(workload(plan, 'storybook').evidence[0].message, /Storybook's development server/);
    assert.equal(workload(plan, 'php').kind, 'service', 'PHP-FPM on 9000 is an application, not ClickHouse');
    assert.equal(workload(plan, 'analytics').kind, 'datastore', 'ClickHouse by its image');
    assert.equal(workload(plan, 'api').strategy, 'replatform');
  });

  it('a Dockerfile.prod beside a Dockerfile is the production image: planned under the service name, the plain one a development build', async () => {
    const dev = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nEXPOSE 3000\nCMD ["npm", "run", "dev"]\n';
    const prod = 'FROM node:20 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nFROM nginx:1.27-alpine\nCOPY --from=build /app/dist /usr/share/nginx/html\nEXPOSE 80\n';
    const alone = await assess(repo({ Dockerfile: dev, 'Dockerfile.prod': prod }));
    assert.deepEqual(alone.workloads.map((w) => [w.name, w.sources.map((x) => x.file).join(), w.targets.aws?.service]), [['app', 'Dockerfile.prod', 'aws.s3-cloudfront']]);
    assert.deepEqual(alone.notPlanned.map((n) => [n.name, n.reason, n.sources[0].file]), [['app', 'dev-variant', 'Dockerfile']]);
    assert.match(alone.notPlanned[0].message, /a development build of the image: Dockerfile\.prod beside it builds production's/);
    // A deployment that builds the plain Dockerfile decides: the production-named one beside it stays a variant.
    const built = await assess(repo({ 'docker-compose.yml': 'services:\n  web:\n    build: ./web\n    ports: ["3000:3000"]\n', 'web/Dockerfile': dev, 'web/Dockerfile.production': prod }));
    assert.deepEqual(built.workloads.map((w) => [w.name, w.sources.map((x) => x.file).sort().join()]), [['web', 'docker-compose.yml,web/Dockerfile']]);
    assert.deepEqual(built.notPlanned.map((n) => [n.reason, n.sources[0].file]), [['dev-variant', 'web/Dockerfile.production']]);
  });

  it("a chart that keeps helm create's placeholder image (nginx:1.16.0) deploys the application the repository builds: one workload", async () => {
    const files = {
      'charts/shop/Chart.yaml': 'apiVersion: v2\nname: shop\ndescription: A Helm chart for Kubernetes\ntype: application\nversion: 0.1.0\nappVersion: "1.16.0"\n',
      'charts/shop/values.yaml': 'replicaCount: 2\nimage:\n  repository: nginx\n  pullPolicy: IfNotPresent\n  tag: ""\nservice:\n  type: ClusterIP\n  port: 80\nresources: {}\n',
      'charts/shop/templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "shop.fullname" . }}\nspec:\n  replicas: {{ .Values.replicaCount }}\n  template:\n    spec:\n      containers:\n        - name: {{ .Chart.Name }}\n          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"\n          ports:\n            - name: http\n              containerPort: {{ .Values.service.port }}\n',
      'app/Dockerfile': 'FROM python:3.12-slim\nEXPOSE 8000\nCMD ["gunicorn", "shop.wsgi", "-b", "0.0.0.0:8000"]\n',
    };
    const plan = await assess(repo(files));
    assert.deepEqual(plan.workloads.map((w) => [w.name, w.image ?? null, w.sources.map((x) => x.file).sort().join()]), [['shop', null, 'app/Dockerfile,charts/shop/templates/deployment.yaml']]);
    assert.match(workload(plan, 'shop').evidence.find((e) => e.rule === 'helm.placeholder-image')?.message ?? '', /placeholder image `helm create` wrote \(nginx:1\.16\.0, its real image built from app\/Dockerfile\)/);
    // A chart that names an image of its own keeps it; this rule does not give it the Dockerfile.
    const own = await assess(repo({ ...files, 'charts/shop/values.yaml': files['charts/shop/values.yaml'].replace('repository: nginx', 'repository: ghcr.io/acme/shop') }));
    assert.equal(workload(own, 'shop').image, 'ghcr.io/acme/shop:1.16.0');
    assert.ok(!workload(own, 'shop').evidence.some((e) => e.rule === 'helm.placeholder-image'));
  });

  it('a compose service whose program is a cron daemon runs scheduled jobs; a scheduler named cron in an application command is left alone', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': [
        'services:',
        '  cron:\n    image: alpine:3.20\n    command: crond -f -l 8\n    volumes: ["./crontab:/etc/crontabs/root:ro"]',
        '  jobs:\n    image: ghcr.io/acme/jobs:1\n    entrypoint: ["/usr/local/bin/supercronic", "/app/crontab"]',
        '  sentry-cron:\n    image: ghcr.io/acme/sentry:1\n    command: run cron',
        '',
      ].join('\n'),
    }));
    for (const name of ['cron', 'jobs']) {
      assert.equal(workload(plan, name).targetClass, 'scheduled-job', name);
      assert.match(workload(plan, name).evidence.find((e) => e.rule === 'schedule.cron-in-image')?.message ?? '', /Runs cron inside the container \((crond|supercronic)\)/, name);
    }
    assert.ok(!workload(plan, 'sentry-cron').evidence.some((e) => e.rule === 'schedule.cron-in-image'));
  });

  it('nginx in front of PHP-FPM is the application\'s web server, one workload with it; composer, npm and artisan services are tools run on demand', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': [
        'services:',
        '  nginx:\n    image: nginx:stable-alpine\n    ports: ["80:80"]\n    depends_on: [php, mysql]',
        '  php:\n    build:\n      context: .\n      dockerfile: php.dockerfile',
        '  mysql:\n    image: mysql:8.0',
        '  composer:\n    image: composer:latest\n    entrypoint: ["composer"]',
        '  npm:\n    image: node:20\n    entrypoint: ["npm"]',
        '  artisan:\n    build:\n      context: .\n      dockerfile: php.dockerfile\n    entrypoint: ["php", "/var/www/html/artisan"]',
        '  web:\n    image: ghcr.io/acme/rails:1\n    command: bundle exec puma -C config/puma.rb',
        '',
      ].join('\n'),
      'php.dockerfile': 'FROM php:8.2-fpm-alpine\nRUN docker-php-ext-install pdo_mysql\n',
    }));
    const php = workload(plan, 'php');
    assert.deepEqual([php.kind, php.strategy, php.image ?? null, php.targets.aws?.service], ['service', 'replatform', null, 'aws.ecs-fargate']);
    assert.match(php.evidence.find((e) => e.rule === 'web.fastcgi-frontend')?.message ?? '', /nginx \(nginx:stable-alpine\) serves php over FastCGI/);
    assert.ok(!plan.workloads.some((w) => w.name === 'nginx'), 'no edge proxy to retire: it is the PHP application\'s web server');
    for (const name of ['composer', 'npm', 'artisan']) {
      assert.equal(workload(plan, name).strategy, 'retire', name);
      assert.match(workload(plan, name).evidence[0].message, /a package manager or build tool run on demand/, name);
    }
    assert.equal(workload(plan, 'web').strategy, 'replatform', 'a command with arguments runs the application');
  });

  it("a server image running its own client tool sets the server up (kafka-topics, psql): a one-shot job, not a second server; so is a migration tool's image", async () => {
    const plan = await assess(repo({
      'docker-compose.yml': [
        'services:',
        '  api:\n    image: ghcr.io/acme/api:1\n    ports: ["8080:8080"]\n    depends_on: [kafka, db]',
        '  kafka:\n    image: bitnami/kafka:3.7',
        '  kafka-init:\n    image: bitnami/kafka:3.7\n    depends_on: [kafka]\n    entrypoint: ["/bin/sh", "-c"]\n    command: kafka-topics.sh --bootstrap-server kafka:9092 --create --if-not-exists --topic orders',
        '  db:\n    image: postgres:16\n    command: postgres -c max_connections=200',
        '  events:\n    image: confluentinc/cp-kafka:7.6.0\n    command: sh -c "((sleep 15 && kafka-topics --create --topic audit --bootstrap-server localhost:9092)&) && /etc/confluent/docker/run"',
        '  db-seed:\n    image: postgres:16\n    command: psql -h db -U app -f /seed.sql',
        '  flyway:\n    image: flyway/flyway:10\n    command: -url=jdbc:postgresql://db:5432/app -user=app migrate',
        '',
      ].join('\n'),
    }));
    for (const name of ['kafka-init', 'db-seed', 'flyway']) assert.deepEqual([workload(plan, name).kind, workload(plan, name).targetClass], ['job', 'scheduled-job'], name);
    // The evidence says why each is a job.
    assert.match(workload(plan, 'kafka-init').evidence.find((e) => e.rule === 'job.why')?.message ?? '', /runs kafka-topics\.sh against the kafka server/);
    assert.match(workload(plan, 'flyway').evidence.find((e) => e.rule === 'job.why')?.message ?? '', /flyway\/flyway, a database migration tool/);
    // A broker that creates a topic in the background before it starts is still the broker.
    assert.deepEqual(['kafka', 'db', 'events'].map((n) => workload(plan, n).kind), ['datastore', 'datastore', 'datastore']);
    assert.equal(plan.workloads.filter((w) => w.targets.aws?.service === 'aws.msk').length, 2, 'two Kafka clusters, no more');
  });

  it('a stock web server serving a folder of the repository from its web root, in front of nothing, is a static site', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': [
        'services:',
        '  site:\n    image: nginx:alpine\n    ports: ["8080:80"]\n    volumes: ["./public:/usr/share/nginx/html:ro"]',
        '  docs:\n    image: httpd:2.4\n    ports: ["8081:80"]\n    volumes:\n      - type: bind\n        source: ./docs\n        target: /usr/local/apache2/htdocs',
        '  front:\n    image: nginx:alpine\n    ports: ["80:80"]\n    volumes: ["./html:/usr/share/nginx/html"]\n    depends_on: [api]',
        '  api:\n    image: ghcr.io/acme/api:2\n    expose: ["3000"]',
        '',
      ].join('\n'),
    }));
    assert.deepEqual(['site', 'docs'].map((n) => workload(plan, n).targets.aws?.service), ['aws.s3-cloudfront', 'aws.s3-cloudfront']);
    assert.notEqual(workload(plan, 'front').targets.aws?.service, 'aws.s3-cloudfront', 'in front of the API: it proxies too');
  });

  it("a swarm service Traefik routes to by its labels serves HTTP on the port the labels name; Portainer's agent is host tooling", async () => {
    const plan = await assess(repo({
      'stack.yml': [
        'services:',
        '  app:\n    image: ghcr.io/acme/app:1\n    deploy:\n      replicas: 3\n      labels:\n        - traefik.enable=true\n        - traefik.http.routers.app.rule=Host(`app.example.com`)\n        - traefik.http.services.app.loadbalancer.server.port=8080',
        '  agent:\n    image: portainer/agent:2.19.4\n    volumes: ["/var/run/docker.sock:/var/run/docker.sock"]\n    deploy: { mode: global }',
        '',
      ].join('\n'),
    }));
    assert.deepEqual([workload(plan, 'app').kind, workload(plan, 'app').targets.gcp?.sizing.summary], ['service', '3 min instances × 0.25 vCPU / 0.5 GiB, request-based billing']);
    assert.equal(workload(plan, 'agent').strategy, 'retire');
  });

  it("a devcontainer's compose file is no deployment: its workspace and database are not planned, and the repository's Dockerfile is", async () => {
    // VS Code's devcontainer templates: an `app` workspace container (sleep infinity) and the servers it works against.
    const devcontainer = {
      '.devcontainer/devcontainer.json': '{"dockerComposeFile": "docker-compose.yml", "service": "app"}\n',
      '.devcontainer/docker-compose.yml': 'services:\n  app:\n    build:\n      context: ..\n      dockerfile: .devcontainer/Dockerfile\n    volumes:\n      - ../..:/workspaces:cached\n    command: sleep infinity\n    network_mode: service:db\n  db:\n    image: postgres:latest\n    volumes:\n      - postgres-data:/var/lib/postgresql/data\nvolumes:\n  postgres-data:\n',
      '.devcontainer/Dockerfile': 'FROM mcr.microsoft.com/devcontainers/python:1-3.12-bullseye\n',
    };
    const plan = await assess(repo({ ...devcontainer, Dockerfile: 'FROM python:3.12-slim\nEXPOSE 8000\nCMD ["gunicorn", "app:app", "-b", "0.0.0.0:8000"]\n' }));
    assert.deepEqual(plan.workloads.map((w) => [w.name, w.kind, w.sources.map((s) => s.file).join()]), [['app', 'service', 'Dockerfile']]);
    assert.deepEqual(plan.notPlanned.map((n) => [n.name, n.reason]), [['app', 'dev-variant'], ['db', 'dev-variant']]);
    assert.match(plan.notPlanned[1].message, /a service of a development environment \(\.devcontainer\/docker-compose\.yml\)/);
    // With nothing else in the repository, the development environment is still no deployment.
    const alone = await assess(repo(devcontainer));
    assert.deepEqual(alone.workloads, []);
    assert.deepEqual(alone.notPlanned.map((n) => n.reason), ['dev-variant', 'dev-variant']);
  });

  it('log servers, shippers and metrics agents are observability tools the cloud replaces: Seq, Graylog, Beats, Vector, cAdvisor, Telegraf', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': [
        'services:',
        '  api:\n    image: acme/api:1\n    ports: ["8080:8080"]',
        '  seq:\n    image: datalust/seq:latest\n    ports: ["5340:80"]',
        '  graylog:\n    image: graylog/graylog:6.0\n    ports: ["9000:9000"]',
        '  filebeat:\n    image: docker.elastic.co/beats/filebeat:8.14.0',
        '  vector:\n    image: timberio/vector:0.39.0-alpine',
        '  cadvisor:\n    image: gcr.io/cadvisor/cadvisor:v0.49.1\n    ports: ["8081:8080"]',
        '  telegraf:\n    image: telegraf:1.30',
        '  seq-reader:\n    image: acme/seq-reader:1\n    ports: ["8082:8080"]',
        '',
      ].join('\n'),
    }));
    for (const name of ['seq', 'graylog', 'filebeat', 'vector', 'cadvisor', 'telegraf']) {
      assert.equal(workload(plan, name).strategy, 'retire', name);
      assert.equal(workload(plan, name).targets.aws?.service, 'aws.managed-observability', name);
    }
    assert.notEqual(workload(plan, 'seq-reader').strategy, 'retire', 'an application with "seq" in its name is not Seq');
    assert.notEqual(workload(plan, 'api').strategy, 'retire');
  });

  it('host-level edge and operations containers are replaced by the platform: reverse proxy, certbot, watchtower, autoheal, database backups', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': [
        'services:',
        '  proxy:\n    image: traefik:v3.0\n    ports: ["80:80", "443:443"]\n    volumes: ["/var/run/docker.sock:/var/run/docker.sock:ro"]',
        '  certbot:\n    image: certbot/certbot\n    entrypoint: "/bin/sh -c \'while :; do certbot renew; sleep 12h; done\'"',
        '  watchtower:\n    image: containrrr/watchtower\n    volumes: ["/var/run/docker.sock:/var/run/docker.sock"]',
        '  autoheal:\n    image: willfarrell/autoheal\n    volumes: ["/var/run/docker.sock:/var/run/docker.sock"]',
        '  backup:\n    image: prodrigestivill/postgres-backup-local\n    environment: { SCHEDULE: "@daily", POSTGRES_HOST: db }',
        '  app:\n    image: ghcr.io/acme/app:1.2\n    ports: ["3000:3000"]',
        '  db:\n    image: postgres:16',
        '',
      ].join('\n'),
    }));
    assert.deepEqual(['proxy', 'certbot'].map((n) => [workload(plan, n).strategy, workload(plan, n).targets.aws?.service]), [['retire', 'aws.managed-edge'], ['retire', 'aws.managed-edge']]);
    assert.deepEqual(['watchtower', 'autoheal', 'backup'].map((n) => [workload(plan, n).strategy, workload(plan, n).targets.gcp?.service]), [['retire', 'gcp.managed-operations'], ['retire', 'gcp.managed-operations'], ['retire', 'gcp.managed-operations']]);
    assert.match(workload(plan, 'autoheal').evidence[0].message, /unhealthy tasks restarted from their health checks/);
    // The Docker socket would block moving the proxy; it does not block retiring it.
    assert.deepEqual(workload(plan, 'proxy').blockers, []);
    assert.ok(workload(plan, 'proxy').evidence.some((e) => /socket/i.test(e.message)), 'the finding is still shown');
    assert.equal(workload(plan, 'app').strategy, 'replatform');
    assert.equal(plan.summary.blockers, 0);
  });

  it('a protocol other than HTTP on TCP (SMTP, XMPP, SSH) keeps a service off Cloud Run; SMTP says what mail needs on each cloud', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': [
        'services:',
        '  mailserver:\n    image: ghcr.io/docker-mailserver/docker-mailserver:latest\n    ports: ["25:25", "587:587", "993:993"]',
        '  chat:\n    image: acme/xmpp:1\n    expose: ["5222", "5269"]',
        '  git:\n    image: gitea/gitea:1.22\n    ports: ["3000:3000", "2222:22"]',
        '  web:\n    image: acme/web:1\n    ports: ["8080:8080"]',
        '  db:\n    image: postgres:16\n    ports: ["5432:5432"]',
        '',
      ].join('\n'),
    }));
    for (const name of ['mailserver', 'chat', 'git']) {
      assert.deepEqual([workload(plan, name).targets.aws?.service, workload(plan, name).targets.gcp?.service], ['aws.eks', 'gcp.gke'], name);
      assert.ok(workload(plan, name).evidence.some((e) => e.rule === 'port.tcp-protocol'), name);
    }
    assert.match(workload(plan, 'mailserver').evidence.find((e) => e.rule === 'port.smtp')?.message ?? '', /blocks outbound port 25/);
    assert.deepEqual([workload(plan, 'web').targets.gcp?.service, workload(plan, 'db').targets.gcp?.service], ['gcp.cloud-run', 'gcp.cloud-sql'], 'HTTP and a database port are not such protocols');
  });

  it('a stock nginx on 80/443 in front of the services it depends on is the edge; an nginx that only serves files is not', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': 'services:\n  nginx:\n    image: nginx:1.27\n    ports: ["80:80", "443:443"]\n    volumes: ["./nginx:/etc/nginx/conf.d:ro"]\n    depends_on: [app]\n  app:\n    image: ghcr.io/acme/app:1\n    expose: ["3000"]\n  site:\n    image: nginx:1.27\n    ports: ["8080:80"]\n',
    }));
    assert.deepEqual([workload(plan, 'nginx').strategy, workload(plan, 'nginx').targets.aws?.service], ['retire', 'aws.managed-edge']);
    assert.match(workload(plan, 'nginx').evidence[0].message, /nginx in front of app/);
    assert.equal(workload(plan, 'site').strategy, 'replatform');
  });

  it('a Heroku process whose Dockerfile wraps the product image is the workload the top-level Dockerfile builds (imagor)', async () => {
    const plan = await assess(repo({
      'Dockerfile': 'FROM golang:1.22 AS build\nRUN go build -o /imagor\nFROM debian:12-slim\nCOPY --from=build /imagor /usr/bin/imagor\nEXPOSE 8000\nENTRYPOINT ["imagor"]\n',
      'heroku.yml': 'build:\n  docker:\n    web: heroku/Dockerfile\n',
      'heroku/Dockerfile': 'FROM shumc/imagor:latest\n',
      'app.json': JSON.stringify({ name: 'imagor', stack: 'container', env: { IMAGOR_SECRET: { required: false } } }),
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name), ['web']);
    assert.deepEqual(workload(plan, 'web').sources.map((s) => s.file).sort(), ['Dockerfile', 'app.json', 'heroku.yml', 'heroku/Dockerfile']);
  });

  it('a compose service that starts a job runner from the web image is a worker, not an HTTP service; its scheduler is scheduled work', async () => {
    const plan = await assess(repo({
      'Dockerfile': 'FROM python:3.12-slim\nCOPY . .\nEXPOSE 8000\nCMD ["gunicorn", "config.wsgi"]\n',
      'docker-compose.yml': 'x-app: &app\n  build: .\nservices:\n  web:\n    <<: *app\n    command: gunicorn config.wsgi --bind 0.0.0.0:8000\n    ports: ["8000:8000"]\n  celery:\n    <<: *app\n    command: celery -A config worker -l info\n  beat:\n    <<: *app\n    command: celery -A config beat -l info\n  flower:\n    <<: *app\n    command: celery -A config flower --port=5555\n    ports: ["5555:5555"]\n',
    }));
    const celery = workload(plan, 'celery');
    assert.equal(celery.kind, 'worker');
    assert.match(celery.targets.gcp?.sizing.summary ?? '', /instance-based billing/, 'a worker has no requests to wake it');
    assert.equal(workload(plan, 'beat').targetClass, 'scheduled-job');
    assert.equal(workload(plan, 'web').kind, 'service');
    assert.equal(workload(plan, 'flower').kind, 'service', 'its own ports keep it a service');
  });

  it('vendored manifests of cluster add-ons (an ingress controller, cert-manager) are not planned; the application beside them is', async () => {
    const dep = (name: string, image: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: ${name} }\nspec:\n  selector: { matchLabels: { app: ${name} } }\n  template:\n    metadata: { labels: { app: ${name} } }\n    spec:\n      containers:\n        - name: c\n          image: ${image}\n`;
    const plan = await assess(repo({
      'k8s/ingress-nginx.yaml': dep('ingress-nginx-controller', 'registry.k8s.io/ingress-nginx/controller:v1.10.0@sha256:abc'),
      'k8s/cert-manager.yaml': dep('cert-manager', 'quay.io/jetstack/cert-manager-controller:v1.14.0'),
      'k8s/app.yaml': dep('shop', 'ghcr.io/acme/shop:1'),
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name), ['shop']);
    assert.deepEqual(plan.notPlanned.map((n) => [n.name, n.reason]), [['cert-manager', 'platform-service'], ['ingress-nginx-controller', 'platform-service']]);
    assert.match(plan.notPlanned[1].message, /image ingress-nginx\/controller/);
  });

  it('a canary or blue/green copy of a service running the same image is planned once', async () => {
    const dep = (name: string, image: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: ${name} }\nspec:\n  replicas: 2\n  selector: { matchLabels: { app: ${name} } }\n  template:\n    metadata: { labels: { app: ${name} } }\n    spec:\n      containers:\n        - name: c\n          image: ${image}\n`;
    const plan = await assess(repo({
      'k8s/web.yaml': `${dep('web', 'ghcr.io/acme/web:1.4')}---\n${dep('web-canary', 'ghcr.io/acme/web:1.5')}`,
      'k8s/api-blue.yaml': dep('api-blue', 'ghcr.io/acme/api:2'),
      'k8s/api-green.yaml': dep('api-green', 'ghcr.io/acme/api:3'),
      'k8s/search-next.yaml': dep('search-next', 'ghcr.io/acme/search-v2:1'),
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name).sort(), ['api-blue', 'search-next', 'web']);
    assert.deepEqual(plan.notPlanned.map((n) => [n.name, n.reason]).sort(), [['api-green', 'variant'], ['web-canary', 'variant']]);
    assert.match(plan.notPlanned.find((n) => n.name === 'web-canary')?.message ?? '', /canary copy of web/);
  });

  it('a Kustomization beside the manifests is build configuration, not a custom resource: no operator is assumed', async () => {
    const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec:\n  selector: { matchLabels: { app: web } }\n  template:\n    metadata: { labels: { app: web } }\n    spec:\n      containers:\n        - name: web\n          image: acme/web:1\n';
    const plan = await assess(repo({
      'base/deployment.yaml': deployment,
      'base/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [deployment.yaml]\n',
      'op/deployment.yaml': deployment.replace(/web/g, 'agent'),
      'op/crd.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }\nspec: {}\n',
    }));
    assert.ok(!workload(plan, 'web').evidence.some((e) => e.rule === 'k8s.operator'), 'Kustomize configuration is no operator');
    assert.ok(workload(plan, 'agent').evidence.some((e) => e.rule === 'k8s.operator'), 'a real custom resource still is');
  });

  it('a variant compose file never sizes the service, and its own services are listed, not planned', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': 'services:\n  web:\n    image: acme/web:1\n    ports: ["80:80"]\n',
      'docker-compose.staging.yml': 'services:\n  web:\n    image: acme/web:1\n    deploy: { replicas: 9, resources: { limits: { cpus: "4", memory: 8G } } }\n  tracing:\n    image: acme/tracing-ui:1\n',
      'tracing/Dockerfile': 'FROM node:20\nEXPOSE 16686\nCMD ["node", "ui.js"]\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name), ['web']);
    assert.match(plan.notPlanned.find((n) => n.sources[0].file === 'tracing/Dockerfile')?.message ?? '', /the image of tracing, a service only variant descriptors describe/);
    assert.equal(workload(plan, 'web').targets.aws?.sizing.count, 1);
    assert.deepEqual(plan.variants, ['docker-compose.staging.yml']);
    assert.equal(plan.notPlanned.find((n) => n.name === 'tracing')?.reason, 'variant');
  });

  it('.migration.yaml primary: picks the variant to plan instead', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': 'services:\n  web:\n    image: acme/web:1\n',
      'docker-compose.prod.yml': 'services:\n  web:\n    image: acme/web:1\n    deploy: { replicas: 3 }\n',
      '.migration.yaml': 'version: 1\nprimary: ["docker-compose.prod.yml"]\n',
    }));
    assert.equal(workload(plan, 'web').targets.aws?.sizing.count, 3);
    assert.deepEqual(plan.variants, ['docker-compose.yml']);
  });

  it('test tooling is retired and out of the totals; one-shot jobs run to completion; servers are told by FROM, env and port', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': [
        'services:',
        '  app:\n    image: acme/app:1\n    ports: ["80:80"]',
        '  locust:\n    image: locustio/locust:2',
        '  seed:\n    image: acme/app:1\n    command: ["rake", "db:seed"]\n    restart: "no"',
        '  db:\n    build: ./db',
        '  broker:\n    image: acme/broker:1\n    environment: { KAFKA_ADVERTISED_LISTENERS: "PLAINTEXT://broker:9092" }',
        '  zk:\n    image: confluentinc/cp-zookeeper:7',
        '',
      ].join('\n'),
      'db/Dockerfile': 'FROM mariadb:11\nCOPY init.sql /docker-entrypoint-initdb.d/\n',
      'pkg/lint/testdata/deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: fixture-app }\nspec:\n  replicas: 40\n  template: { spec: { containers: [{ name: c, image: acme/fixture:1 }] } }\n',
    }));
    const s = (n: string) => [workload(plan, n).strategy, workload(plan, n).targets.aws?.service ?? '-', workload(plan, n).targets.gcp?.service ?? '-'].join(' ');
    assert.equal(s('locust'), 'retire - -');
    assert.equal(s('fixture-app'), 'retire - -', 'a test fixture is test tooling, out of the totals');
    assert.equal(workload(plan, 'locust').cost.aws.lines.length, 0);
    assert.equal(s('seed'), 'replatform aws.ecs-fargate gcp.cloud-run-jobs');
    assert.equal(s('db'), 'replatform aws.rds gcp.cloud-sql');
    assert.match(workload(plan, 'db').targets.aws?.sizing.summary ?? '', /mariadb/);
    assert.equal(s('broker'), 'replatform aws.msk gcp.managed-kafka');
    assert.equal(s('zk'), 'retire aws.msk gcp.managed-kafka');
    assert.equal(workload(plan, 'zk').cheaper, null);
  });

  it('a start script that names a long-running process (bootstrap.sh beat) is no set-up step; a worker named for tests is test tooling', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': [
        'services:',
        '  superset:\n    image: acme/superset:1\n    command: ["/app/docker/docker-bootstrap.sh", "app"]\n    ports: ["8088:8088"]',
        '  superset-init:\n    image: acme/superset:1\n    command: ["/app/docker/docker-init.sh"]',
        '  superset-worker-beat:\n    image: acme/superset:1\n    command: ["/app/docker/docker-bootstrap.sh", "beat"]\n    restart: unless-stopped',
        '  superset-setup:\n    image: acme/superset:1\n    command: ["/app/docker/docker-bootstrap.sh"]',
        '  superset-tests-worker:\n    image: acme/superset:1\n    command: ["/app/docker/docker-bootstrap.sh", "worker"]',
        '',
      ].join('\n'),
    }));
    assert.equal(workload(plan, 'superset-worker-beat').kind, 'worker');
    assert.equal(workload(plan, 'superset-setup').kind, 'job');
    assert.equal(workload(plan, 'superset-init').kind, 'job');
    assert.equal(workload(plan, 'superset-tests-worker').strategy, 'retire');
    assert.equal(workload(plan, 'superset').strategy, 'replatform');
  });
  it('a Serverless Framework app on AWS is retained there, and the move to GCP is priced', async () => {
    const plan = await assess(repo({ 'serverless.yml': 'service: s\nprovider: { name: aws, runtime: nodejs20.x }\nfunctions:\n  f: { handler: h.h }\n' }));
    const w = workload(plan, 's-f');
    assert.equal(w.strategy, 'retain');
    assert.equal(w.home, 'aws');
    assert.equal(w.targets.gcp?.service, 'gcp.cloud-functions');
    assert.ok(w.cost.gcp.monthlyUsd > 0);
    assert.match(renderMarkdown(plan), /\| retain on AWS \|/);
  });

  it('gives a container the same shape on both clouds unless a named Cloud Run rule forces more', () => {
    assert.deepEqual(containerShapes(0.25, 0.5, true), { fargate: { cpu: 0.25, memGiB: 0.5 }, run: { cpu: 0.25, memGiB: 0.5 }, rules: [] });
    const worker = containerShapes(0.25, 0.5, false);
    assert.deepEqual(worker.run, { cpu: 1, memGiB: 0.5 });
    assert.deepEqual(worker.rules, ['Cloud Run: instance-based billing needs at least 1 vCPU']);
    const big = containerShapes(1, 6, false);
    assert.deepEqual(big.fargate, { cpu: 1, memGiB: 6 });
    assert.deepEqual(big.run, { cpu: 2, memGiB: 6 });
    assert.match(big.rules.join(), /6 GiB needs 2 vCPU/);
  });

  it('sizes from a production compose file beside the default one, and leaves a development one out', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': 'services:\n  api:\n    build: ./api\n    ports: ["8000:8000"]\n    volumes: ["./api:/app"]\n    depends_on: [db]\n  db:\n    image: postgres:16\n',
      'docker-compose.prod.yml': 'services:\n  api:\n    build: ./api\n    deploy:\n      replicas: 3\n      resources: { limits: { cpus: "1", memory: 1G } }\n',
      'docker-compose.dev.yml': 'services:\n  api:\n    deploy: { resources: { limits: { cpus: "4", memory: 8G } } }\n  mail:\n    image: acme/mail-sink:1\n',
      'api/Dockerfile': 'FROM python:3.12\nEXPOSE 8000\nCMD ["gunicorn", "app:app"]\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name), ['api', 'db']);
    const api = workload(plan, 'api');
    assert.equal(api.targets.aws?.sizing?.count, 3);
    assert.ok(api.targets.aws?.sizing?.basis.some((b) => /^cpu 1 vCPU \(docker-compose\.prod\.yml:6\)/.test(b)), api.targets.aws?.sizing?.basis.join('; '));
    // A limit is already the most the service may use: sized as stated, not 20% above it (which would double the task).
    assert.ok(api.targets.aws?.sizing?.basis.includes('the CPU and memory as stated, no headroom: a limit or a fixed size (a dyno, an instance class) is already the most it may use'), api.targets.aws?.sizing?.basis.join('; '));
    assert.equal(api.targets.aws?.sizing?.vcpu, 1);
    assert.deepEqual(plan.variants, ['docker-compose.dev.yml']);
    // Without a production file, the default file is the deployment and sizes it.
    const dev = await assess(repo({ 'compose.yaml': 'services:\n  api:\n    image: acme/api:1\n    ports: ["80:80"]\n    deploy: { replicas: 2 }\n', 'compose.dev.yaml': 'services:\n  api:\n    deploy: { replicas: 9 }\n' }));
    assert.equal(workload(dev, 'api').targets.aws?.sizing?.count, 2);
    assert.deepEqual(dev.variants, ['compose.dev.yaml']);
  });

  it('an application behind the edge proxy serves HTTP; Flower is operator tooling; a development image beside the production one is not the service', async () => {
    const django = 'build: { context: ., dockerfile: ./compose/production/django/Dockerfile }\n    depends_on: [redis]\n';
    const plan = await assess(repo({
      'docker-compose.production.yml': `services:\n  django:\n    ${django}    command: /start\n  celeryworker:\n    ${django}    command: /start-celeryworker\n  flower:\n    ${django}    command: /start-flower\n  redis:\n    image: redis:7\n  traefik:\n    image: traefik:2.11\n    depends_on: [django]\n    ports: ["0.0.0.0:80:80", "0.0.0.0:443:443"]\n`,
      'docker-compose.local.yml': 'services:\n  celeryworker:\n    build: { context: ., dockerfile: ./compose/local/django/Dockerfile }\n    command: /start-celeryworker\n',
      'compose/production/django/Dockerfile': 'FROM python:3.12-slim\nCOPY . /app\nENTRYPOINT ["/entrypoint"]\n',
      'compose/local/django/Dockerfile': 'FROM python:3.12-slim\nCOPY . /app\nCMD ["/start"]\n',
    }));
    const web = workload(plan, 'django');
    assert.equal(web.kind, 'service');
    assert.match(web.targets.gcp?.sizing?.summary ?? '', /request-based billing/);
    assert.equal(workload(plan, 'celeryworker').kind, 'worker');
    assert.deepEqual(workload(plan, 'celeryworker').sources.map((s) => s.file), ['compose/production/django/Dockerfile', 'docker-compose.production.yml']);
    assert.equal(workload(plan, 'flower').strategy, 'retire');
    assert.equal(workload(plan, 'traefik').strategy, 'retire');
    assert.match(plan.notPlanned.find((n) => n.sources[0].file === 'compose/local/django/Dockerfile')?.message ?? '', /builds it from compose\/production\/django\/Dockerfile/);
    assert.ok(plan.shared.aws.lines.some((l) => /Application Load Balancer/.test(l.resource)), 'the load balancer replacing Traefik is priced');
  });

  it('a Kubernetes name ending in its kind, or one image run by compose and Kubernetes, is one service; a web and a worker sharing an image stay two', async () => {
    const deployment = (name: string, image: string, extra = '') => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec:\n      containers:\n        - name: c\n          image: ${image}\n${extra}`;
    const plan = await assess(repo({
      'docker-compose.yml': 'services:\n  frontend:\n    image: acme/frontend:latest\n    ports: ["3000:3000"]\n  backend:\n    image: acme/backend:latest\n    ports: ["8080:8080"]\n  web:\n    image: acme/shop:1\n    ports: ["80:80"]\n  jobs:\n    image: acme/shop:1\n    command: celery -A shop worker\n',
      'k8s/frontend.yaml': deployment('frontend-deployment', 'acme/frontend:1.2'),
      'k8s/backend.yaml': deployment('api', 'docker.io/acme/backend:v3'),
      'k8s/storefront.yaml': deployment('storefront', 'acme/shop:1'),
      'k8s/queue-runner.yaml': deployment('queue-runner', 'acme/shop:1'),
    }));
    // The compose file builds nothing and runs the cluster's images: another way to run the same stack.
    assert.deepEqual(plan.workloads.map((w) => w.name), ['api', 'frontend-deployment', 'queue-runner', 'storefront']);
    assert.ok(plan.variants.includes('docker-compose.yml'));
    assert.deepEqual(plan.notPlanned.filter((n) => n.reason === 'variant').map((n) => n.name).sort(), ['jobs', 'web']);
    assert.equal(workload(plan, 'frontend-deployment').targets.aws?.sizing?.count, 2, 'the Kubernetes replicas size it');
    // A compose file that builds its services is merged with the manifests: one service, not two.
    const built = await assess(repo({
      'docker-compose.yml': 'services:\n  frontend:\n    build: ./frontend\n    image: acme/frontend:latest\n    ports: ["3000:3000"]\n  backend:\n    build: ./backend\n    image: acme/backend:latest\n',
      'frontend/Dockerfile': 'FROM node:20\nEXPOSE 3000\nCMD ["node", "server.js"]\n',
      'backend/Dockerfile': 'FROM golang:1.23\nEXPOSE 8080\nCMD ["/app"]\n',
      'k8s/frontend.yaml': deployment('frontend-deployment', 'acme/frontend:1.2'),
      'k8s/backend.yaml': deployment('api', 'docker.io/acme/backend:v3'),
    }));
    assert.deepEqual(built.workloads.map((w) => w.name), ['api', 'frontend']);
    assert.deepEqual(workload(built, 'frontend').sources.map((s) => s.file), ['docker-compose.yml', 'frontend/Dockerfile', 'k8s/frontend.yaml']);
    assert.deepEqual(workload(built, 'api').sources.map((s) => s.file), ['backend/Dockerfile', 'docker-compose.yml', 'k8s/backend.yaml']);
  });

  it('same-named services of compose projects in sibling folders that run different things are different services', async () => {
    const plan = await assess(repo({
      'react-express-mysql/compose.yaml': 'services:\n  backend:\n    build: backend\n    ports: ["3000:3000"]\n    depends_on: [db]\n  db:\n    image: mysql:8\n',
      'django-postgres/compose.yaml': 'services:\n  web:\n    build: app\n    ports: ["8000:8000"]\n    environment: { DATABASE_URL: "postgres://app@db:5432/app" }\n  db:\n    image: postgres:16\n',
      'nginx-golang-mysql/compose.yaml': 'services:\n  backend:\n    build: backend\n  db:\n    image: mariadb:10\n  proxy:\n    image: nginx\n    ports: ["80:80"]\n    depends_on: [backend]\n',
      'orders/compose.yaml': 'services:\n  orders:\n    image: acme/orders:1\n    ports: ["8080:8080"]\n    depends_on: [orders-db]\n  orders-db:\n    image: postgres:16\n',
      'app/compose.yaml': 'include:\n  - ../orders/compose.yaml\nservices:\n  orders-db:\n    image: postgres:16\n    ports: !override []\n',
    }));
    const engines = Object.fromEntries(plan.workloads.filter((w) => w.kind === 'datastore').map((w) => [w.name, w.targets.aws?.sizing?.summary.split(' ')[1]]));
    assert.deepEqual(engines, { 'django-postgres-db': 'postgresql,', 'nginx-golang-mysql-db': 'mariadb,', 'orders-db': 'postgresql,', 'react-express-mysql-db': 'mysql,' });
    assert.deepEqual(workload(plan, 'web').dependsOn, ['django-postgres-db'], 'its URL names the db of its own folder');
    assert.deepEqual(workload(plan, 'react-express-mysql-backend').dependsOn, ['react-express-mysql-db']);
    assert.equal(workload(plan, 'nginx-golang-mysql-backend').kind, 'service', 'the proxy in its own folder routes to it');
  });

  it('a port set by a variable unset here still makes a service; an image that only carries a build artifact out is not one', async () => {
    const plan = await assess(repo({
      'compose.yaml': 'services:\n  ad:\n    image: acme/ad:1\n    ports:\n      - "${AD_PORT}"\n  proxy:\n    image: acme/envoy-edge:1\n    ports:\n      - "${ENVOY_PORT}:${ENVOY_PORT}"\n  sink:\n    image: acme/sink:1\n',
      'mobile/android.Dockerfile': 'FROM reactnativecommunity/react-native-android:v21 AS builder\nCOPY . .\nRUN ./gradlew assembleRelease\nFROM scratch\nCOPY --from=builder /src/app-release.apk /app.apk\nENTRYPOINT ["/app.apk"]\n',
      'mcp/Dockerfile': 'FROM python:3.12-slim\nARG MCP_PORT\nEXPOSE ${MCP_PORT}\nCMD ["python", "server.py"]\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => [w.name, w.kind]), [['ad', 'service'], ['mcp', 'service'], ['proxy', 'service'], ['sink', 'worker']]);
    assert.match(workload(plan, 'ad').targets.gcp?.sizing?.summary ?? '', /request-based billing/);
    assert.ok(workload(plan, 'ad').targets.aws?.sizing, 'sized');
    assert.equal(plan.notPlanned.find((n) => n.sources[0].file === 'mobile/android.Dockerfile')?.reason, 'build-helper');
  });

  it('plans a datastore that only a compose override provides to a planned service; a whole alternative stack stays a variant', async () => {
    const plan = await assess(repo({
      'compose.yaml': 'services:\n  app:\n    image: acme/erp:1\n    ports: ["8000:8000"]\n    environment: { DB_HOST: "${DB_HOST:-}" }\n',
      'overrides/compose.mariadb.yaml': 'services:\n  app:\n    environment: { DB_HOST: db }\n    depends_on: [db]\n  db:\n    image: mariadb:11.8\n',
      'overrides/compose.postgres.yaml': 'services:\n  app:\n    environment: { DB_HOST: db }\n    depends_on: [db]\n  db:\n    image: postgres:16\n',
      'compose-mysql.yaml': 'services:\n  app:\n    image: acme/erp:1\n    depends_on: [mysql]\n  mysql:\n    image: mysql:8\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name), ['app', 'db']);
    const db = workload(plan, 'db');
    assert.deepEqual(db.sources.map((s) => s.file), ['overrides/compose.mariadb.yaml']);
    assert.match(db.targets.aws?.sizing?.summary ?? '', /mariadb/);
    assert.equal(plan.notPlanned.find((n) => n.name === 'mysql')?.reason, 'variant');
  });

  it('sizes from a Kustomize production overlay over its base, and lists the staging overlay as a variant', async () => {
    const base = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n      containers:\n        - name: api\n          image: ghcr.io/acme/api:1.0\n          resources: {requests: {cpu: 100m, memory: 128Mi}}\n';
    const patch = (replicas: number, cpu: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: ${replicas}\n  template:\n    spec:\n      containers:\n        - name: api\n          resources: {requests: {cpu: "${cpu}", memory: 2Gi}}\n`;
    const plan = await assess(repo({
      'k8s/base/deployment.yaml': base,
      'k8s/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
      'k8s/overlays/production/kustomization.yaml': 'resources:\n  - ../../base\npatches:\n  - path: deployment-patch.yaml\n',
      'k8s/overlays/production/deployment-patch.yaml': patch(6, '1'),
      'k8s/overlays/staging/kustomization.yaml': 'resources:\n  - ../../base\npatches:\n  - path: deployment-patch.yaml\n',
      'k8s/overlays/staging/deployment-patch.yaml': patch(2, '250m'),
      'examples/production/deployment.yaml': patch(99, '8'),
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name), ['api']);
    assert.ok(plan.variants.includes('examples/production/deployment.yaml'), 'an example stays an example, production or not');
    const basis = workload(plan, 'api').targets.aws?.sizing?.basis ?? [];
    assert.ok(basis.includes('6 replicas (k8s/overlays/production/deployment-patch.yaml:6)'), basis.join('; '));
    assert.ok(basis.includes('cpu 1 vCPU (k8s/overlays/production/deployment-patch.yaml:11)'), basis.join('; '));
    assert.ok(plan.variants.includes('k8s/overlays/staging/deployment-patch.yaml'));
  });

  it('sizes from a production overlay\'s kustomization replicas, cited there', async () => {
    const base = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n        - name: api\n          image: ghcr.io/acme/api:1.0\n          ports: [{containerPort: 8080}]\n';
    const plan = await assess(repo({
      'k8s/base/deployment.yaml': base,
      'k8s/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
      'k8s/overlays/production/kustomization.yaml': 'resources:\n  - ../../base\nreplicas:\n  - name: api\n    count: 6\n  - name: not-here\n    count: 3\n',
      'k8s/overlays/staging/kustomization.yaml': 'resources:\n  - ../../base\nreplicas:\n  - name: api\n    count: 2\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name), ['api']);
    const api = workload(plan, 'api');
    assert.equal(api.kind, 'service');
    assert.ok(api.targets.aws?.sizing?.basis.includes('6 replicas (k8s/overlays/production/kustomization.yaml:5)'), api.targets.aws?.sizing?.basis.join('; '));
    assert.equal(plan.notPlanned.find((n) => n.name === 'not-here')?.reason, 'patch');
  });

  it('a compose file of nothing but servers, beside Kubernetes manifests that run the application, is the local setup: its databases are not planned again', async () => {
    const compose = 'services:\n  mysql:\n    image: mysql:9.2\n    ports: ["3306:3306"]\n  postgres:\n    image: postgres:17.5\n    ports: ["5432:5432"]\n';
    const app = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: petclinic}\nspec:\n  template:\n    spec: {containers: [{name: w, image: dsyer/petclinic, ports: [{containerPort: 8080}]}]}\n';
    const db = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: demo-db}\nspec:\n  template:\n    spec: {containers: [{name: p, image: postgres:17, ports: [{containerPort: 5432}]}]}\n';
    const plan = await assess(repo({ 'docker-compose.yml': compose, 'k8s/petclinic.yml': app, 'k8s/db.yml': db }));
    assert.deepEqual(plan.workloads.map((w) => w.name).sort(), ['demo-db', 'petclinic']);
    assert.ok(plan.variants.includes('docker-compose.yml'));
    // Without a deployment of the application elsewhere, the compose file's servers are what there is.
    const alone = await assess(repo({ 'docker-compose.yml': compose, Dockerfile: 'FROM eclipse-temurin:21\nEXPOSE 8080\nCMD ["java", "-jar", "app.jar"]\n' }));
    assert.ok(alone.workloads.some((w) => w.name === 'postgres'));
    // Nor when the manifests run the application but no database: the compose one is what it needs.
    const external = await assess(repo({ 'docker-compose.yml': compose, 'k8s/petclinic.yml': app }));
    assert.ok(external.workloads.some((w) => w.name === 'postgres'));
  });

  it("the multi-docker course's shape: Elastic Beanstalk's Dockerrun.aws.json is the deployment (each container a workload, on AWS today), the compose file that builds from Dockerfile.dev is the developers' setup, and its PostgreSQL and Redis, which the deployment does not run, are kept", async () => {
    const dockerrun = JSON.stringify({ AWSEBDockerrunVersion: 2, containerDefinitions: [
      { name: 'client', image: 'acme/multi-client', hostname: 'client', essential: false, memory: 128 },
      { name: 'server', image: 'acme/multi-server', hostname: 'api', essential: false, memory: 128 },
      { name: 'nginx', image: 'acme/multi-nginx', essential: true, portMappings: [{ hostPort: 80, containerPort: 80 }], links: ['client', 'server'], memory: 128 },
    ] }, null, 2);
    const compose = "services:\n  postgres:\n    image: 'postgres:latest'\n  redis:\n    image: 'redis:latest'\n  api:\n    build:\n      dockerfile: Dockerfile.dev\n      context: ./server\n    environment:\n      - PGHOST=postgres\n  client:\n    build:\n      dockerfile: Dockerfile.dev\n      context: ./client\n";
    const node = (cmd: string) => `FROM node:16-alpine\nWORKDIR /app\nCOPY . .\nCMD ["npm", "run", "${cmd}"]\n`;
    const plan = await assess(repo({
      'Dockerrun.aws.json': dockerrun,
      'docker-compose.yml': compose,
      'server/Dockerfile': node('start'),
      'server/Dockerfile.dev': node('dev'),
      'client/Dockerfile': node('start'),
      'client/Dockerfile.dev': node('dev'),
    }));
    assert.deepEqual(plan.workloads.map((w) => [w.name, w.strategy]), [['client', 'retain'], ['nginx', 'retain'], ['postgres', 'replatform'], ['redis', 'replatform'], ['server', 'retain']]);
    assert.ok(plan.variants.includes('docker-compose.yml'));
    assert.ok(workload(plan, 'server').sources.some((s) => s.file === 'server/Dockerfile'), 'built from the production Dockerfile, not Dockerfile.dev');
    assert.ok(!plan.workloads.some((w) => w.sources.some((s) => s.file.endsWith('Dockerfile.dev'))), 'no workload is built from a development Dockerfile');
    assert.deepEqual(plan.notPlanned.filter((n) => n.reason === 'dev-variant').map((n) => n.sources[0].file), ['client/Dockerfile.dev']);
    assert.ok(workload(plan, 'postgres').evidence.some((e) => e.rule === 'datastore.dev-server'));
    assert.deepEqual(workload(plan, 'nginx').dependsOn, ['client', 'server']);
  });

  it("a Flux HelmRelease of bjw-s's app-template is sized from its controllers: image, requests and limits, service port, a cronjob's schedule", async () => {
    const release = (name: string, values: string) => `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: ${name}\nspec:\n  chart:\n    spec:\n      chart: app-template\n      version: 3.5.1\n  values:\n${values}`;
    const sonarr = release('sonarr', ['    controllers:', '      sonarr:', '        containers:', '          app:', '            image:', '              repository: ghcr.io/onedr0p/sonarr', '              tag: 4.0.11', '            env:', '              SONARR__SERVER__PORT: &port 8989', '            resources:', '              requests:', '                cpu: 100m', '              limits:', '                memory: 4Gi', '    service:', '      app:', '        controller: sonarr', '        ports:', '          http:', '            port: *port', ''].join('\n'));
    const backup = release('backup', ['    controllers:', '      backup:', '        type: cronjob', '        cronjob:', '          schedule: "0 4 * * *"', '        containers:', '          app:', '            image: {repository: ghcr.io/acme/backup, tag: 1.2.0}', ''].join('\n'));
    const plan = await assess(repo({ 'kubernetes/apps/media/sonarr/app/helmrelease.yaml': sonarr, 'kubernetes/apps/default/backup/app/helmrelease.yaml': backup }));
    assert.deepEqual(plan.workloads.map((w) => [w.name, w.kind]), [['backup', 'scheduled-job'], ['sonarr', 'service']]);
    const basis = workload(plan, 'sonarr').targets.aws?.sizing.basis ?? [];
    assert.ok(basis.includes('cpu 0.1 vCPU (kubernetes/apps/media/sonarr/app/helmrelease.yaml:22)'), basis.join('; '));
    assert.ok(basis.some((b) => b.startsWith('memory 4096 MiB (kubernetes/apps/media/sonarr/app/helmrelease.yaml:24)')), basis.join('; '));
    assert.match(workload(plan, 'backup').targets.aws?.sizing.summary ?? '', /^30\.42 runs/);
  });

  it('a library chart (type: library) deploys nothing: its values are no workload', async () => {
    const plan = await assess(repo({
      'charts/common/Chart.yaml': 'apiVersion: v2\nname: common\ntype: library\nversion: 1.0.0\n',
      'charts/common/values.yaml': 'image:\n  repository: nginx\n',
      'charts/common/templates/_labels.tpl': '{{- define "common.labels" -}}\napp: {{ .Chart.Name }}\n{{- end -}}\n',
      'charts/app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
      'charts/app/values.yaml': 'image:\n  repository: ghcr.io/acme/app\n  tag: "1.0"\nreplicaCount: 2\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name), ['app']);
  });

  it("databases and brokers a Kubernetes operator runs (CloudNativePG, Strimzi) are planned as the managed servers that replace them, named by the Services the operator creates, and ask no operator of their neighbours", async () => {
    const app = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: orders}\nspec:\n  template:\n    spec:\n      containers:\n      - name: orders\n        image: ghcr.io/acme/orders:1.4\n        ports: [{containerPort: 8080}]\n        env:\n        - {name: DATABASE_HOST, value: orders-db-rw}\n        - {name: KAFKA_BOOTSTRAP, value: "events-kafka-bootstrap:9092"}\n';
    const db = 'apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: orders-db\nspec:\n  instances: 3\n  storage:\n    size: 50Gi\n  resources:\n    requests: {cpu: "1", memory: 2Gi}\n';
    const kafka = 'apiVersion: kafka.strimzi.io/v1beta2\nkind: Kafka\nmetadata:\n  name: events\nspec:\n  kafka:\n    replicas: 3\n    storage: {type: persistent-claim, size: 100Gi}\n  zookeeper:\n    replicas: 3\n';
    const plan = await assess(repo({ 'k8s/app.yaml': app, 'k8s/db.yaml': db, 'k8s/kafka.yaml': kafka }));
    assert.deepEqual(plan.workloads.map((w) => [w.name, w.kind, w.targetClass]), [['events', 'datastore', 'managed-kafka'], ['orders', 'service', 'orchestrator'], ['orders-db', 'datastore', 'managed-postgres']]);
    assert.deepEqual(workload(plan, 'orders').dependsOn, ['events', 'orders-db']);
    assert.ok(!workload(plan, 'orders').evidence.some((e) => e.rule === 'k8s.operator'), 'the app needs no operator for servers the cloud runs');
    const pg = workload(plan, 'orders-db');
    assert.ok(pg.targets.aws?.sizing.basis.includes('storage 50 GiB (k8s/db.yaml:8)'), pg.targets.aws?.sizing.basis.join('; '));
    assert.ok(pg.evidence.some((e) => e.rule === 'datastore.instances' && e.line === 6));
    assert.match(workload(plan, 'events').targets.aws?.sizing.summary ?? '', /^3 × /);
  });

  it('an AWS Copilot application runs on AWS today: its services are retained there, built from their Dockerfiles, and Cloud Foundry never reads its manifests', async () => {
    const plan = await assess(repo({
      'copilot/api/manifest.yml': 'name: api\ntype: Load Balanced Web Service\nimage:\n  build: api/Dockerfile\n  port: 3001\ncpu: 256\nmemory: 512\ncount: 2\n',
      'copilot/environments/prod/manifest.yml': 'name: prod\ntype: Environment\n',
      'api/Dockerfile': 'FROM node:20-alpine\nEXPOSE 3001\nCMD ["node", "index.js"]\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => [w.name, w.strategy, w.home, w.descriptors.join('+')]), [['api', 'retain', 'aws', 'copilot+dockerfile']]);
    assert.match(workload(plan, 'api').targets.aws?.sizing.summary ?? '', /^2 tasks × 0.25 vCPU \/ 0.5 GB/);
    assert.ok(!plan.diagnostics.some((d) => /Cloud Foundry|applications/.test(d.message)), JSON.stringify(plan.diagnostics));
  });

  it("eShop's Envoy API gateways (no depends_on, routes in a mounted file) are the edge the load balancer replaces; an Envoy of another name stays", async () => {
    const compose = [
      'services:',
      '  webshoppingapigw:',
      '    image: envoyproxy/envoy:v1.11.1',
      '    volumes: ["./ApiGateways/Envoy/config/webshopping:/etc/envoy"]',
      '    ports: ["5202:80"]',
      '  mesh:',
      '    image: envoyproxy/envoy:v1.11.1',
      '    volumes: ["./envoy:/etc/envoy"]',
      '    ports: ["8080:80"]',
      '  webmvc:',
      '    build: .',
      '    depends_on: [webshoppingapigw]',
      '',
    ].join('\n');
    const plan = await assess(repo({ 'src/docker-compose.yml': compose, 'src/Dockerfile': 'FROM mcr.microsoft.com/dotnet/aspnet:7.0\nEXPOSE 80\nENTRYPOINT ["dotnet", "WebMVC.dll"]\n' }));
    assert.deepEqual([workload(plan, 'webshoppingapigw').strategy, workload(plan, 'webshoppingapigw').targetClass], ['retire', 'managed-edge']);
    assert.match(workload(plan, 'webshoppingapigw').evidence[0].message, /routing by \.\/ApiGateways\/Envoy\/config\/webshopping/);
    assert.notEqual(workload(plan, 'mesh').targetClass, 'managed-edge');
  });

  it("paperless-ngx's shape: alternative compose files run MariaDB or PostgreSQL as db (the majority is planned and the other said), the top-level Dockerfile builds the image the web server runs, and a literal volume keeps its words", async () => {
    const stack = (db: string) => `services:\n  broker:\n    image: docker.io/library/redis:8\n${db ? `  db:\n    image: docker.io/library/${db}\n` : ''}  webserver:\n    image: ghcr.io/paperless-ngx/paperless-ngx:latest\n    ports: ["8000:8000"]\n    volumes:\n      - ./export:/usr/src/paperless/export\n    environment:\n      PAPERLESS_REDIS: redis://broker:6379\n`;
    const plan = await assess(repo({
      'docker/compose/docker-compose.mariadb.yml': stack('mariadb:11'),
      'docker/compose/docker-compose.mariadb-tika.yml': stack('mariadb:11'),
      'docker/compose/docker-compose.postgres.yml': stack('postgres:17'),
      'docker/compose/docker-compose.postgres-tika.yml': stack('postgres:17'),
      'docker/compose/docker-compose.portainer.yml': stack('postgres:17'),
      'docker/compose/docker-compose.sqlite.yml': stack(''),
      'docker/compose/.env': 'COMPOSE_PROJECT_NAME=paperless\n',
      Dockerfile: 'FROM python:3.12-slim AS main-app\nEXPOSE 8000\nENTRYPOINT ["/init"]\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name), ['broker', 'db', 'webserver']);
    assert.match(workload(plan, 'db').targets.aws?.sizing.summary ?? '', /postgres/);
    assert.ok(!workload(plan, 'db').sources.some((s) => /mariadb/.test(s.file)));
    const note = plan.diagnostics.find((d) => d.code === 'compose-alternative-server');
    assert.equal(`${note?.file}:${note?.line}`, 'docker/compose/docker-compose.mariadb-tika.yml:4');
    assert.match(note?.message ?? '', /^db runs mariadb here and in 1 other compose file, but postgres in 3/);
    assert.ok(workload(plan, 'webserver').sources.some((s) => s.file === 'Dockerfile'));
    const bind = workload(plan, 'webserver').evidence.find((e) => e.rule === 'volume.bind');
    assert.match(bind?.message ?? '', /\/usr\/src\/paperless\/export/);
  });

  it("a self-hosted stack's host tooling is retired to what the cloud does: a Cloudflare tunnel to the load balancer, Portainer and a volume backup to managed operations, Uptime Kuma to managed monitoring", async () => {
    const plan = await assess(repo({
      'docker-compose.yml': 'services:\n  app:\n    image: ghcr.io/acme/app:1.0\n    ports: ["8080:8080"]\n  tunnel:\n    image: cloudflare/cloudflared:latest\n    command: tunnel --no-autoupdate run\n  portainer:\n    image: portainer/portainer-ce:latest\n    ports: ["9443:9443"]\n  backup:\n    image: offen/docker-volume-backup:v2\n  uptime:\n    image: louislam/uptime-kuma:1\n    ports: ["3001:3001"]\n',
    }));
    const classes = Object.fromEntries(plan.workloads.map((w) => [w.name, `${w.strategy} ${w.targetClass}`]));
    assert.deepEqual(classes, { app: 'replatform serverless-container', backup: 'retire managed-operations', portainer: 'retire managed-operations', tunnel: 'retire managed-edge', uptime: 'retire managed-observability' });
  });

  it("Superset's shape: a development compose file (every built service mounts its own source) beside a chart that runs the application is a variant", async () => {
    const compose = [
      'x-superset-volumes: &superset-volumes',
      '  - ./docker:/app/docker',
      '  - ./superset:/app/superset',
      '  - .:/app',
      'services:',
      '  redis:',
      '    image: redis:7',
      '  db:',
      '    image: postgres:16',
      '  superset:',
      '    build: {context: ., dockerfile: Dockerfile}',
      '    command: ["/app/docker/docker-bootstrap.sh", "app"]',
      '    ports: ["8088:8088"]',
      '    volumes: *superset-volumes',
      '  superset-node:',
      '    image: node:20',
      '    command: ["npm", "run", "dev"]',
      '    volumes: *superset-volumes',
      '  superset-worker:',
      '    build: {context: ., dockerfile: Dockerfile}',
      '    command: ["/app/docker/docker-bootstrap.sh", "worker"]',
      '    volumes: *superset-volumes',
      '',
    ].join('\n');
    const files = {
      'docker-compose.yml': compose,
      Dockerfile: 'FROM python:3.11-slim\nEXPOSE 8088\nCMD ["gunicorn", "superset.app:create_app()"]\n',
      'helm/superset/Chart.yaml': 'apiVersion: v2\nname: superset\nversion: 0.12.0\n',
      'helm/superset/values.yaml': 'image:\n  repository: apachesuperset.docker.scarf.sh/apache/superset\n  tag: ""\n',
      'helm/superset/templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: superset\nspec:\n  template:\n    spec:\n      containers:\n      - name: superset\n        image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"\n        ports: [{containerPort: 8088}]\n',
    };
    const plan = await assess(repo(files));
    assert.ok(plan.variants.includes('docker-compose.yml'), plan.variants.join(', '));
    assert.ok(!plan.workloads.some((w) => w.name === 'superset-node'), plan.workloads.map((w) => w.name).join(', '));
    // Without the chart, the compose file is all there is and is planned.
    const alone = await assess(repo({ 'docker-compose.yml': compose, Dockerfile: files.Dockerfile }));
    assert.ok(alone.workloads.some((w) => w.name === 'superset-worker'));
  });

  it("Supabase's shape: postgres-meta and a pooler are no databases, a health check over HTTP makes a service, a word of a list names no dependency", async () => {
    const compose = [
      'services:',
      '  auth:',
      '    image: supabase/gotrue:v2.177.0',
      '    healthcheck:',
      '      test: ["CMD", "wget", "--no-verbose", "--tries=1", "--spider", "http://localhost:9999/health"]',
      '    environment:',
      '      GOTRUE_DB_DATABASE_URL: postgres://supabase_auth_admin:pw@db:5432/postgres',
      '  rest:',
      '    image: postgrest/postgrest:v12.2.12',
      '    environment:',
      '      PGRST_DB_URI: postgres://authenticator:pw@db:5432/postgres',
      '      PGRST_DB_SCHEMAS: public,storage,graphql_public',
      '  storage:',
      '    image: supabase/storage-api:v1.25.7',
      '    environment:',
      '      POSTGREST_URL: http://rest:3000',
      '      FILE_STORAGE_BACKEND_PATH: /var/lib/storage',
      '  meta:',
      '    image: supabase/postgres-meta:v0.91.0',
      '    environment:',
      '      PG_META_DB_HOST: db',
      '  supavisor:',
      '    image: supabase/supavisor:2.5.7',
      '    ports: ["5432:5432", "6543:6543"]',
      '    environment:',
      '      POSTGRES_DB: postgres',
      '      DATABASE_URL: ecto://supabase_admin:pw@db:5432/_supabase',
      '  db:',
      '    image: supabase/postgres:15.8.1.060',
      '    environment:',
      '      POSTGRES_PASSWORD: pw',
      '',
    ].join('\n');
    const plan = await assess(repo({ 'docker/docker-compose.yml': compose }));
    assert.deepEqual(plan.workloads.filter((w) => w.kind === 'datastore').map((w) => w.name), ['db']);
    assert.equal(workload(plan, 'meta').targetClass, 'serverless-container');
    const pooler = workload(plan, 'supavisor');
    assert.deepEqual([pooler.strategy, pooler.targets.aws?.service, pooler.targets.gcp?.service], ['retire', 'aws.rds-proxy', 'gcp.cloudsql-pooling']);
    const auth = workload(plan, 'auth');
    assert.equal(auth.kind, 'service');
    assert.match(auth.targets.gcp?.sizing.summary ?? '', /request-based billing/);
    // The schema list names no service: rest depends on the database only, and nothing forms a cycle.
    assert.deepEqual(workload(plan, 'rest').dependsOn, ['db']);
    assert.deepEqual(workload(plan, 'storage').dependsOn, ['rest']);
    assert.ok(!plan.diagnostics.some((d) => /cycle/i.test(d.message)));
  });

  it("TeaStore's shape: every deployment in examples/, the extended ones (Kieker's RabbitMQ) stay variants; its base image and its database image are no workloads of their own", async () => {
    const svc = (n: string, extra = '') => `  ${n}:\n    image: descartesresearch/teastore-${n}\n    environment:\n      REGISTRY_HOST: "registry"\n${extra}`;
    const base = ['registry', 'persistence', 'webui'].map((n) => svc(n)).join('') + '  db:\n    image: descartesresearch/teastore-db\n    ports: ["3306:3306"]\n';
    const kieker = base + '  rabbitmq:\n    image: descartesresearch/teastore-kieker-rabbitmq\n    ports: ["5672:5672"]\n';
    const plan = await assess(repo({
      'examples/docker/docker-compose_default.yaml': `services:\n${base}`,
      'examples/docker/docker-compose_kieker.yaml': `services:\n${kieker}`,
      'services/tools.descartes.teastore.webui/Dockerfile': 'FROM descartesresearch/teastore-base:latest\nCOPY target/*.war /usr/local/tomcat/webapps/\n',
      'utilities/tools.descartes.teastore.dockerbase/Dockerfile': 'FROM tomcat:10.1-jre17\nEXPOSE 8080\nCMD ["/usr/local/tomcat/bin/start.sh"]\n',
      'utilities/tools.descartes.teastore.database/Dockerfile': 'FROM mariadb:10.11\nENV MYSQL_DATABASE teadb\nEXPOSE 3306\n',
      'utilities/tools.descartes.teastore.kieker.rabbitmq/Dockerfile': 'FROM rabbitmq:3-management\nEXPOSE 5672 15672 8080\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name), ['db', 'persistence', 'registry', 'webui']);
    assert.ok(plan.variants.includes('examples/docker/docker-compose_kieker.yaml'));
    const notPlanned = Object.fromEntries(plan.notPlanned.map((n) => [n.name, n.reason]));
    assert.deepEqual(notPlanned, { rabbitmq: 'variant', 'tools.descartes.teastore.dockerbase': 'base-image', 'tools.descartes.teastore.kieker.rabbitmq': 'variant' });
    // The database image is built FROM MariaDB in its own folder: the plan's db is that image.
    const db = workload(plan, 'db');
    assert.ok(db.sources.some((s) => s.file === 'utilities/tools.descartes.teastore.database/Dockerfile'), db.sources.map((s) => s.file).join(', '));
    assert.match(db.targets.aws?.sizing.summary ?? '', /mariadb/);
    // A public image a Dockerfile builds FROM never makes a folder of the same words a base image.
    const other = await assess(repo({ 'docker-compose.yml': 'services:\n  web:\n    image: acme/web:1\n', 'web/Dockerfile': 'FROM mcr.microsoft.com/windows-insider\n', 'windows-insider-tool/Dockerfile': 'FROM alpine\nEXPOSE 80\nCMD ["httpd"]\n' }));
    assert.ok(!other.notPlanned.some((n) => n.reason === 'base-image'), JSON.stringify(other.notPlanned));
  });

  it("Sock Shop's shape: a compose deployment beside the Kubernetes one adds no edge router, load test or logging store to plan, and no host access the cluster does not grant", async () => {
    const dep = (name: string, image: string, extra = '') => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: sock-shop\nspec:\n  template:\n    spec:\n      containers:\n      - name: ${name}\n        image: ${image}\n        ports: [{containerPort: 80}]\n${extra}`;
    const compose = [
      'services:',
      '  edge-router:',
      '    image: weaveworksdemos/edge-router:0.1.1',
      "    ports: ['80:80']",
      '  queue-master:',
      '    image: weaveworksdemos/queue-master:0.3.1',
      '    volumes:',
      '      - /var/run/docker.sock:/var/run/docker.sock',
      '  orders:',
      '    image: weaveworksdemos/orders:0.4.7',
      '  user-sim:',
      '    image: weaveworksdemos/load-test:0.1.1',
      '    command: "-d 60 -r 200 -c 2 -h edge-router"',
      '',
    ].join('\n');
    const plan = await assess(repo({
      'deploy/docker-compose/docker-compose.yml': compose,
      'deploy/kubernetes/manifests/queue-master-dep.yaml': dep('queue-master', 'weaveworksdemos/queue-master:0.3.1'),
      'deploy/kubernetes/manifests/orders-dep.yaml': dep('orders', 'weaveworksdemos/orders:0.4.7'),
      'deploy/kubernetes/manifests-loadtest/loadtest-dep.yaml': dep('load-test', 'weaveworksdemos/load-test:0.1.1').replace('sock-shop', 'loadtest'),
      'deploy/kubernetes/manifests-logging/elasticsearch.yml': dep('elasticsearch', 'elasticsearch').replace('sock-shop', 'kube-system'),
    }));
    // The compose file runs the cluster's images: a variant, so its edge router is not planned beside the cluster.
    assert.ok(plan.variants.includes('deploy/docker-compose/docker-compose.yml'));
    const strategy = Object.fromEntries(plan.workloads.map((w) => [w.name, w.strategy]));
    assert.deepEqual(strategy, { elasticsearch: 'retire', 'load-test': 'retire', orders: 'replatform', 'queue-master': 'replatform' });
    assert.equal(plan.notPlanned.find((n) => n.name === 'edge-router')?.reason, 'variant');
    assert.equal(workload(plan, 'elasticsearch').targetClass, 'managed-observability');
    assert.match(workload(plan, 'elasticsearch').evidence.map((e) => e.message).join(' '), /namespace kube-system/);
    assert.match(workload(plan, 'load-test').evidence.map((e) => e.message).join(' '), /test or operator tooling/i);
    // Alone, the compose file plans its edge router as the edge, its load generator as test tooling and its Docker socket as a blocker.
    const alone = await assess(repo({ 'docker-compose.yml': compose }));
    assert.equal(workload(alone, 'edge-router').targetClass, 'managed-edge');
    assert.match(workload(alone, 'user-sim').evidence.map((e) => e.message).join(' '), /load-test, a test or load tool|test or load-generation tooling/);
    assert.ok(workload(alone, 'queue-master').blockers.some((b) => b.rule === 'host.docker-socket'));
    // A compose file that builds the service and mounts the Docker socket, beside a Deployment that does not: no blocker, said.
    const built = await assess(repo({
      'docker-compose.yml': 'services:\n  queue-master:\n    build: ./queue-master\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n',
      'queue-master/Dockerfile': 'FROM eclipse-temurin:21\nEXPOSE 80\nCMD ["java", "-jar", "app.jar"]\n',
      'k8s/queue-master.yaml': dep('queue-master', 'weaveworksdemos/queue-master:0.3.1'),
    }));
    const qm = workload(built, 'queue-master');
    assert.deepEqual(qm.blockers, []);
    assert.ok(qm.evidence.some((e) => e.rule === 'host.compose-only' && e.file === 'docker-compose.yml' && e.line === 5), qm.evidence.map((e) => e.rule).join(', '));
  });

  it('a Kustomize component that deletes the in-cluster Redis (a $patch: delete) neither defines it nor patches it', async () => {
    const redis = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: redis-cart}\nspec:\n  template:\n    spec:\n      containers:\n      - name: redis\n        image: redis:alpine\n        ports: [{containerPort: 6379}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: redis-cart}\nspec:\n  selector: {app: redis-cart}\n  ports: [{port: 6379}]\n';
    const component = ['apiVersion: kustomize.config.k8s.io/v1alpha1', 'kind: Component', 'patches:', '- patch: |-', '    $patch: delete', '    apiVersion: apps/v1', '    kind: Deployment', '    metadata:', '      name: redis-cart', ''].join('\n');
    const plan = await assess(repo({
      'kustomize/base/redis.yaml': redis,
      'kustomize/base/kustomization.yaml': 'resources: [redis.yaml]\n',
      'kustomize/components/memorystore/kustomization.yaml': component,
      'kustomize/components/memorystore/delete-redis-service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: redis-cart\n$patch: delete\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name), ['redis-cart']);
    assert.deepEqual(workload(plan, 'redis-cart').sources.map((s) => s.file), ['kustomize/base/redis.yaml']);
    assert.ok(!plan.diagnostics.some((d) => d.code === 'k8s-no-containers'), 'a deletion is no patch of the workload');
    const deleted = plan.diagnostics.filter((d) => d.code === 'k8s-patch-delete').map((d) => `${d.file}:${d.line} ${d.message}`);
    assert.deepEqual(deleted, [
      'kustomize/components/memorystore/delete-redis-service.yaml:5 Service redis-cart is deleted by this patch where it is applied; the plan keeps it as the other descriptors describe it.',
      'kustomize/components/memorystore/kustomization.yaml:5 Deployment redis-cart is deleted by this patch where it is applied; the plan keeps it as the other descriptors describe it.',
    ]);
  });

  it("sizes from a production overlay's inline patches (JSON 6902 and strategic merge), cited at their lines in the kustomization", async () => {
    const base = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n      - name: api\n        image: ghcr.io/acme/api:1\n        ports: [{containerPort: 8080}]\n        resources: {requests: {cpu: 250m, memory: 256Mi}}\n';
    const prod = [
      'resources: [../../base]',
      'patches:',
      '- target: {kind: Deployment, name: api}',
      '  patch: |-',
      '    - op: replace',
      '      path: /spec/replicas',
      '      value: 6',
      '- patch: |-',
      '    apiVersion: apps/v1',
      '    kind: Deployment',
      '    metadata: {name: api}',
      '    spec:',
      '      template:',
      '        spec:',
      '          containers:',
      '          - name: api',
      '            resources: {requests: {cpu: "1", memory: 2Gi}}',
      '',
    ].join('\n');
    const plan = await assess(repo({
      'base/deployment.yaml': base,
      'base/kustomization.yaml': 'resources: [deployment.yaml]\n',
      'overlays/prod/kustomization.yaml': prod,
      'overlays/dev/kustomization.yaml': 'resources: [../../base]\npatches:\n- target: {kind: Deployment, name: api}\n  patch: |-\n    - op: replace\n      path: /spec/replicas\n      value: 1\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name), ['api']);
    const basis = workload(plan, 'api').targets.aws?.sizing.basis ?? [];
    for (const want of ['6 replicas (overlays/prod/kustomization.yaml:7)', 'cpu 1 vCPU (overlays/prod/kustomization.yaml:17)', 'memory 2048 MiB (overlays/prod/kustomization.yaml:17)']) assert.ok(basis.includes(want), `${want} in ${basis.join('; ')}`);
  });

  it('knows the one application a repository builds in the one custom image its Kubernetes manifests run, and no more', async () => {
    const dockerfile = 'FROM node:20\nWORKDIR /app\nCOPY . .\nEXPOSE 3000\nCMD ["node", "server.js"]\n';
    const compose = 'services:\n  app:\n    build: .\n    ports: ["3000:3000"]\n    depends_on: [db]\n  db:\n    image: postgres:16\n';
    const dep = (port: number) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: acme-shop-web\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: web\n          image: ghcr.io/acme/acme-shop:1.4.2\n          ports: [{containerPort: ${port}}]\n`;
    const plan = await assess(repo({ Dockerfile: dockerfile, 'docker-compose.yml': compose, 'k8s/deployment.yaml': dep(3000) }));
    assert.deepEqual(plan.workloads.map((w) => w.name), ['acme-shop-web', 'db']);
    const web = workload(plan, 'acme-shop-web');
    assert.deepEqual(web.descriptors.sort(), ['compose', 'dockerfile', 'kubernetes']);
    assert.equal(web.targets.aws?.sizing?.count, 3);
    assert.deepEqual(web.dependsOn, ['db']);
    // Another port: another program. Two applications built here: names decide, not this.
    const other = await assess(repo({ Dockerfile: dockerfile, 'docker-compose.yml': compose, 'k8s/deployment.yaml': dep(9090) }));
    assert.deepEqual(other.workloads.map((w) => w.name), ['acme-shop-web', 'app', 'db']);
    const two = await assess(repo({ Dockerfile: dockerfile, 'worker/Dockerfile': dockerfile, 'docker-compose.yml': `${compose}  worker:\n    build: ./worker\n`, 'k8s/deployment.yaml': dep(3000) }));
    assert.deepEqual(two.workloads.map((w) => w.name), ['acme-shop-web', 'app', 'db', 'worker']);
  });

  it('reads a compose service\'s env_file for the services it talks to, cited in the env file', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': 'services:\n  api:\n    image: acme/api:2\n    ports: ["8080:8080"]\n    env_file:\n      - config/api.env\n      - path: .env\n        required: false\n  orders-db:\n    image: postgres:16\n',
      'config/api.env': '# api settings\nLOG_LEVEL=info\nDATABASE_URL=postgres://app:s3cret@orders-db:5432/orders\n',
    }));
    const api = workload(plan, 'api');
    assert.deepEqual(api.dependsOn, ['orders-db']);
    // A password committed in an env file is a secret in clear, cited where it is.
    const secret = api.evidence.find((e) => e.rule === 'secret.in-config');
    assert.equal(`${secret?.file}:${secret?.line}`, 'config/api.env:3');
    assert.equal(workload(plan, 'orders-db').wave, 1);
    assert.equal(api.wave, 2);
  });

  it('resolves a dependency named by a compose container_name or hostname, underscores and all', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': 'services:\n  app:\n    image: acme/app:1\n    ports: ["80:80"]\n    environment:\n      DATABASE_URL: postgres://app:pw@shop_db:5432/shop\n      SEARCH_HOST: search-node\n  db:\n    image: postgres:16\n    container_name: shop_db\n  search:\n    image: opensearchproject/opensearch:2\n    hostname: search-node\n',
    }));
    assert.deepEqual(workload(plan, 'app').dependsOn, ['db', 'search']);
  });

  it('knows a service the others call by an HTTP URL serves HTTP, though it publishes no port', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': 'services:\n  web:\n    image: acme/web:1\n    ports: ["80:80"]\n    environment:\n      SEARCH_URL: http://search-api:1218/v1\n      CACHE: redis://cache:6379\n  search-api:\n    image: acme/search:1\n    command: serve\n  cache:\n    image: redis:7\n  mailer:\n    image: acme/mailer:1\n',
    }));
    const api = workload(plan, 'search-api');
    assert.equal(api.kind, 'service');
    assert.match(api.targets.gcp?.sizing?.summary ?? '', /request-based/);
    assert.equal(workload(plan, 'cache').kind, 'datastore');
    assert.equal(workload(plan, 'mailer').kind, 'worker');
  });

  it('makes every process of a Heroku app depend on its datastore add-ons, and moves them after them', async () => {
    const plan = await assess(repo({
      Procfile: 'web: gunicorn app:app\nworker: celery -A app worker\nrelease: python manage.py migrate\n',
      'app.json': JSON.stringify({ name: 'shop', formation: { web: { quantity: 2, size: 'standard-1x' } }, addons: ['heroku-postgresql:essential-0', 'heroku-redis:mini', 'papertrail:choklad'] }),
    }));
    for (const name of ['web', 'worker', 'release']) {
      assert.deepEqual(workload(plan, name).dependsOn, ['postgresql', 'redis'], name);
      assert.equal(workload(plan, name).wave, 2, name);
    }
    assert.deepEqual(workload(plan, 'papertrail').dependsOn, []);
    assert.equal(workload(plan, 'postgresql').wave, 1);
  });

  it('does not plan a CI pipeline\'s own image (a GitHub Action or job container under .github/)', async () => {
    const plan = await assess(repo({
      '.github/actions/lint/Dockerfile': 'FROM alpine:3.19\nRUN apk add --no-cache shellcheck\nENTRYPOINT ["/entrypoint.sh"]\n',
      '.gitlab/ci/Dockerfile': 'FROM node:20\nRUN npm i -g pnpm\n',
      'compose.yaml': 'services:\n  web:\n    image: acme/web:1\n    ports: ["80:80"]\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name), ['web']);
    assert.deepEqual(plan.notPlanned.map((n) => `${n.sources[0].file}:${n.reason}`).sort(), ['.github/actions/lint/Dockerfile:build-helper', '.gitlab/ci/Dockerfile:build-helper']);
  });

  it('does not plan an example, docs or tool image beside the deployment, but plans one a descriptor runs, and a repository of images', async () => {
    const app = 'FROM python:3.12\nCOPY . .\nEXPOSE 5000\nCMD ["python", "app.py"]\n';
    const files = {
      'examples/basic/Dockerfile': app,
      'docs/Dockerfile': 'FROM squidfunk/mkdocs-material\nCOPY . /docs\nEXPOSE 8000\n',
      'samples/api/Dockerfile': app,
      'compose.yaml': 'services:\n  web:\n    image: acme/web:1\n    ports: ["80:80"]\n  api:\n    build: ./samples/api\n    ports: ["5000:5000"]\n',
    };
    const plan = await assess(repo(files));
    assert.deepEqual(plan.workloads.map((w) => w.name), ['api', 'web']);
    assert.deepEqual(plan.notPlanned.map((n) => `${n.sources[0].file}:${n.reason}`).sort(), ['docs/Dockerfile:variant', 'examples/basic/Dockerfile:variant']);
    // With no deployment descriptor at all, the images are all there is.
    const images = await assess(repo({ 'examples/basic/Dockerfile': app, 'examples/other/Dockerfile': app }));
    assert.deepEqual(images.workloads.map((w) => w.name), ['basic', 'other']);
  });

  it('lists a staging, QA or pre-production file as a variant, never sizing from it', async () => {
    const dep = (replicas: number) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: ${replicas}\n  template:\n    spec:\n      containers:\n        - name: api\n          image: acme/api:1\n`;
    const plan = await assess(repo({
      'svc/app.yaml': 'runtime: python312\nservice: search\ninstance_class: F4\nautomatic_scaling:\n  min_instances: 4\n',
      'svc/app.staging.yaml': 'runtime: python312\nservice: search\ninstance_class: F1\nautomatic_scaling:\n  min_instances: 1\n',
      'k8s/api-qa.yaml': dep(1),
      'k8s/api-pre-prod.yaml': dep(2),
      'k8s/api.yaml': dep(5),
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name).sort(), ['api', 'search']);
    assert.deepEqual(plan.variants, ['k8s/api-pre-prod.yaml', 'k8s/api-qa.yaml', 'svc/app.staging.yaml']);
    assert.equal(workload(plan, 'api').targets.aws?.sizing?.count, 5);
    assert.ok(workload(plan, 'search').targets.aws?.sizing?.basis.some((b) => b.includes('svc/app.yaml:3')));
  });

  it('does not plan a Kustomize patch whose base is not in the repository, and says why', async () => {
    const plan = await assess(repo({
      'deploy/prod/kustomization.yaml': 'resources:\n  - github.com/acme/platform//base?ref=v1.2\npatches:\n  - path: replicas.yaml\n',
      'deploy/prod/replicas.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ledger\nspec:\n  replicas: 5\n  template:\n    spec:\n      containers:\n        - name: ledger\n          resources: {requests: {cpu: "2"}}\n',
      'compose.yaml': 'services:\n  web:\n    image: acme/web:1\n    ports: ["80:80"]\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name), ['web']);
    const np = plan.notPlanned.find((n) => n.name === 'ledger');
    assert.equal(np?.reason, 'patch');
    assert.deepEqual(np?.sources.map((s) => s.file), ['deploy/prod/replicas.yaml']);
  });

  it('layers a chart\'s production values over values.yaml, as helm install -f would, citing each figure where it is set', async () => {
    const files = {
      'chart/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 0.1.0\ndependencies:\n  - name: postgresql\n    version: 12.x.x\n    repository: https://charts.bitnami.com/bitnami\n    condition: postgresql.enabled\n',
      'chart/values.yaml': 'replicaCount: 2\nimage: {repository: ghcr.io/acme/shop}\nservice: {port: 8080}\nresources:\n  requests: {cpu: 250m, memory: 256Mi}\npostgresql:\n  enabled: true\n  primary: {persistence: {size: 8Gi}}\n',
    };
    const before = await assess(repo(files));
    assert.equal(workload(before, 'shop').targets.aws?.sizing?.count, 2);
    const plan = await assess(repo({ ...files, 'chart/values-prod.yaml': 'replicaCount: 5\nresources:\n  requests: {cpu: "1"}\npostgresql:\n  primary: {persistence: {size: 200Gi}}\n' }));
    const shop = workload(plan, 'shop').targets.aws?.sizing;
    assert.equal(shop?.count, 5);
    assert.ok(shop?.basis.includes('5 replicas (chart/values-prod.yaml:1)'), shop?.basis.join('; '));
    assert.ok(shop?.basis.includes('memory 256 MiB (chart/values.yaml:5)'), shop?.basis.join('; '));
    assert.match(workload(plan, 'shop-postgresql').targets.aws?.sizing?.summary ?? '', /200 GiB/);
  });
});

describe('never skip silently, dependencies that mean something', () => {
  it('reads serverless resources included with ${file(...)}, reports a missing include and deploy-time variables', async () => {
    const plan = await assess(repo({
      'serverless.yml': 'service: notes\nprovider: {name: aws, runtime: nodejs20.x, stage: "${opt:stage, \'dev\'}"}\nfunctions:\n  get: {handler: get.main}\nresources:\n  - ${file(resources/table.yml)}\n  - ${file(resources/missing.yml)}\n',
      'resources/table.yml': 'Resources:\n  NotesTable:\n    Type: AWS::DynamoDB::Table\n    Properties: {TableName: "${self:custom.tableName}"}\n',
    }));
    const table = workload(plan, 'NotesTable');
    assert.equal(table.strategy, 'retain');
    assert.equal(table.home, 'aws');
    assert.deepEqual(table.sources, [{ file: 'resources/table.yml', line: 2 }]);
    const missing = plan.diagnostics.find((d) => d.code === 'serverless-include');
    assert.equal(missing?.line, 7);
    assert.match(plan.diagnostics.find((d) => d.code === 'serverless-variables')?.message ?? '', /\$\{opt:…\}/);
  });
  it('a ConfigMap loaded with envFrom makes the services it names dependencies', async () => {
    const plan = await assess(repo({
      'k8s/app.yaml': [
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app-config}\ndata:\n  DB_HOST: postgres\n  CACHE_URL: redis://cache:6379\n  MODE: postgres',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: acme/app:1\n          envFrom: [{configMapRef: {name: app-config}}]',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: postgres}\nspec:\n  template:\n    spec:\n      containers: [{name: db, image: postgres:16}]',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: cache}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: redis:7}]',
      ].join('\n---\n'),
    }));
    assert.deepEqual(workload(plan, 'app').dependsOn, ['cache', 'postgres']);
  });
  it('a ConfigMap every service loads, that gives each one\'s own address too, is an address book: no dependency, no false cycle, and the plan says so', async () => {
    const deployment = (name: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}}\nspec:\n  template:\n    spec:\n      containers:\n        - name: ${name}\n          image: acme/${name}:1\n          ports: [{containerPort: 8080}]\n          envFrom: [{configMapRef: {name: service-api-config}}, {configMapRef: {name: ${name}-db}}]`;
    const plan = await assess(repo({
      'k8s/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: service-api-config}\ndata:\n  TRANSACTIONS_API_ADDR: "ledgerwriter:8080"\n  BALANCES_API_ADDR: "balancereader:8080"\n  USERSERVICE_API_ADDR: "userservice:8080"',
      'k8s/dbs.yaml': ['ledgerwriter', 'balancereader', 'userservice', 'frontend'].map((n) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${n}-db}\ndata:\n  DB_URI: postgresql://admin@${n === 'userservice' ? 'accounts-db' : 'ledger-db'}:5432/db`).join('\n---\n'),
      'k8s/apps.yaml': ['frontend', 'ledgerwriter', 'balancereader', 'userservice'].map(deployment).join('\n---\n'),
      'k8s/databases.yaml': ['ledger-db', 'accounts-db'].map((n) => `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: ${n}}\nspec:\n  template:\n    spec:\n      containers: [{name: db, image: postgres:16, ports: [{containerPort: 5432}]}]`).join('\n---\n'),
    }));
    assert.ok(!plan.diagnostics.some((d) => d.code === 'dependency-cycle'), JSON.stringify(plan.diagnostics));
    // The front end is not in the book: what it loads names what it calls.
    assert.deepEqual(workload(plan, 'frontend').dependsOn, ['balancereader', 'ledger-db', 'ledgerwriter', 'userservice']);
    // Each service in the book keeps the dependency its own map names.
    assert.deepEqual(workload(plan, 'ledgerwriter').dependsOn, ['ledger-db']);
    assert.deepEqual(workload(plan, 'userservice').dependsOn, ['accounts-db']);
    const said = workload(plan, 'balancereader').evidence.find((e) => e.rule === 'k8s.address-book');
    assert.equal(said?.file, 'k8s/config.yaml');
    assert.match(said?.message ?? '', /service-api-config/);
    assert.ok(!workload(plan, 'frontend').evidence.some((e) => e.rule === 'k8s.address-book'));
  });
  it('a Service or autoscaler in a variant folder neither exposes nor sizes the deployment\'s service; one in a test folder still serves the test workload planned from there', async () => {
    const app = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: acme/web:1, ports: [{containerPort: 8080}]}]';
    const exposed = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: LoadBalancer\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]';
    const hpa = 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n  scaleTargetRef: {kind: Deployment, name: web}\n  minReplicas: 10\n  maxReplicas: 40';
    const plan = await assess(repo({
      'k8s/web.yaml': app,
      'extras/multicluster/web.yaml': [app, exposed].join('\n---\n'),
      'extras/multicluster/web-hpa.yaml': hpa,
      'tests/uaa/deployment.yaml': app.replace(/web/g, 'uaa'),
      'tests/uaa/service.yaml': exposed.replace(/web/g, 'uaa'),
    }));
    const web = workload(plan, 'web');
    assert.deepEqual(web.sources, [{ file: 'k8s/web.yaml', line: 3 }]);
    assert.equal(web.targets.aws?.sizing.count, 2);
    assert.ok(!web.evidence.some((e) => e.file.startsWith('extras/')));
    assert.deepEqual(workload(plan, 'uaa').sources.map((s) => s.file), ['tests/uaa/deployment.yaml', 'tests/uaa/service.yaml']);
  });
  it('a bare word names a service only under an address-like key (POSTGRES_DB=orders is no dependency)', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': 'services:\n  orders:\n    image: acme/orders:1\n    ports: ["80:80"]\n    environment: {DB_HOST: orders-db}\n  orders-db:\n    image: postgres:16\n    environment: {POSTGRES_DB: orders, POSTGRES_USER: orders}\n',
    }));
    assert.deepEqual(workload(plan, 'orders').dependsOn, ['orders-db']);
    assert.deepEqual(workload(plan, 'orders-db').dependsOn, []);
    assert.ok(!plan.diagnostics.some((d) => d.code === 'dependency-cycle'));
  });
  it('a compose file that runs the working tree beside an App Engine app is its local setup, not a second deployment', async () => {
    const plan = await assess(repo({
      'app/app.yaml': 'runtime: python312\nservice: default\n',
      'docker-compose.yml': 'services:\n  web:\n    build: .\n    ports: ["8000:8000"]\n    volumes: [".:/opt/app"]\n    command: dev_appserver.py app\n',
      'Dockerfile': 'FROM python:3.12\nCMD ["python"]\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name), ['default']);
    assert.ok(plan.variants.includes('docker-compose.yml'));
    // Without a platform deployment beside it, the same compose file is the deployment.
    const alone = await assess(repo({ 'docker-compose.yml': 'services:\n  web:\n    build: .\n    ports: ["8000:8000"]\n    volumes: [".:/opt/app"]\n', 'Dockerfile': 'FROM python:3.12\n' }));
    assert.deepEqual(alone.workloads.map((w) => w.name), ['web']);
  });
  it('a data-only container (command /bin/true) is not planned', async () => {
    const plan = await assess(repo({ 'docker-compose.yml': 'services:\n  mysqldata:\n    image: mysql:8.0\n    command: /bin/true\n  mysql:\n    image: mysql:8.0\n    volumes_from: [mysqldata]\n' }));
    assert.deepEqual(plan.workloads.map((w) => w.name), ['mysql']);
    assert.equal(plan.notPlanned.find((n) => n.name === 'mysqldata')?.reason, 'data-container');
  });
  it('an image whose variables are not set is shown as written, not as what is left of it', async () => {
    const plan = await assess(repo({ 'docker-compose.yml': 'services:\n  cart:\n    image: ${IMAGE_NAME}:${DEMO_VERSION}-cart\n    ports: ["80:80"]\n  db:\n    image: postgres:${PG_VERSION:-16}\n' }));
    assert.equal(workload(plan, 'cart').image, '${IMAGE_NAME}:${DEMO_VERSION}-cart');
    assert.equal(workload(plan, 'db').image, 'postgres:16');
  });
  it('a service built from its own Dockerfile is not taken for a datastore by its port', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': 'services:\n  orders:\n    build: ./orders\n    image: registry.example.com/shop/orders:1\n    ports: ["9042:9042"]\n',
      'orders/Dockerfile': 'FROM gcr.io/distroless/nodejs20-debian12\nEXPOSE 9042\nCMD ["main.js"]\n',
    }));
    assert.equal(workload(plan, 'orders').targets.aws?.service, 'aws.ecs-fargate');
  });
});

describe('one service described by a Helm chart and a compose file', () => {
  it("a subchart's database that runs the compose service's image is that service, planned once", async () => {
    const plan = await assess(repo({
      'compose.yaml': 'services:\n  database:\n    image: "acme/acme-postgresql:14"\n  app:\n    image: acme/app:1\n    ports: ["80:80"]\n',
      'helm/acme/Chart.yaml': 'apiVersion: v2\nname: acme\nversion: 1.0.0\ndependencies:\n  - name: postgresql\n    version: 12.x\n    repository: oci://registry-1.docker.io/bitnamicharts\n    condition: postgresql.enabled\n',
      'helm/acme/values.yaml': 'image:\n  repository: acme/app\n  tag: "1"\npostgresql:\n  enabled: true\n  image:\n    repository: acme/acme-postgresql\n    tag: 14\n',
    }));
    const dbs = plan.workloads.filter((w) => w.targetClass === 'managed-postgres');
    // The compose file runs the chart's images, so it is another way to run the stack (a variant): the chart's database is the one planned.
    assert.deepEqual(dbs.map((w) => w.name), ['acme-postgresql']);
    assert.deepEqual(dbs[0].descriptors, ['helm']);
    assert.ok(plan.variants.includes('compose.yaml'));
    // A compose file that builds its application merges with the chart: the database is one service under the compose name.
    const built = await assess(repo({
      'compose.yaml': 'services:\n  database:\n    image: "acme/acme-postgresql:14"\n  app:\n    build: .\n    image: acme/app:1\n    ports: ["80:80"]\n',
      Dockerfile: 'FROM node:20\nEXPOSE 80\nCMD ["node", "server.js"]\n',
      'helm/acme/Chart.yaml': 'apiVersion: v2\nname: acme\nversion: 1.0.0\ndependencies:\n  - name: postgresql\n    version: 12.x\n    repository: oci://registry-1.docker.io/bitnamicharts\n    condition: postgresql.enabled\n',
      'helm/acme/values.yaml': 'image:\n  repository: acme/app\n  tag: "1"\npostgresql:\n  enabled: true\n  image:\n    repository: acme/acme-postgresql\n    tag: 14\n',
    }));
    const merged = built.workloads.filter((w) => w.targetClass === 'managed-postgres');
    assert.deepEqual(merged.map((w) => [w.name, w.descriptors.join('+')]), [['database', 'compose+helm']]);
  });
});

describe('a Render Blueprint', () => {
  it('plans its services, Key Value and Postgres sized from their instance types, moved after what they are wired to; a compose file that runs the working tree beside it is the local setup', async () => {
    const plan = await assess(repo({
      'render.yaml': [
        'services:',
        '  - {type: web, name: shop-api, runtime: docker, dockerfilePath: ./backend/Dockerfile, plan: standard, numInstances: 2, envVars: [{key: DATABASE_URL, fromDatabase: {name: shop-db, property: connectionString}}, {key: REDIS_URL, fromService: {type: keyvalue, name: shop-cache, property: connectionString}}]}',
        '  - {type: cron, name: nightly-report, runtime: python, schedule: "0 3 * * *", startCommand: python report.py}',
        '  - {type: keyvalue, name: shop-cache, plan: starter}',
        '  - {type: web, name: shop-site, runtime: static, staticPublishPath: ./frontend/dist}',
        'databases:',
        '  - {name: shop-db, plan: basic-1gb, diskSizeGB: 15, postgresMajorVersion: "16"}',
        '',
      ].join('\n'),
      'backend/Dockerfile': 'FROM python:3.12-slim\nCOPY . /app\nEXPOSE 8000\nCMD ["gunicorn", "shop.wsgi"]\n',
      'docker-compose.yml': 'services:\n  shop-api:\n    build: ./backend\n    volumes: ["./backend:/app"]\n    ports: ["8000:8000"]\n  db:\n    image: postgres:16\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name).sort(), ['nightly-report', 'shop-api', 'shop-cache', 'shop-db', 'shop-site']);
    const api = workload(plan, 'shop-api');
    assert.deepEqual(api.sources.map((s) => s.file), ['backend/Dockerfile', 'render.yaml']);
    assert.equal(api.targets.aws?.sizing.summary, '2 tasks × 1 vCPU / 2 GB');
    assert.deepEqual(api.dependsOn.map((id) => plan.workloads.find((w) => w.id === id)?.name).sort(), ['shop-cache', 'shop-db']);
    assert.ok((api.wave ?? 0) > (workload(plan, 'shop-db').wave ?? 0));
    assert.equal(workload(plan, 'shop-db').targets.aws?.service, 'aws.rds');
    assert.match(workload(plan, 'shop-db').targets.aws?.sizing.summary ?? '', /15 GiB/);
    assert.equal(workload(plan, 'shop-cache').targets.gcp?.service, 'gcp.memorystore');
    assert.equal(workload(plan, 'nightly-report').kind, 'scheduled-job');
    assert.equal(workload(plan, 'shop-site').targets.aws?.service, 'aws.s3-cloudfront');
    assert.ok(plan.variants.includes('docker-compose.yml'), 'the compose file is the local setup');
  });
});

describe('a Fly.io app', () => {
  it('runs every process group and its release command from the Dockerfile beside fly.toml, not a second workload of it; a staging fly.toml is a variant', async () => {
    const fly = 'app = "shop"\n[processes]\n  app = "bin/rails server"\n  worker = "bundle exec sidekiq"\n[http_service]\n  internal_port = 3000\n  processes = ["app"]\n[[vm]]\n  size = "shared-cpu-2x"\n[deploy]\n  release_command = "bin/rails db:prepare"\n';
    const plan = await assess(repo({
      'fly.toml': fly,
      'fly.staging.toml': fly.replace('app = "shop"', 'app = "shop-staging"'),
      Dockerfile: 'FROM ruby:3.3-slim\nCOPY . /rails\nEXPOSE 3000\nCMD ["./bin/rails", "server"]\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name).sort(), ['shop', 'shop-release', 'shop-worker']);
    for (const name of ['shop', 'shop-release', 'shop-worker']) assert.deepEqual(workload(plan, name).sources.map((s) => s.file), ['Dockerfile', 'fly.toml'], name);
    assert.equal(workload(plan, 'shop').kind, 'service');
    assert.equal(workload(plan, 'shop-release').kind, 'job');
    assert.equal(workload(plan, 'shop').targets.aws?.sizing.summary, '1 task × 0.5 vCPU / 1 GB');
    assert.ok(plan.variants.includes('fly.staging.toml'));
  });
});

describe('a Kamal deployment', () => {
  it('plans each role on as many servers as it lists and each accessory as the server it is; a role off the proxy is a worker though the image EXPOSEs a port; a destination for staging is a variant', async () => {
    const deploy = [
      'service: homecart',
      'image: acme/homecart',
      'servers:',
      '  web:',
      '    - 192.168.0.1',
      '    - 192.168.0.2',
      '  job:',
      '    hosts: [192.168.0.3]',
      '    cmd: bin/rails runner Poller.run',
      'proxy:',
      '  ssl: true',
      '  host: app.example.com',
      'env:',
      '  secret: [RAILS_MASTER_KEY]',
      '  clear:',
      '    DB_HOST: homecart-db',
      'volumes:',
      '  - "homecart_storage:/rails/storage"',
      'accessories:',
      '  db:',
      '    image: mysql:8.0',
      '    host: 192.168.0.4',
      '    port: "127.0.0.1:3306:3306"',
      '    directories: ["data:/var/lib/mysql"]',
      '',
    ].join('\n');
    const plan = await assess(repo({
      'config/deploy.yml': deploy,
      'config/deploy.staging.yml': 'servers:\n  web:\n    - 10.0.0.1\n',
      Dockerfile: 'FROM ruby:3.4-slim\nWORKDIR /rails\nEXPOSE 80\nCMD ["./bin/thrust", "./bin/rails", "server"]\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => [w.name, w.kind]).sort(), [['homecart', 'service'], ['homecart-db', 'datastore'], ['homecart-job', 'worker']]);
    const web = workload(plan, 'homecart');
    assert.deepEqual(web.sources.map((s) => s.file), ['Dockerfile', 'config/deploy.yml']);
    assert.match(web.targets.aws?.sizing.summary ?? '', /^2 /);
    assert.deepEqual(web.dependsOn, [workload(plan, 'homecart-db').id]);
    assert.equal(workload(plan, 'homecart-db').targets.aws?.service, 'aws.rds');
    assert.ok(plan.variants.includes('config/deploy.staging.yml'));
  });
  it('a compose file of nothing but servers beside it is the local setup: its PostgreSQL is not planned beside the MySQL accessory', async () => {
    const plan = await assess(repo({
      'config/deploy.yml': 'service: shop\nimage: acme/shop\nservers: [10.0.0.1]\naccessories:\n  db:\n    image: mysql:8.0\n    host: 10.0.0.2\n',
      Dockerfile: 'FROM ruby:3.4-slim\nEXPOSE 80\nCMD ["./bin/rails", "server"]\n',
      'docker-compose.yml': 'services:\n  postgres:\n    image: postgres:16\n  redis:\n    image: redis:7\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name).sort(), ['shop', 'shop-db']);
    assert.ok(plan.variants.includes('docker-compose.yml'));
  });
});

describe('Railway services', () => {
  it('each service folder is one workload with the Dockerfile it is built from; its replicas come from the production environment', async () => {
    const plan = await assess(repo({
      'api/railway.json': '{"build": {"builder": "DOCKERFILE"}, "deploy": {"healthcheckPath": "/health", "numReplicas": 1}, "environments": {"production": {"deploy": {"numReplicas": 2}}}}\n',
      'api/Dockerfile': 'FROM python:3.12-slim\nCOPY . /app\nEXPOSE 8000\nCMD ["uvicorn", "main:app"]\n',
      'worker/railway.toml': '[deploy]\nstartCommand = "celery -A tasks worker"\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => [w.name, w.kind]).sort(), [['api', 'service'], ['worker', 'worker']]);
    assert.deepEqual(workload(plan, 'api').sources.map((s) => s.file), ['api/Dockerfile', 'api/railway.json']);
    assert.match(workload(plan, 'api').targets.aws?.sizing.summary ?? '', /^2 tasks/);
  });
});

describe('a DigitalOcean App Platform spec', () => {
  it('plans .do/app.yaml\'s components with the Dockerfile they build and the database they bind to; an app.yaml at the root that is an App Platform spec is read as one', async () => {
    const spec = 'name: shop\nservices:\n  - name: api\n    dockerfile_path: Dockerfile\n    instance_size_slug: apps-d-2vcpu-4gb\n    envs:\n      - {key: DATABASE_URL, value: "${db.DATABASE_URL}"}\ndatabases:\n  - {name: db, engine: MYSQL, version: "8"}\n';
    const dockerfile = 'FROM node:20-slim\nCOPY . /app\nEXPOSE 8080\nCMD ["node", "server.js"]\n';
    for (const file of ['.do/app.yaml', 'app.yaml']) {
      const plan = await assess(repo({ [file]: spec, Dockerfile: dockerfile }));
      assert.deepEqual(plan.workloads.map((w) => w.name).sort(), ['api', 'db'], file);
      assert.deepEqual(workload(plan, 'api').sources.map((s) => s.file), ['Dockerfile', file].sort(), file);
      assert.equal(workload(plan, 'api').targets.aws?.sizing.summary, '1 task × 2 vCPU / 4 GB', file);
      assert.equal(workload(plan, 'db').targets.aws?.service, 'aws.rds', file);
      assert.deepEqual(workload(plan, 'api').dependsOn, [workload(plan, 'db').id], file);
    }
  });
});

describe('an Azure Developer CLI project', () => {
  it('plans its App Service API with the Dockerfile of its project folder and its Static Web App as a static site, and notes the Bicep it does not read', async () => {
    const plan = await assess(repo({
      'azure.yaml': 'name: todo\nservices:\n  web: {project: ./src/web, dist: dist, language: js, host: staticwebapp}\n  api: {project: ./src/api, language: js, host: appservice}\n',
      'src/api/Dockerfile': 'FROM node:20-slim\nCOPY . /app\nEXPOSE 3100\nCMD ["node", "index.js"]\n',
      'infra/main.bicep': "param location string\n",
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name).sort(), ['api', 'web']);
    assert.deepEqual(workload(plan, 'api').sources.map((s) => s.file), ['azure.yaml', 'src/api/Dockerfile']);
    assert.equal(workload(plan, 'web').targets.aws?.service, 'aws.s3-cloudfront');
    assert.ok(plan.diagnostics.some((d) => d.file === 'infra/main.bicep'));
  });
});

describe('an ECS task definition', () => {
  it('is a service on AWS today, retained there with the move to GCP priced, built by the repository\'s Dockerfile', async () => {
    const plan = await assess(repo({
      '.aws/task-definition.json': JSON.stringify({ family: 'orders-api', requiresCompatibilities: ['FARGATE'], cpu: '512', memory: '1024', containerDefinitions: [{ name: 'orders-api', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/orders-api:latest', essential: true, portMappings: [{ containerPort: 8080 }] }] }, null, 2),
      Dockerfile: 'FROM eclipse-temurin:21-jre\nCOPY target/app.jar /app.jar\nEXPOSE 8080\nCMD ["java", "-jar", "/app.jar"]\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name), ['orders-api']);
    const w = workload(plan, 'orders-api');
    assert.deepEqual([w.strategy, w.home], ['retain', 'aws']);
    assert.deepEqual(w.sources.map((s) => s.file), ['.aws/task-definition.json', 'Dockerfile']);
    assert.equal(w.targets.aws?.sizing.summary, '1 task × 0.5 vCPU / 1 GB');
    assert.ok(w.cost.gcp.monthlyUsd > 0);
  });
});

describe('a Heroku app and a compose file of the same app', () => {
  it('the compose file is the alternative: its database and workers are not planned beside the add-ons', async () => {
    const plan = await assess(repo({
      'app.json': '{"name": "acme", "addons": ["heroku-postgresql"], "formation": {"web": {"quantity": 1}}}\n',
      'Procfile': 'web: bundle exec puma\nworker: bundle exec sidekiq\n',
      'docker/docker-compose.yml': 'services:\n  mysql:\n    image: mysql:8\n  web:\n    image: acme/web:1\n    ports: ["3000:3000"]\n  threaded:\n    image: acme/web:1\n    command: bin/threaded\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name).sort(), ['postgresql', 'web', 'worker']);
    assert.ok(plan.workloads.some((w) => w.targetClass === 'managed-postgres'));
    assert.ok(plan.notPlanned.some((n) => n.name === 'mysql' && n.reason === 'variant'));
  });
});

describe('a build path chosen by a variable', () => {
  it('the Dockerfiles it may name are alternatives of that one service, servers and applications apart', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': 'services:\n  web:\n    build: { context: "./bin/${PHPVERSION}" }\n    ports: ["80:80"]\n  database:\n    build:\n      context: "./bin/${DATABASE}"\n    ports: ["3306:3306"]\n    environment:\n      MYSQL_ROOT_PASSWORD: x\n',
      'bin/php74/Dockerfile': 'FROM php:7.4-apache\n',
      'bin/php83/Dockerfile': 'FROM php:8.3-apache\n',
      'bin/mysql8/Dockerfile': 'FROM mysql:8\n',
      'bin/mariadb106/Dockerfile': 'FROM mariadb:10.6\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name).sort(), ['database', 'web']);
    const alt = (name: string) => plan.notPlanned.find((n) => n.name === name)?.message ?? '';
    assert.match(alt('php74'), /an alternative build of web: bin\/\$\{PHPVERSION\}\/Dockerfile picks one of 2 Dockerfiles/);
    assert.match(alt('mysql8'), /an alternative build of database/);
    assert.match(alt('mariadb106'), /an alternative build of database/);
    assert.ok(!plan.diagnostics.some((d) => d.code === 'build-dockerfile-missing'));
  });
});

describe('Cloud Foundry bound services', () => {
  it('an identity service or a service of unknown type is not sized as a server; a database is planned', async () => {
    const plan = await assess(repo({
      'manifest.yml': 'applications:\n  - name: shop\n    memory: 512M\n    services:\n      - xsuaa-shop\n      - shop-postgres\n      - shop-things\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name).sort(), ['shop', 'shop-postgres']);
    const np = new Map(plan.notPlanned.map((n) => [n.name, n]));
    assert.equal(np.get('xsuaa-shop')?.reason, 'platform-service');
    assert.match(np.get('xsuaa-shop')?.message ?? '', /identity service: .*Cognito.*Identity Platform/);
    assert.match(np.get('shop-things')?.message ?? '', /whose type the manifest does not say/);
  });
});

describe('operator application resources', () => {
  it('an OpenLibertyApplication is a workload of its application image, built by the top-level Dockerfile', async () => {
    const plan = await assess(repo({
      'Dockerfile': 'FROM open-liberty:full\nCOPY app.ear /config/apps\n',
      'deploy/app.yaml': 'apiVersion: apps.openliberty.io/v1\nkind: OpenLibertyApplication\nmetadata:\n  name: shop\nspec:\n  applicationImage: docker.io/acme/shop:1\n  replicas: 2\n  expose: true\n  service:\n    port: 9443\n  env:\n    - name: dbHost\n      value: shop-db\n  resources:\n    requests:\n      cpu: 500m\n      memory: 1Gi\n',
      'deploy/db.yaml': 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: shop-db\nspec:\n  template:\n    spec:\n      containers:\n        - name: db\n          image: postgres:16\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name).sort(), ['shop', 'shop-db']);
    const shop = workload(plan, 'shop');
    assert.deepEqual(shop.descriptors, ['dockerfile', 'kubernetes']);
    assert.deepEqual(shop.dependsOn, ['shop-db']);
    assert.match(shop.targets.aws?.sizing.basis.join(' ') ?? '', /cpu 0\.5 vCPU \(deploy\/app\.yaml:\d+\).*2 replicas \(deploy\/app\.yaml:\d+\)/);
  });
});

describe('a self-hosted stack with a .env template', () => {
  it('a service whose only volume is its model cache is a serverless container, and the template gives the ports the .env would', async () => {
    const plan = await assess(repo({
      'docker/docker-compose.yml': 'name: photos\nservices:\n  server:\n    image: acme/photos-server:${VERSION:-release}\n    ports: ["${PORT}:2283"]\n    volumes: ["${UPLOAD_LOCATION}:/data"]\n    depends_on: [ml]\n  ml:\n    image: acme/photos-ml:${VERSION:-release}\n    expose: ["3003"]\n    volumes: [model-cache:/cache]\nvolumes:\n  model-cache:\n',
      'docker/example.env': 'UPLOAD_LOCATION=./library\nPORT=2283\n',
    }));
    const ml = workload(plan, 'ml');
    assert.deepEqual([ml.targets.aws?.service, ml.targets.gcp?.service], ['aws.ecs-fargate', 'gcp.cloud-run']);
    assert.ok(ml.evidence.some((e) => e.rule === 'volume.scratch' && /model-cache at \/cache/.test(e.message)));
    assert.ok(!ml.evidence.some((e) => e.rule === 'k8s.stateful'));
    assert.ok(![...plan.shared.aws.lines, ...plan.shared.gcp.lines].some((l) => /EKS|GKE/.test(l.resource)), 'no cluster for a cache');
    assert.ok(workload(plan, 'server').evidence.some((e) => e.rule === 'volume.bind' && /\$\{UPLOAD_LOCATION\}:\/data/.test(e.message)));
    assert.deepEqual(plan.diagnostics.filter((d) => d.code.startsWith('compose-')).map((d) => [d.code, d.severity]), [['compose-env-template', 'info']]);
  });
});

describe('PostgreSQL extensions', () => {
  it('an image or command that brings extensions is said: pgvector and PostGIS as a note, others as a risk to check', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': [
        'services:',
        '  geo:\n    image: postgis/postgis:16-3.4',
        '  metrics:\n    image: timescale/timescaledb-ha:pg16',
        '  vectors:\n    image: tensorchord/pgvecto-rs:pg14-v0.2.0',
        '  photos-db:\n    image: ghcr.io/acme/postgres:14-vectorchord0.4.3-pgvectors0.2.0',
        '  plain:\n    image: postgres:16\n    command: ["postgres", "-c", "shared_preload_libraries=pg_stat_statements"]',
        '  preload:\n    image: postgres:16\n    command: postgres -c shared_preload_libraries=vectors.so',
        '',
      ].join('\n'),
    }));
    const ext = (name: string) => workload(plan, name).evidence.filter((e) => e.rule.startsWith('datastore.extensions')).map((e) => [e.rule, e.severity, /Uses (.*?), which/.exec(e.message)?.[1]]);
    assert.deepEqual(plan.workloads.map((w) => [w.name, w.kind]), ['geo', 'metrics', 'photos-db', 'plain', 'preload', 'vectors'].map((n) => [n, 'datastore']));
    assert.deepEqual(ext('geo'), [['datastore.extensions-managed', 'info', 'PostGIS']]);
    assert.deepEqual(ext('metrics'), [['datastore.extensions-check', 'warning', 'TimescaleDB']]);
    assert.deepEqual(ext('vectors'), [['datastore.extensions-check', 'warning', 'pgvecto.rs']]);
    assert.deepEqual(ext('photos-db'), [['datastore.extensions-check', 'warning', 'pgvecto.rs, VectorChord']]);
    assert.deepEqual(ext('plain'), []);
    assert.deepEqual(ext('preload'), [['datastore.extensions-check', 'warning', 'pgvecto.rs']]);
    assert.equal(workload(plan, 'vectors').targets.aws?.service, 'aws.rds');
  });
});

describe('compose profiles', () => {
  const files = (extra: Record<string, string> = {}) => repo({
    'docker/docker-compose.yaml': [
      'services:',
      '  api:\n    image: acme/llm-api:1\n    ports: ["5001:5001"]\n    environment: { MODE: api }\n    depends_on:\n      db_postgres: { condition: service_healthy, required: false }\n      db_mysql: { condition: service_healthy, required: false }',
      '  worker:\n    image: acme/llm-api:1\n    environment: { MODE: worker }',
      '  beat:\n    image: acme/llm-api:1\n    environment: { MODE: beat }',
      '  db_postgres:\n    image: postgres:15-alpine\n    profiles: [postgresql]',
      '  db_mysql:\n    image: mysql:8.0\n    profiles: [mysql]',
      '  weaviate:\n    image: semitechnologies/weaviate:1.27.0\n    profiles: [weaviate]\n    volumes: ["./volumes/weaviate:/var/lib/weaviate"]',
      '  qdrant:\n    image: langgenius/qdrant:v1.8.3\n    profiles: [qdrant]',
      '  couchbase-server:\n    build: ./couchbase-server\n    profiles: [couchbase]',
      '',
    ].join('\n'),
    'docker/couchbase-server/Dockerfile': 'FROM couchbase/server:latest\nCOPY init.sh /opt/couchbase/init/\n',
    'docker/.env.example': 'DB_TYPE=postgresql\nVECTOR_STORE=weaviate\nCOMPOSE_PROFILES=${VECTOR_STORE:-weaviate},${DB_TYPE:-postgresql}\n',
    ...extra,
  });

  it('services of profiles COMPOSE_PROFILES in the .env template does not enable are options, not workloads; their Dockerfiles too', async () => {
    const plan = await assess(files());
    assert.deepEqual(plan.workloads.map((w) => w.name), ['api', 'beat', 'db_postgres', 'weaviate', 'worker']);
    const optional = plan.notPlanned.filter((n) => n.reason === 'optional-profile');
    assert.deepEqual(optional.map((n) => n.name), ['couchbase-server', 'db_mysql', 'qdrant']);
    assert.match(optional[1].message, /only with the profile mysql, which COMPOSE_PROFILES in \.env\.example \(weaviate, postgresql\) does not enable/);
    assert.ok(!plan.notPlanned.some((n) => n.name === 'couchbase-server' && n.reason !== 'optional-profile'), 'its Dockerfile is the option\'s image');
    assert.deepEqual(workload(plan, 'api').dependsOn, ['db-postgres'], 'an optional dependency on a service not planned is no dependency');
    const weaviate = workload(plan, 'weaviate');
    assert.deepEqual([weaviate.kind, weaviate.targets.aws?.service, weaviate.targets.gcp?.service], ['datastore', 'aws.eks', 'gcp.gke']);
    assert.ok(weaviate.evidence.some((e) => e.rule === 'datastore.vector'));
    assert.ok(validator('plan')(JSON.parse(JSON.stringify(plan))));
  });

  it('.migration.yaml composeProfiles picks the profiles instead; with no COMPOSE_PROFILES anywhere, every service is planned', async () => {
    const chosen = await assess(files({ '.migration.yaml': 'version: 1\ncomposeProfiles: [mysql, qdrant]\n' }));
    assert.deepEqual(chosen.workloads.map((w) => w.name), ['api', 'beat', 'db_mysql', 'qdrant', 'worker']);
    assert.match(chosen.notPlanned.find((n) => n.name === 'weaviate')?.message ?? '', /which `composeProfiles` in \.migration\.yaml \(mysql, qdrant\) does not enable/);
    const unset = await assess(files({ 'docker/.env.example': 'DB_TYPE=postgresql\n' }));
    assert.equal(unset.workloads.length, 9 - 1, 'all eight services (the couchbase Dockerfile is its image)');
    assert.equal(unset.notPlanned.filter((n) => n.reason === 'optional-profile').length, 0);
  });

  it('a service that starts its image in worker or scheduler mode by a variable (MODE: worker) is a worker, not a second web service', async () => {
    const plan = await assess(files({ 'docker/Dockerfile': 'FROM python:3.12-slim\nEXPOSE 5001\nCMD ["/entrypoint.sh"]\n' }));
    const worker = workload(plan, 'worker');
    assert.equal(worker.kind, 'worker');
    assert.doesNotMatch(worker.targets.gcp?.sizing.summary ?? '', /request-based/, 'no requests reach it');
    assert.equal(workload(plan, 'beat').kind, 'worker');
    assert.match(workload(plan, 'beat').targets.aws?.sizing.summary ?? '', /runs/);
    assert.equal(workload(plan, 'api').kind, 'service');
  });
});

describe('files mounted into a managed database', () => {
  it('init scripts are run against the managed instance, a config file becomes its parameters, the data directory moves with the engine', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': 'services:\n  db:\n    image: mysql:8\n    volumes:\n      - ./config/initdb:/docker-entrypoint-initdb.d\n      - ./data/mysql:/var/lib/mysql\n      - ./config/my.cnf:/etc/my.cnf\n  search:\n    image: getmeili/meilisearch:v1.8\n    volumes: ["./meili.toml:/etc/meili.toml"]\n',
    }));
    const rules = (name: string) => workload(plan, name).evidence.map((e) => e.rule).filter((r) => /^(volume|datastore)\./.test(r)).sort();
    assert.deepEqual(rules('db'), ['datastore.config-file', 'datastore.init-scripts', 'datastore.mysql']);
    assert.match(workload(plan, 'db').evidence.find((e) => e.rule === 'datastore.config-file')?.message ?? '', /\.\/config\/my\.cnf:\/etc\/my\.cnf/);
    assert.deepEqual(rules('search'), ['datastore.search-engine', 'volume.bind'], 'a server kept on the cluster still needs its file');
    assert.equal(workload(plan, 'search').targets.aws?.service, 'aws.eks');
  });
});

describe('OpenShift templates', () => {
  it('templates side by side are alternatives: the persistent one is planned, built by S2I, its database from the catalogue image stream', async () => {
    const tpl = (name: string, db: boolean, pvc: boolean) => JSON.stringify({
      kind: 'Template', apiVersion: 'v1', metadata: { name },
      objects: [
        { kind: 'BuildConfig', apiVersion: 'v1', metadata: { name: '${NAME}' }, spec: { strategy: { type: 'Source', sourceStrategy: { from: { kind: 'ImageStreamTag', namespace: 'openshift', name: 'python:3.9' } } }, output: { to: { kind: 'ImageStreamTag', name: '${NAME}:latest' } } } },
        { kind: 'Service', apiVersion: 'v1', metadata: { name: '${NAME}' }, spec: { ports: [{ port: 8080, targetPort: 8080 }], selector: { name: '${NAME}' } } },
        { kind: 'DeploymentConfig', apiVersion: 'v1', metadata: { name: '${NAME}' }, spec: { replicas: 1, triggers: [{ type: 'ImageChange', imageChangeParams: { containerNames: ['app'], from: { kind: 'ImageStreamTag', name: '${NAME}:latest' } } }], template: { metadata: { labels: { name: '${NAME}' } }, spec: { containers: [{ name: 'app', image: ' ', ports: [{ containerPort: 8080 }], resources: { limits: { memory: '${MEMORY_LIMIT}' } } }] } } } },
        ...(db ? [{ kind: 'DeploymentConfig', apiVersion: 'v1', metadata: { name: 'postgresql' }, spec: { replicas: 1, triggers: [{ type: 'ImageChange', imageChangeParams: { containerNames: ['postgresql'], from: { kind: 'ImageStreamTag', namespace: 'openshift', name: 'postgresql:12' } } }], template: { spec: { containers: [{ name: 'postgresql', image: ' ', ports: [{ containerPort: 5432 }] }], volumes: [pvc ? { name: 'data', persistentVolumeClaim: { claimName: 'postgresql' } } : { name: 'data', emptyDir: {} }] } } } }] : []),
      ],
      parameters: [{ name: 'NAME', value: name }, { name: 'MEMORY_LIMIT', value: '512Mi' }],
    }, null, 2);
    const plan = await assess(repo({
      'openshift/templates/flask.json': tpl('flask-example', false, false),
      'openshift/templates/flask-postgresql.json': tpl('flask-psql-example', true, false),
      'openshift/templates/flask-postgresql-persistent.json': tpl('flask-psql-persistent', true, true),
      'openshift/templates/values.schema.json': '{\n  "properties": {\n    "kind": {"type": "string"},\n    "apiVersion": {"type": "string"}\n  }\n}\n',
      'k8s/settings.json': '{\n  "kind": {"a": 1},\n  "apiVersion": 2\n}\n',
    }));
    assert.deepEqual(plan.diagnostics.filter((d) => d.file.endsWith('.json')), [], 'JSON that is no manifest is left alone');
    assert.deepEqual(plan.workloads.map((w) => w.name), ['flask-psql-persistent', 'postgresql']);
    assert.deepEqual(plan.variants, ['openshift/templates/flask-postgresql.json', 'openshift/templates/flask.json']);
    const app = workload(plan, 'flask-psql-persistent');
    assert.ok(app.evidence.some((e) => e.rule === 'openshift.build' && /source-to-image on python:3\.9/.test(e.message)));
    assert.match(app.targets.aws?.sizing.basis.join(' ') ?? '', /memory 512 MiB \(openshift\/templates\/flask-postgresql-persistent\.json:\d+\)/);
    assert.equal(workload(plan, 'postgresql').targets.aws?.service, 'aws.rds');
  });
});

describe('a Heroku app beside a fuller compose deployment', () => {
  it('a compose file that runs another component of the project the Heroku app lacks is the deployment; the Heroku app is the variant', async () => {
    const plan = await assess(repo({
      'Procfile': 'web: bundle exec puma -C config/puma.rb\nworker: bundle exec sidekiq\n',
      'app.json': JSON.stringify({ name: 'Social', addons: ['heroku-postgresql', 'heroku-redis'] }),
      'docker-compose.yml': [
        'services:',
        '  db:\n    image: postgres:14-alpine',
        '  redis:\n    image: redis:7-alpine',
        '  web:\n    image: ghcr.io/social/social:v4\n    command: bundle exec puma -C config/puma.rb\n    ports: ["127.0.0.1:3000:3000"]\n    depends_on: [db, redis]',
        '  streaming:\n    image: ghcr.io/social/social-streaming:v4\n    command: node ./streaming/index.js\n    ports: ["127.0.0.1:4000:4000"]\n    depends_on: [db, redis]',
        '  sidekiq:\n    image: ghcr.io/social/social:v4\n    command: bundle exec sidekiq\n    depends_on: [db, redis]',
        '',
      ].join('\n'),
      'streaming/Dockerfile': 'FROM node:22-bookworm-slim\nEXPOSE 4000\nCMD ["node", "./streaming/index.js"]\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => [w.name, w.kind]), [['db', 'datastore'], ['redis', 'datastore'], ['sidekiq', 'worker'], ['streaming', 'service'], ['web', 'service']]);
    assert.deepEqual(plan.variants, ['Procfile', 'app.json']);
  });

  it('a compose file of the same processes on the same image (a second worker name) stays the variant of the Heroku app', async () => {
    const plan = await assess(repo({
      'Procfile': 'web: bundle exec rails server\njobs: bundle exec rails runner bin/threaded.rb\n',
      'app.json': JSON.stringify({ name: 'Agents', addons: ['heroku-postgresql'] }),
      'docker-compose.yml': 'services:\n  mysql:\n    image: mysql:8\n  web:\n    image: acme/agents:latest\n    ports: ["3000:3000"]\n  threaded:\n    image: acme/agents:latest\n    command: /scripts/init bin/threaded.rb\n',
    }));
    assert.deepEqual(plan.variants, ['docker-compose.yml']);
    assert.ok(!plan.workloads.some((w) => w.name === 'mysql' || w.name === 'threaded'));
  });
});

describe('a Django production compose stack (cookiecutter-django shape)', () => {
  it('media on a volume goes to object storage, not a cluster; an nginx built with only its config is the edge; the aws-cli backup container is operator tooling', async () => {
    const plan = await assess(repo({
      'docker-compose.production.yml': [
        'volumes: {production_postgres_data: {}, production_postgres_data_backups: {}, production_django_media: {}}',
        'services:',
        '  django: &django\n    build: {context: ., dockerfile: ./compose/production/django/Dockerfile}\n    image: shop_production_django\n    volumes: [production_django_media:/app/shop/media]\n    depends_on: [postgres]\n    command: /start',
        '  postgres:\n    build: {context: ., dockerfile: ./compose/production/postgres/Dockerfile}\n    volumes: [production_postgres_data:/var/lib/postgresql/data]',
        '  celeryworker:\n    <<: *django\n    image: shop_production_celeryworker\n    command: /start-celeryworker',
        '  awscli:\n    build: {context: ., dockerfile: ./compose/production/aws/Dockerfile}\n    volumes: [production_postgres_data_backups:/backups:z]',
        '  nginx:\n    build: {context: ., dockerfile: ./compose/production/nginx/Dockerfile}\n    depends_on: [django]\n    volumes: [production_django_media:/usr/share/nginx/media:ro]',
        '',
      ].join('\n'),
      'compose/production/django/Dockerfile': 'FROM python:3.12-slim\nCOPY . /app\nENTRYPOINT ["/entrypoint"]\n',
      'compose/production/postgres/Dockerfile': 'FROM docker.io/postgres:16\nCOPY ./maintenance /usr/local/bin/maintenance\n',
      'compose/production/aws/Dockerfile': 'FROM docker.io/amazon/aws-cli:2.17.0\nCOPY ./maintenance /usr/local/bin/maintenance\n',
      'compose/production/nginx/Dockerfile': 'FROM docker.io/nginx:1.17.8-alpine\nCOPY ./compose/production/nginx/default.conf /etc/nginx/conf.d/default.conf\n',
    }));
    const django = workload(plan, 'django');
    assert.deepEqual([django.targets.aws?.service, django.targets.gcp?.service], ['aws.ecs-fargate', 'gcp.cloud-run']);
    assert.ok(django.evidence.some((e) => e.rule === 'volume.uploads' && /production_django_media at \/app\/shop\/media/.test(e.message)));
    assert.equal(workload(plan, 'celeryworker').targets.aws?.service, 'aws.ecs-fargate');
    assert.deepEqual([workload(plan, 'nginx').strategy, workload(plan, 'nginx').targets.aws?.service], ['retire', 'aws.managed-edge']);
    assert.equal(workload(plan, 'awscli').strategy, 'retire');
    assert.match(workload(plan, 'awscli').evidence.map((e) => e.message).join(' '), /amazon\/aws-cli, an operator's command-line tool/);
    assert.equal(workload(plan, 'postgres').targets.aws?.service, 'aws.rds');
  });
});

describe('Apache Airflow', () => {
  it('its compose services are one Airflow deployment: the scheduler becomes Amazon MWAA / Cloud Composer, the other components and the metadata database and broker retire into it', async () => {
    const common = '    build: .\n    environment:\n      AIRFLOW__DATABASE__SQL_ALCHEMY_CONN: postgresql+psycopg2://airflow:airflow@postgres/airflow\n      AIRFLOW__CELERY__BROKER_URL: redis://:@redis:6379/0\n    depends_on: [postgres, redis]\n';
    const plan = await assess(repo({
      'docker-compose.yaml': [
        'services:',
        '  postgres:\n    image: postgres:16',
        '  redis:\n    image: redis:7.2-bookworm',
        '  shop-db:\n    image: mysql:8',
        `  airflow-apiserver:\n${common}    command: api-server\n    ports: ["8080:8080"]`,
        `  airflow-scheduler:\n${common}    command: scheduler`,
        `  airflow-worker:\n${common}    command: celery worker`,
        `  airflow-triggerer:\n${common}    command: triggerer`,
        '  shop:\n    image: acme/shop:1\n    ports: ["80:80"]\n    depends_on: [shop-db, redis]',
        '',
      ].join('\n'),
      'Dockerfile': 'FROM apache/airflow:3.0.2\nCOPY requirements.txt /\nRUN pip install -r /requirements.txt\n',
    }));
    const scheduler = workload(plan, 'airflow-scheduler');
    assert.deepEqual([scheduler.strategy, scheduler.targets.aws?.service, scheduler.targets.gcp?.service], ['replatform', 'aws.mwaa', 'gcp.cloud-composer']);
    assert.equal(scheduler.cost.aws.monthlyUsd, 357.7, 'mw1.small, 730 hours at $0.49');
    assert.equal(scheduler.cost.gcp.complete, false, 'Cloud Composer has no price in the bundled data');
    for (const name of ['airflow-apiserver', 'airflow-worker', 'airflow-triggerer', 'postgres']) {
      const w = workload(plan, name);
      assert.deepEqual([w.strategy, w.targets.aws?.service, w.cost.aws.monthlyUsd], ['retire', 'aws.mwaa', 0], name);
    }
    assert.equal(workload(plan, 'redis').strategy, 'replatform', 'the shop uses the Redis too: it stays');
    assert.equal(workload(plan, 'shop-db').targets.aws?.service, 'aws.rds');
  });
});

describe('Platform.sh and Upsun', () => {
  it('an application, its worker and cron, and the services its relationships name, from .platform.app.yaml and .platform/services.yaml', async () => {
    const plan = await assess(repo({
      '.platform.app.yaml': 'name: app\ntype: php:8.2\ndisk: 2048\nweb:\n  locations:\n    "/": {root: public, passthru: /index.php}\nmounts:\n  "/var": {source: local, source_path: var}\n  "/web/sites/default/files": {source: local, source_path: files}\nrelationships:\n  database: "db:mysql"\n  cache: "rediscache:redis"\ncrons:\n  cleanup:\n    spec: "0 3 * * *"\n    cmd: php bin/console app:cleanup\nworkers:\n  queue:\n    commands:\n      start: php bin/console messenger:consume async\n',
      '.platform/services.yaml': 'db:\n  type: mysql:10.6\n  disk: 2048\nrediscache:\n  type: redis:7.0\nodd:\n  type: quantum-store:1\n',
      '.platform/routes.yaml': '"https://{all}/": {type: upstream, upstream: "app:http"}\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => [w.name, w.kind]), [['app', 'service'], ['app-cleanup', 'scheduled-job'], ['app-queue', 'worker'], ['db', 'datastore'], ['rediscache', 'datastore']]);
    const app = workload(plan, 'app');
    assert.deepEqual([app.targets.aws?.service, app.targets.gcp?.service], ['aws.ecs-fargate', 'gcp.cloud-run']);
    assert.deepEqual(app.dependsOn, ['db', 'rediscache']);
    assert.deepEqual(app.evidence.filter((e) => e.rule.startsWith('volume.')).map((e) => e.rule).sort(), ['volume.scratch', 'volume.uploads']);
    assert.match(workload(plan, 'db').evidence.map((e) => e.message).join(' '), /MariaDB/, "Platform.sh's mysql is MariaDB");
    assert.match(workload(plan, 'db').targets.aws?.sizing.summary ?? '', /2 GiB/);
    assert.ok(!plan.diagnostics.some((d) => d.file === '.platform/routes.yaml'), 'the routes are no descriptor to report');
    assert.deepEqual(plan.diagnostics.filter((d) => d.code === 'platformsh-service-type').map((d) => [d.file, d.line, d.severity]), [['.platform/services.yaml', 7, 'info']], 'a service type it does not know is said, not planned as a VM');
  });

  it("Upsun's .upsun/config.yaml holds the applications and services together", async () => {
    const plan = await assess(repo({
      '.upsun/config.yaml': 'applications:\n  api:\n    type: python:3.12\n    web:\n      commands:\n        start: gunicorn app:app\n    relationships:\n      postgresql:\nservices:\n  postgresql:\n    type: postgresql:16\nroutes:\n  "https://{default}/": {type: upstream, upstream: "api:http"}\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => [w.name, w.kind, w.targets.aws?.service]), [['api', 'service', 'aws.ecs-fargate'], ['postgresql', 'datastore', 'aws.rds']]);
    assert.deepEqual(workload(plan, 'api').dependsOn, ['postgresql']);
    const untyped = await assess(repo({ 'shop/.platform.app.yaml': 'name: shop\nweb:\n  commands: {start: gunicorn app:app}\n' }));
    assert.deepEqual(untyped.diagnostics.filter((d) => d.code === 'platformsh-app-type').map((d) => [d.file, d.severity]), [['shop/.platform.app.yaml', 'warning']], 'an application with no runtime type is said, not silently dropped');
  });
});

describe('a Spark cluster in compose', () => {
  it('the master and its workers are one EMR / Dataproc cluster, its nodes sized like the worker; a notebook server is a workbench, not a service', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': [
        'services:',
        '  spark:\n    image: docker.io/bitnami/spark:3.5\n    environment: [SPARK_MODE=master]\n    ports: ["8080:8080", "7077:7077"]',
        '  spark-worker:\n    image: docker.io/bitnami/spark:3.5\n    environment: [SPARK_MODE=worker, "SPARK_MASTER_URL=spark://spark:7077", SPARK_WORKER_MEMORY=4G, SPARK_WORKER_CORES=2]\n    deploy: {replicas: 2}',
        '  jupyter:\n    image: jupyter/pyspark-notebook:spark-3.5.0\n    ports: ["8888:8888"]',
        '',
      ].join('\n'),
    }));
    const spark = workload(plan, 'spark');
    assert.deepEqual([spark.targets.aws?.service, spark.targets.gcp?.service, spark.targets.aws?.sizing.count], ['aws.emr', 'gcp.dataproc', 3]);
    assert.match(spark.targets.aws?.sizing.basis.join(' ') ?? '', /cpu 2 vCPU \(docker-compose\.yml:\d+\) memory 4096 MiB/);
    assert.doesNotMatch(spark.targets.aws?.sizing.instanceType ?? '', /^t3\./, 'EMR runs no burstable instances');
    assert.doesNotMatch(spark.targets.gcp?.sizing.instanceType ?? '', /^e2-(micro|small|medium)$/, 'nor Dataproc shared-core machines');
    assert.deepEqual([workload(plan, 'spark-worker').strategy, workload(plan, 'spark-worker').cost.aws.monthlyUsd], ['retire', 0]);
    assert.equal(workload(plan, 'jupyter').strategy, 'retire');
  });
});

describe('Dockerfile variants named after an OS', () => {
  it('Dockerfile.alpine beside Dockerfile is a variant, not a base image, though another variant builds FROM arm64v8/alpine', async () => {
    const plan = await assess(repo({
      'Dockerfile': 'FROM golang:1.22 AS build\nRUN go build -o /app\nFROM gcr.io/distroless/static\nCOPY --from=build /app /app\nEXPOSE 8080\nENTRYPOINT ["/app"]\n',
      'Dockerfile.alpine': 'FROM golang:1.22-alpine AS build\nRUN go build -o /app\nFROM alpine:3.20\nCOPY --from=build /app /app\nEXPOSE 8080\nENTRYPOINT ["/app"]\n',
      'Dockerfile.arm64': 'FROM golang:1.22 AS build\nRUN go build -o /app\nFROM arm64v8/alpine\nCOPY --from=build /app /app\nEXPOSE 8080\nENTRYPOINT ["/app"]\n',
      'base/Dockerfile': 'FROM debian:12\nRUN apt-get install -y ca-certificates\n',
      'api/Dockerfile': 'FROM acme/base:1\nEXPOSE 9000\nCMD ["api"]\n',
    }));
    const reasons = Object.fromEntries(plan.notPlanned.map((n) => [n.name, n.reason]));
    assert.equal(reasons.alpine, 'dev-variant');
    assert.equal(reasons.arm64, 'dev-variant');
    assert.equal(reasons.base, 'base-image', 'a project base image others build FROM still is one');
  });
});

describe('a Serverless Framework app on Google Cloud Functions', () => {
  it('provider google is retained on GCP; the AWS column prices the move', async () => {
    const plan = await assess(repo({ 'serverless.yml': 'service: hello\nprovider:\n  name: google\n  runtime: nodejs18\n  memorySize: 256\nplugins: [serverless-google-cloudfunctions]\nfunctions:\n  first:\n    handler: http\n    events: [{http: path}]\n' }));
    const w = workload(plan, 'hello-first');
    assert.deepEqual([w.strategy, w.home], ['retain', 'gcp']);
    assert.ok(w.evidence.some((e) => e.rule === 'home-cloud' && /provider google/.test(e.message)));
  });
});

describe('a Cloud Run service YAML', () => {
  it("a Knative Service with Cloud Run's annotations runs on Cloud Run today: retained on GCP", async () => {
    const plan = await assess(repo({
      'service.yaml': 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: api\n  annotations:\n    run.googleapis.com/ingress: all\nspec:\n  template:\n    metadata:\n      annotations:\n        autoscaling.knative.dev/maxScale: "10"\n    spec:\n      containers:\n        - image: us-docker.pkg.dev/proj/repo/api:1\n          resources: {limits: {cpu: "1", memory: 512Mi}}\n',
      'knative/other.yaml': 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - image: ghcr.io/acme/web:1\n',
    }));
    const api = workload(plan, 'api');
    assert.deepEqual([api.strategy, api.home], ['retain', 'gcp']);
    assert.match(api.evidence.find((e) => e.rule === 'home-cloud')?.message ?? '', /Cloud Run service \(run\.googleapis\.com\/ingress\)/);
    assert.equal(workload(plan, 'web').strategy, 'replatform', 'plain Knative runs on a cluster, not Cloud Run');
  });
});
