import * as assert from 'node:assert/strict';
import { parseCompose, interpolate } from '../src/core/parse/compose';
import { argumentsText, parseDockerfile, installedPackages } from '../src/core/parse/dockerfile';
import { DockerfileParser } from 'dockerfile-ast';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './helpers';
import { parseKubernetes } from '../src/core/parse/kubernetes';
import { parseHelm } from '../src/core/parse/helm';
import { parseHerokuApp, parseProcfile } from '../src/core/parse/heroku';
import { parseCloudFoundry } from '../src/core/parse/cloudfoundry';
import { parseServerless } from '../src/core/parse/serverless';
import { parseAppEngine } from '../src/core/parse/appengine';
import { parseInventory } from '../src/core/parse/inventory';
import { parseRender } from '../src/core/parse/render-blueprint';
import { parseFly } from '../src/core/parse/fly';
import { parseKamal } from '../src/core/parse/kamal';
import { parseRailway } from '../src/core/parse/railway';
import { parseDoAppSpec } from '../src/core/parse/digitalocean';
import { parseAzd } from '../src/core/parse/azd';
import { parseAppRunner } from '../src/core/parse/apprunner';
import { parseNetlify } from '../src/core/parse/netlify';
import { parseCopilot } from '../src/core/parse/copilot';
import { parseTaskDefinition } from '../src/core/parse/ecs';
import { parseCpu, parseMemoryMiB } from '../src/core/units';
import type { PartialWorkload } from '../src/core/types';

const noFiles = { readFile: () => undefined };
const traitsOf = (w: PartialWorkload, name: string) => w.traits.filter((t) => t.name === name);

describe('units', () => {
  it('reads Kubernetes and compose quantities', () => {
    assert.equal(parseCpu('500m'), 0.5);
    assert.equal(parseCpu('2'), 2);
    assert.equal(parseCpu(0.25), 0.25);
    assert.equal(parseCpu('lots'), undefined);
    assert.equal(parseMemoryMiB('512Mi'), 512);
    assert.equal(parseMemoryMiB('1Gi'), 1024);
    assert.equal(Math.round(parseMemoryMiB('1G') as number), 954); // decimal in Kubernetes
    assert.equal(parseMemoryMiB('1G', true), 1024); // binary in compose/CF
    assert.equal(parseMemoryMiB('512M', true), 512);
    assert.equal(parseMemoryMiB('many', true), undefined);
  });
});

describe('Dockerfile parser', () => {
  it("reads an instruction's arguments as dockerfile-ast's getArgumentsContent does, on tricky lines and on every instruction of the corpus' Dockerfiles", () => {
    const texts = [
      'FROM node:20 AS build\nRUN\tnpm ci  \t\nCMD [ "node", "server.js" ]   \r\nHEALTHCHECK --interval=5s CMD curl -f http://x/ || exit 1\nCOPY --from=build /app /srv\nRUN --mount=type=cache,target=/root/.npm npm ci\nUSER\nENTRYPOINT ["/bin/sh", "-c", "echo # not a comment"]\nRUN apt-get install -y \\\n  curl \\\n# a comment between\n  git\nEXPOSE 80 443\r\nVOLUME ["/data"]\n',
      'FROM windows/servercore\nSHELL ["powershell", "-Command"]\nRUN Write-Host `\n  hi\n',
    ];
    const corpus = process.env.CORPUS_DIR ?? path.join(ROOT, '..', 'shared', 'corpus');
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/dockerfile/i.test(e.name)) texts.push(fs.readFileSync(p, 'utf8'));
      }
    };
    if (fs.existsSync(corpus)) walk(corpus);
    let n = 0;
    for (const t of texts) {
      for (const ins of DockerfileParser.parse(t).getInstructions()) {
        assert.equal(argumentsText(ins, ins.getRange()), ins.getArgumentsContent() ?? '', ins.getTextContent());
        n++;
      }
    }
    assert.ok(n > 20, `${n} instructions compared`);
  });
  it('reads EXPOSE of a variable from the ARG or ENV that sets it; one set only at build or run time is a note, not a warning', () => {
    const r = parseDockerfile('FROM node:20\nARG PORT=8080\nENV METRICS=9464\nEXPOSE ${PORT} $METRICS/tcp ${AD_PORT} ${ADMIN_PORT:-9000}\nEXPOSE http\n', 'svc/Dockerfile');
    assert.deepEqual(r.workloads[0].ports, [8080, 9464, 9000]);
    assert.deepEqual(r.diagnostics.map((d) => [d.line, d.severity, d.code]), [[4, 'info', 'dockerfile-expose-variable'], [5, 'warning', 'dockerfile-expose']]);
    assert.match(r.diagnostics[0].message, /AD_PORT has no value in this Dockerfile/);
  });
  const text = [
    'FROM golang:1.23 AS build',
    'RUN go build -o /app .',
    'FROM debian:12-slim',
    'RUN apt-get update && apt-get install -y --no-install-recommends supervisor cron curl \\',
    '    ca-certificates',
    'ENV DB_PASSWORD=hunter2 API_URL=http://localhost:8080',
    'ARG BUILD_TOKEN',
    'EXPOSE 8080 9090',
    'VOLUME /data',
    'USER app',
    'HEALTHCHECK CMD curl -f http://localhost:8080/health',
    'CMD ["supervisord", "-n"]',
  ].join('\n');
  const r = parseDockerfile(text, 'svc/api/Dockerfile');
  const w = r.workloads[0];
  it('names the workload after its folder and reads the final stage', () => {
    assert.equal(w.name, 'api');
    assert.equal(w.kind, 'service');
    assert.deepEqual(w.ports, [8080, 9090]);
    assert.equal(traitsOf(w, 'base-image')[0].value, 'debian:12-slim');
    assert.equal(traitsOf(w, 'base-image')[0].source.line, 3);
  });
  it('finds packages, supervisors, cron, secrets and localhost', () => {
    assert.deepEqual(installedPackages('apt-get install -y supervisor cron curl'), ['supervisor', 'cron', 'curl']);
    const pkgs = traitsOf(w, 'package').map((t) => t.value);
    assert.ok(pkgs.includes('supervisor') && pkgs.includes('ca-certificates'));
    assert.ok(traitsOf(w, 'process-supervisor').length > 0);
    assert.ok(traitsOf(w, 'cron.in-image').length > 0);
    assert.equal(traitsOf(w, 'secret.in-config')[0].value, 'DB_PASSWORD');
    assert.equal(traitsOf(w, 'secret.in-config')[0].source.line, 6);
    assert.equal(traitsOf(w, 'env.localhost')[0].value, 'API_URL');
    assert.equal(traitsOf(w, 'healthcheck').length, 1);
    assert.equal(traitsOf(w, 'volume.declared')[0].value, '/data');
  });
  it('does not take the address a process listens on for a peer on localhost', () => {
    const env = 'ENV HOST=127.0.0.1 BIND_HOST=0.0.0.0 LISTEN_ADDR=[::]:8080 PORT=8080\nENV REDIS_HOST=localhost DATABASE_URL=postgres://127.0.0.1:5432/app WORKER_ADDR=0.0.0.0:9000\n';
    const d = parseDockerfile(`FROM node:20\n${env}CMD ["node", "server.js"]\n`, 'Dockerfile').workloads[0];
    assert.deepEqual(traitsOf(d, 'env.localhost').map((t) => t.value).sort(), ['DATABASE_URL', 'REDIS_HOST']);
  });
  it('recognises Windows base images and Dockerfile.<name> files', () => {
    const win = parseDockerfile('FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD ["app.exe"]\n', 'legacy/Dockerfile.iis');
    assert.equal(win.workloads[0].name, 'legacy-iis');
    assert.equal(traitsOf(win.workloads[0], 'windows').length, 1);
  });
  it('reports a Dockerfile without FROM', () => {
    const bad = parseDockerfile('RUN echo hi\n', 'Dockerfile');
    assert.equal(bad.workloads.length, 0);
    assert.equal(bad.diagnostics[0].code, 'dockerfile-no-from');
  });
});

describe('compose parser', () => {
  it('points a setting brought in by a merge key at the anchor where it is written (both YAML readers)', () => {
    const lines = ['x-risky: &risky', '  privileged: true', 'services:', '  agent:', '    <<: *risky', '    image: agent:1'];
    // The second text has a tab in a comment, which sends it through the library's full parse.
    for (const text of [lines.join('\n') + '\n', lines.join('\n') + '\n#\tnote\n']) {
      const r = parseCompose(text, 'docker-compose.yml', { readFile: () => undefined });
      const t = r.workloads[0].traits.find((x) => x.name === 'privileged');
      assert.equal(t?.source.line, 2, JSON.stringify(t));
    }
  });
  it('interpolates like compose does', () => {
    const vars = new Map([['A', 'x'], ['EMPTY', '']]);
    const unknown = new Set<string>();
    assert.equal(interpolate('${A}-${B:-dflt}-${EMPTY:-e}-${EMPTY-keep}-$$-$A', vars, unknown), 'x-dflt-e--$-x');
    assert.equal(interpolate('${NOPE}', vars, unknown), '');
    assert.deepEqual([...unknown], ['NOPE']);
  });
  it('reads services with anchors, merge keys, extends and host-level settings', () => {
    const text = [
      'x-base: &base',
      '  restart: always',
      '  environment:',
      '    REGION: ${REGION:-eu}',
      'services:',
      '  base-svc:',
      '    image: alpine',
      '    cap_add: [NET_ADMIN]',
      '  api:',
      '    <<: *base',
      '    extends: base-svc',
      '    build: { context: ./api, dockerfile: Dockerfile.prod }',
      '    ports: ["127.0.0.1:8080:80/tcp", { target: 9000, published: 9000 }]',
      '    volumes: [data:/data, ./conf:/etc/conf, /var/run/docker.sock:/var/run/docker.sock]',
      '    depends_on: { db: { condition: service_healthy } }',
      '    deploy:',
      '      replicas: 3',
      '      resources: { limits: { cpus: "0.5", memory: 1g } }',
      '    network_mode: host',
      '    privileged: true',
      '    devices: ["/dev/ttyUSB0"]',
      '    profiles: [prod]',
      '  db:',
      '    image: postgres:16',
      '    deploy: { mode: global }',
      '    environment:',
      '      TOKEN: ${UNSET_TOKEN}',
      'volumes: { data: {} }',
    ].join('\n');
    const r = parseCompose(text, 'docker-compose.yml', noFiles);
    const api = r.workloads.find((w) => w.name === 'api') as PartialWorkload;
    assert.equal(api.buildDockerfile, 'api/Dockerfile.prod');
    assert.deepEqual(api.ports, [80, 9000]);
    assert.equal(api.resources.replicas?.value, 3);
    assert.equal(api.resources.cpu?.value, 0.5);
    assert.equal(api.resources.memoryMiB?.value, 1024);
    assert.equal(api.resources.cpu?.source?.line, 18);
    assert.equal(traitsOf(api, 'volume.named')[0].value, 'data');
    assert.equal(traitsOf(api, 'volume.bind').length, 2);
    assert.equal(traitsOf(api, 'docker-socket').length, 1);
    assert.equal(traitsOf(api, 'host.network').length, 1);
    assert.equal(traitsOf(api, 'privileged')[0].source.line, 20);
    assert.equal(traitsOf(api, 'device').length, 1);
    assert.equal(traitsOf(api, 'capability')[0].value, 'NET_ADMIN', 'extends brings cap_add from base-svc');
    assert.equal(api.env.find((e) => e.name === 'REGION')?.value, 'eu', 'merge key and interpolation default');
    assert.deepEqual(api.dependsOn.map((d) => d.value), ['db']);
    const db = r.workloads.find((w) => w.name === 'db') as PartialWorkload;
    assert.equal(traitsOf(db, 'deploy.global').length, 1);
    const unknownVar = r.diagnostics.find((d) => d.code === 'compose-unknown-variable');
    assert.ok(unknownVar, 'unknown variable is a diagnostic');
    assert.equal(unknownVar?.line, 27);
    assert.equal(unknownVar?.severity, 'warning');
  });
  it('with no .env, the variables without a default are one warning naming them all; with a .env, one per missing name', () => {
    const text = 'services:\n  a:\n    image: "acme/a:${TAG}"\n    ports: ["${PORT}:80"]\n  b:\n    image: "acme/b:${TAG}"\n    environment: { KEY: "${KEY}" }\n';
    const none = parseCompose(text, 'compose.yaml', { readFile: () => undefined }).diagnostics.filter((d) => d.code === 'compose-unknown-variable');
    assert.equal(none.length, 1);
    assert.equal(none[0].line, 3);
    assert.match(none[0].message, /no \.env beside this file: 3 variables with no default \(KEY, PORT, TAG\)/);
    const some = parseCompose(text, 'compose.yaml', { readFile: (p) => (p === '.env' ? 'TAG=1\n' : undefined) }).diagnostics.filter((d) => d.code === 'compose-unknown-variable');
    assert.deepEqual(some.map((d) => [d.line, /Variable (\w+)/.exec(d.message)?.[1]]), [[7, 'KEY'], [4, 'PORT']]);
  });
  it('with no .env, reads the template the project ships for it (env.example), says so once, and still warns about what the template lacks', () => {
    const text = 'services:\n  web:\n    image: "acme/web:${TAG}"\n    ports: ["${HTTP_PORT}:80"]\n    volumes: ["${CONFIG}/web:/config"]\n    environment: { KEY: "${KEY}" }\n';
    const files: Record<string, string> = { 'deploy/env.example': 'TAG=1.2\nHTTP_PORT=8000\nCONFIG=~/.cfg\nUNUSED=1\n', 'deploy/.env.sample': 'TAG=9\n' };
    const r = parseCompose(text, 'deploy/docker-compose.yml', { readFile: (p) => files[p] });
    const web = r.workloads[0];
    assert.equal(traitsOf(web, 'image')[0]?.value, 'acme/web:${TAG}', 'the image as written; the template gave its tag (env.example comes before .env.sample)');
    assert.deepEqual(web.ports, [80]);
    assert.equal(traitsOf(web, 'volume.bind')[0]?.value, '${CONFIG}/web:/config', 'a volume keeps the variable, not the template value');
    const notes = r.diagnostics.filter((d) => d.code === 'compose-env-template');
    assert.equal(notes.length, 1);
    assert.equal(notes[0].severity, 'info');
    assert.equal(notes[0].line, 3);
    assert.match(notes[0].message, /its 3 variables were read from env\.example/);
    const missing = r.diagnostics.filter((d) => d.code === 'compose-unknown-variable');
    assert.deepEqual(missing.map((d) => [d.line, d.message]), [[6, 'Variable KEY is not set in env.example and has no default; it was read as an empty string.']]);
    const withEnv = parseCompose(text, 'deploy/docker-compose.yml', { readFile: (p) => (p === 'deploy/.env' ? 'TAG=2\n' : files[p]) });
    assert.equal(withEnv.diagnostics.filter((d) => d.code === 'compose-env-template').length, 0, 'a .env wins over the template');
    assert.equal(withEnv.diagnostics.filter((d) => d.code === 'compose-unknown-variable').length, 3);
  });
  it('a named volume for a cache or scratch space is no state; a data volume is', () => {
    const text = 'services:\n  ml:\n    image: acme/ml\n    volumes:\n      - model-cache:/cache\n      - work:/var/tmp\n      - models:/models\n      - app-logs:/var/log/ml\n      - reports:/srv/files\n  db:\n    image: postgres\n    volumes: [pgdata:/var/lib/postgresql/data]\nvolumes: { model-cache: {}, work: {}, models: {}, app-logs: {}, reports: {}, pgdata: {} }\n';
    const [ml, db] = parseCompose(text, 'docker-compose.yml', { readFile: () => undefined }).workloads;
    assert.deepEqual(traitsOf(ml, 'volume.scratch').map((t) => t.value), ['model-cache at /cache', 'work at /var/tmp', 'app-logs at /var/log/ml']);
    assert.deepEqual(traitsOf(ml, 'volume.uploads').map((t) => t.value), ['reports at /srv/files']);
    assert.deepEqual(traitsOf(ml, 'volume.named').map((t) => t.value), ['models']);
    assert.deepEqual(traitsOf(db, 'volume.named').map((t) => t.value), ['pgdata']);
  });
  it('a compose file that only includes others has no services of its own, and says nothing about it', () => {
    const r = parseCompose('include:\n  - ../ui/docker-compose.yml\n  - ../cart/docker-compose.yml\n', 'app/docker-compose.yml', { readFile: () => undefined });
    assert.deepEqual(r.diagnostics, []);
    assert.equal(parseCompose('version: "3"\n', 'x/docker-compose.yml', { readFile: () => undefined }).diagnostics[0]?.code, 'compose-no-services');
  });
  it('reads variables from the .env next to the compose file; the plan shows the image as written', () => {
    const r = parseCompose('services:\n  a:\n    image: "redis:${TAG}"\n    deploy: {replicas: "${N}"}\n', 'sub/compose.yaml', { readFile: (p) => (p === 'sub/.env' ? 'TAG=7\nN=3\n' : undefined) });
    assert.equal(r.workloads[0].resources.replicas?.value, 3);
    assert.equal(r.workloads[0].image, 'redis:${TAG}');
    assert.equal(r.diagnostics.length, 0);
  });
});

describe('Kubernetes parser', () => {
  it('reads an OpenShift Template: its objects with the parameters filled in, a blank image from the image-change trigger, the BuildConfig that builds it', () => {
    const text = [
      'apiVersion: template.openshift.io/v1',
      'kind: Template',
      'metadata:',
      '  name: shop',
      'objects:',
      '- apiVersion: build.openshift.io/v1',
      '  kind: BuildConfig',
      '  metadata: {name: "${NAME}"}',
      '  spec:',
      '    strategy:',
      '      type: Source',
      '      sourceStrategy: {from: {kind: ImageStreamTag, namespace: openshift, name: "nodejs:18-ubi8"}}',
      '    output: {to: {kind: ImageStreamTag, name: "${NAME}:latest"}}',
      '- apiVersion: apps.openshift.io/v1',
      '  kind: DeploymentConfig',
      '  metadata: {name: "${NAME}"}',
      '  spec:',
      '    replicas: ${{REPLICAS}}',
      '    triggers:',
      '    - type: ImageChange',
      '      imageChangeParams: {containerNames: [web], from: {kind: ImageStreamTag, name: "${NAME}:latest"}}',
      '    template:',
      '      spec:',
      '        containers:',
      '        - name: web',
      "          image: ' '",
      '          ports: [{containerPort: 8080}]',
      '          resources: {limits: {memory: "${MEMORY_LIMIT}"}}',
      '          env: [{name: SECRET, value: "${SECRET}"}]',
      '- apiVersion: apps.openshift.io/v1',
      '  kind: DeploymentConfig',
      '  metadata: {name: mongodb}',
      '  spec:',
      '    triggers:',
      '    - type: ImageChange',
      '      imageChangeParams: {containerNames: [mongodb], from: {kind: ImageStreamTag, namespace: openshift, name: "mongodb:3.6"}}',
      '    template:',
      '      spec:',
      "        containers: [{name: mongodb, image: ' ', ports: [{containerPort: 27017}]}]",
      'parameters:',
      '- {name: NAME, value: shop-web}',
      '- {name: REPLICAS, value: "2"}',
      '- {name: MEMORY_LIMIT, value: 768Mi}',
      '- {name: SECRET, generate: expression, from: "[a-z]{16}"}',
      '',
    ].join('\n');
    const r = parseKubernetes(text, 'openshift/templates/shop.yaml');
    assert.deepEqual(r.workloads.map((w) => [w.name, w.image, w.resources.replicas?.value]), [['shop-web', 'shop-web:latest', 2], ['mongodb', 'mongodb:3.6', 1]]);
    const [web, db] = r.workloads;
    assert.equal(web.resources.memoryMiB?.value, 768);
    assert.equal(web.resources.memoryMiB?.source?.line, 28, 'cited in the template, where the object writes it');
    assert.equal(traitsOf(web, 'openshift.build')[0]?.value, 'source-to-image on nodejs:18-ubi8');
    assert.equal(traitsOf(web, 'openshift.template')[0]?.value, 'shop');
    assert.equal(web.env.find((e) => e.name === 'SECRET')?.value, '${SECRET}', 'a generated parameter stays as written');
    assert.equal(traitsOf(db, 'image')[0]?.source.line, 36);
    const json = parseKubernetes(JSON.stringify({ kind: 'Template', apiVersion: 'v1', metadata: { name: 'j' }, objects: [{ kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: '${APP}' }, spec: { template: { spec: { containers: [{ name: 'a', image: 'acme/a:1' }] } } } }], parameters: [{ name: 'APP', value: 'api' }] }, null, 2), 'openshift/j.json');
    assert.deepEqual(json.workloads.map((w) => w.name), ['api'], 'a JSON template too');
  });
  const text = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: { name: web }',
    'spec:',
    '  replicas: 2',
    '  template:',
    '    metadata: { labels: { app: web } }',
    '    spec:',
    '      hostNetwork: true',
    '      nodeSelector: { cloud.google.com/gke-accelerator: nvidia-tesla-t4 }',
    '      volumes: [{ name: d, persistentVolumeClaim: { claimName: data } }]',
    '      containers:',
    '        - name: app',
    '          image: registry.example/web:1',
    '          ports: [{ containerPort: 8080 }]',
    '          resources: { requests: { cpu: 250m, memory: 256Mi }, limits: { nvidia.com/gpu: 1 } }',
    '          securityContext: { privileged: true, capabilities: { add: [SYS_ADMIN, SYS_PTRACE] } }',
    '        - name: sidecar',
    '          image: envoy:1',
    '          resources: { requests: { cpu: 100m, memory: 64Mi } }',
    '---',
    'apiVersion: batch/v1beta1',
    'kind: CronJob',
    'metadata: { name: report }',
    'spec:',
    '  schedule: "0 3 * * *"',
    '  jobTemplate: { spec: { template: { spec: { containers: [{ name: r, image: report:1 }] } } } }',
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: { name: ignored }',
    '---',
    'apiVersion: v1',
    'kind: Service',
    'metadata: { name: web }',
    'spec: { selector: { app: web }, ports: [{ port: 80 }] }',
  ].join('\n');
  const r = parseKubernetes(text, 'k8s/all.yaml');
  it('expands a List (kubectl get -o yaml) into its items, each cited at its own line', () => {
    const list = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: listed}\n  spec:\n    replicas: 2\n    template: {spec: {containers: [{name: c, image: acme/listed:1, resources: {requests: {cpu: 250m}}}]}}\n- apiVersion: v1\n  kind: Service\n  metadata: {name: listed}\n  spec: {selector: {app: listed}}\n- apiVersion: v1\n  kind: List\n  items: []\n';
    const r = parseKubernetes(list, 'k8s/export.yaml');
    assert.deepEqual(r.workloads.map((w) => [w.name, w.source.line, w.resources.replicas?.value, w.resources.cpu?.source?.line]), [['listed', 6, 2, 9]]);
    assert.deepEqual(r.aux?.map((a) => [a.kind, a.source.line]), [['Service', 12]]);
  });

  it('reads every document of a multi-document file and ignores other kinds (ConfigMaps are kept for envFrom)', () => {
    assert.deepEqual(r.workloads.map((w) => w.name), ['web', 'report']);
    assert.deepEqual(r.aux?.map((a) => a.kind).sort(), ['ConfigMap', 'Service']);
    assert.equal(r.diagnostics.length, 0);
  });
  it('sums container requests and keeps host access, GPU and volume facts with lines', () => {
    const web = r.workloads[0];
    assert.equal(web.resources.cpu?.value, 0.35);
    assert.equal(web.resources.memoryMiB?.value, 320);
    assert.equal(web.resources.replicas?.value, 2);
    assert.equal(web.resources.gpus?.value, 1);
    assert.equal(traitsOf(web, 'host.network')[0].source.line, 9);
    assert.equal(traitsOf(web, 'privileged')[0].source.line, 17);
    assert.deepEqual(traitsOf(web, 'capability').map((t) => t.value), ['SYS_ADMIN']);
    assert.deepEqual(traitsOf(web, 'capability.benign').map((t) => t.value), ['SYS_PTRACE']);
    assert.equal(traitsOf(web, 'k8s.pvc-ref')[0].value, 'data');
    assert.equal(traitsOf(web, 'gpu.node-selector').length, 1);
    assert.equal(traitsOf(web, 'k8s.sidecar')[0].value, 'sidecar');
  });
  it('reads CronJob schedules and flags removed API versions', () => {
    const cron = r.workloads[1];
    assert.equal(cron.kind, 'scheduled-job');
    assert.equal(traitsOf(cron, 'schedule')[0].value, '0 3 * * *');
    assert.match(String(traitsOf(cron, 'k8s.deprecated-api')[0].value), /batch\/v1beta1/);
    assert.equal(traitsOf(cron, 'k8s.deprecated-api')[0].source.line, 22);
  });
  it('does not parse templated YAML and ignores YAML that is not Kubernetes', () => {
    assert.equal(parseKubernetes('kind: Deployment\napiVersion: apps/v1\nmetadata: { name: {{ .Values.name }} }\n', 't.yaml').workloads.length, 0);
    assert.equal(parseKubernetes('foo: bar\n', 'other.yaml').workloads.length, 0);
  });
  it('reports a broken document and keeps the others', () => {
    const bad = parseKubernetes('apiVersion: v1\nkind: Pod\nmetadata: { name: ok }\nspec: { containers: [{ name: a, image: a }] }\n---\napiVersion: v1\nkind: Pod\nmetadata: [unclosed\n', 'k.yaml');
    assert.deepEqual(bad.workloads.map((w) => w.name), ['ok']);
    assert.equal(bad.diagnostics[0].code, 'yaml-syntax');
    assert.ok(bad.diagnostics[0].line >= 8);
  });
});

describe('Helm parser', () => {
  const chart = 'apiVersion: v2\nname: shop\nversion: 1.0.0\nappVersion: "3.1"\ndependencies:\n  - name: postgresql\n    version: 15.x\n    repository: oci://registry/bitnami\n    condition: postgresql.enabled\n  - name: redis\n    version: 19.x\n    repository: oci://registry/bitnami\n    condition: redis.enabled\n';
  const values = 'replicaCount: 2\nimage:\n  repository: shop/web\nresources:\n  requests: { cpu: 200m, memory: 256Mi }\nautoscaling:\n  enabled: true\n  minReplicas: 2\n  maxReplicas: 10\npersistence:\n  enabled: true\n  size: 8Gi\nservice:\n  port: 8080\npostgresql:\n  enabled: true\n  primary:\n    persistence: { size: 20Gi }\nredis:\n  enabled: false\n';
  const r = parseHelm(chart, 'chart/Chart.yaml', { readFile: (p) => (p === 'chart/values.yaml' ? values : undefined) });
  it('reads values without rendering templates, and enabled subcharts', () => {
    assert.deepEqual(r.workloads.map((w) => w.name), ['shop', 'shop-postgresql']);
    const shop = r.workloads[0];
    assert.equal(shop.image, 'shop/web:3.1');
    assert.equal(shop.resources.minReplicas?.value, 2);
    assert.equal(shop.resources.maxReplicas?.value, 10);
    assert.equal(shop.resources.storageGiB?.value, 8);
    assert.equal(shop.resources.cpu?.source?.file, 'chart/values.yaml');
    assert.equal(r.workloads[1].resources.storageGiB?.value, 20);
    assert.equal(r.workloads[1].image, 'bitnami/postgresql');
  });
});

describe('Heroku parsers', () => {
  it('reads Procfile process types with their lines', () => {
    const r = parseProcfile('web: puma\n# comment\nworker: sidekiq\nclock: clockwork clock.rb\nrelease: rake db:migrate\nurgent: ./bin/urgent\nnot a process\n', 'Procfile');
    assert.deepEqual(r.workloads.map((w) => [w.name, w.kind, w.source.line]), [['web', 'service', 1], ['worker', 'worker', 3], ['clock', 'scheduled-job', 4], ['release', 'job', 5], ['urgent', 'worker', 6]]);
    assert.equal(r.diagnostics[0].line, 7);
  });
  it('reads app.json formation and add-ons', () => {
    const r = parseHerokuApp(JSON.stringify({ stack: 'heroku-22', formation: { web: { quantity: 3, size: 'performance-m' } }, addons: ['heroku-postgresql:standard-0', { plan: 'heroku-redis:premium-0' }, 'papertrail'] }, null, 2), 'app.json');
    const web = r.workloads.find((w) => w.name === 'web') as PartialWorkload;
    assert.equal(web.resources.replicas?.value, 3);
    assert.equal(web.resources.memoryMiB?.value, 2560);
    assert.deepEqual(r.workloads.map((w) => w.name).sort(), ['papertrail', 'postgresql', 'redis', 'web']);
    assert.equal(r.workloads.find((w) => w.name === 'postgresql')?.resources.storageGiB?.value, 64);
  });
  it('ignores an app.json that is not Heroku\'s', () => {
    assert.equal(parseHerokuApp('{"name": "x", "version": "1"}', 'app.json').workloads.length, 0);
  });
});

describe('Cloud Foundry, Serverless and App Engine parsers', () => {
  it('reads CF applications and their bound services', () => {
    const r = parseCloudFoundry('applications:\n- name: api\n  memory: 1G\n  instances: 3\n  buildpacks: [java_buildpack]\n  services: [orders-postgres, mystery-svc]\n- name: worker\n  no-route: true\n  memory: 512M\n', 'manifest.yml');
    assert.deepEqual(r.workloads.map((w) => w.name), ['api', 'worker', 'orders-postgres', 'mystery-svc']);
    assert.equal(r.workloads[0].resources.memoryMiB?.value, 1024);
    assert.equal(r.workloads[0].resources.replicas?.value, 3);
    assert.equal(r.workloads[1].kind, 'worker');
    assert.equal(r.workloads[2].image, 'postgres');
    assert.equal(traitsOf(r.workloads[3], 'cf.service-unknown').length, 1);
  });
  it('reads Serverless functions, events and resources', () => {
    const r = parseServerless('service: shop\nprovider:\n  name: aws\n  runtime: python3.12\n  memorySize: 256\nfunctions:\n  hello:\n    handler: h.main\n    events:\n      - http: { path: /, method: get }\n      - sqs: arn:aws:sqs:eu-west-1:1:q\n  tick:\n    handler: t.main\n    events:\n      - schedule: cron(0 12 * * ? *)\nresources:\n  Resources:\n    Orders:\n      Type: AWS::DynamoDB::Table\n', 'serverless.yml');
    assert.deepEqual(r.workloads.map((w) => w.name), ['shop-hello', 'shop-tick', 'Orders']);
    assert.equal(r.workloads[0].resources.memoryMiB?.value, 256);
    assert.deepEqual(traitsOf(r.workloads[0], 'serverless.event').map((t) => t.value), ['http', 'sqs']);
    assert.equal(traitsOf(r.workloads[1], 'schedule')[0].value, 'cron(0 12 * * ? *)');
  });
  it('reads App Engine app.yaml and ignores other app.yaml files', () => {
    const r = parseAppEngine('runtime: python312\nservice: api\ninstance_class: F2\nautomatic_scaling:\n  min_instances: 1\n  max_instances: 20\nhandlers:\n  - url: /static\n    static_dir: static\n', 'app.yaml');
    assert.equal(r.workloads[0].name, 'api');
    assert.equal(r.workloads[0].resources.memoryMiB?.value, 768);
    assert.equal(r.workloads[0].resources.maxReplicas?.value, 20);
    assert.equal(traitsOf(r.workloads[0], 'static-assets').length, 1);
    assert.equal(parseAppEngine('name: something\nversion: 2\n', 'app.yaml').workloads.length, 0);
  });
});

describe('Render Blueprint parser', () => {
  const blueprint = [
    'services:',
    '  - type: web',
    '    name: api',
    '    runtime: docker',
    '    dockerfilePath: ./backend/Dockerfile',
    '    plan: pro',
    '    scaling: {minInstances: 2, maxInstances: 6, targetCPUPercent: 60}',
    '    disk: {name: uploads, mountPath: /data, sizeGB: 10}',
    '    envVars:',
    '      - key: DATABASE_URL',
    '        fromDatabase: {name: main-db, property: connectionString}',
    '      - key: CACHE_URL',
    '        fromService: {type: keyvalue, name: cache, property: connectionString}',
    '      - key: API_TOKEN',
    '        value: tok-123456',
    '  - type: pserv',
    '    name: search',
    '    image: {url: docker.io/getmeili/meilisearch:v1.8}',
    '    plan: Pro Plus',
    '  - type: cron',
    '    name: digest',
    '    runtime: node',
    '    schedule: "*/30 * * * *"',
    '    startCommand: node digest.js',
    '  - type: keyvalue',
    '    name: cache',
    '    plan: standard',
    '  - type: web',
    '    name: site',
    '    runtime: static',
    '    staticPublishPath: ./dist',
    '  - type: web',
    '    name: legacy',
    '    env: ruby',
    '    plan: huge',
    '    numInstances: lots',
    '  - type: lambda',
    '    name: odd',
    'databases:',
    '  - name: main-db',
    '    plan: pro-16gb',
    '    diskSizeGB: 100',
    '    postgresMajorVersion: 15',
    '    highAvailability: {enabled: true}',
    '    readReplicas: [{name: main-db-replica}]',
    '  - name: old-db',
    '    plan: standard',
    '',
  ].join('\n');
  const r = parseRender(blueprint, 'render.yaml');
  const w = (name: string) => r.workloads.find((x) => x.name === name) as PartialWorkload;
  it('reads services with their instance type, count, disk and the databases and services they are wired to', () => {
    const api = w('api');
    assert.equal(api.kind, 'service');
    assert.equal(api.buildDockerfile, 'backend/Dockerfile');
    assert.deepEqual([api.resources.cpu?.value, api.resources.memoryMiB?.value, api.resources.cpu?.source?.line], [2, 4096, 6]);
    assert.deepEqual([api.resources.minReplicas?.value, api.resources.maxReplicas?.value], [2, 6]);
    assert.equal(api.resources.storageGiB?.value, 10);
    assert.ok(api.traits.some((t) => t.name === 'volume.rwo' && t.value === 'uploads at /data'));
    assert.deepEqual(api.dependsOn.map((d) => [d.value, d.source?.line]), [['main-db', 10], ['cache', 12]]);
    assert.ok(api.traits.some((t) => t.name === 'secret.in-config' && t.value === 'API_TOKEN'));
    assert.equal(w('search').image, 'docker.io/getmeili/meilisearch:v1.8');
    assert.deepEqual([w('search').resources.cpu?.value, w('search').resources.memoryMiB?.value], [4, 8192]);
  });
  it('knows cron jobs, Key Value, static sites and Postgres by their Render types, sizes included', () => {
    assert.equal(w('digest').kind, 'scheduled-job');
    assert.equal(w('digest').traits.find((t) => t.name === 'schedule')?.value, '*/30 * * * *');
    assert.deepEqual([w('cache').kind, w('cache').image, w('cache').resources.memoryMiB?.value], ['datastore', 'redis', 1024]);
    assert.ok(w('site').traits.some((t) => t.name === 'static-site'));
    const db = w('main-db');
    assert.deepEqual([db.kind, db.image, db.resources.memoryMiB?.value, db.resources.storageGiB?.value], ['datastore', 'postgres:15', 16384, 100]);
    assert.ok(db.traits.some((t) => t.name === 'render.high-availability'));
    assert.equal(db.traits.find((t) => t.name === 'render.read-replicas')?.value, 1);
    assert.equal(w('old-db').resources.memoryMiB?.value, 1024);
  });
  it('says at its line what it cannot read, and reads the rest', () => {
    const codes = r.diagnostics.map((d) => `${d.code}@${d.line}`);
    assert.ok(codes.includes('render-plan@35'), codes.join(' '));
    assert.ok(codes.some((c) => c.endsWith('@36')), 'the unreadable instance count');
    assert.ok(codes.includes('render-service@37'), codes.join(' '));
    assert.equal(w('legacy').resources.cpu, undefined);
    assert.equal(r.workloads.length, 8);
  });
  it('plans the production environment of a project, and names the others', () => {
    const r2 = parseRender([
      'projects:',
      '  - name: shop',
      '    environments:',
      '      - name: staging',
      '        services: [{type: web, name: api, runtime: node, plan: starter}]',
      '      - name: production',
      '        services:',
      '          - type: web',
      '            name: api',
      '            runtime: node',
      '            plan: pro',
      '            envVars: [{key: DATABASE_URL, fromDatabase: shop-db}]',
      '        databases: [{name: shop-db, plan: pro-8gb}]',
      '',
    ].join('\n'), 'render.yaml');
    assert.deepEqual(r2.workloads.map((x) => [x.name, x.resources.memoryMiB?.value]), [['api', 4096], ['shop-db', 8192]]);
    assert.deepEqual(r2.workloads[0].dependsOn.map((x) => x.value), ['shop-db']);
    assert.match(r2.diagnostics.find((x) => x.code === 'render-environments')?.message ?? '', /production environment of project shop; its other environments \(staging\)/);
  });
  it('leaves alone a render.yaml of another tool', () => {
    const other = parseRender('width: 1920\nheight: 1080\nservices: {}\n', 'render.yaml');
    assert.equal(other.workloads.length, 0);
    assert.match(other.notDescriptor ?? '', /Render Blueprint/);
  });
});

describe('fly.toml parser', () => {
  const toml = [
    'app = "shop"',
    'primary_region = "ord"',
    '',
    '[build]',
    '  dockerfile = "Dockerfile.fly"',
    '',
    '[deploy]',
    '  release_command = "bin/rails db:prepare"',
    '',
    '[env]',
    '  RAILS_ENV = "production"',
    '  SECRET_KEY_BASE = "abc123def456"',
    '',
    '[processes]',
    '  app = "bin/rails server"',
    '  worker = "bundle exec sidekiq"',
    '',
    '[http_service]',
    '  internal_port = 3000',
    '  auto_stop_machines = "stop"',
    '  min_machines_running = 2',
    '  processes = ["app"]',
    '  [[http_service.checks]]',
    '    path = "/up"',
    '',
    '[[vm]]',
    '  size = "performance-2x"',
    '  processes = ["app"]',
    '',
    '[[vm]]',
    '  memory = "1gb"',
    '  cpus = 2',
    '  processes = ["worker"]',
    '',
    '[[mounts]]',
    '  source = "storage"',
    '  destination = "/rails/storage"',
    '  initial_size = "10gb"',
    '  processes = ["app"]',
    '',
  ].join('\n');
  const r = parseFly(toml, 'web/fly.toml');
  const w = (name: string) => r.workloads.find((x) => x.name === name) as PartialWorkload;
  it('makes a workload of each process group, sized by its own [[vm]], cited at the key', () => {
    assert.deepEqual(r.workloads.map((x) => [x.name, x.kind]), [['shop', 'service'], ['shop-worker', 'worker'], ['shop-release', 'job']]);
    const app = w('shop');
    assert.deepEqual([app.resources.cpu?.value, app.resources.memoryMiB?.value, app.resources.cpu?.source?.line], [2, 4096, 27]);
    assert.deepEqual([app.resources.replicas?.value, app.resources.replicas?.source?.line], [2, 21]);
    assert.deepEqual([app.resources.storageGiB?.value, app.ports], [10, [3000]]);
    assert.equal(app.buildDockerfile, 'web/Dockerfile.fly');
    assert.ok(app.traits.some((t) => t.name === 'healthcheck'));
    assert.ok(app.traits.some((t) => t.name === 'secret.in-config' && t.value === 'SECRET_KEY_BASE' && t.source.line === 12));
    const worker = w('shop-worker');
    assert.deepEqual([worker.resources.cpu?.value, worker.resources.memoryMiB?.value, worker.resources.memoryMiB?.source?.line], [0.5, 1024, 31]);
    assert.ok(worker.traits.some((t) => t.name === 'fly.shared-cpu' && t.value === '2 shared vCPUs'));
    assert.ok(!worker.traits.some((t) => t.name.startsWith('volume.')));
    assert.equal(w('shop-release').traits.find((t) => t.name === 'command')?.value, 'bin/rails db:prepare');
  });
  it('names an app whose fly.toml is a template (app = "{APP_NAME}") after the image it runs', () => {
    const r = parseFly('app = "{APP_NAME}"\n[build]\nimage = \'ghcr.io/0x2e/fusion:latest\'\n[http_service]\ninternal_port = 8080\n', 'fly.toml');
    assert.deepEqual(r.workloads.map((w) => [w.name, w.image, w.ports]), [['fusion', 'ghcr.io/0x2e/fusion:latest', [8080]]]);
  });
  it('reports invalid TOML at its line, and leaves alone a TOML file of another tool', () => {
    const bad = parseFly('app = "x"\n[http_service\ninternal_port = 8080\n', 'fly.toml');
    assert.equal(bad.workloads.length, 0);
    assert.deepEqual([bad.diagnostics[0]?.code, bad.diagnostics[0]?.line], ['toml-syntax', 2]);
    assert.match(parseFly('[tool.black]\nline-length = 100\n', 'fly.toml').notDescriptor ?? '', /fly\.toml/);
  });
});

describe('Kamal parser', () => {
  it('reads the servers of a plain list as the web role, the accessories with their images and ports, and nothing from another tool\'s config/deploy.yml', () => {
    const r = parseKamal('service: blog\nimage: acme/blog\nservers:\n  - 10.0.0.1\n  - 10.0.0.2\n  - 10.0.0.3\nbuilder:\n  dockerfile: docker/Dockerfile.prod\naccessories:\n  redis:\n    image: redis:7\n    port: 6379\n', 'config/deploy.yml');
    assert.deepEqual(r.workloads.map((w) => [w.name, w.kind, w.resources.replicas?.value]), [['blog', 'service', 3], ['blog-redis', 'service', undefined]]);
    assert.equal(r.workloads[0].buildDockerfile, 'docker/Dockerfile.prod');
    assert.deepEqual([r.workloads[1].image, r.workloads[1].ports], ['redis:7', [6379]]);
    assert.match(parseKamal('deploy:\n  branch: main\n  path: /var/www\n', 'config/deploy.yml').notDescriptor ?? '', /Kamal/);
  });
  it('reads a configuration with ERB tags as Kamal would see its shape, and says the tags were not run', () => {
    const r = parseKamal('service: erbapp\nservers:\n  web:\n    - <%= ENV["WEB_HOST"] %>\n<% if ENV["JOBS"] %>\n  job:\n    hosts: [<%= ENV["JOB_HOST"] %>]\n    cmd: bin/jobs\n<% end %>\n', 'config/deploy.yml');
    assert.deepEqual(r.workloads.map((w) => [w.name, w.source.line]), [['erbapp', 3], ['erbapp-job', 6]]);
    assert.deepEqual(r.diagnostics.map((x) => [x.code, x.line]), [['kamal-erb', 4]]);
  });
});

describe('Railway parser', () => {
  const files = new Map([['api/Dockerfile', 'FROM python:3.12-slim\nEXPOSE 8000\n']]);
  const ctx = { readFile: (rel: string) => files.get(rel) };
  it('reads a railway.json with its production overrides, and its pre-deploy command as a job run from the same image', () => {
    const json = '{\n  "build": {"builder": "DOCKERFILE", "dockerfilePath": "Dockerfile"},\n  "deploy": {\n    "healthcheckPath": "/health",\n    "numReplicas": 2,\n    "preDeployCommand": ["alembic upgrade head"]\n  },\n  "environments": {"production": {"deploy": {"numReplicas": 3}}}\n}\n';
    const r = parseRailway(json, 'api/railway.json', ctx);
    assert.deepEqual(r.workloads.map((w) => [w.name, w.kind, w.buildDockerfile]), [['api', 'service', 'api/Dockerfile'], ['api-pre-deploy', 'job', 'api/Dockerfile']]);
    assert.deepEqual([r.workloads[0].resources.replicas?.value, r.workloads[0].resources.replicas?.source?.line], [3, 8]);
    assert.equal(r.workloads[1].traits.find((t) => t.name === 'command')?.value, 'alembic upgrade head');
  });
  it('reads a railway.toml: a bot started from source with no web server is a worker; a cron schedule makes a scheduled job', () => {
    const bot = parseRailway('[build]\nbuilder = "NIXPACKS"\n\n[deploy]\nstartCommand = "node bot.js"\n', 'bot/railway.toml', ctx);
    assert.deepEqual(bot.workloads.map((w) => [w.name, w.kind, w.source.line, w.buildDockerfile]), [['bot', 'worker', 4, undefined]]);
    const cron = parseRailway('[deploy]\nstartCommand = "python report.py"\ncronSchedule = "0 6 * * *"\n', 'jobs/report/railway.toml', ctx);
    assert.deepEqual(cron.workloads.map((w) => [w.name, w.kind, w.traits.find((t) => t.name === 'schedule')?.source.line]), [['report', 'scheduled-job', 3]]);
  });
  it('reports invalid TOML or JSON at its line, and leaves alone a railway.json of another tool', () => {
    assert.deepEqual(parseRailway('[deploy\nx = 1\n', 'railway.toml').diagnostics.map((d) => [d.code, d.line]), [['toml-syntax', 1]]);
    assert.equal(parseRailway('{\n  "deploy": {,}\n}\n', 'railway.json').diagnostics[0]?.line, 2);
    assert.match(parseRailway('{"name": "x"}', 'railway.json').notDescriptor ?? '', /Railway/);
  });
});

describe('DigitalOcean App Platform parser', () => {
  const spec = [
    'name: shop',
    'services:',
    '  - name: api',
    '    dockerfile_path: api/Dockerfile',
    '    http_port: 3000',
    '    instance_size_slug: professional-l',
    '    instance_count: 2',
    '    envs:',
    '      - {key: DATABASE_URL, value: "${db.DATABASE_URL}"}',
    '      - {key: STRIPE_KEY, type: SECRET, value: "EV[1:abc]"}',
    '      - {key: APP_URL, value: "${APP_URL}"}',
    '  - name: web',
    '    image: {registry_type: GHCR, registry: acme, repository: web, tag: "1.2"}',
    '    instance_size_slug: apps-s-1vcpu-0.5gb',
    '    autoscaling: {min_instance_count: 1, max_instance_count: 4}',
    'workers:',
    '  - {name: mailer, dockerfile_path: api/Dockerfile, run_command: node mailer.js}',
    'jobs:',
    '  - {name: migrate, kind: PRE_DEPLOY, run_command: npm run migrate}',
    '  - {name: nightly, kind: SCHEDULED, schedule: {cron: "0 2 * * *"}, run_command: npm run report}',
    'static_sites:',
    '  - {name: docs, output_dir: build}',
    'databases:',
    '  - {name: db, engine: PG, version: "16", production: true, num_nodes: 2}',
    '  - {name: cache, engine: VALKEY}',
    '',
  ].join('\n');
  const r = parseDoAppSpec(spec, '.do/app.yaml');
  const w = (name: string) => r.workloads.find((x) => x.name === name) as PartialWorkload;
  it('reads each component with its instance size, count and bindings, paths from the repository root', () => {
    assert.deepEqual(r.workloads.map((x) => [x.name, x.kind]), [['api', 'service'], ['web', 'service'], ['mailer', 'worker'], ['migrate', 'job'], ['nightly', 'scheduled-job'], ['docs', 'service'], ['db', 'datastore'], ['cache', 'datastore']]);
    const api = w('api');
    assert.deepEqual([api.buildDockerfile, api.ports, api.resources.cpu?.value, api.resources.memoryMiB?.value, api.resources.replicas?.value], ['api/Dockerfile', [3000], 2, 8192, 2]);
    assert.deepEqual(api.dependsOn.map((d) => d.value), ['db']);
    assert.ok(!api.traits.some((t) => t.name === 'secret.in-config'), 'an encrypted SECRET value is no secret in clear');
    const web = w('web');
    assert.deepEqual([web.image, web.resources.cpu?.value, web.resources.memoryMiB?.value, web.resources.maxReplicas?.value], ['ghcr.io/acme/web:1.2', 0.25, 512, 4]);
    assert.equal(w('nightly').traits.find((t) => t.name === 'schedule')?.value, '0 2 * * *');
    assert.ok(w('docs').traits.some((t) => t.name === 'static-site'));
    assert.deepEqual([w('db').image, w('cache').image], ['postgres:16', 'valkey']);
    assert.ok(w('db').traits.some((t) => t.name === 'do.database-nodes' && t.value === 2));
  });
  it('reads a deploy template\'s spec, and names a component the spec leaves unnamed after the app', () => {
    const t = parseDoAppSpec('spec:\n  name: search-api\n  services:\n    - dockerfile_path: Dockerfile\n      github: {repo: acme/search, branch: main}\n', '.do/deploy.template.yaml');
    assert.deepEqual(t.workloads.map((x) => [x.name, x.buildDockerfile]), [['search-api', 'Dockerfile']]);
    assert.match(parseDoAppSpec('name: x\nitems: [1, 2]\n', '.do/other.yaml').notDescriptor ?? '', /App Platform/);
  });
});

describe('Azure Developer CLI parser', () => {
  it('reads each service by its Azure host, built from its project\'s Dockerfile, and the databases azd provisions; an AKS service is left to its manifests', () => {
    const files = new Map([['src/api/Dockerfile', 'FROM node:20\n']]);
    const r = parseAzd([
      'name: todo',
      'services:',
      '  web: {project: ./src/web, language: ts, host: staticwebapp}',
      '  api: {project: ./src/api, language: js, host: containerapp, uses: [db]}',
      '  worker: {project: ./src/worker, language: python, host: function}',
      '  store: {project: ./src/store, host: aks}',
      'resources:',
      '  db: {type: db.postgres}',
      '',
    ].join('\n'), 'azure.yaml', { readFile: (f) => files.get(f) });
    assert.deepEqual(r.workloads.map((w) => [w.name, w.kind, w.buildDockerfile ?? w.image]), [['web', 'service', undefined], ['api', 'service', 'src/api/Dockerfile'], ['worker', 'function', undefined], ['db', 'datastore', 'postgres']]);
    assert.ok(r.workloads[0].traits.some((t) => t.name === 'static-site'));
    assert.deepEqual(r.workloads[1].dependsOn.map((d) => d.value), ['db']);
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.line]), [['azd-aks', 6]]);
    assert.match(parseAzd('name: x\nsteps: [1]\n', 'azure.yaml').notDescriptor ?? '', /Azure Developer CLI/);
  });
});

describe('ECS task definition parser', () => {
  it('reads the task\'s CPU units and memory, its essential container\'s image and ports, and names its sidecars', () => {
    const json = JSON.stringify({ family: 'orders', requiresCompatibilities: ['FARGATE'], cpu: '1 vCPU', memory: '2 GB', containerDefinitions: [
      { name: 'log-router', image: 'amazon/aws-for-fluent-bit', essential: true },
      { name: 'api', image: '<IMAGE>', essential: true, portMappings: [{ containerPort: 3000 }], environment: [{ name: 'API_TOKEN', value: 'abc123def456' }], healthCheck: { command: ['CMD', 'true'] } },
    ] }, null, 2);
    const r = parseTaskDefinition(json, '.aws/task-definition.json');
    const w = r.workloads[0];
    assert.deepEqual([w.name, w.kind, w.image, w.ports, w.resources.cpu?.value, w.resources.memoryMiB?.value], ['orders', 'service', '<IMAGE>', [3000], 1, 2048]);
    assert.equal(w.traits.find((t) => t.name === 'ecs.sidecars')?.value, 'log-router');
    assert.ok(w.traits.some((t) => t.name === 'secret.in-config' && t.value === 'API_TOKEN'));
    assert.ok(w.traits.some((t) => t.name === 'healthcheck'));
  });
  it('reads `describe-task-definition` output and containers sized one by one; leaves alone other JSON', () => {
    const r = parseTaskDefinition(JSON.stringify({ taskDefinition: { family: 'worker', containerDefinitions: [{ name: 'w', image: 'acme/w:1', cpu: 256, memory: 512 }] } }), 'taskdef.json');
    assert.deepEqual(r.workloads.map((w) => [w.name, w.kind, w.resources.cpu?.value, w.resources.memoryMiB?.value]), [['worker', 'worker', 0.25, 512]]);
    assert.match(parseTaskDefinition('{"compilerOptions": {}}', 'taskdef.json').notDescriptor ?? '', /containerDefinitions/);
  });
});

describe('Elastic Beanstalk Dockerrun.aws.json', () => {
  it('reads version 2 container by container (memory, ports, links, hostname) and version 1 as one image', () => {
    const v2 = JSON.stringify({ AWSEBDockerrunVersion: 2, containerDefinitions: [{ name: 'api', image: 'acme/api:1', hostname: 'backend', memory: 256, portMappings: [{ containerPort: 5000 }] }, { name: 'nginx', image: 'acme/nginx', links: ['api:backend'], memory: 128 }] }, null, 2);
    const ws = parseTaskDefinition(v2, 'Dockerrun.aws.json').workloads;
    assert.deepEqual(ws.map((w) => [w.name, w.kind, w.image, w.resources.memoryMiB?.value, w.ports, w.dependsOn.map((d) => d.value)]), [['api', 'service', 'acme/api:1', 256, [5000], []], ['nginx', 'worker', 'acme/nginx', 128, [], ['api']]]);
    assert.ok(ws[0].traits.some((t) => t.name === 'service.alias' && t.value === 'backend'));
    assert.ok(ws.every((w) => w.traits.some((t) => t.name === 'aws.beanstalk')));
    const v1 = parseTaskDefinition('{"AWSEBDockerrunVersion": "1", "Image": {"Name": "acme/web:2"}, "Ports": [{"ContainerPort": 8080}]}', 'web/Dockerrun.aws.json').workloads;
    assert.deepEqual(v1.map((w) => [w.name, w.kind, w.image, w.ports]), [['web', 'service', 'acme/web:2', [8080]]]);
  });
});

describe('AWS Copilot manifest parser', () => {
  const api = fs.readFileSync(path.join(ROOT, 'test/fixtures/paas/copilot/web/manifest.yml'), 'utf8');
  it("sizes a service from its production environment's overrides, cited there, and builds it from image.build", () => {
    const w = parseCopilot(api, 'copilot/api/manifest.yml').workloads[0];
    assert.deepEqual([w.name, w.kind, w.descriptor, w.buildDockerfile, w.ports], ['api', 'service', 'copilot', 'api/Dockerfile', [3001]]);
    assert.deepEqual([w.resources.cpu?.value, w.resources.memoryMiB?.value, w.resources.minReplicas?.value, w.resources.maxReplicas?.value], [1, 2048, 2, 10]);
    assert.equal(w.resources.cpu?.source?.line, 29);
    assert.ok(w.traits.some((t) => t.name === 'aws.copilot' && t.value === 'AWS Copilot Load Balanced Web Service api'));
    assert.ok(w.traits.some((t) => t.name === 'healthcheck'));
    assert.equal(w.env.find((e) => e.name === 'NODE_ENV')?.value, 'production');
  });
  it('reads a worker, a scheduled job and a nested workspace; leaves environments and pipelines alone', () => {
    const worker = parseCopilot('name: worker\ntype: Worker Service\nimage:\n  build:\n    dockerfile: worker/Dockerfile\ncpu: 512\nmemory: 1024\n', 'services/copilot/worker/manifest.yml').workloads[0];
    assert.deepEqual([worker.kind, worker.buildDockerfile, worker.resources.cpu?.value], ['worker', 'services/worker/Dockerfile', 0.5]);
    const job = parseCopilot('name: report\ntype: Scheduled Job\non:\n  schedule: "0 3 * * *"\nimage:\n  location: public.ecr.aws/acme/report:1.4\n', 'copilot/report/manifest.yml').workloads[0];
    assert.deepEqual([job.kind, job.image, job.traits.find((t) => t.name === 'schedule')?.value], ['scheduled-job', 'public.ecr.aws/acme/report:1.4', '0 3 * * *']);
    assert.match(parseCopilot('name: prod\ntype: Environment\n', 'copilot/environments/prod/manifest.yml').notDescriptor ?? '', /Environment/);
    assert.match(parseCopilot('name: pipe\nversion: 1\nstages: []\n', 'copilot/pipelines/main/manifest.yml').notDescriptor ?? '', /no `type`/);
  });
});

describe('inventory parser', () => {
  it('reads declared workloads and reports schema errors at the key, keeping the rest', () => {
    const r = parseInventory('version: 1\nworkloads:\n  - name: engine\n    kind: batch\n    platform: AIX\n    language: COBOL\n    vcpu: 8\n    memoryGb: 32\n  - name: db\n    kind: database\n    database: oracle\n    vcpus: 4\n', 'migration-inventory.yaml');
    assert.deepEqual(r.workloads.map((w) => w.name), ['engine', 'db']);
    assert.equal(r.workloads[0].resources.cpu?.value, 8);
    assert.equal(r.workloads[0].resources.memoryMiB?.value, 32 * 1024);
    const err = r.diagnostics.find((d) => d.code === 'inventory-schema');
    assert.ok(err);
    assert.equal(err?.line, 12);
    assert.match(err?.message ?? '', /unknown key "vcpus"/);
  });
});

describe('App Runner parser', () => {
  it('reads apprunner.yaml: the runtime, command, port and environment, App Runner\'s default instance said, secrets by name only', () => {
    const text = 'version: 1.0\nruntime: nodejs18\nbuild:\n  commands:\n    build:\n      - npm ci\nrun:\n  command: node server.js\n  network:\n    port: 3000\n  env:\n    - name: NODE_ENV\n      value: production\n  secrets:\n    - name: API_KEY\n      value-from: arn:aws:ssm:us-east-1:1:parameter/api-key\n';
    const r = parseAppRunner(text, 'web/apprunner.yaml');
    const [w] = r.workloads;
    assert.deepEqual([w.name, w.kind, w.ports], ['web', 'service', [3000]]);
    assert.equal(traitsOf(w, 'port')[0].source.line, 10);
    assert.equal(traitsOf(w, 'command')[0].value, 'node server.js');
    assert.deepEqual([w.resources.cpu?.value, w.resources.memoryMiB?.value], [1, 2048]);
    assert.match(String(traitsOf(w, 'aws.apprunner')[0].value), /nodejs18/);
    assert.deepEqual(w.env.map((e) => [e.name, e.value]), [['NODE_ENV', 'production'], ['API_KEY', undefined]]);
    assert.deepEqual(traitsOf(w, 'secret.managed').map((t) => t.value), ['API_KEY']);
    const minimal = parseAppRunner('version: 1.0\nruntime: python3\nbuild:\n  commands:\n    build: [pip install -r requirements.txt]\nrun:\n  command: python app.py\n', 'apprunner.yaml').workloads[0];
    assert.deepEqual(minimal.ports, [8080], "App Runner's default port");
    assert.ok(parseAppRunner('version: 1.0\nname: something else\n', 'apprunner.yaml').notDescriptor);
    const noRuntime = parseAppRunner('version: 1.0\nruntime: [python3]\nrun:\n  command: python app.py\n', 'apprunner.yaml');
    assert.deepEqual([noRuntime.workloads.length, noRuntime.diagnostics.map((x) => [x.code, x.severity, x.line])], [0, [['apprunner-runtime', 'warning', 2]]]);
  });
});

describe('Netlify parser', () => {
  it('reads netlify.toml: the published site, its functions folder, the production context first, a framework that renders on request', () => {
    const text = '[build]\n  base = "web/"\n  publish = "dist"\n  command = "npm run build"\n\n[functions]\n  directory = "netlify/functions"\n\n[context.production]\n  command = "npm run build:prod"\n';
    const r = parseNetlify(text, 'netlify.toml');
    assert.deepEqual(r.workloads.map((w) => [w.name, w.kind]), [['web', 'service'], ['web-functions', 'function']]);
    const [site, fns] = r.workloads;
    assert.equal(traitsOf(site, 'static-site')[0].source.line, 3);
    assert.equal(traitsOf(site, 'build.command')[0].value, 'npm run build:prod', 'the production context wins');
    assert.equal(traitsOf(fns, 'netlify.functions')[0].value, 'netlify/functions');
    assert.equal(traitsOf(fns, 'netlify.functions')[0].source.line, 7);
    assert.equal(fns.resources.memoryMiB?.value, 1024);
    const next = parseNetlify('[build]\n  command = "next build"\n  publish = ".next"\n\n[[plugins]]\n  package = "netlify-plugin-cache"\n\n[[plugins]]\n  package = "@netlify/plugin-nextjs"\n', 'apps/shop/netlify.toml');
    assert.deepEqual(next.workloads.map((w) => [w.name, w.ports]), [['shop', [3000]]]);
    assert.equal(traitsOf(next.workloads[0], 'netlify.ssr')[0].source.line, 9, 'cited at the plugin that renders, the second here');
    assert.equal(traitsOf(next.workloads[0], 'static-site').length, 0);
    assert.ok(parseNetlify('[dev]\n  port = 8888\n', 'netlify.toml').notDescriptor);
    assert.equal(parseNetlify('[build\n', 'netlify.toml').diagnostics[0]?.code, 'toml-syntax');
  });
});
