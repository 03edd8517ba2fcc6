/**
 * Text from the repository (service names, images, values quoted in messages) is untrusted: in the
 * Markdown plan, the editor's hovers and the mermaid graph it must read as text, never as a link,
 * an image, HTML or a new line of graph syntax.
 */

/** Inline Markdown text: no HTML, no links or images, no emphasis or code, one line. */
export function mdText(s: string): string {
  return oneLine(s)
    .replace(/\\/g, '\\\\')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([`*[\]|!])/g, '\\$1')
    .replace(/(^|\W)_|_(?=\W|$)/g, (m) => m.replace('_', '\\_'))
    .replace(/^#/, '\\#');
}

/** A table cell: `|` would end it, a new line would end the table, HTML would render. */
export function mdCell(s: string): string {
  return oneLine(s).replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\[/g, '\\[').replace(/\]/g, '\\]');
}

/** A code span that holds any text, backticks included. */
export function mdCode(s: string): string {
  const t = oneLine(s);
  if (!t.includes('`')) return `\`${t}\``;
  let fence = '``';
  while (t.includes(fence)) fence += '`';
  return `${fence} ${t} ${fence}`;
}

/** A mermaid node label inside `["..."]`: quotes, angle brackets and new lines cannot break out. */
export function mermaidLabel(s: string): string {
  return oneLine(s).replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

function oneLine(s: string): string {
  return String(s).replace(/[\r\n\u2028\u2029]+/g, ' ');
}
