// Second generator for `npm run bench`, written apart from the first and with the shapes real
// repositories have: compose files of 50 services (anchors and merge keys, long-form ports, health
// checks with flow sequences), multi-stage Dockerfiles with build arguments, and Kubernetes
// manifests with inline flow maps, block scalars, quoted keys, CRLF line ends in some files and a
// trailing `---`. Deterministic: the same N gives the same files. Half the services are in compose
// files, half in Kubernetes (a Deployment, a Service and sometimes an HPA each).
import fs from 'node:fs';
import path from 'node:path';

const PER_COMPOSE = 50;
const PER_MANIFEST = 8;

function dockerfile(i) {
  return [
    '# syntax=docker/dockerfile:1',
    `ARG NODE_VERSION=${18 + (i % 3) * 2}`,
    'FROM node:${NODE_VERSION}-bookworm AS deps',
    'WORKDIR /src',
    'COPY package.json package-lock.json ./',
    'RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev',
    '',
    'FROM deps AS build',
    'COPY . .',
    'RUN npm run build \\',
    '    && npm prune --omit=dev',
    '',
    'FROM gcr.io/distroless/nodejs${NODE_VERSION}-debian12 AS runtime',
    'WORKDIR /app',
    'COPY --from=build /src/dist ./dist',
    'COPY --from=build /src/node_modules ./node_modules',
    `ENV PORT=${18000 + (i % 100)} NODE_ENV=production`,
    `EXPOSE ${18000 + (i % 100)}`,
    'USER nonroot',
    'CMD ["dist/main.js"]',
    '',
  ].join('\n');
}

function composeFile(dir, f, ids) {
  const lines = [
    'name: shop-' + f,
    'x-logging: &logging',
    '  driver: json-file',
    '  options: { max-size: "10m", max-file: "3" }',
    'x-service: &service',
    '  restart: unless-stopped',
    '  logging: *logging',
    '  networks: [backend]',
    '',
    'services:',
  ];
  for (const id of ids) {
    const name = `orders-${id}`;
    if (id % 25 === 24) {
      lines.push(`  "store-${id}":`, '    image: "mysql:8.4"', '    <<: *service', '    environment:', '      MYSQL_DATABASE: shop', '      MYSQL_ROOT_PASSWORD_FILE: /run/secrets/db', '    volumes:', `      - type: volume`, `        source: db-${id}`, '        target: /var/lib/mysql');
      continue;
    }
    const port = 18000 + (id % 100);
    lines.push(
      `  ${name}:`,
      '    <<: *service',
      '    build:',
      `      context: ./${name}`,
      '      args: { BUILDKIT_INLINE_CACHE: "1" }',
      `    image: registry.example.com/shop/${name}:\${TAG:-latest}`,
      '    ports:',
      `      - target: ${port}`,
      `        published: "${20000 + id}"`,
      '        protocol: tcp',
      '    healthcheck:',
      `      test: ["CMD", "wget", "-qO-", "http://localhost:${port}/healthz"]`,
      '      interval: 15s',
      '    deploy:',
      '      replicas: 2',
      '      resources:',
      '        limits: {cpus: "0.75", memory: 768M}',
      '        reservations: {cpus: "0.25", memory: 256M}',
      `    depends_on: { store-${Math.floor(id / 25) * 25 + 24}: { condition: service_healthy } }`,
    );
    fs.mkdirSync(path.join(dir, name), { recursive: true });
    fs.writeFileSync(path.join(dir, name, 'Dockerfile'), dockerfile(id));
  }
  lines.push('', 'networks:', '  backend: {}', 'volumes:');
  for (const id of ids) if (id % 25 === 24) lines.push(`  db-${id}: {}`);
  fs.writeFileSync(path.join(dir, 'compose.yaml'), lines.join('\n') + '\n');
}

function manifest(i) {
  const name = `catalog-${i}`;
  const docs = [
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      `metadata: {name: ${name}, namespace: shop, labels: {app.kubernetes.io/name: ${name}, "app.kubernetes.io/part-of": shop}}`,
      'spec:',
      `  replicas: ${1 + (i % 4)}`,
      `  selector: {matchLabels: {app.kubernetes.io/name: ${name}}}`,
      '  template:',
      `    metadata: {labels: {app.kubernetes.io/name: ${name}}, annotations: {"prometheus.io/scrape": "true"}}`,
      '    spec:',
      '      containers:',
      `      - name: ${name}`,
      `        image: "ghcr.io/example/${name}@sha256:${String(i).padStart(64, '0')}"`,
      '        args:',
      '        - --config=/etc/app/config.yaml',
      '        - |',
      '          --banner=multi-line',
      '          text kept as is',
      `        ports: [{name: http, containerPort: ${8080 + (i % 10)}, protocol: TCP}]`,
      '        env:',
      '        - {name: LOG_FORMAT, value: json}',
      '        - name: DB_HOST',
      '          valueFrom: {secretKeyRef: {name: db, key: host}}',
      `        resources: {requests: {cpu: ${100 + (i % 5) * 100}m, memory: ${128 * (1 + (i % 4))}Mi}, limits: {cpu: "1", memory: 1Gi}}`,
      '        readinessProbe: {httpGet: {path: /ready, port: http}, periodSeconds: 10}',
    ].join('\n'),
    ['apiVersion: v1', 'kind: Service', `metadata: {name: ${name}, namespace: shop}`, 'spec:', `  selector: {app.kubernetes.io/name: ${name}}`, '  ports:', '  - {name: http, port: 80, targetPort: http}'].join('\n'),
  ];
  if (i % 3 === 0) {
    docs.push(['apiVersion: autoscaling/v2', 'kind: HorizontalPodAutoscaler', `metadata: {name: ${name}, namespace: shop}`, 'spec:', `  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${name}}`, '  minReplicas: 2', '  maxReplicas: 12', '  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}]'].join('\n'));
  }
  return docs;
}

export function generate(dir, n) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const composeCount = Math.ceil(n / 2);
  for (let f = 0; f * PER_COMPOSE < composeCount; f++) {
    const ids = [];
    for (let k = f * PER_COMPOSE; k < Math.min(composeCount, (f + 1) * PER_COMPOSE); k++) ids.push(k);
    const sub = path.join(dir, 'stacks', `shop-${f}`);
    fs.mkdirSync(sub, { recursive: true });
    composeFile(sub, f, ids);
  }
  const k8sCount = n - composeCount;
  const out = path.join(dir, 'deploy', 'k8s');
  fs.mkdirSync(out, { recursive: true });
  for (let f = 0; f * PER_MANIFEST < k8sCount; f++) {
    const docs = [];
    for (let k = f * PER_MANIFEST; k < Math.min(k8sCount, (f + 1) * PER_MANIFEST); k++) docs.push(...manifest(k));
    let text = '---\n' + docs.join('\n---\n') + '\n---\n';
    if (f % 5 === 4) text = text.replace(/\n/g, '\r\n');
    fs.writeFileSync(path.join(out, `catalog-${f}.yaml`), text);
  }
}
