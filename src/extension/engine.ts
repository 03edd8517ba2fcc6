/**
 * Everything heavy the extension uses, in one bundle of its own (dist/engine.js), loaded on the
 * first command that needs it: activation loads none of it.
 */
export { Assessor } from '../core/assess';
export { CONFIG_FILE } from '../core/config';
export { kindOfPath } from '../core/discover';
export { renderMarkdown } from '../core/render/markdown';
export { bundledSnapshot } from '../core/snapshot';
export { describeError, validator } from '../core/schemas';
export { isMap, parseDocument } from 'yaml';
