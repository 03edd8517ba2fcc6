import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import type { DescriptorFile, DescriptorKind, Diagnostic } from '../types';

import { MAX_FILE_BYTES } from './read';
import { isPlatformShPath } from '../parse/platformsh';

/** Files larger than this are reported and skipped: no descriptor is that big. */
export { MAX_FILE_BYTES };

const ALWAYS_SKIP = new Set(['.git', 'node_modules', '.hg', '.svn']);

export interface DiscoverOptions {
  /** Extra globs to leave out (POSIX, relative to the root), from settings or `.migration.yaml`. */
  exclude?: string[];
}

export interface Discovery {
  files: DescriptorFile[];
  diagnostics: Diagnostic[];
  /** YAML files found but not read as descriptors of their own, with why. */
  skipped: { path: string; reason: string }[];
  /**
   * The names in each folder the walk listed (ignored ones too), by folder path ('' for the root):
   * a file a parser looks for beside a descriptor (`.env`, `.env.example`, values files) that is not
   * there is known absent without asking the file system again.
   */
  listed: Map<string, ReadonlySet<string>>;
}

/** File names as the file system compares them: macOS and Windows volumes are usually case-insensitive. */
const CASE_INSENSITIVE = process.platform === 'darwin' || process.platform === 'win32';
function foldCase(name: string): string {
  return CASE_INSENSITIVE ? name.toLowerCase() : name;
}

/** Whether the walk listed the folder of this path and did not see the file in it (a clean relative POSIX path only). */
export function knownAbsent(d: Pick<Discovery, 'listed'>, rel: string): boolean {
  if (rel.startsWith('/') || rel.includes('\\') || rel.includes('//')) return false;
  const slash = rel.lastIndexOf('/');
  const dir = slash < 0 ? '' : rel.slice(0, slash);
  const names = d.listed.get(dir);
  if (!names) return false;
  const name = foldCase(rel.slice(slash + 1));
  if (name === '' || name === '.' || name === '..' || dir.split('/').some((x) => x === '.' || x === '..')) return false;
  return !names.has(name);
}

/** What a file is, from its name alone. YAML files of unknown name are Kubernetes candidates. */
export function kindOfPath(rel: string): DescriptorKind | undefined {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  const lower = base.toLowerCase();
  // Podman's and Buildah's name for the same file: `Containerfile`, `Containerfile.dev`, `api.containerfile`.
  // `Dockerfile.prod`, `Dockerfile-prod` and `Dockerfile_prod` alike (a compose `dockerfile:` names any of them).
  if (/^(dockerfile|containerfile)$/.test(lower) || /\.(dockerfile|containerfile)$/.test(lower) || /^(dockerfile|containerfile)[._-][^./]+$/i.test(base)) {
    if (lower.endsWith('.dockerignore')) return undefined;
    return 'dockerfile';
  }
  if (/^(docker[-_]?)?compose([._-][^/]*)?\.ya?ml$/i.test(base) || /^(docker[-_])?stack([._-][^/]*)?\.ya?ml$/i.test(base)) return 'compose';
  if (base === '.migration.yaml' || base === '.migration.yml') return 'config';
  if (/^migration-inventory\.ya?ml$/i.test(base)) return 'inventory';
  if (base === 'Chart.yaml' || base === 'Chart.yml') return 'helm';
  if (base === 'Procfile' || base === 'heroku.yml') return 'procfile';
  if (base === 'app.json') return 'heroku-app';
  // An AWS Copilot service's manifest (`copilot/api/manifest.yml`), before Cloud Foundry's of the same name.
  if (/(^|\/)copilot\/(.+\/)?manifest\.ya?ml$/i.test(rel)) return 'copilot';
  if (/^manifest\.ya?ml$/i.test(base)) return 'cloudfoundry';
  if (/^serverless\.(ya?ml|json|ts|js|cjs|mjs)$/i.test(base)) return 'serverless';
  // A DigitalOcean App Platform spec kept in the repository (`.do/app.yaml`, `.do/deploy.template.yaml`).
  if (/(^|\/)\.do\/[^/]+\.ya?ml$/i.test(rel)) return 'digitalocean';
  if (/^app\.ya?ml$/i.test(base)) return 'appengine';
  if (/^render\.ya?ml$/i.test(base)) return 'render';
  // The Azure Developer CLI's project file.
  if (/^azure\.ya?ml$/i.test(base)) return 'azd';
  // `fly.toml`, and an environment's own (`fly.staging.toml`, `fly.production.toml`).
  if (/^fly(\.[^/]+)?\.toml$/i.test(base)) return 'fly';
  if (/^railway\.(json|toml)$/i.test(base)) return 'railway';
  if (/^apprunner\.ya?ml$/i.test(base)) return 'apprunner';
  if (base === 'netlify.toml') return 'netlify';
  if (isPlatformShPath(rel)) return 'platformsh';
  // An ECS task definition (`.aws/task-definition.json`, `taskdef.json`, `ecs-task-def.json`).
  // Elastic Beanstalk's `Dockerrun.aws.json` is one too: ECS containers on a Beanstalk environment.
  if (/(task[-_.]?def(inition)?s?|^ecs[-_][^/]*task[^/]*)\.json$/i.test(base) || /^dockerrun\.aws\.json$/i.test(base)) return 'ecs';
  // Kamal's `config/deploy.yml`, and a destination's (`config/deploy.staging.yml`).
  if (/(^|\/)config\/deploy(\.[^/.]+)?\.ya?ml$/i.test(rel)) return 'kamal';
  if (/\.ya?ml$/i.test(base)) return 'kubernetes';
  // JSON manifests and OpenShift templates, where a repository keeps them (`openshift/templates/app.json`).
  if (/\.json$/i.test(base) && !/\.schema\.json$/i.test(base) && /(^|\/)(openshift|k8s|kubernetes|kube|manifests?)\/(.+\/)?[^/]+$/i.test(rel)) return 'kubernetes';
  return undefined;
}

/** Infrastructure as code this planner does not read, by its tool: Terraform, the AWS CDK, Pulumi, Bicep / ARM. */
const IAC_FILES: Array<[string, RegExp]> = [
  ['Terraform', /\.tf$/i],
  ['the AWS CDK', /(^|\/)cdk\.json$/],
  ['Pulumi', /(^|\/)Pulumi\.ya?ml$/],
  ['Bicep', /\.bicep$/i],
];

function noteInfrastructureCode(rel: string, iac: Map<string, { first: string; count: number }>): void {
  for (const [tool, re] of IAC_FILES) {
    if (!re.test(rel)) continue;
    const seen = iac.get(tool);
    if (seen) seen.count++;
    else iac.set(tool, { first: rel, count: 1 });
  }
}

/**
 * One note per tool: the resources its files create (a database, a queue, a cluster) are not in the
 * plan unless a descriptor or the inventory declares them; an architect reading the totals should know.
 */
function infrastructureCodeNote(tool: string, found: { first: string; count: number }): Diagnostic {
  const more = found.count > 1 ? ` and ${found.count - 1} more file${found.count === 2 ? '' : 's'}` : '';
  return { file: found.first, line: 1, column: 1, severity: 'info', code: 'infrastructure-as-code', message: `${tool[0].toUpperCase()}${tool.slice(1)} describes infrastructure here (${found.first}${more}), which this planner does not read: the databases, queues and clusters it creates are in this plan only where a descriptor or migration-inventory.yaml declares them.` };
}

/**
 * Walk `root`, honouring `.gitignore` files at every level, and list the descriptor files.
 * The walk never throws: unreadable folders and files become diagnostics.
 */
export function discover(root: string, options: DiscoverOptions = {}): Discovery {
  const files: DescriptorFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const excluded = options.exclude && options.exclude.length > 0 ? picomatch(options.exclude, { dot: true }) : undefined;
  const helmDirs = new Set<string>();
  const skipped: { path: string; reason: string }[] = [];
  const iac = new Map<string, { first: string; count: number }>();
  const listed = new Map<string, ReadonlySet<string>>();

  type Layer = { base: string; ig: Ignore };
  const walk = (dirRel: string, layers: Layer[]): void => {
    const dirAbs = dirRel ? path.join(root, dirRel) : root;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dirAbs, { withFileTypes: true });
    } catch (e) {
      diagnostics.push({ file: dirRel || '.', line: 1, column: 1, severity: 'warning', code: 'unreadable', message: `Folder could not be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    listed.set(dirRel, new Set(entries.map((e) => foldCase(e.name))));
    let here = layers;
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      try {
        const ig = ignore().add(fs.readFileSync(path.join(dirAbs, '.gitignore'), 'utf8'));
        here = [...layers, { base: dirRel, ig }];
      } catch {
        /* an unreadable .gitignore ignores nothing */
      }
    }
    if (entries.some((e) => e.name === 'Chart.yaml' || e.name === 'Chart.yml')) helmDirs.add(dirRel);
    for (const e of entries) {
      if (ALWAYS_SKIP.has(e.name)) continue;
      const rel = dirRel ? `${dirRel}/${e.name}` : e.name;
      const isDir = e.isDirectory();
      if (here.some((l) => l.ig.ignores((l.base ? rel.slice(l.base.length + 1) : rel) + (isDir ? '/' : '')))) continue;
      if (excluded && (excluded(rel) || (isDir && excluded(rel + '/')))) continue;
      if (isDir) {
        walk(rel, here);
        continue;
      }
      if (!e.isFile()) continue; // symlinks and devices are not followed
      noteInfrastructureCode(rel, iac);
      let kind = kindOfPath(rel);
      if (!kind) continue;
      // Inside a Helm chart, values files belong to the chart, templates are not plain Kubernetes YAML.
      let chartDir: string | undefined;
      if (helmDirs.size > 0) for (const d of helmDirs) if (d === '' || d === dirRel || rel.startsWith(d + '/')) chartDir = d;
      // Inside a chart, an `app.yaml` or `render.yaml` is one of its files like any other YAML.
      if ((kind === 'appengine' || kind === 'render') && chartDir !== undefined) kind = 'kubernetes';
      if (chartDir !== undefined && kind === 'kubernetes') {
        const inChart = chartDir ? rel.slice(chartDir.length + 1) : rel;
        if (/^(values[^/]*|requirements)\.ya?ml$/i.test(inChart) || inChart.startsWith('charts/') || inChart.startsWith('templates/') || inChart.startsWith('ci/')) {
          skipped.push({ path: rel, reason: `part of the Helm chart in ${chartDir || '.'} (values and templates are read through its Chart.yaml)` });
          continue;
        }
      }
      files.push({ path: rel, kind });
    }
  };
  walk('', []);
  for (const [tool, found] of iac) diagnostics.push(infrastructureCodeNote(tool, found));
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  attachChartTemplates(files, skipped);
  return { files, diagnostics, skipped, listed };
}

/**
 * A chart's own templates (`templates/**.yaml`, not its subcharts' and not its `templates/tests/`),
 * for the Helm parser to read beside Chart.yaml and the values.
 */
function attachChartTemplates(files: DescriptorFile[], skipped: { path: string }[]): void {
  const charts = files.filter((f) => f.kind === 'helm');
  if (charts.length === 0) return;
  const byDir = new Map(charts.map((f) => [f.path.includes('/') ? f.path.slice(0, f.path.lastIndexOf('/') + 1) : '', f]));
  for (const s of skipped) {
    for (let i = s.path.indexOf('templates/'); i !== -1; i = s.path.indexOf('templates/', i + 1)) {
      const chart = i === 0 || s.path[i - 1] === '/' ? byDir.get(s.path.slice(0, i)) : undefined;
      if (!chart) continue;
      if (!s.path.startsWith('tests/', i + 'templates/'.length)) (chart.templates ??= []).push(s.path);
      break;
    }
  }
  for (const c of charts) c.templates?.sort();
}
