/**
 * Everything heavy the extension uses, in one bundle of its own (dist/engine.js), loaded on the
 * first command that needs it: activation loads none of it.
 */
export { Assessor } from '../core/plan/assess';
export { CONFIG_FILE } from '../core/parse/config';
export { kindOfPath } from '../core/discover';
export { renderMarkdown } from '../core/render/markdown';
export { bundledSnapshot } from '../core/price/snapshot';
export { describeError, validator } from '../core/parse/schemas';
export { isMap, parseDocument } from 'yaml';
