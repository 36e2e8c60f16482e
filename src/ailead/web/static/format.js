// Numbers as the reports and the CLI write them (ailead.outputs.labels: number, percent).

function sig(value) {
  const size = Math.abs(value);
  if (size >= 100) return value.toFixed(0);
  if (size >= 10) return value.toFixed(1).replace(/\.0$/, "");
  if (size >= 0.01 || size === 0) {
    const text = value.toFixed(2).replace(/0+$/, "").replace(/\.$/, "");
    return text === "-0" || text === "" ? "0" : text;
  }
  const digits = -Math.floor(Math.log10(size)) + 1; // two significant figures, no e-notation
  return value.toFixed(digits).replace(/0+$/, "");
}

/** 3 significant figures at most, thousands separated, words for millions and up. */
export function number(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return "n/a";
  const size = Math.abs(value);
  for (const [power, word] of [[1e12, "trillion"], [1e9, "billion"], [1e6, "million"]]) {
    if (size >= power) return `${sig(value / power)} ${word}`;
  }
  if (size >= 1000) {
    const digits = Math.floor(Math.log10(size)) - 2;
    return (Math.round(value / 10 ** digits) * 10 ** digits).toLocaleString("en-US");
  }
  return sig(value);
}

/** A share of samples as a whole percentage: 0%, <1%, 2%, ..., >99%, 100%. */
export function percent(p) {
  if (p === null || p === undefined || !Number.isFinite(p)) return "n/a";
  if (p > 0 && p < 0.005) return "<1%";
  if (p >= 0.995 && p < 1) return ">99%";
  return `${Math.floor(100 * p + 0.5)}%`;
}
