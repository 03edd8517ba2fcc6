import type { SourceRef } from '../types';
import { arr, isObj, obj, str, type Obj } from './yaml';
import { newWorkload, posixDirname, posixJoin, trait, type ParseResult } from './common';
import { readToml, tomlKeyLines } from './toml';

/**
 * A Netlify site's `netlify.toml`: the site its build publishes (a static site), the serverless
 * functions folder it deploys beside it, and whether a framework plugin renders pages on request
 * (`@netlify/plugin-nextjs`: a Next.js server, not only files). The production context's settings
 * (`[context.production]`) come first.
 */

/** Framework runtimes that serve pages from functions on each request. */
const SSR_PLUGIN = /^@netlify\/plugin-(nextjs|gatsby|nuxt|remix|sveltekit|astro)/;

export function parseNetlify(text: string, file: string): ParseResult {
  const diagnostics: ParseResult['diagnostics'] = [];
  const cfg = readToml(text, file, diagnostics);
  if (!cfg) return { workloads: [], diagnostics };
  const line = tomlKeyLines(text);
  const at = (section: string, key?: string): SourceRef => ({ file, line: line(section, key), column: 1 });
  const production = obj(obj(cfg.context).production);
  const build = { ...obj(cfg.build), ...production };
  if (!isObj(cfg.build) && !isObj(cfg.functions) && !isObj(cfg.context) && !Array.isArray(cfg.redirects)) {
    return { workloads: [], diagnostics, notDescriptor: 'a netlify.toml with no build, functions, context or redirects' };
  }
  const dir = posixDirname(file);
  const site = siteName(file, build);
  const plugins = arr(cfg.plugins).map((p) => str(obj(p).package) ?? '');
  const ssrAt = plugins.findIndex((p) => SSR_PLUGIN.test(p));
  const ssr = ssrAt >= 0 ? plugins[ssrAt] : undefined;
  const src = at(isObj(cfg.build) ? 'build' : '', isObj(cfg.build) ? undefined : 'functions');
  const w = newWorkload(site, 'service', src, 'netlify');
  trait(w, 'netlify.site', site, src);
  const publish = str(build.publish);
  const command = str(build.command);
  if (command) trait(w, 'build.command', command, at('build', 'command'));
  if (ssr) {
    trait(w, 'runtime', 'container', at(`plugins#${ssrAt}`, 'package'));
    trait(w, 'netlify.ssr', ssr, at(`plugins#${ssrAt}`, 'package'));
    w.ports.push(3000);
  } else {
    trait(w, 'static-site', `Netlify site publishing ${publish ?? 'its build output'}`, publish ? at('build', 'publish') : src);
  }
  const workloads = [w];
  const functionsDir = str(obj(cfg.functions).directory) ?? str(build.functions);
  if (functionsDir) workloads.push(functionsOf(site, posixJoin(dir, functionsDir), str(obj(cfg.functions).directory) ? at('functions', 'directory') : at('build', 'functions')));
  return { workloads, diagnostics };
}

/** The site's name: its folder's (the repository's, for a top-level netlify.toml), or `site`. */
function siteName(file: string, build: Obj): string {
  const dir = posixDirname(file);
  const base = str(build.base);
  const folder = (base ? posixJoin(dir, base) : dir).split('/').filter((x) => x && x !== '.').pop();
  return folder ?? 'site';
}

/** The site's Netlify Functions, as one function workload (each file in the folder is an endpoint). */
function functionsOf(site: string, folder: string, src: SourceRef): ReturnType<typeof newWorkload> {
  const f = newWorkload(`${site}-functions`, 'function', src, 'netlify');
  trait(f, 'runtime', 'function', src);
  trait(f, 'netlify.functions', folder, src);
  // Netlify runs functions with 1024 MB unless the site's plan says otherwise.
  f.resources.memoryMiB = { value: 1024, source: src, cap: true };
  return f;
}
