/** Classification metrics for the eval: macro-recall/F1 over the gold classes present, accuracy, ROC-AUC. */
export type Label = "positive" | "neutral" | "negative";

export interface Metrics {
  n: number;
  macroRecall: number;
  macroF1: number;
  accuracy: number;
  auc: number;
}

export function classMetrics(gold: Label[], predicted: Label[], score: number[]): Metrics {
  const classes = [...new Set(gold)];
  let recallSum = 0;
  let f1Sum = 0;
  for (const c of classes) {
    let tp = 0, fn = 0, fp = 0;
    gold.forEach((g, i) => {
      const p = predicted[i];
      if (g === c && p === c) tp++;
      else if (g === c) fn++;
      else if (p === c) fp++;
    });
    const recall = tp + fn ? tp / (tp + fn) : 0;
    const precision = tp + fp ? tp / (tp + fp) : 0;
    recallSum += recall;
    f1Sum += precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  }
  const correct = gold.filter((g, i) => g === predicted[i]).length;
  return { n: gold.length, macroRecall: recallSum / classes.length, macroF1: f1Sum / classes.length, accuracy: correct / gold.length, auc: rocAuc(gold, score) };
}

/** ROC-AUC of a raw score for positive vs negative gold (neutral gold ignored); ties count half. */
export function rocAuc(gold: Label[], score: number[]): number {
  const pairs = gold.map((g, i) => ({ g, s: score[i]! })).filter((p) => p.g !== "neutral");
  const pos = pairs.filter((p) => p.g === "positive").length;
  const neg = pairs.length - pos;
  if (!pos || !neg) return NaN;
  pairs.sort((a, b) => a.s - b.s);
  let rankSum = 0;
  for (let i = 0; i < pairs.length; ) {
    let j = i;
    while (j < pairs.length && pairs[j]!.s === pairs[i]!.s) j++;
    const avgRank = (i + j + 1) / 2; // ranks are 1-based
    for (let k = i; k < j; k++) if (pairs[k]!.g === "positive") rankSum += avgRank;
    i = j;
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}
