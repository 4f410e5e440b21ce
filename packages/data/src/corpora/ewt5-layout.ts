/** File names inside a built ewt-5 folder. */
import { join } from 'node:path';
import type { Split } from '@stem/core';

export const EWT5_NAME = 'ewt-5';
export const EWT5_FORMAT = 1;
export const EWT5_REPORT_FILE = 'alignment.json';

/** UD sentences (words, XPOS, basic tree) of the aligned sentences, verbatim from UD. */
export function ewt5ConlluFile(directory: string, split: Split): string {
  return join(directory, `${split}.conllu`);
}

/** The PropBank skeletons of the same sentences, in the same order, with the words filled in. */
export function ewt5PropbankFile(directory: string, split: Split): string {
  return join(directory, `${split}.gold_conll`);
}

export function ewt5ReportFile(directory: string): string {
  return join(directory, EWT5_REPORT_FILE);
}
