/** The paper's task order (He & Choi 2021: POS, NER, DEP, CON, SRL); other tasks follow by name. */
export const PAPER_ORDER = ['pos', 'ner', 'dep', 'con', 'srl'];

export function byPaperOrder(a: string, b: string): number {
  const ia = PAPER_ORDER.indexOf(a);
  const ib = PAPER_ORDER.indexOf(b);
  if (ia >= 0 && ib >= 0) return ia - ib;
  if (ia >= 0 || ib >= 0) return ia >= 0 ? -1 : 1;
  return a.localeCompare(b);
}
