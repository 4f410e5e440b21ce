/** Scores accumulated over a corpus; `primary` is the key used for model selection. */
export interface MetricResult {
  primary: string;
  scores: Record<string, number>;
}

export interface Metric<TGold, TPredicted = TGold> {
  update(gold: readonly TGold[], predicted: readonly TPredicted[]): void;
  result(): MetricResult;
  reset(): void;
}
