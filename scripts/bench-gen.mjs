// Synthetic repository generator for `npm run bench`: N services as compose files (10 services a
// file, each built from its own Dockerfile), multi-document Kubernetes manifests (10 Deployments and
// their Services a file), and a few datastores. Deterministic: the same N gives the same files.
import fs from 'node:fs';
import path from 'node:path';

export function generate(dir, n) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const perFile = 10;
  const composeCount = Math.ceil(n / 2);
  for (let f = 0; f * perFile < composeCount; f++) {
    const sub = path.join(dir, `stack-${f}`);
    fs.mkdirSync(sub, { recursive: true });
    const lines = ['x-common: &common', '  restart: always', '  environment:', '    LOG_LEVEL: info', 'services:'];
    for (let i = 0; i < perFile && f * perFile + i < composeCount; i++) {
      const id = f * perFile + i;
      const name = `svc-${id}`;
      if (id % 10 === 9) {
        lines.push(`  ${name}:`, '    image: postgres:16', '    volumes: [data:/var/lib/postgresql/data]');
        continue;
      }
      lines.push(`  ${name}:`, '    <<: *common', `    build: ./${name}`, `    ports: ["${8000 + i}:8080"]`, `    depends_on: [svc-${f * perFile + 9}]`, '    deploy:', '      replicas: 2', '      resources: { limits: { cpus: "0.5", memory: 512M } }');
      fs.mkdirSync(path.join(sub, name), { recursive: true });
      fs.writeFileSync(path.join(sub, name, 'Dockerfile'), `FROM node:20-alpine\nWORKDIR /app\nRUN apk add --no-cache curl\nCOPY . .\nENV PORT=8080\nEXPOSE 8080\nHEALTHCHECK CMD curl -f http://localhost:8080/health\nUSER node\nCMD ["node", "server.js"]\n`);
    }
    lines.push('volumes:', '  data: {}');
    fs.writeFileSync(path.join(sub, 'docker-compose.yml'), lines.join('\n') + '\n');
  }
  const k8sCount = n - composeCount;
  fs.mkdirSync(path.join(dir, 'k8s'), { recursive: true });
  for (let f = 0; f * perFile < k8sCount; f++) {
    const docs = [];
    for (let i = 0; i < perFile && f * perFile + i < k8sCount; i++) {
      const name = `k8s-${f * perFile + i}`;
      docs.push(`apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  labels: { app: ${name} }\nspec:\n  replicas: 3\n  selector: { matchLabels: { app: ${name} } }\n  template:\n    metadata: { labels: { app: ${name} } }\n    spec:\n      containers:\n        - name: app\n          image: registry.example/${name}:1.0\n          ports: [{ containerPort: 8080 }]\n          resources: { requests: { cpu: 250m, memory: 256Mi } }\n          readinessProbe: { httpGet: { path: /ready, port: 8080 } }`);
      docs.push(`apiVersion: v1\nkind: Service\nmetadata: { name: ${name} }\nspec:\n  selector: { app: ${name} }\n  ports: [{ port: 80, targetPort: 8080 }]`);
    }
    fs.writeFileSync(path.join(dir, 'k8s', `apps-${f}.yaml`), docs.join('\n---\n') + '\n');
  }
}
