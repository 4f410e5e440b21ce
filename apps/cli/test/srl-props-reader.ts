/** Reads props text back: per sentence the target column and the argument columns. */
export function parseProps(text: string): Array<{ targets: string[]; columns: string[][] }> {
  return text
    .trimEnd()
    .split(/\n\n/)
    .map((block) => {
      const rows = block.split('\n').map((line) => line.split('\t'));
      return {
        targets: rows.map((r) => r[0] as string),
        columns: Array.from({ length: (rows[0]?.length ?? 1) - 1 }, (_, k) =>
          rows.map((r) => r[k + 1] as string),
        ),
      };
    });
}
