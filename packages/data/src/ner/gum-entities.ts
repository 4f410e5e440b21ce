/**
 * GUM's entity annotations (CorefUD style) in the CoNLL-U MISC column, and the rule that
 * turns them into flat named entities.
 *
 * A mention opens with `(eid-etype-infstat-centering-minspan-link-identity` (the fields of
 * GUM's `# global.Entity` comment; trailing ones may be absent), a one-word mention is
 * `(...)`, and `eid)` closes the innermost open mention of that entity. The identity field is
 * the Wikipedia title of linked entities; it may itself contain `-`.
 *
 * Named-entity rule (gum-ner): a mention is *named* when its head word (the leftmost word of
 * the mention whose basic head lies outside it) is a proper noun (UPOS PROPN), or when it is
 * Wikipedia-linked and its head word is capitalised. GUM links every mention of a linked
 * entity, descriptions and pronouns included ("the city", "it" for Athens), so a link alone
 * would tag those; the capital letter keeps linked titles such as "Cyclone Phailin" whose head
 * is tagged NOUN. Nested named mentions keep the outermost; the label is GUM's entity type
 * (person, place, organization, ...).
 */
import type { LabeledSpan } from '@stem/core';
import { DataFormatError } from '../errors.js';
import type { ConlluSentence } from '../readers/conllu.js';
import { outermostSpans } from './spans.js';

export interface EntityMention {
  start: number;
  end: number;
  eid: string;
  type: string;
  /** Wikipedia title, when linked. */
  identity?: string;
}

const ENTITY_ITEM = /\(([^()]+)\)?|([^()]+)\)/g;

/** Every entity mention of a sentence, in closing order. Unbalanced brackets are errors at their line. */
export function entityMentions(sentence: ConlluSentence, file = '<conllu>'): EntityMention[] {
  const mentions: EntityMention[] = [];
  const open: (Omit<EntityMention, 'end'> & { line: number })[] = [];
  sentence.words.forEach((word, i) => {
    const value = misc(word.misc, 'Entity');
    if (value === undefined) return;
    let consumed = 0;
    for (const m of value.matchAll(ENTITY_ITEM)) {
      if (m.index !== consumed) break;
      consumed += m[0].length;
      if (m[1] !== undefined) {
        const fields = m[1].split('-');
        const [eid, type] = fields;
        if (!eid || !type)
          throw new DataFormatError(
            file,
            word.line,
            `entity ${JSON.stringify(m[1])} lacks an id or a type`,
          );
        const identity = fields.length > 6 ? fields.slice(6).join('-') : undefined;
        const mention = { start: i, eid, type, ...(identity ? { identity } : {}), line: word.line };
        if (m[0].endsWith(')')) mentions.push(toMention(mention, i + 1));
        else open.push(mention);
      } else {
        const eid = m[2]!;
        const k = open.map((o) => o.eid).lastIndexOf(eid);
        if (k < 0)
          throw new DataFormatError(file, word.line, `entity ${eid} closes but is not open`);
        mentions.push(toMention(open.splice(k, 1)[0]!, i + 1));
      }
    }
    if (consumed !== value.length)
      throw new DataFormatError(file, word.line, `bad Entity value ${JSON.stringify(value)}`);
  });
  if (open.length > 0) {
    const first = open[0]!;
    throw new DataFormatError(
      file,
      first.line,
      `entity ${first.eid} is still open at the end of its sentence`,
    );
  }
  return mentions;
}

function toMention(m: Omit<EntityMention, 'end'> & { line: number }, end: number): EntityMention {
  return {
    start: m.start,
    end,
    eid: m.eid,
    type: m.type,
    ...(m.identity ? { identity: m.identity } : {}),
  };
}

function misc(column: string, key: string): string | undefined {
  if (column === '_') return undefined;
  for (const item of column.split('|')) {
    if (item.startsWith(`${key}=`)) return item.slice(key.length + 1);
  }
  return undefined;
}

/** The word index heading `mention`: the leftmost word whose basic head is outside it. */
export function mentionHead(sentence: ConlluSentence, mention: EntityMention): number {
  for (let i = mention.start; i < mention.end; i++) {
    const head = sentence.words[i]!.head;
    if (head === null || head === 0 || head - 1 < mention.start || head - 1 >= mention.end)
      return i;
  }
  return mention.start; // unreachable for a tree: some word of a span attaches outside it
}

export function isNamedMention(sentence: ConlluSentence, mention: EntityMention): boolean {
  const head = sentence.words[mentionHead(sentence, mention)]!;
  if (head.upos === 'PROPN') return true;
  return mention.identity !== undefined && /^\p{Lu}/u.test(head.form);
}

/** Flat named entities of a GUM sentence under the rule above. */
export function gumNamedEntities(sentence: ConlluSentence, file = '<conllu>'): LabeledSpan[] {
  const named = entityMentions(sentence, file).filter((m) => isNamedMention(sentence, m));
  return outermostSpans(named.map((m) => ({ start: m.start, end: m.end, label: m.type })));
}
