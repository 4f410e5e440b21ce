/** A report table, rendered to Markdown, LaTeX and HTML from one model. */
export interface Table {
  /** File-safe id: tables/<id>.md and tables/<id>.tex. */
  id: string;
  title: string;
  columns: string[];
  rows: string[][];
  note?: string;
}

export function tableToMarkdown(table: Table): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const lines = [
    `### ${table.title}`,
    '',
    `| ${table.columns.map(cell).join(' | ')} |`,
    `|${table.columns.map((_, k) => (k === 0 ? '---' : '---:')).join('|')}|`,
    ...table.rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
  if (table.note) lines.push('', table.note);
  return `${lines.join('\n')}\n`;
}

const LATEX_SPECIALS: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  $: '\\$',
  '&': '\\&',
  '#': '\\#',
  '%': '\\%',
  _: '\\_',
  '^': '\\textasciicircum{}',
  '~': '\\textasciitilde{}',
  '`': '\\textasciigrave{}',
  "'": '\\textquotesingle{}',
  '<': '\\textless{}',
  '>': '\\textgreater{}',
};

export function latexEscape(text: string): string {
  return text
    .replace(/[\\{}$&#%_^~`'<>]/g, (c) => LATEX_SPECIALS[c] as string)
    .replaceAll('±', '$\\pm$')
    .replaceAll('Δ', '$\\Delta$');
}

/** A booktabs table (needs \usepackage{booktabs} and textcomp for some symbols). */
export function tableToLatex(table: Table): string {
  const align = table.columns.map((_, k) => (k === 0 ? 'l' : 'r')).join('');
  return [
    '\\begin{table}[t]',
    '\\centering',
    `\\begin{tabular}{${align}}`,
    '\\toprule',
    `${table.columns.map(latexEscape).join(' & ')} \\\\`,
    '\\midrule',
    ...table.rows.map((row) => `${row.map(latexEscape).join(' & ')} \\\\`),
    '\\bottomrule',
    '\\end{tabular}',
    `\\caption{${latexEscape(table.title)}${table.note ? ` ${latexEscape(table.note)}` : ''}}`,
    `\\label{tab:${table.id}}`,
    '\\end{table}',
    '',
  ].join('\n');
}

export function htmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function tableToHtml(table: Table): string {
  return [
    `<table id="table-${htmlEscape(table.id)}">`,
    `<caption>${htmlEscape(table.title)}</caption>`,
    `<thead><tr>${table.columns.map((c) => `<th>${htmlEscape(c)}</th>`).join('')}</tr></thead>`,
    '<tbody>',
    ...table.rows.map((row) => `<tr>${row.map((c) => `<td>${htmlEscape(c)}</td>`).join('')}</tr>`),
    '</tbody>',
    '</table>',
    table.note ? `<p class="note">${htmlEscape(table.note)}</p>` : '',
  ].join('\n');
}
