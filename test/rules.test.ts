import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { builtInRules, compileRules, effectiveRules, evaluate, evaluateRule, rulesToTry, traitIndex } from '../src/core/classify/rules';
import { discover } from '../src/core/discover';
import { readAndParse } from '../src/core/parse';
import { buildModel } from '../src/core/model';
import type { PartialWorkload } from '../src/core/types';
import { validator } from '../src/core/parse/schemas';
import { effortBucket } from '../src/core/classify';
import { TARGET_CLASSES } from '../src/core/target/size';
import { assessFiles, ROOT, rulesOf, SAMPLES, workload } from './helpers';

const compose = (svc: string) => ({ 'docker-compose.yml': `services:\n${svc}` });

describe('rules as data', () => {
  it('the built-in rules validate against schemas/rules.schema.json', () => {
    const v = validator('rules');
    assert.ok(v({ version: 1, rules: builtInRules() }), JSON.stringify(v.errors));
  });
  it('every target a rule proposes or forbids exists in data/targets.yaml', () => {
    for (const r of builtInRules()) {
      for (const t of [r.then.target, ...(r.then.forbid ?? [])].filter(Boolean)) assert.ok(TARGET_CLASSES[t as string], `${r.id} names unknown target ${t}`);
    }
  });
  it('a workload tries only the rules its traits could satisfy, and no rule it skips would have held (every sample and corpus workload)', () => {
    const corpus = path.join(ROOT, '..', 'shared', 'corpus');
    const roots = [SAMPLES, ...(fs.existsSync(corpus) ? [corpus] : [])].flatMap((d) => fs.readdirSync(d).map((n) => path.join(d, n))).filter((d) => fs.statSync(d).isDirectory());
    const rules = effectiveRules();
    const set = compileRules(rules);
    let tried = 0;
    let all = 0;
    for (const root of roots) {
      const partials: PartialWorkload[] = [];
      for (const f of discover(root).files) for (const w of readAndParse(root, f).workloads) partials.push(w);
      for (const w of buildModel(partials, [], [], []).workloads) {
        const idx = traitIndex(w);
        const chosen = new Set(rulesToTry(set, idx));
        tried += chosen.size;
        all += rules.length;
        rules.forEach((r, i) => {
          const holds = evaluate(r.when, idx) !== undefined;
          const gated = chosen.has(i) ? evaluateRule(set.rules[i], idx) !== undefined : false;
          assert.equal(gated, holds, `${path.basename(root)} ${w.name}: rule ${r.id}`);
        });
      }
    }
    assert.ok(all > 1000 && tried < all / 3, `tried ${tried} of ${all} rule evaluations`);
  });
  it('rule ids are unique', () => {
    const ids = builtInRules().map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
  });
  it('no target class is AWS App Runner', () => {
    for (const [name, c] of Object.entries(TARGET_CLASSES)) assert.notEqual(c.aws.service, 'aws.app-runner', name);
  });
  it('a repository can replace, disable and add rules', () => {
    const base = effectiveRules().length;
    const rules = effectiveRules([{ id: 'datastore.redis', when: { trait: 'image' }, then: { message: 'mine' } }, { id: 'extra.rule', when: { trait: 'image' }, then: { message: 'x' } }], ['gpu']);
    assert.equal(rules.length, base);
    assert.equal(rules.find((r) => r.id === 'datastore.redis')?.then.message, 'mine');
    assert.ok(!rules.some((r) => r.id === 'gpu'));
  });
  it('effort rounds up to the planning scale', () => {
    assert.deepEqual([0, 1, 4, 6, 9, 14, 100].map(effortBucket), [0, 1, 5, 8, 13, 21, 34]);
  });
});

describe('classification signals', () => {
  const datastores: [string, string, string, string][] = [
    ['postgres:16', 'managed-postgres', 'aws.rds', 'gcp.cloud-sql'],
    ['mysql:8', 'managed-mysql', 'aws.rds', 'gcp.cloud-sql'],
    ['mariadb:11', 'managed-mariadb', 'aws.rds', 'gcp.cloud-sql'],
    ['mongo:7', 'managed-mongodb', 'aws.documentdb', 'gcp.firestore'],
    ['redis:7', 'managed-redis', 'aws.elasticache', 'gcp.memorystore'],
    ['memcached:1.6', 'managed-memcached', 'aws.elasticache', 'gcp.memorystore'],
    ['rabbitmq:3-management', 'managed-rabbitmq', 'aws.amazon-mq', 'gcp.pubsub'],
    ['bitnami/kafka:3.7', 'managed-kafka', 'aws.msk', 'gcp.managed-kafka'],
    ['docker.elastic.co/elasticsearch/elasticsearch:8.13.0', 'managed-search', 'aws.opensearch', 'gcp.compute-engine'], // no GKE cluster in the plan: a VM
    ['opensearchproject/opensearch:2', 'managed-search', 'aws.opensearch', 'gcp.compute-engine'],
    ['cassandra:4', 'managed-cassandra', 'aws.keyspaces', 'gcp.bigtable'],
  ];
  for (const [image, cls, aws, gcp] of datastores) {
    it(`${image} → replatform to ${aws} / ${gcp}`, async () => {
      const plan = await assessFiles(compose(`  store:\n    image: ${image}\n    volumes: [data:/data]\nvolumes: { data: {} }\n`));
      const w = workload(plan, 'store');
      assert.equal(w.strategy, 'replatform');
      assert.equal(w.targetClass, cls);
      assert.equal(w.kind, 'datastore');
      assert.equal(w.targets.aws?.service, aws);
      assert.equal(w.targets.gcp?.service, gcp);
      assert.equal(w.evidence[0].file, 'docker-compose.yml');
      assert.equal(w.evidence[0].line, 3);
    });
  }

  for (const image of ['minio/minio:RELEASE.2024-06-04T19-20-08Z', 'chrislusf/seaweedfs:3.68', 'dxflrs/garage:v1.0.0']) {
    it(`${image}, an S3-compatible object store → S3 / Cloud Storage`, async () => {
      const plan = await assessFiles(compose(`  objects:\n    image: ${image}\n    volumes: [data:/data]\nvolumes: { data: {} }\n`));
      const w = workload(plan, 'objects');
      assert.equal(w.kind, 'storage');
      assert.equal(w.targets.aws?.service, 'aws.s3');
      assert.equal(w.targets.gcp?.service, 'gcp.gcs');
    });
  }

  it('stateless HTTP service on one port → serverless containers', async () => {
    const plan = await assessFiles(compose('  api:\n    image: acme/api:1\n    ports: ["8080:8080"]\n    environment: { LOG: info }\n'));
    const w = workload(plan, 'api');
    assert.equal(w.strategy, 'replatform');
    assert.equal(w.targets.aws?.service, 'aws.ecs-fargate');
    assert.equal(w.targets.gcp?.service, 'gcp.cloud-run');
    assert.ok(rulesOf(w).includes('container.stateless-http'));
  });

  it('named volume on a non-database → orchestrator, not serverless; one of uploads → object storage or a shared file system, serverless', async () => {
    const plan = await assessFiles(compose('  cms:\n    image: acme/cms:1\n    ports: ["80:80"]\n    volumes: [content:/var/lib/cms]\n  wiki:\n    image: acme/wiki:1\n    ports: ["80:80"]\n    volumes: [uploads:/var/uploads]\nvolumes: { content: {}, uploads: {} }\n'));
    const w = workload(plan, 'cms');
    assert.equal(w.targets.aws?.service, 'aws.eks');
    assert.equal(w.targets.gcp?.service, 'gcp.gke');
    assert.ok(w.ruledOut.some((r) => r.targetClass === 'serverless-container' && r.rule === 'k8s.stateful'));
    const wiki = workload(plan, 'wiki');
    assert.equal(wiki.targets.aws?.service, 'aws.ecs-fargate');
    assert.ok(wiki.evidence.some((e) => e.rule === 'volume.uploads'));
  });

  it('StatefulSet with a RWO claim → orchestrator', async () => {
    const plan = await assessFiles({ 'k8s/ss.yaml': 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: { name: queue }\nspec:\n  template: { spec: { containers: [{ name: q, image: acme/queue:1 }] } }\n  volumeClaimTemplates:\n    - metadata: { name: data }\n      spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 10Gi } } }\n' });
    const w = workload(plan, 'queue');
    assert.equal(w.targetClass, 'orchestrator');
    assert.equal(w.targets.aws?.sizing.basis.some((b) => b.includes('storage 10 GiB')), true);
  });

  it('DaemonSet and deploy.mode global stay on Kubernetes', async () => {
    const plan = await assessFiles({
      'k8s/ds.yaml': 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: { name: node-agent }\nspec: { template: { spec: { containers: [{ name: a, image: acme/agent:1 }] } } }\n',
      'docker-compose.yml': 'services:\n  collector:\n    image: acme/collector:1\n    deploy: { mode: global }\n',
    });
    assert.equal(workload(plan, 'node-agent').targetClass, 'orchestrator');
    assert.equal(workload(plan, 'collector').targetClass, 'orchestrator');
  });

  it('CRDs next to a workload keep it on Kubernetes', async () => {
    const plan = await assessFiles({ 'k8s/app.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: app }\nspec: { template: { spec: { containers: [{ name: a, image: acme/app:1, ports: [{ containerPort: 80 }] }] } } }\n---\napiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: { name: tls }\nspec: {}\n' });
    const w = workload(plan, 'app');
    assert.ok(rulesOf(w).includes('k8s.operator'));
    assert.ok(w.ruledOut.some((r) => r.targetClass === 'serverless-container'));
  });

  for (const [label, svc, rule] of [
    ['privileged', '    privileged: true\n', 'host.privileged'],
    ['host network', '    network_mode: host\n', 'host.namespaces'],
    ['host PID', '    pid: host\n', 'host.namespaces'],
    ['host IPC', '    ipc: host\n', 'host.namespaces'],
    ['NET_ADMIN capability', '    cap_add: [NET_ADMIN]\n', 'host.capabilities'],
    ['devices', '    devices: ["/dev/sda:/dev/xvda"]\n', 'host.devices'],
    ['docker.sock mount', '    volumes: ["/var/run/docker.sock:/var/run/docker.sock"]\n', 'host.docker-socket'],
  ] as const) {
    it(`${label} → not Fargate/Cloud Run: rehost to a VM`, async () => {
      const plan = await assessFiles(compose(`  tool:\n    image: acme/tool:1\n    ports: ["80:80"]\n${svc}`));
      const w = workload(plan, 'tool');
      assert.ok(rulesOf(w).includes(rule), rulesOf(w).join(','));
      assert.equal(w.strategy, 'rehost');
      assert.equal(w.targets.aws?.service, 'aws.ec2');
      assert.equal(w.targets.gcp?.service, 'gcp.compute-engine');
      assert.ok(w.ruledOut.some((r) => r.targetClass === 'serverless-container'));
    });
  }

  it('SYS_PTRACE alone does not rule out serverless containers', async () => {
    const plan = await assessFiles(compose('  dbg:\n    image: acme/dbg:1\n    ports: ["80:80"]\n    cap_add: [SYS_PTRACE]\n'));
    assert.equal(workload(plan, 'dbg').targets.gcp?.service, 'gcp.cloud-run');
  });

  it('privileged on Kubernetes → a Kubernetes node pool rather than a VM', async () => {
    const plan = await assessFiles({ 'k8s/p.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: net }\nspec: { template: { spec: { hostNetwork: true, containers: [{ name: n, image: acme/net:1, securityContext: { privileged: true } }] } } }\n' });
    const w = workload(plan, 'net');
    assert.equal(w.targets.aws?.service, 'aws.eks');
    assert.ok(rulesOf(w).includes('k8s.host-access'));
  });

  it('a Knative Service → Cloud Run / Fargate with its scale bounds; an Argo Rollout stays on the cluster with its controller', async () => {
    const plan = await assessFiles({
      'k8s/hello.yaml': 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: hello\nspec:\n  template:\n    metadata:\n      annotations:\n        autoscaling.knative.dev/min-scale: "2"\n        autoscaling.knative.dev/max-scale: "10"\n    spec:\n      containers:\n        - image: ghcr.io/acme/hello:1\n          resources: {requests: {cpu: 250m, memory: 256Mi}}\n',
      'rollouts/checkout.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: checkout}\nspec:\n  replicas: 4\n  template:\n    spec:\n      containers: [{name: c, image: ghcr.io/acme/checkout:2, ports: [{containerPort: 8080}]}]\n',
    });
    const hello = workload(plan, 'hello');
    assert.equal(hello.targets.gcp?.service, 'gcp.cloud-run');
    assert.equal(hello.targets.aws?.service, 'aws.ecs-fargate');
    assert.ok(rulesOf(hello).includes('k8s.knative'));
    assert.ok(hello.targets.aws?.sizing.basis.includes('2 replicas (autoscaling minimum, k8s/hello.yaml:9)'), hello.targets.aws?.sizing.basis.join('; '));
    const checkout = workload(plan, 'checkout');
    assert.equal(checkout.targets.aws?.service, 'aws.eks');
    assert.equal(checkout.targets.aws?.sizing.count, 4);
    assert.ok(rulesOf(checkout).includes('k8s.operator'));
  });

  it('a Knative Service beside other custom resources (a Trigger) still goes to Cloud Run; Argo Workflows and CronWorkflows are batch jobs on the cluster, named by generateName or the template they run', async () => {
    const plan = await assessFiles({
      'k8s/hello.yaml': 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: hello}\nspec:\n  template:\n    spec:\n      containers: [{image: ghcr.io/acme/hello:1}]\n---\napiVersion: eventing.knative.dev/v1\nkind: Trigger\nmetadata: {name: on-order}\nspec:\n  broker: default\n  subscriber: {ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: hello}}\n',
      'k8s/etl.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: etl-}\nspec:\n  entrypoint: main\n  templates:\n  - name: main\n    steps: [[{name: extract, template: extract}]]\n  - name: extract\n    container:\n      image: acme/etl:1\n      command: [python, etl.py]\n      resources: {requests: {cpu: "2", memory: 4Gi}}\n',
      'k8s/nightly.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: CronWorkflow\nmetadata: {name: nightly-report}\nspec:\n  schedule: "0 2 * * *"\n  workflowSpec:\n    workflowTemplateRef: {name: report}\n---\napiVersion: argoproj.io/v1alpha1\nkind: WorkflowTemplate\nmetadata: {name: report}\nspec:\n  entrypoint: run\n  templates:\n  - name: run\n    script:\n      image: python:3.12\n      command: [python]\n      source: print(1)\n',
    });
    const hello = workload(plan, 'hello');
    assert.equal(hello.targets.gcp?.service, 'gcp.cloud-run');
    assert.ok(!rulesOf(hello).includes('k8s.operator'), 'Cloud Run serves the Knative API itself');
    const etl = workload(plan, 'etl');
    assert.equal(etl.kind, 'job');
    assert.equal(etl.image, 'acme/etl:1', 'sized from the step that runs a container');
    assert.ok(etl.targets.aws?.sizing.basis.includes('cpu 2 vCPU (k8s/etl.yaml:13)'), etl.targets.aws?.sizing.basis.join('; '));
    const report = workload(plan, 'report');
    assert.equal(report.kind, 'scheduled-job', 'the CronWorkflow and the template it runs are one scheduled job');
    assert.equal(report.image, 'python:3.12');
    assert.ok(!plan.workloads.some((w) => w.name === 'nightly-report'));
  });

  it("a Serverless Framework function depends on the resources its environment and triggers reference with !Ref and !GetAtt", async () => {
    const plan = await assessFiles({
      'serverless.yml': 'service: shop\nprovider: {name: aws, runtime: nodejs20.x}\nfunctions:\n  onOrder:\n    handler: o.h\n    environment: {TOPIC: !Ref Orders}\n    events:\n      - stream: {type: dynamodb, arn: !GetAtt Carts.StreamArn}\n  ping:\n    handler: p.h\nresources:\n  Resources:\n    Orders: {Type: AWS::SNS::Topic}\n    Carts: {Type: AWS::DynamoDB::Table}\n',
    });
    assert.deepEqual(workload(plan, 'shop-onOrder').dependsOn, ['carts', 'orders']);
    assert.deepEqual(workload(plan, 'shop-ping').dependsOn, []);
  });

  it('a Kubernetes Deployment that declares no port is a worker, unless a Service selects it', async () => {
    const dep = (name: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}}\nspec:\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec: {containers: [{name: c, image: acme/${name}:1}]}\n`;
    const plan = await assessFiles({
      'k8s/consumer.yaml': dep('consumer'),
      'k8s/api.yaml': `${dep('api')}---\napiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec: {selector: {app: api}, ports: [{port: 80, targetPort: 8080}]}\n`,
    });
    assert.equal(workload(plan, 'consumer').kind, 'worker');
    assert.ok(!rulesOf(workload(plan, 'consumer')).includes('no-healthcheck'), 'no load balancer asks a worker for a health check');
    assert.equal(workload(plan, 'api').kind, 'service', 'a Service routes requests to it, named port or not');
  });

  it('a function only a schedule triggers is invoked as often as the schedule says, not the assumed request volume', async () => {
    const plan = await assessFiles({
      'serverless.yml': 'service: orders\nprovider: {name: aws, runtime: nodejs20.x, memorySize: 512}\nfunctions:\n  nightly:\n    handler: n.h\n    events:\n      - schedule: rate(1 day)\n  twice:\n    handler: t.h\n    events:\n      - schedule: cron(0 6,18 * * ? *)\n  mixed:\n    handler: m.h\n    events:\n      - schedule: rate(1 hour)\n      - httpApi: {path: /x, method: get}\n',
    });
    const nightly = workload(plan, 'orders-nightly');
    assert.equal(nightly.targets.aws?.sizing.summary, '512 MB, 30 invocations/month');
    assert.ok(nightly.targets.aws?.sizing.basis.some((b) => /30 invocations\/month from its schedule \(rate\(1 day\), serverless.yml:7\)/.test(b)), nightly.targets.aws?.sizing.basis.join('; '));
    assert.equal(workload(plan, 'orders-twice').targets.gcp?.sizing.summary, '512 MB (0.8 GHz), 61 invocations/month');
    assert.match(workload(plan, 'orders-mixed').targets.aws?.sizing.summary ?? '', /1,000,000 invocations\/month/, 'an HTTP event brings the assumed request volume');
  });

  it('an AWS SAM template plans its functions, with the Globals they inherit and their triggers, and its tables and queues, all on AWS today', async () => {
    const template = [
      "AWSTemplateFormatVersion: '2010-09-09'",
      'Transform: AWS::Serverless-2016-10-31',
      'Globals:',
      '  Function:',
      '    MemorySize: 512',
      '    Runtime: python3.12',
      'Resources:',
      '  GetOrder:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Handler: app.handler',
      '      Environment: {Variables: {TABLE: !Ref Orders}}',
      '      Events:',
      '        Get: {Type: Api, Properties: {Path: /orders, Method: get}}',
      '  Nightly:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Handler: report.handler',
      '      MemorySize: 1024',
      '      Events:',
      '        Every: {Type: Schedule, Properties: {Schedule: rate(1 day)}}',
      '  Orders:',
      '    Type: AWS::Serverless::SimpleTable',
      '  Jobs:',
      '    Type: AWS::SQS::Queue',
      '  Api:',
      '    Type: AWS::ECS::Service',
      '  Role:',
      '    Type: AWS::IAM::Role',
      '',
    ].join('\n');
    const plan = await assessFiles({ 'template.yaml': template, 'config/settings.yaml': 'Resources: {a: 1}\n' });
    assert.deepEqual(plan.workloads.map((w) => w.name).sort(), ['GetOrder', 'Jobs', 'Nightly', 'Orders']);
    const get = workload(plan, 'GetOrder');
    assert.equal(get.strategy, 'retain');
    assert.equal(get.home, 'aws');
    assert.match(get.evidence.find((e) => e.rule === 'home-cloud')?.message ?? '', /AWS SAM/);
    assert.ok(get.targets.aws?.sizing.basis.includes('memory 512 MB (template.yaml:5)'), get.targets.aws?.sizing.basis.join('; '));
    assert.equal(workload(plan, 'Nightly').targets.aws?.sizing.summary, '1024 MB, 30 invocations/month');
    assert.equal(workload(plan, 'Orders').targets.aws?.service, 'aws.dynamodb');
    assert.equal(workload(plan, 'Jobs').targets.gcp?.service, 'gcp.pubsub');
    assert.deepEqual(get.dependsOn, ['orders'], 'its !Ref to the table is a dependency');
    const left = plan.diagnostics.filter((d) => d.code === 'cfn-not-planned');
    assert.deepEqual(left.map((d) => `${d.file}:${d.line} ${d.severity}`), ['template.yaml:26 info']);
    assert.match(left[0].message, /creates Api \(AWS::ECS::Service\), which the plan does not size/);
    assert.deepEqual(workload(plan, 'Nightly').dependsOn, []);
  });

  it('a Gateway API HTTPRoute is the ingress of the Services it names, and a Backstage catalog entry a listing: neither is an operator\'s custom resource', async () => {
    const plan = await assessFiles({
      'k8s/store.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: store}\nspec:\n  selector: {matchLabels: {app: store}}\n  template:\n    metadata: {labels: {app: store}}\n    spec: {containers: [{name: c, image: acme/store:1, ports: [{containerPort: 8080}]}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: store-svc}\nspec: {selector: {app: store}, ports: [{port: 80, targetPort: 8080}]}\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: store-route}\nspec:\n  rules: [{backendRefs: [{name: store-svc, port: 80}]}]\n',
    });
    assert.ok(!rulesOf(workload(plan, 'store')).includes('k8s.operator'));
    const listed = await assessFiles({
      'deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: store}\nspec:\n  template:\n    spec: {containers: [{name: c, image: acme/store:1, ports: [{containerPort: 8080}]}]}\n',
      'catalog-info.yaml': 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: store}\nspec: {type: service, lifecycle: production, owner: team-a}\n',
    });
    assert.ok(!rulesOf(workload(listed, 'store')).includes('k8s.operator'), "Backstage's catalog entry is no custom resource an operator serves");
    assert.ok(plan.shared.aws.lines.some((l) => l.resource === 'Application Load Balancer (EKS ingress)'));
  });

  it('a KEDA ScaledObject gives its Deployment autoscaling bounds, as an HPA does', async () => {
    const plan = await assessFiles({
      'k8s/worker.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: consumer}\nspec:\n  replicas: 1\n  template: {spec: {containers: [{name: c, image: acme/consumer:1}]}}\n---\napiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: consumer-scaler}\nspec:\n  scaleTargetRef: {name: consumer}\n  minReplicaCount: 2\n  maxReplicaCount: 30\n  triggers: [{type: rabbitmq, metadata: {queueName: jobs}}]\n',
    });
    const basis = workload(plan, 'consumer').targets.aws?.sizing.basis ?? [];
    assert.ok(basis.includes('2 replicas (autoscaling minimum, k8s/worker.yaml:10)'), basis.join('; '));
    assert.ok(basis.includes('up to 30 (k8s/worker.yaml:10)'), basis.join('; '));
  });

  it('GPU requests → GPU instances', async () => {
    const plan = await assessFiles({ 'k8s/gpu.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: infer }\nspec: { template: { spec: { containers: [{ name: i, image: acme/infer:1, resources: { limits: { nvidia.com/gpu: 1 }, requests: { cpu: "2", memory: 8Gi } } }] } } }\n' });
    const w = workload(plan, 'infer');
    assert.equal(w.targetClass, 'gpu-vm');
    // The same GPU on both clouds (NVIDIA L4), each priced from the pack: EC2 G6 and Compute Engine G2.
    assert.equal(w.targets.aws?.sizing.instanceType, 'g6.xlarge');
    assert.equal(w.targets.gcp?.sizing.instanceType, 'g2-standard-4');
    assert.equal(w.cost.aws.lines[0].unitPriceUsd, 0.8048); // karpenter-provider-aws, g6.xlarge Linux on-demand, us-east-1
    assert.equal(w.cost.gcp.lines[0].unitPriceUsd, 0.706832255); // Cyclenerd, g2-standard-4 on-demand, us-central1
    assert.ok(w.cost.aws.complete && w.cost.gcp.complete);
  });

  it('Windows base image → Windows hosts, no Cloud Run', async () => {
    const plan = await assessFiles({ 'legacy/Dockerfile': 'FROM mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2019\nEXPOSE 80\n', 'docker-compose.yml': 'services:\n  legacy:\n    build: ./legacy\n    ports: ["80:80"]\n    platform: windows/amd64\n' });
    const w = workload(plan, 'legacy');
    assert.equal(w.targetClass, 'windows-vm');
    assert.equal(w.strategy, 'rehost');
    assert.notEqual(w.targets.gcp?.service, 'gcp.cloud-run');
    // EC2 bills Windows licence included: the cheapest type that fits with a published Windows price.
    assert.ok(w.cost.aws.lines.some((l) => l.priceKey === 'ec2/windows/t3.medium' && l.monthlyUsd === 43.8), JSON.stringify(w.cost.aws.lines));
    // Compute Engine bills the machine and the Windows licence apart, both from the reference data.
    assert.ok(w.cost.gcp.lines.some((l) => /^compute\/windows-licence\//.test(l.priceKey) && l.monthlyUsd !== null), JSON.stringify(w.cost.gcp.lines));
    assert.ok(w.cost.aws.complete && w.cost.gcp.complete);
    // Like for like: GCP is sized to the same 2 vCPU / 4 GiB that the priced Windows type has.
    assert.equal(w.targets.gcp?.sizing.instanceType, 'e2-medium');
    assert.ok(w.targets.gcp?.sizing.basis.some((b) => /sized as t3\.medium .* on both clouds/.test(b)));
  });

  it('CronJob, Heroku clock and cron in a Dockerfile → scheduled jobs', async () => {
    const plan = await assessFiles({
      'k8s/c.yaml': 'apiVersion: batch/v1\nkind: CronJob\nmetadata: { name: nightly }\nspec: { schedule: "0 1 * * *", jobTemplate: { spec: { template: { spec: { containers: [{ name: n, image: acme/n:1 }] } } } } }\n',
      'Procfile': 'clock: bundle exec clockwork clock.rb\n',
      'cron/Dockerfile': 'FROM alpine\nRUN apk add --no-cache dcron\nCMD ["crond", "-f"]\n',
    });
    for (const name of ['nightly', 'clock', 'cron']) {
      const w = workload(plan, name);
      assert.equal(w.targetClass, 'scheduled-job', name);
      assert.equal(w.targets.aws?.note, 'EventBridge Scheduler starting a Fargate task');
      assert.equal(w.targets.gcp?.service, 'gcp.cloud-run-jobs');
    }
    assert.ok(workload(plan, 'nightly').targets.aws?.sizing.basis.some((b) => b.includes('30.42 runs/month')));
  });

  it('Heroku dynos and add-ons → managed equivalents', async () => {
    const plan = await assessFiles({ Procfile: 'web: puma\nworker: sidekiq\n', 'app.json': JSON.stringify({ formation: { web: { quantity: 2, size: 'standard-2x' } }, addons: ['heroku-postgresql:standard-0', 'heroku-redis:premium-0', 'papertrail', 'sendgrid'] }) });
    assert.equal(workload(plan, 'web').targets.gcp?.service, 'gcp.cloud-run');
    assert.equal(workload(plan, 'worker').targets.aws?.service, 'aws.ecs-fargate');
    assert.equal(workload(plan, 'postgresql').targets.gcp?.service, 'gcp.cloud-sql');
    assert.equal(workload(plan, 'redis').targets.aws?.service, 'aws.elasticache');
    assert.equal(workload(plan, 'papertrail').targets.gcp?.service, 'gcp.cloud-logging');
    assert.equal(workload(plan, 'sendgrid').targets.aws?.service, 'aws.saas');
  });

  it('CF apps → serverless containers; bound services → managed services', async () => {
    const plan = await assessFiles({ 'manifest.yml': 'applications:\n- name: orders\n  memory: 1G\n  instances: 2\n  services: [orders-mysql]\n' });
    assert.equal(workload(plan, 'orders').targets.gcp?.service, 'gcp.cloud-run');
    assert.equal(workload(plan, 'orders-mysql').targets.aws?.service, 'aws.rds');
    assert.deepEqual(workload(plan, 'orders').dependsOn, ['orders-mysql']);
  });

  it('Serverless functions → Lambda / Cloud Functions, with event mapping noted', async () => {
    const plan = await assessFiles({ 'serverless.yml': 'service: s\nprovider: { name: aws, runtime: nodejs20.x }\nfunctions:\n  f:\n    handler: f.h\n    events: [{ sqs: arn:aws:sqs:x }]\n' });
    const w = workload(plan, 's-f');
    assert.equal(w.targets.aws?.service, 'aws.lambda');
    assert.equal(w.targets.gcp?.service, 'gcp.cloud-functions');
    assert.ok(rulesOf(w).includes('serverless.queue-trigger'));
  });

  it('COBOL on AIX → rewrite (emulator noted); DB2 and Oracle → managed engines with licence notes', async () => {
    const plan = await assessFiles({ 'migration-inventory.yaml': 'workloads:\n  - { name: engine, kind: batch, platform: AIX, language: COBOL, vcpu: 8, memoryGb: 32 }\n  - { name: db2, kind: database, database: DB2, vcpu: 8, memoryGb: 64 }\n  - { name: ora, kind: database, database: Oracle }\n  - { name: legacy-win, kind: vm, platform: Windows Server 2008, vcpu: 2, memoryGb: 4 }\n  - { name: lake, kind: data-platform, platform: Cloudera CDH, vcpu: 16, memoryGb: 64, instances: 3, storageGb: 1000 }\n' });
    const engine = workload(plan, 'engine');
    assert.equal(engine.strategy, 'rewrite');
    assert.ok(engine.notes.some((n) => /emulator/i.test(n)));
    assert.ok(engine.confidence >= 0.7);
    const db2 = workload(plan, 'db2');
    assert.equal(db2.strategy, 'replatform');
    assert.equal(db2.targets.aws?.service, 'aws.rds');
    assert.ok(db2.notes.some((n) => /licen/i.test(n)));
    const ora = workload(plan, 'ora');
    assert.equal(ora.targetClass, 'managed-oracle');
    // RDS for Oracle Enterprise, bring your own licence; on Compute Engine the database keeps its data on a disk.
    assert.match(ora.cost.aws.lines[0].priceKey, /^rds\/db\.[^/]+\/oracle-ee-byol\/single-az$/);
    assert.ok(ora.cost.aws.lines.some((l) => l.priceKey === 'rds/storage/gp3/gb-month'));
    assert.ok(ora.cost.gcp.lines.some((l) => l.priceKey === 'pd/balanced/gb-month' && l.monthlyUsd !== null), JSON.stringify(ora.cost.gcp.lines));
    // Db2: no published RDS price in the data, and the line says so.
    assert.equal(db2.cost.aws.lines[0].missing, 'no published price in the bundled data');
    const win = workload(plan, 'legacy-win');
    assert.equal(win.strategy, 'rehost');
    assert.equal(win.blockers.length, 1);
    assert.equal(workload(plan, 'lake').targets.aws?.service, 'aws.emr');
  });

  it('supervisors, literal IPs, localhost, secrets, deprecated APIs and OpenShift kinds are evidence and effort, not a different R', async () => {
    const plan = await assessFiles({
      'app/Dockerfile': 'FROM python:3.12\nRUN pip install supervisor\nRUN apt-get install -y supervisor\nENV API_TOKEN=abc\nEXPOSE 8000\nCMD ["supervisord"]\n',
      'docker-compose.yml': 'services:\n  app:\n    build: ./app\n    ports: ["8000:8000"]\n    environment:\n      UPSTREAM: http://10.1.2.3:8080\n      CACHE: redis://localhost:6379\n',
      'k8s/old.yaml': 'apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: { name: old }\nspec: { template: { spec: { containers: [{ name: o, image: acme/old:1 }] } } }\n---\napiVersion: apps.openshift.io/v1\nkind: DeploymentConfig\nmetadata: { name: osapp }\nspec: { template: { spec: { containers: [{ name: o, image: acme/os:1 }] } } }\n',
    });
    const app = workload(plan, 'app');
    for (const r of ['process-supervisor', 'env.literal-ip', 'env.localhost', 'secret.in-config']) assert.ok(rulesOf(app).includes(r), r);
    assert.equal(app.strategy, 'replatform');
    assert.ok(app.effort >= 8);
    const secret = app.evidence.find((e) => e.rule === 'secret.in-config');
    assert.equal(secret?.file, 'app/Dockerfile');
    assert.equal(secret?.line, 4);
    assert.ok(rulesOf(workload(plan, 'old')).includes('k8s.deprecated-api'));
    assert.ok(rulesOf(workload(plan, 'osapp')).includes('openshift'));
  });

  it('conflicting evidence lowers confidence and says so', async () => {
    const plan = await assessFiles(compose('  mixed:\n    image: postgres:16\n    privileged: true\n'));
    const w = workload(plan, 'mixed');
    assert.equal(w.strategy, 'replatform');
    assert.equal(w.targetClass, 'managed-postgres');
    assert.match(w.conflict ?? '', /Evidence conflicts: replatform .* vs rehost/);
    assert.ok(w.confidence < 0.6);
    const clean = workload(await assessFiles(compose('  clean:\n    image: postgres:16\n')), 'clean');
    assert.ok(clean.confidence > w.confidence);
  });

  it('an override in .migration.yaml forces the strategy and records the reason at its line', async () => {
    const plan = await assessFiles({
      'docker-compose.yml': 'services:\n  legacy:\n    image: acme/legacy:1\n    ports: ["80:80"]\n  old:\n    image: acme/old:1\n',
      '.migration.yaml': 'version: 1\noverrides:\n  legacy:\n    strategy: retain\n    reason: contract ends next year\n  old:\n    strategy: retire\n    reason: replaced by the new portal\n',
    });
    const w = workload(plan, 'legacy');
    assert.equal(w.strategy, 'retain');
    assert.equal(w.confidence, 1);
    assert.equal(w.targets.aws, null);
    assert.equal(w.cost.aws.monthlyUsd, 0);
    assert.deepEqual(w.override, { strategy: 'retain', reason: 'contract ends next year', file: '.migration.yaml', line: 3 });
    assert.equal(w.evidence[0].rule, 'override');
    assert.equal(workload(plan, 'old').strategy, 'retire');
    assert.equal(plan.summary.byStrategy.retain, 1);
    assert.equal(plan.summary.byStrategy.retire, 1);
  });

  it('repository rules and suppressions from .migration.yaml apply', async () => {
    const plan = await assessFiles({
      'docker-compose.yml': 'services:\n  api:\n    image: acme/api:1\n    ports: ["80:80"]\n    environment: { CACHE: "redis://localhost:6379" }\n',
      '.migration.yaml': "rules:\n  - id: house.acme-images\n    when: { trait: image, matches: '^acme/' }\n    then: { strategy: rewrite, weight: 1, effort: 5, message: 'Acme images are rebuilt by the platform team' }\nsuppress:\n  - rule: env.localhost\n    reason: the cache is a sidecar\n",
    });
    const w = workload(plan, 'api');
    assert.equal(w.strategy, 'rewrite');
    assert.ok(rulesOf(w).includes('house.acme-images'));
    assert.ok(!rulesOf(w).includes('env.localhost'));
    assert.ok(w.notes.some((n) => n.includes('the cache is a sidecar')));
  });
});
