/**
 * Sentence splitting for running text, on ICU's sentence segmenter (Intl.Segmenter, built
 * into Node). ICU breaks after every abbreviation followed by a capital ("Mr. Smith"), so
 * segments ending in a known abbreviation or an initial are joined to the next one.
 */
const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

const ABBREVIATIONS = new Set(
  [
    'Mr',
    'Mrs',
    'Ms',
    'Dr',
    'St',
    'Sr',
    'Jr',
    'Prof',
    'Gen',
    'Col',
    'Capt',
    'Lt',
    'Sgt',
    'Gov',
    'Sen',
    'Rep',
    'Rev',
    'Hon',
    'Messrs',
    'Mt',
    'No',
    'Nos',
    'vs',
    'etc',
    'Co',
    'Corp',
    'Inc',
    'Ltd',
    'Jan',
    'Feb',
    'Mar',
    'Apr',
    'Jun',
    'Jul',
    'Aug',
    'Sep',
    'Sept',
    'Oct',
    'Nov',
    'Dec',
    'U.S',
    'U.S.A',
    'U.N',
    'e.g',
    'i.e',
    'cf',
    'al',
    'Art',
    'Sec',
    'Vol',
    'pp',
    'Fig',
  ].map((a) => a.toLowerCase()),
);

function endsInAbbreviation(segment: string): boolean {
  const last = /(\S+)\.\s*$/.exec(segment)?.[1];
  if (!last) return false;
  const word = last.replace(/^[("'\u201c\u2018[]+/, '');
  // A single capital letter is an initial ("John F. Kennedy").
  return /^[A-Z]$/.test(word) || ABBREVIATIONS.has(word.toLowerCase());
}

/** Sentences of a paragraph, each trimmed; empty segments are dropped. */
export function splitSentences(paragraph: string): string[] {
  const sentences: string[] = [];
  let pending = '';
  for (const { segment } of segmenter.segment(paragraph)) {
    pending += segment;
    if (!endsInAbbreviation(pending)) {
      if (pending.trim()) sentences.push(pending.trim());
      pending = '';
    }
  }
  if (pending.trim()) sentences.push(pending.trim());
  return sentences;
}

/** Whitespace words of a sentence; sub-word tokenizers split punctuation themselves. */
export function whitespaceWords(sentence: string): string[] {
  return sentence.split(/\s+/).filter(Boolean);
}
