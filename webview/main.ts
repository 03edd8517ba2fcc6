/**
 * The migration plan webview. Built on @vscode-elements/elements (the maintained successor of the
 * deprecated @vscode/webview-ui-toolkit), @vscode/codicons and VS Code's --vscode-* theme variables.
 * It only renders what the extension sends and asks the extension to act; no data leaves it.
 * No innerHTML with data, no inline styles: the CSP allows neither.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import type { Plan, PlanWorkload } from '../src/core/plan';
import { serviceLabel } from '../src/core/render/markdown';
import { STRATEGIES } from '../src/core/types';
import { usd } from '../src/core/units';
import type { FromWebview, PlanView, ToWebview, WebviewState } from '../src/shared/protocol';

declare function acquireVsCodeApi(): { postMessage(m: FromWebview): void; getState(): WebviewState | undefined; setState(s: WebviewState): void };
const vscode = acquireVsCodeApi();


type Child = Node | string | null | undefined | false;
function h<K extends string>(tag: K, attrs: Record<string, string | number | boolean | ((e: Event) => void) | undefined> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (k === 'class') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}
const svg = (tag: string, attrs: Record<string, string | number>): SVGElement => {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
};
const usd0 = (n: number) => '$' + Math.round(n).toLocaleString('en-US');
const icon = (name: string, label?: string) => h('vscode-icon', { name, ...(label ? { label } : { 'aria-hidden': 'true' }) });

let view: PlanView | undefined;
const state: WebviewState = { selected: null, scenario: 'baseline', sort: { column: 'name', descending: false }, filter: '', ...(vscode.getState() ?? {}) };
let strategyFilter = '';

function save(): void {
  vscode.setState({ ...state, folderUri: view?.folderUri });
}

function openSource(file: string, line: number): void {
  if (view) vscode.postMessage({ type: 'openSource', folderUri: view.folderUri, file, line });
}

function sourceLink(file: string, line: number): HTMLElement {
  return h('a', { href: '#', class: 'source', 'data-file': file, 'data-line': line, title: `Open ${file} at line ${line}`, onclick: (e: Event) => (e.preventDefault(), openSource(file, line)) }, `${file}:${line}`);
}

function scenarioTotals(plan: Plan): { aws: number; gcp: number; awsComplete: boolean; gcpComplete: boolean } {
  const s = plan.scenarios.find((x) => x.name === state.scenario) ?? plan.scenarios[0];
  return { aws: s.totals.aws.monthlyUsd, gcp: s.totals.gcp.monthlyUsd, awsComplete: s.totals.aws.complete, gcpComplete: s.totals.gcp.complete };
}

function workloadCost(w: PlanWorkload, p: 'aws' | 'gcp'): number {
  return state.scenario === 'peak' ? w.peak[p].monthlyUsd : w.cost[p].monthlyUsd;
}

// ---- sections -----------------------------------------------------------------------------------

function header(v: PlanView): HTMLElement {
  const p = v.plan.pricing;
  const select = (provider: 'aws' | 'gcp') => {
    const choices = [...new Set([...v.regionChoices[provider], v.plan.regions[provider]])].sort();
    const s = h('vscode-single-select', { id: `region-${provider}`, 'aria-label': `${provider.toUpperCase()} region` }, ...choices.map((r) => h('vscode-option', { value: r, ...(r === v.plan.regions[provider] ? { selected: true } : {}) }, r)));
    s.addEventListener('change', () => {
      const aws = (document.getElementById('region-aws') as HTMLInputElement).value;
      const gcp = (document.getElementById('region-gcp') as HTMLInputElement).value;
      vscode.postMessage({ type: 'setRegions', aws, gcp });
    });
    return s;
  };
  const sourceText = p.source === 'snapshot' ? `Prices: bundled snapshot as of ${p.asOf}${p.oldestAsOf !== p.asOf ? ` (oldest price ${p.oldestAsOf})` : ''}` : p.source === 'live' ? `Prices: live from the AWS and GCP price APIs, as of ${p.asOf}` : `Prices: mixed — live where the APIs answered, the snapshot (${p.oldestAsOf}–${p.asOf}) elsewhere`;
  return h(
    'header',
    { class: 'top' },
    h('div', { class: 'title' }, h('h1', {}, `Migration plan: ${v.folder}`), h('p', { class: 'muted', id: 'pricing-notice' }, icon(p.source === 'snapshot' ? 'archive' : p.source === 'live' ? 'cloud' : 'warning'), ' ', sourceText, v.pricingMode === 'live' && p.source !== 'live' ? ' — live pricing is on; see the notices below' : '')),
    h(
      'div',
      { class: 'controls' },
      h('label', { class: 'ctl' }, 'AWS ', select('aws')),
      h('label', { class: 'ctl' }, 'GCP ', select('gcp')),
      h('vscode-button', { id: 'refresh-prices', secondary: true, onclick: () => vscode.postMessage({ type: 'refreshPrices' }) }, icon('refresh'), ' Refresh prices'),
      h('vscode-button', { id: 'export-md', onclick: () => vscode.postMessage({ type: 'exportMarkdown' }) }, icon('markdown'), ' Export Markdown'),
    ),
    ...p.notices.map((n) => h('p', { class: 'notice' }, icon('info'), ' ', n)),
  );
}

/** Which cloud is cheaper: on the whole plan when every line is priced, else on the workloads priced in full on both. */
function cheaperCard(plan: Plan, cheaper: string | null, t: { aws: number; gcp: number }, c: (label: string, value: Node | string, sub?: string, id?: string) => HTMLElement): HTMLElement {
  if (cheaper) return c('Cheaper', cheaper, cheaper !== 'same' ? `by ${usd(Math.abs(t.aws - t.gcp))} a month` : undefined, 'card-cheaper');
  const k = plan.totals.comparable;
  if (!k || k.workloads === 0 || !k.cheaper) return c('Cheaper', 'not comparable', 'no workload is priced in full on both clouds', 'card-cheaper');
  const label = k.cheaper === 'same' ? 'same' : k.cheaper === 'aws' ? 'AWS' : 'GCP';
  return c('Cheaper', label, `by ${usd(Math.abs(k.aws - k.gcp))} a month on the ${k.workloads} of ${k.of} workloads priced on both`, 'card-cheaper');
}

function cards(plan: Plan): HTMLElement {
  const t = scenarioTotals(plan);
  const cheaper = t.awsComplete && t.gcpComplete ? (Math.abs(t.aws - t.gcp) < 0.005 ? 'same' : t.aws < t.gcp ? 'AWS' : 'GCP') : null;
  const scen = h('vscode-single-select', { id: 'scenario', 'aria-label': 'Scenario' }, ...plan.scenarios.map((s) => h('vscode-option', { value: s.name, ...(s.name === state.scenario ? { selected: true } : {}) }, s.name)));
  scen.addEventListener('change', () => {
    state.scenario = (scen as HTMLInputElement).value;
    save();
    render();
  });
  const c = (label: string, value: Node | string, sub?: string, id?: string) => h('section', { class: 'card', ...(id ? { id } : {}) }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value), sub ? h('div', { class: 'muted' }, sub) : null);
  const strat = h('div', { class: 'badges' }, ...STRATEGIES.map((s) => h('span', { class: `badge s-${s}`, 'data-strategy': s }, `${plan.summary.byStrategy[s]} ${s}`)));
  const kg = (p: 'aws' | 'gcp') => {
    const x = plan.totals.carbon[p];
    return x.kgCo2ePerMonth === null ? 'unknown' : `${x.kgCo2ePerMonth.toLocaleString('en-US', { maximumFractionDigits: 1 })} kg`;
  };
  return h(
    'div',
    { class: 'cards' },
    c('Workloads', String(plan.summary.workloads), undefined, 'card-workloads'),
    h('section', { class: 'card wide', id: 'card-strategies' }, h('div', { class: 'label' }, 'Strategies'), strat),
    c('Effort', `${plan.summary.effort} pts`, `${plan.summary.blockers} blocker${plan.summary.blockers === 1 ? '' : 's'}`, 'card-effort'),
    c(`AWS / month (${plan.regions.aws})`, `${usd(t.aws)}${t.awsComplete ? '' : '+'}`, t.awsComplete ? undefined : 'lower bound: some lines not priced', 'card-aws'),
    c(`GCP / month (${plan.regions.gcp})`, `${usd(t.gcp)}${t.gcpComplete ? '' : '+'}`, t.gcpComplete ? undefined : 'lower bound: some lines not priced', 'card-gcp'),
    cheaperCard(plan, cheaper, t, c),
    c('Carbon / month', `AWS ${kg('aws')} · GCP ${kg('gcp')}`, 'CO2e, Cloud Carbon Footprint method', 'card-carbon'),
    h('section', { class: 'card' }, h('div', { class: 'label' }, h('label', { for: 'scenario' }, 'Scenario')), scen),
  );
}

function chart(plan: Plan): HTMLElement {
  const rows = plan.workloads.filter((w) => w.cost.aws.lines.length || w.cost.gcp.lines.length).sort((a, b) => Math.max(workloadCost(b, 'aws'), workloadCost(b, 'gcp')) - Math.max(workloadCost(a, 'aws'), workloadCost(a, 'gcp')) || (a.name < b.name ? -1 : 1)).slice(0, 15);
  const max = Math.max(1, ...rows.map((w) => Math.max(workloadCost(w, 'aws'), workloadCost(w, 'gcp'))));
  const rowH = 26;
  const labelW = 170;
  const width = 640;
  const s = svg('svg', { viewBox: `0 0 ${width} ${rows.length * rowH + 24}`, class: 'chart', role: 'img', 'aria-label': `Monthly cost per workload, AWS and GCP (${state.scenario})` });
  rows.forEach((w, i) => {
    const y = i * rowH + 4;
    const label = svg('text', { x: labelW - 8, y: y + 15, 'text-anchor': 'end', class: 'chart-label' });
    label.textContent = w.name.length > 22 ? w.name.slice(0, 21) + '…' : w.name;
    s.append(label);
    (['aws', 'gcp'] as const).forEach((p, j) => {
      const v = workloadCost(w, p);
      const bw = Math.max(1, ((width - labelW - 90) * v) / max);
      const rect = svg('rect', { x: labelW, y: y + j * 11, width: bw, height: 10, class: `bar bar-${p}` });
      const title = svg('title', {});
      title.textContent = `${w.name} on ${p.toUpperCase()}: ${usd(v)}${w.cost[p].complete ? '' : ' + unpriced lines'}`;
      rect.append(title);
      s.append(rect);
      const t = svg('text', { x: labelW + bw + 4, y: y + j * 11 + 9, class: 'chart-value' });
      t.textContent = usd0(v);
      s.append(t);
    });
  });
  const legend = h('div', { class: 'legend' }, h('span', { class: 'key key-aws' }), 'AWS', h('span', { class: 'key key-gcp' }), 'GCP');
  return h('section', { class: 'panel' }, h('h2', {}, `Monthly cost per workload (${state.scenario})`), legend, s);
}

const COLUMNS: { id: string; label: string; value: (w: PlanWorkload) => string | number; numeric?: boolean }[] = [
  { id: 'name', label: 'Workload', value: (w) => w.name },
  { id: 'strategy', label: 'Strategy', value: (w) => w.strategy },
  { id: 'confidence', label: 'Conf.', value: (w) => w.confidence, numeric: true },
  { id: 'aws', label: 'AWS', value: (w) => (w.targets.aws ? `${serviceLabel(w.targets.aws.service)}: ${w.targets.aws.sizing.summary}` : '—') },
  { id: 'gcp', label: 'GCP', value: (w) => (w.targets.gcp ? `${serviceLabel(w.targets.gcp.service)}: ${w.targets.gcp.sizing.summary}` : '—') },
  { id: 'awsCost', label: 'AWS / mo', value: (w) => workloadCost(w, 'aws'), numeric: true },
  { id: 'gcpCost', label: 'GCP / mo', value: (w) => workloadCost(w, 'gcp'), numeric: true },
  { id: 'effort', label: 'Effort', value: (w) => w.effort, numeric: true },
  { id: 'wave', label: 'Wave', value: (w) => w.wave ?? 99, numeric: true },
];

function targetCell(w: PlanWorkload, p: 'aws' | 'gcp'): HTMLElement {
  const t = w.targets[p];
  if (!t) return h('td', { class: 'muted' }, '—');
  return h('td', { class: 'target', title: `${t.service}: ${t.sizing.summary}` }, h('div', { class: 'svc' }, serviceLabel(t.service)), h('div', { class: 'size' }, t.sizing.summary));
}

function table(plan: Plan): HTMLElement {
  const f = (state.filter ?? '').toLowerCase();
  const sort = state.sort ?? { column: 'name', descending: false };
  const col = COLUMNS.find((c) => c.id === sort.column) ?? COLUMNS[0];
  const rows = plan.workloads
    .filter((w) => (!strategyFilter || w.strategy === strategyFilter) && (!f || [w.name, w.kind, w.strategy, w.targets.aws?.service ?? '', w.targets.gcp?.service ?? ''].some((x) => x.toLowerCase().includes(f))))
    .sort((a, b) => {
      const x = col.value(a);
      const y = col.value(b);
      const r = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return (sort.descending ? -r : r) || a.name.localeCompare(b.name);
    });
  const filter = h('vscode-textfield', { id: 'filter', placeholder: 'Filter workloads', 'aria-label': 'Filter workloads', value: state.filter ?? '' }, icon('filter'));
  filter.addEventListener('input', () => {
    state.filter = (filter as HTMLInputElement).value;
    save();
    const tbl = document.getElementById('workload-table');
    tbl?.replaceWith(table(plan).querySelector('#workload-table') as HTMLElement);
  });
  const sf = h('vscode-single-select', { id: 'strategy-filter', 'aria-label': 'Filter by strategy' }, h('vscode-option', { value: '' }, 'all strategies'), ...STRATEGIES.map((s) => h('vscode-option', { value: s, ...(s === strategyFilter ? { selected: true } : {}) }, s)));
  sf.addEventListener('change', () => {
    strategyFilter = (sf as HTMLInputElement).value;
    render();
  });
  const head = h('tr', {}, ...COLUMNS.map((c) => h('th', { scope: 'col', class: c.numeric ? 'num' : '', 'aria-sort': c.id === sort.column ? (sort.descending ? 'descending' : 'ascending') : 'none' }, h('button', { class: 'sort', 'data-column': c.id, onclick: () => {
    state.sort = { column: c.id, descending: sort.column === c.id ? !sort.descending : false };
    save();
    render();
  } }, c.label, c.id === sort.column ? icon(sort.descending ? 'arrow-down' : 'arrow-up') : null))));
  const body = h('tbody', {}, ...rows.map((w) => {
    const select = () => selectWorkload(w.id);
    return h('tr', { tabindex: 0, 'data-workload': w.id, class: w.id === state.selected ? 'selected' : '', 'aria-selected': w.id === state.selected ? 'true' : 'false', onclick: select, onkeydown: (e: Event) => ((e as KeyboardEvent).key === 'Enter' || (e as KeyboardEvent).key === ' ') && (e.preventDefault(), select()) },
      h('td', {}, h('div', { class: 'svc' }, w.name, w.blockers.length ? h('span', { class: 'blocker', title: 'has blockers' }, ' ', icon('error', 'blocker')) : null), h('div', { class: 'size' }, w.kind)),
      h('td', {}, h('span', { class: `badge s-${w.strategy}` }, w.strategy + (w.home ? ` on ${w.home.toUpperCase()}` : '') + (w.override ? ' *' : ''))),
      h('td', { class: 'num' }, w.confidence.toFixed(2)),
      targetCell(w, 'aws'),
      targetCell(w, 'gcp'),
      h('td', { class: 'num' }, w.cost.aws.lines.length ? usd(workloadCost(w, 'aws')) + (w.cost.aws.complete ? '' : '+') : '—'),
      h('td', { class: 'num' }, w.cost.gcp.lines.length ? usd(workloadCost(w, 'gcp')) + (w.cost.gcp.complete ? '' : '+') : '—'),
      h('td', { class: 'num' }, String(w.effort)),
      h('td', { class: 'num' }, w.wave === null ? '—' : String(w.wave)),
    );
  }));
  return h('section', { class: 'panel' }, h('h2', {}, 'Workloads'), h('div', { class: 'filters' }, filter, sf, h('span', { class: 'muted' }, `${rows.length} of ${plan.workloads.length}`)), h('div', { class: 'table-wrap' }, h('table', { id: 'workload-table' }, h('thead', {}, head), body)));
}

function detail(plan: Plan): HTMLElement | null {
  const w = plan.workloads.find((x) => x.id === state.selected);
  if (!w) return null;
  const target = (p: 'aws' | 'gcp') => {
    const t = w.targets[p];
    return t ? h('li', {}, h('strong', {}, `${p.toUpperCase()}: ${serviceLabel(t.service)}`), ` (${t.service}), ${t.sizing.summary}`, t.note ? h('span', { class: 'muted' }, ` — ${t.note}`) : null) : h('li', {}, `${p.toUpperCase()}: not moved (${w.strategy})`);
  };
  const lines = (['aws', 'gcp'] as const).flatMap((p) => w.cost[p].lines.map((l) => h('tr', {}, h('td', {}, p.toUpperCase()), h('td', {}, l.resource), h('td', { class: 'num' }, `${l.quantity.toLocaleString('en-US', { maximumFractionDigits: 2 })} ${l.unit}`), h('td', { class: 'num' }, l.unitPriceUsd === null ? 'not priced' : `$${l.unitPriceUsd}`), h('td', { class: 'num' }, l.monthlyUsd === null ? (l.missing ?? 'not priced') : usd(l.monthlyUsd)), h('td', {}, l.source === 'missing' ? '' : `${l.source} ${l.asOf ?? ''}${l.confidence === 'weak' ? ' ⚠ weak' : ''}`))));
  return h(
    'section',
    { class: 'panel detail', id: 'detail', 'aria-label': `Details of ${w.name}` },
    h('h2', {}, w.name, ' ', h('span', { class: `badge s-${w.strategy}` }, w.strategy), ' ', h('span', { class: 'muted' }, `confidence ${w.confidence.toFixed(2)} · effort ${w.effort} · ${w.wave ? `wave ${w.wave}` : 'not moved'}`)),
    h('div', { class: 'actions' }, h('vscode-button', { id: 'override', secondary: true, onclick: () => vscode.postMessage({ type: 'overrideStrategy', workload: w.name }) }, icon('edit'), ' Override strategy…'), h('vscode-button', { secondary: true, onclick: () => selectWorkload(null) }, icon('close'), ' Close')),
    h('p', {}, 'Defined in ', ...w.sources.flatMap((s, i) => [i ? ', ' : '', sourceLink(s.file, s.line)])),
    w.override ? h('p', {}, icon('pinned'), ` Override: ${w.override.strategy}, because ${w.override.reason} `, sourceLink(w.override.file, w.override.line)) : null,
    w.conflict ? h('p', { class: 'notice' }, icon('warning'), ' ', w.conflict) : null,
    h('ul', {}, target('aws'), target('gcp')),
    w.blockers.length ? h('div', {}, h('h3', {}, 'Blockers'), h('ul', { class: 'evidence' }, ...w.blockers.map((b) => h('li', {}, icon('error'), ' ', b.message, ' ', h('code', {}, b.rule), ' ', sourceLink(b.file, b.line))))) : null,
    h('h3', {}, 'Evidence'),
    h('ul', { class: 'evidence', id: 'evidence' }, ...w.evidence.filter((e) => !e.considered).map(evidenceItem)),
    w.evidence.some((e) => e.considered) ? h('div', {}, h('h3', {}, 'Considered, not chosen'), h('ul', { class: 'evidence muted', id: 'considered' }, ...w.evidence.filter((e) => e.considered).map(evidenceItem))) : null,
    w.notes.length ? h('div', {}, h('h3', {}, 'Notes'), h('ul', {}, ...w.notes.map((n) => h('li', {}, n)))) : null,
    ...(['aws', 'gcp'] as const).map((p) => (w.targets[p] ? h('p', { class: 'muted' }, `Sized for ${p.toUpperCase()} from: `, w.targets[p]?.sizing.basis.join('; ')) : null)),
    lines.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'lines' }, h('thead', {}, h('tr', {}, ...['Provider', 'Resource', 'Quantity', 'Unit price', 'Monthly', 'Source'].map((x) => h('th', { scope: 'col' }, x)))), h('tbody', {}, ...lines))) : null,
  );
}

function evidenceItem(e: PlanWorkload['evidence'][number]): HTMLElement {
  return h('li', {}, icon(e.severity === 'warning' ? 'warning' : e.severity === 'error' ? 'error' : 'info'), ' ', e.message, ' ', h('code', {}, e.rule), ' ', sourceLink(e.file, e.line));
}

/** What was read but is not a workload (base images, build helpers, charts, variants), and why. */
function notPlannedPanel(plan: Plan): HTMLElement | null {
  if (!plan.notPlanned.length) return null;
  return h('section', { class: 'panel', id: 'not-planned' }, h('h2', {}, `Not planned (${plan.notPlanned.length})`), h('p', { class: 'muted' }, 'Read, but not workloads of this deployment: not sized, not priced.'),
    h('ul', { class: 'evidence' }, ...plan.notPlanned.map((n) => h('li', {}, h('strong', {}, n.name), ` — ${n.reason}: ${n.message} `, ...n.sources.slice(0, 3).flatMap((s, i) => [i ? ', ' : '', sourceLink(s.file, s.line)])))));
}

function scenariosPanel(plan: Plan): HTMLElement {
  const c = plan.commitments;
  const val = (n: number | null) => (n === null ? 'no sourced rate' : usd(n));
  return h(
    'section',
    { class: 'panel', id: 'scenarios' },
    h('h2', {}, 'Scenarios, commitments and carbon'),
    h('table', {}, h('thead', {}, h('tr', {}, ...['Scenario', 'What it assumes', 'AWS / month', 'GCP / month'].map((x) => h('th', { scope: 'col' }, x)))), h('tbody', {}, ...plan.scenarios.map((s) => h('tr', { class: s.name === state.scenario ? 'selected' : '' }, h('td', {}, s.name), h('td', {}, s.description), h('td', { class: 'num' }, usd(s.totals.aws.monthlyUsd)), h('td', { class: 'num' }, usd(s.totals.gcp.monthlyUsd)))))),
    h('table', {}, h('thead', {}, h('tr', {}, ...['Commitment', 'AWS', 'GCP'].map((x) => h('th', { scope: 'col' }, x)))), h('tbody', {},
      h('tr', {}, h('td', {}, 'On demand'), h('td', { class: 'num' }, usd(c.aws.onDemand)), h('td', { class: 'num' }, usd(c.gcp.onDemand))),
      h('tr', {}, h('td', {}, '1 year'), h('td', { class: 'num' }, val(c.aws.oneYear)), h('td', { class: 'num' }, val(c.gcp.oneYear))),
      h('tr', {}, h('td', {}, '3 years'), h('td', { class: 'num' }, val(c.aws.threeYear)), h('td', { class: 'num' }, val(c.gcp.threeYear))),
    )),
    h('ul', { class: 'evidence', id: 'commitment-basis' }, ...(['aws', 'gcp'] as const).flatMap((p) => [
      ...c[p].appliesTo.map((a) => h('li', {}, `${p.toUpperCase()} ${a.term}: ${Math.round(a.fraction * 100)}% off ${a.prefix}* (${a.lines} line${a.lines === 1 ? '' : 's'}; ${a.source}, ${a.asOf})`)),
      ...c[p].reasons.map((r) => h('li', { class: 'muted' }, `${p.toUpperCase()} ${r}`)),
    ])),
    plan.onPrem ? h('p', { id: 'onprem' }, icon('server'), ` On premises today: ${usd(plan.onPrem.monthlyUsd)} a month for ${plan.onPrem.workloads.join(', ')}; the same in the cloud: AWS ${usd(plan.onPrem.cloud.aws.monthlyUsd)}, GCP ${usd(plan.onPrem.cloud.gcp.monthlyUsd)}.`) : null,
    h('ul', {}, ...(plan.regionWhatIf.length ? plan.regionWhatIf : [{ regions: plan.regions, carbon: plan.totals.carbon }]).flatMap((r) => (['aws', 'gcp'] as const).map((p) => {
      const x = r.carbon[p];
      return h('li', {}, `${p.toUpperCase()} ${r.regions[p]}: `, x.kgCo2ePerMonth === null ? `unknown (${x.reason ?? 'no factor'})` : `${x.kgCo2ePerMonth.toLocaleString('en-US', { maximumFractionDigits: 1 })} kg CO2e/month`, x.kwhPerMonth !== null ? ` (${x.kwhPerMonth.toLocaleString('en-US', { maximumFractionDigits: 1 })} kWh)` : '');
    }))),
  );
}

/** Region what-if: the same plan priced and estimated in other regions, side by side. */
function comparePanel(v: PlanView): HTMLElement {
  const plan = v.plan;
  const others = plan.regionWhatIf.slice(1).map((r) => r.regions);
  const pick = (provider: 'aws' | 'gcp') => h('vscode-single-select', { id: `compare-${provider}`, 'aria-label': `${provider.toUpperCase()} region to compare` }, ...v.regionChoices[provider].map((r) => h('vscode-option', { value: r }, r)));
  const send = (pairs: { aws: string; gcp: string }[]) => vscode.postMessage({ type: 'compareRegions', pairs });
  const add = h('vscode-button', { id: 'compare-add', secondary: true, onclick: () => {
    const aws = (document.getElementById('compare-aws') as HTMLInputElement).value;
    const gcp = (document.getElementById('compare-gcp') as HTMLInputElement).value;
    if (others.some((o) => o.aws === aws && o.gcp === gcp) || others.length >= 3) return;
    send([...others, { aws, gcp }]);
  } }, icon('add'), ' Compare');
  const clear = others.length ? h('vscode-button', { id: 'compare-clear', secondary: true, onclick: () => send([]) }, icon('clear-all'), ' Clear') : null;
  const fmt = (t: { monthlyUsd: number; complete: boolean; missingLines: number }) => `${usd(t.monthlyUsd)}${t.complete ? '' : ` + ${t.missingLines} unpriced`}`;
  const kg = (c: { kgCo2ePerMonth: number | null; reason?: string }) => (c.kgCo2ePerMonth === null ? 'unknown' : `${c.kgCo2ePerMonth.toLocaleString('en-US', { maximumFractionDigits: 1 })} kg`);
  const rows = plan.regionWhatIf.length ? plan.regionWhatIf : [];
  return h(
    'section',
    { class: 'panel', id: 'compare' },
    h('h2', {}, 'Compare regions'),
    h('div', { class: 'filters' }, h('label', { class: 'ctl' }, 'AWS ', pick('aws')), h('label', { class: 'ctl' }, 'GCP ', pick('gcp')), add, clear, h('span', { class: 'muted' }, 'Regions the price snapshot covers; up to three comparisons.')),
    rows.length
      ? h('table', { id: 'compare-table' }, h('thead', {}, h('tr', {}, ...['AWS region', 'AWS / month', 'AWS CO2e / month', 'GCP region', 'GCP / month', 'GCP CO2e / month'].map((x) => h('th', { scope: 'col' }, x)))), h('tbody', {}, ...rows.map((r, i) => h('tr', { class: i === 0 ? 'selected' : '' }, h('td', {}, r.regions.aws), h('td', { class: 'num' }, fmt(r.totals.aws)), h('td', { class: 'num' }, kg(r.carbon.aws)), h('td', {}, r.regions.gcp), h('td', { class: 'num' }, fmt(r.totals.gcp)), h('td', { class: 'num' }, kg(r.carbon.gcp))))))
      : h('p', { class: 'muted' }, 'Pick a pair of regions to see this plan priced and its carbon estimated there, next to the current regions.'),
  );
}

function diagnosticsPanel(plan: Plan): HTMLElement | null {
  const ds = plan.diagnostics.filter((d) => d.severity !== 'info');
  if (!ds.length) return null;
  return h('section', { class: 'panel' }, h('h2', {}, `Diagnostics (${ds.length})`), h('ul', { class: 'evidence' }, ...ds.map((d) => h('li', {}, icon(d.severity === 'error' ? 'error' : 'warning'), ' ', d.message, ' ', sourceLink(d.file, d.line)))));
}

function selectWorkload(id: string | null): void {
  state.selected = id;
  save();
  render();
  if (id) document.getElementById('detail')?.scrollIntoView({ block: 'nearest' });
}

function render(): void {
  const app = document.getElementById('app') as HTMLElement;
  if (!view) return;
  const focusedId = (document.activeElement as HTMLElement | null)?.id;
  const parts: Child[] = [header(view), cards(view.plan), h('div', { class: 'grid' }, table(view.plan), detail(view.plan) ?? chart(view.plan)), view.plan.workloads.length ? null : h('p', {}, 'No workloads were found in this folder.'), notPlannedPanel(view.plan), scenariosPanel(view.plan), comparePanel(view), diagnosticsPanel(view.plan)];
  app.replaceChildren(...parts.filter((x): x is Node => x instanceof Node));
  if (focusedId) document.getElementById(focusedId)?.focus();
  app.setAttribute('data-ready', 'true');
}

window.addEventListener('message', (e: MessageEvent<ToWebview>) => {
  const m = e.data;
  if (m.type === 'plan') {
    view = m.view;
    if (m.focus) state.selected = view.plan.workloads.find((w) => w.id === m.focus || w.name === m.focus)?.id ?? state.selected;
    if (!view.plan.scenarios.some((s) => s.name === state.scenario)) state.scenario = 'baseline';
    save();
    render();
    if (m.focus) document.getElementById('detail')?.scrollIntoView({ block: 'nearest' });
  }
});
vscode.postMessage({ type: 'ready' });
