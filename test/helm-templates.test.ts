import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assess } from '../src/core/plan/assess';
import { renderTemplate } from '../src/core/parse/helm-templates';
import { repo, workload } from './helpers';

// A chart as `helm create` writes it, plus a worker component with its own values section, a
// component its values switch off, a test hook and an HPA.
const CHART = 'apiVersion: v2\nname: shop\ntype: application\nversion: 0.1.0\nappVersion: "1.16.0"\n';
const VALUES = `replicaCount: 2
image:
  repository: ghcr.io/acme/shop
  tag: ""
service:
  port: 8080
resources:
  requests:
    cpu: 500m
    memory: 1Gi
autoscaling:
  enabled: true
  minReplicas: 3
  maxReplicas: 12
worker:
  enabled: true
  replicas: 4
  image:
    repository: ghcr.io/acme/shop-worker
    tag: "2.0"
  resources:
    requests: { cpu: "1", memory: 2Gi }
mailer:
  create: false
  image:
    repository: ghcr.io/acme/mailer
`;
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "shop.fullname" . }}
  labels:
    {{- include "shop.labels" . | nindent 4 }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  template:
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          ports:
            - name: http
              containerPort: {{ .Values.service.port }}
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
`;
const WORKER = `{{- if .Values.worker.enabled -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "shop.fullname" . }}-worker
spec:
  replicas: {{ .Values.worker.replicas }}
  template:
    spec:
      containers:
        - name: worker
          image: "{{ .Values.worker.image.repository }}:{{ .Values.worker.image.tag }}"
          {{- with .Values.worker.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
{{- end }}
`;
const MAILER = `{{- if .Values.mailer.create }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: mailer
spec:
  template:
    spec:
      containers:
        - name: mailer
          image: {{ .Values.mailer.image.repository }}
{{- end }}
`;
const HPA = `{{- if .Values.autoscaling.enabled }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "shop.fullname" . }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "shop.fullname" . }}
  minReplicas: {{ .Values.autoscaling.minReplicas }}
  maxReplicas: {{ .Values.autoscaling.maxReplicas }}
{{- end }}
`;
const TEST_POD = `apiVersion: v1
kind: Pod
metadata:
  name: "{{ include "shop.fullname" . }}-test-connection"
  annotations:
    "helm.sh/hook": test
spec:
  containers:
    - name: wget
      image: busybox
`;
const HOOK_TEST = `apiVersion: batch/v1
kind: Job
metadata:
  name: smoke
  annotations:
    helm.sh/hook: test-success
spec:
  template:
    spec:
      containers:
        - name: smoke
          image: curlimages/curl
`;

function shopChart(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'deploy/shop/Chart.yaml': CHART,
    'deploy/shop/values.yaml': VALUES,
    'deploy/shop/templates/_helpers.tpl': '{{- define "shop.fullname" -}}{{ .Chart.Name }}{{- end }}\n',
    'deploy/shop/templates/deployment.yaml': DEPLOYMENT,
    'deploy/shop/templates/worker.yaml': WORKER,
    'deploy/shop/templates/mailer.yaml': MAILER,
    'deploy/shop/templates/hpa.yaml': HPA,
    'deploy/shop/templates/tests/test-connection.yaml': TEST_POD,
    'deploy/shop/templates/smoke.yaml': HOOK_TEST,
    'deploy/shop/templates/migrate.yaml': '{{- $job := index .Values "worker" }}\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{ include "shop.fullname" . }}-migrate\n  annotations:\n    "helm.sh/hook": pre-upgrade,pre-install\nspec:\n  template:\n    spec:\n      containers:\n        - name: migrate\n          image: "{{ $job.image.repository }}:{{ $job.image.tag }}"\n',
    ...extra,
  };
}

describe('Helm templates, rendered with the chart\'s values', () => {
  it('plans each component a chart\'s templates deploy, sized from its own values and cited at its template line', async () => {
    const plan = await assess(repo(shopChart()));
    assert.deepEqual(plan.workloads.map((w) => w.name).sort(), ['shop', 'shop-worker']);
    const worker = workload(plan, 'shop-worker');
    assert.equal(worker.image, 'ghcr.io/acme/shop-worker:2.0');
    assert.equal(worker.targets.aws?.sizing.count, 4);
    assert.equal(worker.targets.aws?.sizing.vcpu, 1);
    assert.ok(worker.targets.aws?.sizing.basis.includes('4 replicas (deploy/shop/templates/worker.yaml:7)'));
    // `toYaml .Values.worker.resources` is cited where the template writes it.
    assert.ok(worker.targets.aws?.sizing.basis.some((b) => b.includes('deploy/shop/templates/worker.yaml:15')), worker.targets.aws?.sizing.basis.join('; '));
    assert.deepEqual(worker.descriptors, ['helm']);
  });
  it('follows the values: the image tag defaults to appVersion, the HPA bounds the replicas, a switched-off component is not planned', async () => {
    const plan = await assess(repo(shopChart()));
    const shop = workload(plan, 'shop');
    assert.equal(shop.image, 'ghcr.io/acme/shop:1.16.0');
    assert.equal(shop.peak.multiplier, 4); // the HPA template, rendered because autoscaling is on: 12 / 3
    assert.equal(shop.targets.aws?.sizing.count, 3);
    assert.ok(!plan.workloads.some((w) => w.name === 'mailer'), 'mailer.create is false');
    assert.ok(!plan.workloads.some((w) => /test|smoke|wget|migrate/.test(w.name)), 'helm hooks are not workloads');
  });
  it('plans each service a generic chart generates with a range over its values', async () => {
    const values = 'image:\n  registry: ghcr.io/acme\nservices:\n  api:\n    replicas: 3\n    port: 8080\n    resources: {requests: {cpu: 500m, memory: 1Gi}}\n  billing:\n    port: 9090\n  nightly:\n    enabled: false\n';
    const tpl = `{{- range $name, $svc := .Values.services }}
{{- if ne $svc.enabled false }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
spec:
  replicas: {{ $svc.replicas | default 1 }}
  template:
    spec:
      containers:
        - name: {{ $name }}
          image: "{{ $.Values.image.registry }}/{{ $name }}:{{ $.Chart.AppVersion }}"
          ports:
            - containerPort: {{ $svc.port }}
          {{- with $svc.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
{{- end }}
{{- end }}
`;
    const plan = await assess(repo({ 'chart/Chart.yaml': 'apiVersion: v2\nname: platform\nversion: 1.0.0\nappVersion: "4.2"\n', 'chart/values.yaml': values, 'chart/templates/services.yaml': tpl }));
    assert.deepEqual(plan.workloads.map((w) => w.name), ['api', 'billing']);
    const api = workload(plan, 'api');
    assert.equal(api.image, 'ghcr.io/acme/api:4.2');
    assert.equal(api.targets.aws?.sizing.count, 3);
    assert.ok(api.targets.aws?.sizing.basis.includes('cpu 0.5 vCPU (chart/templates/services.yaml:19)'), api.targets.aws?.sizing.basis.join('; '));
    assert.equal(workload(plan, 'billing').targets.aws?.sizing.count, 1);
  });
  it('knows a chart\'s one application under the chart\'s name too (Stratos: chart console, Deployment stratos, Cloud Foundry app console)', async () => {
    const dep = (name: string, image: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  template:\n    spec:\n      containers:\n        - name: ${name}\n          image: ${image}\n          ports: [{containerPort: 443}]\n`;
    const plan = await assess(repo({
      'manifest.yml': 'applications:\n  - name: console\n    memory: 1512M\n',
      'deploy/kubernetes/console/Chart.yaml': 'apiVersion: v1\nname: console\nversion: 0.1.0\n',
      'deploy/kubernetes/console/values.yaml': 'images:\n  console: stratos-console\n',
      'deploy/kubernetes/console/templates/deployment.yaml': dep('stratos', 'splatform/{{ .Values.images.console }}:latest'),
      'deploy/kubernetes/console/templates/database.yaml': dep('stratos-db', 'splatform/stratos-mariadb:latest'),
    }));
    assert.deepEqual(plan.workloads.map((w) => w.name).sort(), ['console', 'stratos-db']);
    assert.deepEqual(workload(plan, 'console').descriptors.sort(), ['cloudfoundry', 'helm']);
  });
  it('follows the Bitnami common helpers that charts copy: image, tplvalues and API versions', async () => {
    const tpl = `apiVersion: {{ include "common.capabilities.deployment.apiVersion" . }}
kind: Deployment
metadata:
  name: {{ template "common.names.fullname" . }}-{{ .Values.worker.name }}
  labels: {{- include "common.labels.standard" ( dict "customLabels" .Values.commonLabels "context" $ ) | nindent 4 }}
spec:
  replicas: {{ .Values.worker.replicaCount }}
  template:
    spec:
      containers:
        - name: worker
          image: {{ include "common.images.image" (dict "imageRoot" .Values.worker.image "global" .Values.global) }}
          {{- if .Values.worker.resources }}
          resources: {{- include "common.tplvalues.render" (dict "value" .Values.worker.resources "context" $) | nindent 12 }}
          {{- end }}
`;
    const values = 'global:\n  imageRegistry: ""\ncommonLabels: {}\nworker:\n  name: jobs\n  replicaCount: 2\n  image:\n    registry: docker.io\n    repository: acme/jobs\n    tag: 3.1.0\n  resources:\n    requests: {cpu: 500m, memory: 1Gi}\n';
    const plan = await assess(repo({ 'chart/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 1.0.0\n', 'chart/values.yaml': values, 'chart/templates/worker.yaml': tpl }));
    const w = workload(plan, 'shop-jobs');
    assert.equal(w.image, 'docker.io/acme/jobs:3.1.0');
    assert.equal(w.targets.aws?.sizing.count, 2);
    assert.ok(w.targets.aws?.sizing.basis.includes('cpu 0.5 vCPU (chart/templates/worker.yaml:14)'), w.targets.aws?.sizing.basis.join('; '));
  });
  it('reads a chart\'s own image helper as its image, and writes nothing for an unknown value it would render', () => {
    const values = { image: { registry: 'docker.io', repository: 'bitnami/nginx', tag: '' }, probe: { enabled: true } };
    const r = renderTemplate('image: {{ include "nginx.image" . }}\nprobe: {{- include "common.tplvalues.render" (dict "value" (omit .Values.probe "enabled") "context" $) | nindent 2 }}\n', { values, chartName: 'nginx', appVersion: '1.29.1' });
    assert.equal(r.text, 'image: docker.io/bitnami/nginx:1.29.1\nprobe:\n');
  });
  it('reads the chart from its values when its pod comes from a helper it cannot render', async () => {
    const helperPod = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "shop.fullname" . }}\nspec:\n  template:\n    spec:\n      {{- include "shop.pod" . | nindent 6 }}\n';
    const files = shopChart({ 'deploy/shop/templates/deployment.yaml': helperPod });
    const plan = await assess(repo(files));
    const shop = workload(plan, 'shop');
    assert.equal(shop.image, 'ghcr.io/acme/shop:1.16.0');
    assert.ok(shop.sources.some((s) => s.file === 'deploy/shop/Chart.yaml'));
    assert.ok(shop.targets.aws?.sizing.basis.includes('cpu 0.5 vCPU (deploy/shop/values.yaml:9)'), shop.targets.aws?.sizing.basis.join('; '));
  });
  it('sees a template added or removed on a run from the parse cache', async () => {
    const dir = repo(shopChart({ 'deploy/shop/templates/worker.yaml': '# no worker yet\n' }));
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'cmp-helm-cache-'));
    const first = await assess(dir, { parseCache: cache });
    assert.deepEqual(first.workloads.map((w) => w.name), ['shop']);
    fs.writeFileSync(path.join(dir, 'deploy/shop/templates/worker-deployment.yaml'), WORKER);
    const second = await assess(dir, { parseCache: cache });
    assert.deepEqual(second.workloads.map((w) => w.name).sort(), ['shop', 'shop-worker']);
    fs.rmSync(path.join(dir, 'deploy/shop/templates/worker-deployment.yaml'));
    const third = await assess(dir, { parseCache: cache });
    assert.deepEqual(third.workloads.map((w) => w.name), ['shop']);
  });
  it('never fails on a template it cannot follow: unclosed actions, deep parentheses, odd pipes', async () => {
    const hostile = [
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n{{ if .Values.a \nspec: {}\n',
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ ${'('.repeat(5000)}.Values.x${')'.repeat(5000)} }}\n`,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Values.x | nindent 100000000 }}\n{{ end }}{{ end }}{{ else }}\n',
      'kind: Deployment\n{{- range .Values.items }}\n{{- define "x" }}{{ end }}\n{{ $x := 1 }}{{ | }}{{}}\n',
    ];
    const files: Record<string, string> = { 'c/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\n', 'c/values.yaml': 'image:\n  repository: acme/c\n' };
    hostile.forEach((t, i) => (files[`c/templates/t${i}.yaml`] = t));
    const plan = await assess(repo(files));
    assert.ok(plan.workloads.some((w) => w.name === 'c'));
    for (const t of hostile) assert.equal(typeof renderTemplate(t, { values: {}, chartName: 'c' }).text, 'string');
  });
  it('stays linear on a template built to be slow or to blow up: unclosed actions by the thousand, values written over and over', () => {
    const big: Record<string, string> = {};
    for (let i = 0; i < 2000; i++) big[`key${i}`] = 'x'.repeat(100);
    const unclosed = renderTemplate(`kind: Deployment\n${'{{ "'.repeat(250_000)}`, { values: {}, chartName: 'c' });
    assert.ok(unclosed.text.startsWith('kind: Deployment\n{{ "'), 'an unclosed action is text');
    const oneHuge = renderTemplate(`kind: Deployment\n${'{{ "('.repeat(250_000)}}}\n`, { values: {}, chartName: 'c' });
    assert.equal(oneHuge.text, 'kind: Deployment\n\n');
    const list = Array.from({ length: 1000 }, (_, i) => i);
    const loops = renderTemplate(`${'{{ range $.Values.list }}'.repeat(6)}x${'{{ end }}'.repeat(6)}`, { values: { list }, chartName: 'c' });
    assert.ok(loops.text.length <= 2_000_000, `${loops.text.length} characters`);
    const blowUp = renderTemplate('{{ toYaml .Values | nindent 2 }}\n'.repeat(20_000), { values: big, chartName: 'c' });
    assert.ok(blowUp.text.length <= 9 * (1 << 20), `${blowUp.text.length} characters`);
  });
  it('reads a Helm 2 chart\'s dependencies from requirements.yaml', async () => {
    const plan = await assess(repo({
      'chart/Chart.yaml': 'apiVersion: v1\nname: blog\nversion: 1.0.0\nappVersion: "5"\n',
      'chart/values.yaml': 'image:\n  repository: acme/blog\nservice:\n  port: 80\nmariadb:\n  enabled: true\n',
      'chart/requirements.yaml': 'dependencies:\n  - name: mariadb\n    version: 7.x.x\n    repository: https://charts.example/stable\n    condition: mariadb.enabled\n',
    }));
    const db = workload(plan, 'blog-mariadb');
    assert.equal(db.kind, 'datastore');
    assert.ok(db.sources.some((s) => s.file === 'chart/values.yaml' && s.line === 6), JSON.stringify(db.sources));
    assert.deepEqual(workload(plan, 'blog').dependsOn, ['blog-mariadb']);
  });
  it('evaluates the expressions charts use to pick names and branches', () => {
    const values = { env: 'prod', db: { enabled: false, host: '' }, tags: { a: 1 }, name: 'api' };
    const render = (t: string) => renderTemplate(t, { values, chartName: 'shop', appVersion: '2.1' }).text;
    assert.equal(render('{{ printf "%s-%s" .Release.Name .Values.name | trunc 63 | trimSuffix "-" }}'), 'shop-api');
    assert.equal(render('{{ if eq .Values.env "dev" }}a{{ else if eq .Values.env "prod" }}b{{ else }}c{{ end }}'), 'b');
    assert.equal(render('{{ if and .Values.db.enabled .Values.name }}x{{ else }}y{{ end }}'), 'y');
    assert.equal(render('{{ if or .Values.db.enabled (hasKey .Values.tags "a") }}x{{ end }}'), 'x');
    assert.equal(render('{{ with .Values.db.host }}{{ . }}{{ else }}{{ .Values.name | default "none" | quote }}{{ end }}'), '"api"');
    assert.equal(render('{{ .Values.db.host | default .Chart.AppVersion }}'), '2.1');
    assert.equal(render('{{ if .Capabilities.APIVersions.Has "autoscaling/v2" }}v2{{ else }}v1{{ end }}'), 'v2', 'undecidable: the first branch');
    assert.equal(render('{{ lookup "v1" "Secret" "ns" "n" }}{{ include "shop.labels" . }}{{ $y }}'), '', 'what it cannot know it does not write');
    assert.equal(render('{{ $x := .Values.name }}{{ $x }}-{{ $.Values.env }}'), 'api-prod');
    assert.equal(render('{{ ternary "on" "off" .Values.db.enabled }} {{ coalesce .Values.db.host .Values.name }} {{ .Values.tags | toJson }} {{ replace "-" "_" .Values.name }}{{ if gt (len .Values.tags) 0 }} n{{ end }}'), 'off api {"a":1} api n');
    assert.equal(render('{{- /* Usage: {{ include "shop.name" . }} */ -}}\nname: {{ .Values.name }}'), 'name: api', 'a comment ends at */}}');
    assert.equal(render('{{ range $k, $v := .Values.tags }}{{ $k }}={{ $v }};{{ end }}'), 'a=1;');
    assert.equal(render('{{ range .Values.missing }}x{{ else }}none{{ end }}'), 'none');
    assert.equal(renderTemplate('{{- range $i, $s := .Values.list }}\n- {{ $i }}:{{ $s.n }}{{ end }}', { values: { list: [{ n: 'b' }, { n: 'c' }] }, chartName: 'x' }).text, '\n- 0:b\n- 1:c');
  });
  it('maps every rendered line back to the template line it came from', () => {
    const r = renderTemplate(DEPLOYMENT, { values: { autoscaling: { enabled: false }, replicaCount: 2, image: { repository: 'a' }, service: { port: 80 }, resources: { limits: { cpu: 1, memory: '1Gi' } } }, chartName: 'shop', appVersion: '9' });
    const lines = r.text.split('\n');
    const at = (needle: string) => r.lines[lines.findIndex((l) => l.includes(needle))];
    assert.equal(at('replicas: 2'), 9);
    assert.equal(at('image: "a:9"'), 15);
    assert.equal(at('containerPort: 80'), 18);
    assert.equal(at('cpu: 1'), 20); // inserted by toYaml at line 20
    assert.equal(at('memory: 1Gi'), 20);
  });
});
