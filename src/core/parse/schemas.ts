import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import configSchema from '../../../schemas/config.schema.json';
import inventorySchema from '../../../schemas/inventory.schema.json';
import planSchema from '../../../schemas/plan.schema.json';
import rulesSchema from '../../../schemas/rules.schema.json';
import snapshotSchema from '../../../schemas/price-snapshot.schema.json';
import messagesSchema from '../../../schemas/webview-messages.schema.json';
import type { Diagnostic, Severity } from '../types';
import { at, type PathSeg, type YamlDoc } from './yaml';

export type SchemaName = 'config' | 'inventory' | 'plan' | 'rules' | 'snapshot' | 'messages';
const SCHEMAS: Record<SchemaName, object> = {
  config: configSchema,
  inventory: inventorySchema,
  plan: planSchema,
  rules: rulesSchema,
  snapshot: snapshotSchema,
  messages: messagesSchema,
};

let ajv: Ajv | undefined;
const compiled = new Map<SchemaName, ValidateFunction>();

/** Compile once, on first use: activation and small runs never pay for schemas they do not use. */
export function validator(name: SchemaName): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    if (!ajv) {
      ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
      addFormats(ajv);
      // Registered, not compiled: each compiles on first use, and $refs between them resolve.
      for (const s of Object.values(SCHEMAS)) ajv.addSchema(s);
    }
    v = ajv.getSchema((SCHEMAS[name] as { $id: string }).$id) as ValidateFunction;
    compiled.set(name, v);
  }
  return v;
}

function pathOf(e: ErrorObject): PathSeg[] {
  const segs: PathSeg[] = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const extra = (e.params as { additionalProperty?: string }).additionalProperty;
  if (extra !== undefined) segs.push(extra);
  return segs;
}

export function describeError(e: ErrorObject): string {
  const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : '(top level)';
  const p = e.params as { additionalProperty?: string; allowedValues?: unknown[] };
  if (p.additionalProperty !== undefined) return `${where === '(top level)' ? '' : where + ': '}unknown key "${p.additionalProperty}"`;
  if (p.allowedValues) return `${where}: must be one of ${p.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return `${where}: ${e.message ?? 'is not valid'}`;
}

/** Validate a YAML document against a schema; each error becomes a diagnostic at its key. */
export function validateDoc(name: SchemaName, d: YamlDoc, severity: Severity = 'error'): Diagnostic[] {
  const v = validator(name);
  if (v(d.js)) return [];
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of v.errors ?? []) {
    // anyOf/oneOf produce one error per branch; keep the first message per place.
    const msg = describeError(e);
    if (seen.has(msg)) continue;
    seen.add(msg);
    const ref = at(d, pathOf(e));
    out.push({ ...ref, column: ref.column ?? 1, severity, code: `${name}-schema`, message: msg });
  }
  return out;
}
