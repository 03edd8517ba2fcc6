import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assess } from '../src/core/plan/assess';
import { MAX_FILE_BYTES } from '../src/core/discover';
import { repo, workload } from './helpers';

const good = 'services:\n  web:\n    image: acme/web:1\n    ports: ["80:80"]\n';

describe('bad input', () => {
  it('reads an App Engine service file under another name than app.yaml', async () => {
    const plan = await assess(repo({
      'app.yaml': 'runtime: python312\ninstance_class: F2\n',
      'worker.yaml': 'runtime: python312\nservice: worker\ninstance_class: B4\nbasic_scaling:\n  max_instances: 3\n',
      'cron.yaml': 'cron:\n  - description: nightly\n    url: /tasks/nightly\n    schedule: every 24 hours\n',
      'config/settings.yaml': 'runtime: fast\nretries: 3\n',
      'minimal/app.yaml': 'runtime: nodejs20\n',
      'tool/app.yaml': 'runtime: fast\nname: something\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name).sort(), ['default', 'worker'], 'app.yaml and minimal/app.yaml are both the default service');
    assert.ok(workload(plan, 'default').sources.some((x) => x.file === 'minimal/app.yaml'), 'an app.yaml of a runtime alone is App Engine');
    assert.ok(!workload(plan, 'default').sources.some((x) => x.file === 'tool/app.yaml'), "another tool's app.yaml is not");
    assert.deepEqual(workload(plan, 'worker').sources.map((x) => `${x.file}:${x.line}`), ['worker.yaml:2']);
  });
  it("reads App Engine's cron.yaml, queue.yaml and index.yaml as evidence on the service they concern, and flags a first-generation runtime", async () => {
    const plan = await assess(repo({
      'app/app.yaml': 'runtime: python27\napi_version: 1\nthreadsafe: false\ninstance_class: F9\nautomatic_scaling:\n  max_instances: lots\nhandlers:\n- url: /.*\n  script: main.app\n',
      'app/worker.yaml': 'runtime: python312\nservice: worker\ninstance_class: B2\nbasic_scaling:\n  max_instances: 2\n',
      'app/cron.yaml': 'cron:\n- description: counts\n  url: /tasks/count\n  schedule: every 20 minutes\n- description: cleanup\n  url: /tasks/cleanup\n  schedule: every 4 hours\n  target: worker\n',
      'app/queue.yaml': 'queue:\n- name: default\n  rate: 1/s\n- name: mail\n  rate: 5/s\n- name: pulled\n  mode: pull\n',
      'app/index.yaml': 'indexes:\n- kind: Person\n  properties:\n  - name: repo\n  - name: entry_date\n',
    }));
    const def = workload(plan, 'default');
    const rule = (w: typeof def, id: string) => w.evidence.find((e) => e.rule === id);
    assert.match(rule(def, 'appengine.cron')?.message ?? '', /\/tasks\/count every 20 minutes.*Cloud Scheduler.*EventBridge Scheduler/);
    assert.equal(rule(def, 'appengine.cron')?.file, 'app/cron.yaml');
    assert.equal(rule(def, 'appengine.cron')?.line, 2);
    assert.match(rule(def, 'appengine.queue')?.message ?? '', /default.*Cloud Tasks.*\(\+1 more\)/, 'two push queues; the pull queue is not a push target');
    assert.match(rule(def, 'appengine.datastore')?.message ?? '', /1 composite index in index.yaml.*Firestore in Datastore mode.*DynamoDB/);
    assert.match(rule(def, 'appengine.legacy-runtime')?.message ?? '', /python27/);
    const worker = workload(plan, 'worker');
    assert.match(rule(worker, 'appengine.cron')?.message ?? '', /\/tasks\/cleanup every 4 hours/, 'a job with a target goes to that service');
    assert.ok(!/\/tasks\/count/.test(rule(worker, 'appengine.cron')?.message ?? ''));
    assert.equal(rule(worker, 'appengine.legacy-runtime'), undefined);
    assert.equal(rule(worker, 'appengine.queue'), undefined);
    const d = plan.diagnostics.filter((x) => x.file === 'app/app.yaml').map((x) => `${x.line}: ${x.message}`);
    assert.ok(d.some((x) => /^4: instance_class "F9" is not an App Engine instance class/.test(x)), d.join('\n'));
    assert.ok(d.some((x) => /^6: max_instances "lots" of default is not a number/.test(x)), d.join('\n'));
  });
  it('a Procfile process that starts a Procfile runner (foreman -f Procfile.heroku) is flagged with the processes it runs in one dyno', async () => {
    const plan = await assess(repo({
      'Procfile': 'web: bundle exec foreman start -f Procfile.heroku\nworker: bundle exec sidekiq\nrelease: bundle exec rails db:migrate\n',
      'Procfile.heroku': 'web: bundle exec puma -C config/puma.rb\nstream: yarn run start\n',
      'other/Procfile': 'web: honcho start\n',
    }));
    const finding = (name: string) => workload(plan, name).evidence.find((e) => e.rule === 'process-supervisor');
    assert.match(finding('web')?.message ?? '', /foreman starts web, stream from Procfile\.heroku.*split the processes into services/);
    assert.equal(finding('web')?.line, 1);
    assert.equal(finding('worker'), undefined, 'sidekiq is one process');
    assert.match(finding('other-web')?.message ?? '', /\(honcho\)/);
  });
  it("reads a Containerfile (Podman's name for a Dockerfile) like a Dockerfile, and as the file a `build: .` builds when there is no Dockerfile", async () => {
    const plan = await assess(repo({
      'docker-compose.yml': 'services:\n  web:\n    build: .\n    depends_on: [db]\n  db:\n    image: postgres:16\n',
      'Containerfile': 'FROM python:3.12-slim\nEXPOSE 8000\nHEALTHCHECK CMD curl -f http://localhost:8000/\nCMD ["gunicorn", "app:app"]\n',
      'Containerfile.dev': 'FROM python:3.12\nCMD ["flask", "run", "--debug"]\n',
      'tools/exporter/Containerfile': 'FROM golang:1.23\nEXPOSE 9100\nCMD ["/exporter"]\n',
    }));
    const web = workload(plan, 'web');
    assert.ok(web.sources.some((x) => x.file === 'Containerfile'), JSON.stringify(web.sources));
    assert.equal(web.kind, 'service', 'its EXPOSE makes it a service');
    assert.ok(!web.evidence.some((e) => e.rule === 'no-healthcheck'), 'its HEALTHCHECK counts');
    assert.ok(!plan.diagnostics.some((d) => d.code === 'build-dockerfile-missing'));
    assert.equal(plan.notPlanned.find((n) => n.sources.some((x) => x.file === 'Containerfile.dev'))?.reason, 'dev-variant');
    assert.ok(plan.workloads.some((w) => w.sources.some((x) => x.file === 'tools/exporter/Containerfile')), 'a Containerfile of its own is planned like a Dockerfile');
  });
  it('reads Dockerfile-prod and Dockerfile_dev like Dockerfile.prod; a suffixed Dockerfile beside the one a deployment builds is its variant', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': 'services:\n  web:\n    build:\n      context: .\n      dockerfile: Dockerfile-prod\n  api:\n    build: ./api\n',
      'Dockerfile-prod': 'FROM node:20\nEXPOSE 3000\nCMD ["node", "server.js"]\n',
      'Dockerfile_dev': 'FROM node:20\nCMD ["npm", "run", "dev"]\n',
      'Dockerfile-lint.json': '{"rules": {}}\n',
      'api/Dockerfile': 'FROM python:3.12\nEXPOSE 8000\nCMD ["gunicorn", "app:app"]\n',
      'api/Dockerfile.arm64': 'FROM arm64v8/python:3.12\nEXPOSE 8000\nCMD ["gunicorn", "app:app"]\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name).sort(), ['api', 'web']);
    assert.equal(workload(plan, 'web').kind, 'service', "Dockerfile-prod's EXPOSE is read");
    assert.ok(!plan.diagnostics.some((d) => d.code === 'build-dockerfile-missing'));
    const why = Object.fromEntries(plan.notPlanned.map((n) => [n.sources[0].file, n.reason]));
    assert.equal(why['Dockerfile_dev'], 'dev-variant');
    assert.equal(why['api/Dockerfile.arm64'], 'dev-variant', 'a variant of the Dockerfile compose builds, not a second api');
    assert.equal(why['Dockerfile-lint.json'], undefined);
  });
  it("Dockerfiles that nothing builds, beside a top-level deployment that runs one image of the project's own built nowhere here, are that image's builds", async () => {
    const compose = 'x-image: &img\n  image: ${CUSTOM_IMAGE:-acme/shop}:${TAG:-v1}\nservices:\n  backend:\n    <<: *img\n    ports: ["8000:8000"]\n  queue:\n    <<: *img\n    command: bench worker\n  db:\n    image: mariadb:11\n';
    const plan = await assess(repo({
      'compose.yaml': compose,
      'images/production/Containerfile': 'FROM python:3.12-slim\nCMD ["start.sh"]\n',
      'images/custom/Dockerfile': 'FROM python:3.12-slim\nCMD ["start.sh"]\n',
      'images/metrics/Dockerfile': 'FROM golang:1.23\nEXPOSE 9100\nCMD ["/exporter"]\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name).sort(), ['backend', 'db', 'metrics', 'queue'], 'an image with a port of its own is still planned');
    const builds = plan.notPlanned.filter((n) => /a build of `acme\/shop:v1`/.test(n.message));
    assert.deepEqual(builds.map((n) => n.sources[0].file).sort(), ['images/custom/Dockerfile', 'images/production/Containerfile']);
    // A collection of examples, each deployed in its own folder, is not one product.
    const collection = await assess(repo({
      'whoami/docker-compose.yml': 'services:\n  whoami:\n    image: acme/whoami:1\n    ports: ["80:80"]\n',
      'pinger/Dockerfile': 'FROM alpine\nCMD ["ping", "example.com"]\n',
    }));
    assert.ok(collection.workloads.some((w) => w.name === 'pinger'));
    // One third-party server at the top (Keycloak) is no product image: the project's own Dockerfiles are its services.
    const thirdParty = await assess(repo({
      'docker-compose.yml': 'services:\n  auth:\n    image: quay.io/keycloak/keycloak:24.0\n    ports: ["8080:8080"]\n',
      'services/worker/Dockerfile': 'FROM python:3.12\nCMD ["python", "worker.py"]\n',
    }));
    assert.ok(thirdParty.workloads.some((w) => w.name === 'worker'));
  });
  it("a compose file's `include`d files are part of its deployment, not variants in other folders; a `services` list is named as such", async () => {
    const plan = await assess(repo({
      'compose.yaml': 'include:\n  - infra/compose.yaml\n  - path: [app/compose.yaml]\nservices:\n  proxy:\n    image: nginx:1.27\n    ports: ["80:80"]\n    depends_on: [web]\n',
      'infra/compose.yaml': 'services:\n  db:\n    image: postgres:16\n  cache:\n    image: redis:7\n',
      'app/compose.yaml': 'services:\n  web:\n    build: .\n    ports: ["8000:8000"]\n    environment:\n      DATABASE_URL: postgres://u:p@db:5432/app\n    depends_on: [db, cache]\n',
      'app/Dockerfile': 'FROM python:3.12\nEXPOSE 8000\nCMD ["gunicorn", "app:app"]\n',
      'dev/compose.yaml': 'services:\n  mailhog:\n    image: mailhog/mailhog\n',
      'broken/docker-compose.yml': 'services:\n  - web\n  - db\n',
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name).sort(), ['cache', 'db', 'proxy', 'web']);
    assert.deepEqual(workload(plan, 'web').dependsOn.sort(), ['cache', 'db']);
    assert.ok(plan.notPlanned.some((n) => n.name === 'mailhog' && n.reason === 'variant'), 'a compose file in a subfolder that nothing includes is still a variant');
    const list = plan.diagnostics.find((d) => d.file === 'broken/docker-compose.yml');
    assert.match(list?.message ?? '', /`services` is a list here/);
    assert.equal(list?.line, 1);
  });
  it("fills a Cloud Foundry manifest's ((variables)) from the vars.yml beside it, and says which ones no vars file here sets", async () => {
    const manifest = '---\napplications:\n- name: music\n  memory: ((memory))\n  instances: ((instances))\n  disk_quota: ((disk))\n  env:\n    GREETING: hello ((who))\n';
    const plan = await assess(repo({ 'manifest.yml': manifest, 'vars.yml': 'memory: 1G\ninstances: 3\nwho: world\n' }));
    const music = workload(plan, 'music');
    assert.equal(music.targets.aws?.sizing.count, 3);
    assert.ok(music.targets.aws?.sizing.basis.includes('memory 1024 MiB (manifest.yml:4)'), music.targets.aws?.sizing.basis.join('; '));
    const info = plan.diagnostics.filter((d) => d.code === 'cf-variable');
    assert.deepEqual(info.map((d) => `${d.line}: ${d.message.slice(0, 10)}`), ['6: ((disk)) i'], 'only the variable vars.yml does not set');
    assert.match(info[0].message, /vars.yml does not set it/);
    const bare = await assess(repo({ 'manifest.yml': manifest }));
    assert.equal(workload(bare, 'music').targets.aws?.sizing.count, 1);
    assert.equal(bare.diagnostics.filter((d) => d.code === 'cf-variable').length, 3, 'memory, instances and disk: not the environment value');
    assert.ok(!bare.diagnostics.some((d) => d.code === 'cf-memory'), 'a variable is not an unreadable memory size');
  });
  it("reads a compose service's dockerfile_inline as its Dockerfile, and links it to no file", async () => {
    const plan = await assess(repo({
      'docker-compose.yml': 'services:\n  web:\n    build:\n      context: .\n      dockerfile_inline: |\n        FROM nginx:1.27\n        COPY dist /usr/share/nginx/html\n        EXPOSE 80\n',
      'Dockerfile': 'FROM python:3.12\nCMD ["python", "tool.py"]\n',
    }));
    const web = workload(plan, 'web');
    assert.equal(web.kind, 'service', 'the inline EXPOSE makes it a service');
    assert.ok(!web.sources.some((x) => x.file === 'Dockerfile'), 'the top-level Dockerfile is not what builds it');
    assert.ok(!plan.diagnostics.some((d) => d.code === 'build-dockerfile-missing'));
  });
  it('says once per tool that Terraform, the AWS CDK or Pulumi describe infrastructure it does not read, and still plans the rest', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': good,
      'infra/main.tf': 'resource "aws_db_instance" "db" {\n  engine = "postgres"\n}\n',
      'infra/variables.tf': 'variable "region" {}\n',
      'cdk/cdk.json': '{"app": "npx ts-node bin/app.ts"}\n',
    }));
    assert.ok(workload(plan, 'web'));
    const notes = plan.diagnostics.filter((d) => d.code === 'infrastructure-as-code');
    assert.deepEqual(notes.map((d) => [d.file, d.severity]), [['cdk/cdk.json', 'info'], ['infra/main.tf', 'info']]);
    assert.match(notes[0].message, /^The AWS CDK describes infrastructure here \(cdk\/cdk.json\)/);
    assert.match(notes[1].message, /^Terraform describes infrastructure here \(infra\/main.tf and 1 more file\).*migration-inventory.yaml/);
  });
  it('reads serverless.json like serverless.yml, and says a serverless.ts is code it does not run', async () => {
    const json = JSON.stringify({ service: 'notes', provider: { name: 'aws', runtime: 'nodejs20.x', memorySize: 512 }, functions: { create: { handler: 'create.main', events: [{ http: { path: 'notes', method: 'post' } }] } } }, null, 2);
    const ts = "import type { AWS } from '@serverless/typescript';\nconst config: AWS = {\n  service: 'orders',\n  provider: { name: 'aws', runtime: 'nodejs20.x' },\n  functions: { hello, goodbye },\n};\nmodule.exports = config;\n";
    const plan = await assess(repo({ 'api/serverless.json': json, 'orders/serverless.ts': ts, 'lib/serverless.js': 'module.exports = () => 42;\n' }));
    assert.deepEqual(plan.workloads.map((w) => w.name), ['notes-create']);
    assert.equal(workload(plan, 'notes-create').targets.aws?.service, 'aws.lambda');
    const d = plan.diagnostics.filter((x) => x.code === 'serverless-code');
    assert.deepEqual(d.map((x) => `${x.file}:${x.line}`), ['orders/serverless.ts:5']);
    assert.match(d[0].message, /functions are not planned/);
  });
  it('a malformed file gets a diagnostic with its line; the rest of the plan is produced', async () => {
    const plan = await assess(repo({ 'docker-compose.yml': good, 'k8s/broken.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n   bad-indent: [\n', 'Procfile': 'web: ok\nthis is not a process line\n' }));
    assert.ok(workload(plan, 'web'));
    const yamlErr = plan.diagnostics.find((d) => d.file === 'k8s/broken.yaml');
    assert.equal(yamlErr?.severity, 'error');
    assert.ok((yamlErr?.line ?? 0) >= 4);
    assert.ok(plan.diagnostics.some((d) => d.file === 'Procfile' && d.line === 2));
  });
  it('a YAML alias bomb is refused quickly with a diagnostic', async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)}]`);
    const plan = await assess(repo({ 'docker-compose.yml': good, 'bomb/compose.yaml': lines.join('\n') + '\nservices: {}\n' }));
    assert.ok(workload(plan, 'web'));
    const d = plan.diagnostics.find((x) => x.file === 'bomb/compose.yaml');
    assert.equal(d?.code, 'yaml-alias-limit');
  });
  it('a huge file and a binary file are skipped with a diagnostic', async () => {
    const dir = repo({ 'docker-compose.yml': good, 'bin/Dockerfile': Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x00, 0x01, 0x02]) });
    fs.writeFileSync(path.join(dir, 'big.yaml'), 'a: b\n'.repeat(Math.ceil(MAX_FILE_BYTES / 5) + 10));
    const plan = await assess(dir);
    assert.ok(workload(plan, 'web'));
    assert.equal(plan.diagnostics.find((d) => d.file === 'big.yaml')?.code, 'file-too-large');
    assert.equal(plan.diagnostics.find((d) => d.file === 'bin/Dockerfile')?.code, 'binary-file');
  });
  it('an unreadable file gets a diagnostic', async function () {
    if (process.getuid?.() === 0) {
      // root reads everything; a dangling path stands in for an unreadable one.
      const dir = repo({ 'docker-compose.yml': good });
      fs.symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'compose.yaml'));
      const plan = await assess(dir);
      assert.ok(workload(plan, 'web'));
      return;
    }
    const dir = repo({ 'docker-compose.yml': good, 'k8s/secret.yaml': 'kind: Pod\napiVersion: v1\n' });
    fs.chmodSync(path.join(dir, 'k8s/secret.yaml'), 0o000);
    const plan = await assess(dir);
    assert.ok(plan.diagnostics.some((d) => d.file === 'k8s/secret.yaml' && d.code === 'unreadable'));
  });
  it('unknown kinds and unknown keys are ignored or reported, never fatal', async () => {
    const plan = await assess(repo({ 'k8s/x.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }\n---\napiVersion: v1\nkind: Secret\nmetadata: { name: s }\n', 'docker-compose.yml': good }));
    assert.deepEqual(plan.workloads.map((w) => w.name), ['web']);
  });
  it('names and values of the wrong type are reported at their line, never planned as workloads', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': good + '  "":\n    image: redis:7\n',
      'heroku/app.json': JSON.stringify({ name: 'shop', formation: { web: { quantity: 1 } }, addons: [null, 5, { plan: 3 }, 'heroku-redis:mini'] }, null, 2),
      'gae/app.yaml': 'runtime: [python]\ninstance_class: F2\n',
    }));
    // The compose web service, and the Heroku app's one good add-on; nothing named "", "5" or "3".
    assert.deepEqual(plan.workloads.map((w) => w.name).sort(), ['heroku-redis', 'web']);
    const at = (file: string, code: string) => plan.diagnostics.filter((d) => d.file === file && d.code === code).map((d) => d.line);
    assert.deepEqual(at('docker-compose.yml', 'compose-service-name'), [good.split('\n').length]);
    assert.deepEqual(at('heroku/app.json', 'heroku-addon'), [9, 10, 11]);
    assert.deepEqual(at('gae/app.yaml', 'appengine-runtime'), [1]);
  });
  it('names that are also JavaScript object keys (__proto__, constructor, toString) are names like any other', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': 'services:\n  __proto__:\n    image: redis:7\n  constructor:\n    image: acme/c:1\n    ports: ["80:80"]\n    depends_on: [__proto__, toString]\n  toString:\n    image: postgres:16\n',
      Procfile: 'web: node server.js\n__proto__: node x.js\nconstructor: node y.js\n',
      'k8s/odd.yaml': 'apiVersion: v1\nkind: constructor\nmetadata: { name: odd }\n',
      '.migration.yaml': 'version: 1\nrules:\n  - id: odd-target\n    when: { trait: kind, equals: service }\n    then: { strategy: replatform, weight: 0.9, target: constructor, priority: 99, forbid: [__proto__, vm], message: odd }\n',
    }));
    for (const w of plan.workloads) assert.ok(['service', 'worker', 'datastore', 'job', 'scheduled-job'].includes(w.kind), `${w.name}: ${String(w.kind)}`);
    assert.equal(workload(plan, 'constructor').targetClass, 'serverless-container');
    const d = plan.diagnostics.find((x) => x.code === 'config-unknown-target');
    assert.equal(d?.line, 3);
    assert.match(d?.message ?? '', /"constructor", "__proto__", which this planner does not know/);
  });
  it('a primary glob that matches no descriptor is reported at its line', async () => {
    const plan = await assess(repo({ 'docker-compose.yml': good, '.migration.yaml': 'version: 1\nprimary:\n  - "k8s/**"\n  - "[unclosed"\n' }));
    const d = plan.diagnostics.filter((x) => x.code === 'config-primary-unmatched');
    assert.deepEqual(d.map((x) => x.line), [3, 4]);
    assert.match(d[0].message, /every descriptor is planned as the deployment/);
    assert.deepEqual(plan.workloads.map((w) => w.name), ['web']);
  });
  it('an invalid .migration.yaml gets a diagnostic at the bad key; valid parts still apply', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': good + '  db:\n    image: postgres:16\n',
      '.migration.yaml': 'version: 1\nregions: { aws: mars-1 }\noverrides:\n  web:\n    strategy: lift-and-pray\n    reason: nope\n  db:\n    strategy: retain\n    reason: stays\nsizng: {}\n',
    }));
    const msgs = plan.diagnostics.filter((d) => d.file === '.migration.yaml');
    assert.ok(msgs.some((d) => d.line === 2), 'bad region');
    assert.ok(msgs.some((d) => d.line === 5 && /must be one of/.test(d.message)), 'bad strategy');
    assert.ok(msgs.some((d) => d.line === 10 && /unknown key "sizng"/.test(d.message)), 'typo key');
    assert.equal(plan.regions.aws, 'us-east-1');
    assert.equal(workload(plan, 'db').strategy, 'retain');
    assert.equal(workload(plan, 'web').strategy, 'replatform');
  });
  it('an override for a workload that does not exist is reported', async () => {
    const plan = await assess(repo({ 'docker-compose.yml': good, '.migration.yaml': 'overrides:\n  ghost: { strategy: retire, reason: gone }\n' }));
    assert.ok(plan.diagnostics.some((d) => d.code === 'override-unknown-workload' && d.line === 2));
  });
  it('.gitignore and node_modules are honoured', async () => {
    const plan = await assess(repo({ 'docker-compose.yml': good, '.gitignore': 'vendor/\n*.local.yml\n', 'vendor/docker-compose.yml': 'services:\n  v:\n    image: v\n', 'docker-compose.local.yml': 'services:\n  l:\n    image: l\n', 'node_modules/x/docker-compose.yml': 'services:\n  n:\n    image: n\n' }));
    assert.deepEqual(plan.workloads.map((w) => w.name), ['web']);
  });
});
