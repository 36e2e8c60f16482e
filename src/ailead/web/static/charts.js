// Charts (plotly.js, served by the app): bands of the monthly quantiles, one run or two side by
// side (the comparison dashed), the verdict probabilities, and each chart's PNG/SVG download.

const BLOC = { us: { label: "US bloc", color: "#0072B2" }, cn: { label: "PRC", color: "#D55E00" } };
const OUTCOME_COLORS = { "scenario-one": "#0072B2", contested: "#999999", "scenario-two": "#D55E00" };
const PALETTE = ["#009E73", "#CC79A7", "#E69F00", "#56B4E9"];

export const FRONTS = [
  { id: "adoption", title: "Domestic adoption (share of the economy)", series: ["adoption_us", "adoption_cn"] },
  {
    id: "markets-south",
    title: "Global distribution: market share in the global south",
    series: ["market_share_global-south_us", "market_share_global-south_cn"],
  },
  {
    id: "markets-developed",
    title: "Global distribution: market share in developed markets",
    series: ["market_share_developed_us", "market_share_developed_cn"],
  },
  { id: "resilience", title: "Resilience (stylised index)", series: ["resilience_us", "resilience_cn"] },
  {
    id: "dials",
    title: "Safety margin and cyber window (months)",
    series: ["safety_margin_months", "cyber_window_months"],
  },
  { id: "misuse", title: "Misuse exposure (share)", series: ["misuse_exposure"] },
];

function rgba(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

function seriesLook(name, index) {
  const bloc = name.match(/_(us|cn)$/)?.[1];
  if (bloc) return BLOC[bloc];
  return { label: name.replaceAll("_", " "), color: PALETTE[index % PALETTE.length] };
}

/** Traces for one series of one run: p5-p95 and p25-p75 bands and the median (dashed if compared). */
function bandTraces(result, name, look, runLabel, dashed) {
  const band = result.series[name];
  const x = result.months;
  const label = `${look.label}${runLabel ? ` (${runLabel})` : ""}`;
  const traces = [];
  if (!dashed) {
    const around = [...x, ...x.toReversed()];
    for (const [low, high, alpha] of [["p5", "p95", 0.12], ["p25", "p75", 0.22]]) {
      traces.push({
        x: around,
        y: [...band[high], ...band[low].toReversed()],
        mode: "lines",
        fill: "toself",
        fillcolor: rgba(look.color, alpha),
        line: { width: 0 },
        hoverinfo: "skip",
        showlegend: false,
      });
    }
  } else {
    const thin = { x, mode: "lines", hoverinfo: "skip", showlegend: false };
    traces.push({ ...thin, y: band.p95, line: { width: 1, dash: "dot", color: look.color } });
    traces.push({ ...thin, y: band.p5, line: { width: 1, dash: "dot", color: look.color } });
  }
  traces.push({
    x,
    y: band.p50,
    mode: "lines",
    name: `${label}, median`,
    line: { color: look.color, width: 2, dash: dashed ? "dash" : "solid" },
    hovertemplate: `%{y:.3~g} ${band.unit}<extra>${label}</extra>`,
  });
  return traces;
}

function layout(unit, extra = {}) {
  return {
    margin: { l: 56, r: 12, t: 18, b: 36 },
    height: 300,
    autosize: true,
    hovermode: "x unified",
    legend: { orientation: "h", y: -0.18, font: { size: 11 }, traceorder: "normal" },
    yaxis: { title: { text: unit, font: { size: 11 } }, zeroline: false },
    xaxis: { type: "date" },
    font: { family: "system-ui, sans-serif", size: 12 },
    paper_bgcolor: "rgba(0,0,0,0)",
    plot_bgcolor: "rgba(0,0,0,0)",
    ...extra,
  };
}

function config(filename) {
  return {
    responsive: true,
    displaylogo: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d"],
    toImageButtonOptions: { format: "png", filename, scale: 2 },
    modeBarButtonsToAdd: [
      {
        name: "Download as SVG",
        icon: Plotly.Icons.disk,
        click: (gd) => Plotly.downloadImage(gd, { format: "svg", filename }),
      },
    ],
  };
}

/** Draw the named series of each run into one chart; runs[0] solid with bands, others dashed. */
export async function drawSeries(element, runs, names, options = {}) {
  const traces = [];
  for (const [r, run] of runs.entries()) {
    names.forEach((name, i) => {
      if (run.result.series[name]) {
        const label = runs.length > 1 ? run.label : "";
        traces.push(...bandTraces(run.result, name, seriesLook(name, i), label, r > 0));
      }
    });
  }
  const first = runs[0].result.series[names.find((n) => runs[0].result.series[n])];
  const unit = options.unit ?? first?.unit ?? "";
  const extra = { ...options.layout };
  if (options.log) extra.yaxis = { ...layout(unit).yaxis, type: "log" };
  await Plotly.react(element, traces, layout(unit, extra), config(`ailead-${element.id}`));
}

/** Horizontal lines marking the verdict thresholds and a vertical line at the target. */
export function leadMarks(result) {
  const shapes = [
    { type: "line", xref: "x", yref: "paper", x0: result.target, x1: result.target, y0: 0, y1: 1, line: { color: "#666", width: 1, dash: "dot" } },
  ];
  const annotations = [
    { x: result.target, y: 1, xref: "x", yref: "paper", text: "target", showarrow: false, yanchor: "bottom", font: { size: 10 } },
  ];
  const verdict = result.verdict;
  if (verdict) {
    for (const [key, text] of [["lead_at_least", "scenario one at or above"], ["lead_at_most", "scenario two at or below"]]) {
      const y = verdict[key];
      shapes.push({ type: "line", xref: "paper", x0: 0, x1: 1, y0: y, y1: y, line: { color: "#999", width: 1, dash: "dash" } });
      annotations.push({ x: 0, xref: "paper", y, text: `${text} ${y} months`, showarrow: false, xanchor: "left", yanchor: "bottom", font: { size: 10, color: "#666" } });
    }
  }
  return { shapes, annotations };
}

/** Stacked bars of the outcome probabilities, one bar per run that has them. */
export async function drawVerdict(element, runs) {
  const withOutcomes = runs.filter((run) => run.result.outcomes);
  const names = Object.keys(withOutcomes[0].result.outcomes);
  const traces = names.map((outcome) => ({
    type: "bar",
    orientation: "h",
    name: outcome,
    y: withOutcomes.map((run) => run.label),
    x: withOutcomes.map((run) => run.result.outcomes[outcome]),
    marker: { color: OUTCOME_COLORS[outcome] ?? "#777" },
    hovertemplate: `${outcome}: %{x:.0%}<extra>%{y}</extra>`,
  }));
  const extra = {
    barmode: "stack",
    height: 110 + 36 * withOutcomes.length,
    hovermode: "closest",
    xaxis: { range: [0, 1], tickformat: ".0%" },
    yaxis: { automargin: true, autorange: "reversed" },
    legend: { orientation: "h", y: -0.4, traceorder: "normal" },
  };
  await Plotly.react(element, traces, layout("", extra), config("ailead-verdict"));
}
