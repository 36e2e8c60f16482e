// Charts (plotly.js, served by the app): bands of the monthly quantiles, the run and its
// baseline (the baseline grey on the lead chart, dashed elsewhere), and exports for slides: PNG
// or SVG on white with a title, the settings, the source and the version. No plotly toolbar:
// nothing offers to upload, and a chart adds two tab stops (its download buttons), not nine.

export const LOOK = { labels: null };

export const FRONTS = [
  { id: "adoption", title: "Domestic adoption (share of the economy)", series: ["adoption_us", "adoption_cn"] },
  {
    id: "markets-south",
    title: "Global distribution: share of AI use in the Global South",
    series: ["market_share_global-south_us", "market_share_global-south_cn"],
  },
  {
    id: "markets-developed",
    title: "Global distribution: share of AI use in other developed economies",
    series: ["market_share_developed_us", "market_share_developed_cn"],
  },
  { id: "resilience", title: "Resilience (stylised index)", series: ["resilience_us", "resilience_cn"] },
  {
    id: "dials",
    title: "Safety margin and cyber window (months)",
    series: ["safety_margin_months", "cyber_window_months"],
  },
  { id: "misuse", title: "Misuse exposure (index, 0 to 1)", series: ["misuse_exposure"] },
];

const touch = () => window.matchMedia("(pointer: coarse)").matches;

function rgba(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** Label and colour of a series: bloc series in the bloc's colour, the lead in its preset's. */
function seriesLook(name, index, preset) {
  const { colors, blocs, variables } = LOOK.labels;
  const bloc = name.match(/_(us|cn)$/)?.[1];
  if (bloc) return { label: blocs[bloc], color: colors.blocs[bloc] };
  if (name === "lead_months") {  // a US-minus-PRC series: in the preset's colour, as in reports
    return { label: variables[name].text, color: colors.scenarios[preset] ?? colors.lead };
  }
  return { label: variables[name]?.text ?? name, color: colors.extra[index % colors.extra.length] };
}

/** Traces of one series of one run: p5-p95 and p25-p75 bands and the median; a baseline gets
 * its median and dotted p5/p95 lines, grey when `ghost`. */
function bandTraces(result, name, look, runLabel, baseline, ghost) {
  const band = result.series[name];
  const x = result.months;
  const color = ghost ? LOOK.labels.colors.baseline : look.color;
  const label = ghost ? runLabel : `${look.label}${runLabel ? `: ${runLabel}` : ""}`;
  const traces = [];
  if (!baseline) {
    const around = [...x, ...x.toReversed()];
    for (const [low, high, alpha] of [["p5", "p95", 0.12], ["p25", "p75", 0.24]]) {
      traces.push({
        x: around, y: [...band[high], ...band[low].toReversed()], mode: "lines", fill: "toself",
        fillcolor: rgba(color, alpha), line: { width: 0 }, hoverinfo: "skip", showlegend: false,
      });
    }
  } else {
    const thin = { x, mode: "lines", hoverinfo: "skip", showlegend: false };
    traces.push({ ...thin, y: band.p95, line: { width: 1, dash: "dot", color } });
    traces.push({ ...thin, y: band.p5, line: { width: 1, dash: "dot", color } });
  }
  traces.push({
    x, y: band.p50, mode: "lines", name: `${label}, median`,
    line: { color, width: ghost ? 2.5 : 2, dash: baseline ? "dash" : "solid" },
    hovertemplate: `%{y:.3~g} ${band.unit}<extra>${label}</extra>`,
  });
  return traces;
}

function layout(unit, extra = {}) {
  return {
    margin: { l: 56, r: 12, t: 18, b: 36 },
    height: touch() && window.innerWidth < 640 ? 260 : 300,
    autosize: true,
    hovermode: "x unified",
    dragmode: touch() ? false : "zoom",
    legend: { orientation: "h", y: -0.18, font: { size: 11 }, traceorder: "normal" },
    yaxis: { title: { text: unit, font: { size: 11 } }, zeroline: false },
    xaxis: { type: "date" },
    font: { family: "system-ui, sans-serif", size: 12 },
    paper_bgcolor: "#ffffff",
    plot_bgcolor: "#ffffff",
    ...extra,
  };
}

const CONFIG = { responsive: true, displaylogo: false, displayModeBar: false, showSendToCloud: false, showEditInChartStudio: false };

/** Draw the named series of each run into one chart; runs[0] with bands, the baseline as lines. */
export async function drawSeries(element, runs, names, options = {}) {
  const traces = [];
  for (const [r, run] of runs.entries()) {
    names.forEach((name, i) => {
      if (run.result.series[name]) {
        const label = runs.length > 1 ? run.label : "";
        const ghost = r > 0 && options.ghost;
        const look = seriesLook(name, i, run.preset);
        traces.push(...bandTraces(run.result, name, look, label, r > 0, ghost));
      }
    });
  }
  const first = runs[0].result.series[names.find((n) => runs[0].result.series[n])];
  const unit = options.unit ?? (first ? LOOK.labels.units[first.unit] ?? first.unit : "");
  const extra = { ...options.layout };
  if (options.log) extra.yaxis = { ...layout(unit).yaxis, type: "log" };
  await Plotly.react(element, traces, layout(unit, extra), CONFIG);
}

/** Lines at the verdict thresholds (12 and 3 months by default) and at the target date. */
export function leadMarks(result) {
  const shapes = [
    { type: "line", xref: "x", yref: "paper", x0: result.target, x1: result.target, y0: 0, y1: 1, line: { color: "#555", width: 1, dash: "dot" } },
  ];
  const annotations = [
    { x: result.target, y: 1, xref: "x", yref: "paper", text: `target ${result.target}`, showarrow: false, yanchor: "bottom", font: { size: 10 } },
  ];
  const verdict = result.verdict;
  const colors = LOOK.labels.colors.outcomes;
  for (const [key, outcome, text] of [["lead_at_least", "scenario-one", "scenario one at or above"], ["lead_at_most", "scenario-two", "scenario two at or below"]]) {
    const y = verdict[key];
    shapes.push({ type: "line", xref: "paper", x0: 0, x1: 1, y0: y, y1: y, line: { color: colors[outcome], width: 1.5, dash: "dash" } });
    annotations.push({ x: 0, xref: "paper", y, text: `${text} ${y} months`, showarrow: false, xanchor: "left", yanchor: "bottom", font: { size: 10, color: "#444" } });
  }
  return { shapes, annotations };
}

/**
 * The chart as a file for slides: on white, with its title, the settings and a source line.
 * Returns a data URL (PNG or SVG).
 */
export async function exportImage(element, format, { title, settings, source }) {
  const width = 1200;
  const height = 700;
  const look = {
    ...element.layout,
    width, height,
    paper_bgcolor: "#ffffff", plot_bgcolor: "#ffffff",
    font: { family: "Arial, Helvetica, sans-serif", size: 15, color: "#1d2329" },
    title: { text: `<b>${title}</b><br><span style="font-size:13px;color:#444">${settings}</span>`, x: 0.02, xanchor: "left", y: 0.97, yanchor: "top" },
    margin: { l: 80, r: 30, t: 100, b: 150 },
    legend: { orientation: "h", y: -0.1, font: { size: 13 } },
    annotations: [
      ...(element.layout.annotations ?? []),
      { text: source, xref: "paper", yref: "paper", x: 0, y: 0, yshift: -118, xanchor: "left", yanchor: "top", showarrow: false, font: { size: 12, color: "#555" }, align: "left" },
    ],
  };
  return Plotly.toImage({ data: element.data, layout: look }, { format, width, height, scale: format === "png" ? 2 : 1 });
}
