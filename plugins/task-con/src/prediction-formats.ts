import { StemError, type PredictionFormat, type TreeNode } from '@stem/core';
import { writePtb } from '@stem/data';

/**
 * `stem predict` output of the CON task: PTB bracketed trees, one per line (EVALB input).
 * Words the format cannot carry are escaped: brackets as -LRB- / -RRB-, whitespace as `_`.
 */
export const conPredictionFormats: readonly PredictionFormat[] = [
  {
    name: 'ptb',
    extension: 'tree',
    description: 'PTB bracketed trees, one per line (EVALB input)',
    write: (sentences, context) =>
      writePtb(
        sentences.map((sentence) => {
          const tree = sentence.annotations.con;
          if (!tree)
            throw new StemError(
              `task "${context.task}": sentence ${sentence.id} has no predicted constituency tree`,
              'write the sentences returned by predictRun',
            );
          return escapeWords(tree);
        }),
      ),
  },
];

function escapeWords(tree: TreeNode): TreeNode {
  if (tree.word !== undefined)
    return {
      label: tree.label,
      children: [],
      word: tree.word.replace(/\(/g, '-LRB-').replace(/\)/g, '-RRB-').replace(/\s+/g, '_'),
    };
  return { label: tree.label, children: tree.children.map(escapeWords) };
}
