import type { PartialWorkload, WorkloadKind } from '../types';
import { at, isObj, obj, parseYaml, str, arr, type Obj, type YamlDoc } from './yaml';
import { diag, newWorkload, posixDirname, posixJoin, trait, type ParseContext, type ParseResult } from './common';
import { table } from '../collections';

/**
 * An Azure Developer CLI project (`azure.yaml`): each service's project folder, language and the
 * Azure host it is deployed to (Container Apps, App Service, Functions, Static Web Apps, AKS), and
 * the resources azd provisions for them (a PostgreSQL, MySQL, Redis or MongoDB database).
 */

type Path = (string | number)[];

/** What a service on each Azure host is. AKS services are planned from their Kubernetes manifests. */
const HOST_KIND: Record<string, WorkloadKind> = table({ containerapp: 'service', appservice: 'service', springapp: 'service', function: 'function', staticwebapp: 'service' });

/** The image of each database resource type azd provisions. */
const RESOURCE_IMAGE: Record<string, string> = table({ 'db.postgres': 'postgres', 'db.mysql': 'mysql', 'db.redis': 'redis', 'db.mongo': 'mongo' });

/** Whether YAML is an azd project: `services` whose entries name an Azure `host`, or typed `resources`. */
export function looksLikeAzd(js: unknown): boolean {
  const root = obj(js);
  return Object.values(obj(root.services)).some((s) => isObj(s) && typeof s.host === 'string') || Object.values(obj(root.resources)).some((r) => isObj(r) && typeof r.type === 'string');
}

export function parseAzd(text: string, file: string, ctx?: ParseContext): ParseResult {
  const { docs, diagnostics } = parseYaml(text, file);
  const d = docs[0];
  if (!d || !looksLikeAzd(d.js)) return { workloads: [], diagnostics, notDescriptor: 'YAML named azure.yaml with no Azure Developer CLI services or resources' };
  const root = obj(d.js);
  const dir = posixDirname(file);
  const workloads: PartialWorkload[] = [];
  for (const [name, s] of Object.entries(obj(root.services))) {
    if (!isObj(s)) continue;
    const host = str(s.host)?.toLowerCase() ?? '';
    const path: Path = ['services', name];
    if (host === 'aks') {
      diag(diagnostics, at(d, [...path, 'host']), 'info', 'azd-aks', `azd deploys ${name} to AKS with its Kubernetes manifests or chart: the workloads they describe are planned from them.`);
      continue;
    }
    workloads.push(readService(d, s, path, name, host, dir, ctx));
  }
  for (const [name, r] of Object.entries(obj(root.resources))) if (isObj(r)) workloads.push(readResource(d, r, ['resources', name], name));
  return { workloads, diagnostics };
}

function readService(d: YamlDoc, s: Obj, path: Path, name: string, host: string, dir: string, ctx: ParseContext | undefined): PartialWorkload {
  const src = at(d, path);
  const w = newWorkload(name, HOST_KIND[host] ?? 'service', src, 'azd');
  trait(w, 'runtime', host === 'function' ? 'function' : 'container', src);
  trait(w, 'azd.host', host || 'unknown', at(d, [...path, 'host']));
  const language = str(s.language)?.toLowerCase();
  if (language) trait(w, 'azd.language', language, at(d, [...path, 'language']));
  if (host === 'staticwebapp') trait(w, 'static-site', `Azure Static Web App (${str(s.dist) ?? str(s.project) ?? 'built site'})`, src);
  const project = posixJoin(dir, str(s.project) ?? '.');
  const image = str(obj(s.image).image) ?? str(s.image);
  const docker = obj(s.docker);
  const dockerfile = str(docker.path) ? posixJoin(project, str(docker.path) as string) : posixJoin(project, 'Dockerfile');
  if (image) {
    w.image = image;
    trait(w, 'image', image, at(d, [...path, 'image']));
  } else if (host !== 'function' && host !== 'staticwebapp' && (str(docker.path) || ctx?.readFile(dockerfile) !== undefined)) {
    w.buildDockerfile = dockerfile;
    trait(w, 'build', dockerfile, at(d, [...path, str(docker.path) ? 'docker' : 'project']));
  }
  if (host !== 'function' && host !== 'staticwebapp') {
    w.ports.push(8080);
    trait(w, 'port', '$PORT', src);
  }
  for (const u of arr(s.uses)) if (typeof u === 'string') w.dependsOn.push({ value: u, source: at(d, [...path, 'uses']) });
  return w;
}

/** A resource azd provisions: a database by its type, or a container app of a public image. */
function readResource(d: YamlDoc, r: Obj, path: Path, name: string): PartialWorkload {
  const src = at(d, path);
  const type = str(r.type)?.toLowerCase() ?? '';
  const image = RESOURCE_IMAGE[type];
  const w = newWorkload(name, image ? 'datastore' : 'service', src, 'azd');
  trait(w, 'azd.resource', type, at(d, [...path, 'type']));
  if (image) {
    w.image = image;
    trait(w, 'image', image, at(d, [...path, 'type']));
  } else {
    trait(w, 'runtime', 'container', src);
    const ref = str(r.image);
    if (ref) {
      w.image = ref;
      trait(w, 'image', ref, at(d, [...path, 'image']));
    }
  }
  for (const u of arr(r.uses)) if (typeof u === 'string') w.dependsOn.push({ value: u, source: at(d, [...path, 'uses']) });
  return w;
}
