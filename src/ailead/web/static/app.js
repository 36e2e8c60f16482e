// The explorer page: controls built from GET /api/parameters and /api/scenarios, runs through
// POST /api/run or /api/compare (the run and its baseline), a headline card, charts and a table
// redrawn after each move. Only the API is used.
import {
  SWITCHES, download, fromQuery, isModified, levelName, resultsCsv, scenarioRequest, scenarioYaml,
  toQuery,
} from "./state.js";
import { FRONTS, LOOK, drawSeries, exportImage, leadMarks } from "./charts.js";
import { buildControls, showState } from "./controls.js";
import { number, percent } from "./format.js";

const $ = (id) => document.getElementById(id);
const page = { params: {}, presets: {}, labels: null, state: null, results: [], runs: [], version: "" };
const timing = {
  dirtySince: null, inFlight: false, pending: false, lastUpdateMs: null, lastDrawMs: null, updates: 0,
};
window.ailead = timing;

async function api(path, body) {
  const response = await fetch(path, body === undefined ? {} : {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const data = await response.json();
  if (!response.ok) throw new Error(data.detail ?? `${response.status} ${response.statusText}`);
  return data;
}

function esc(text) {
  return String(text).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

// ---------------------------------------------------------------- selects and the drawer

function buildSelects() {
  const preset = $("preset");
  const compare = $("compare");
  for (const name of Object.keys(page.presets)) {
    preset.append(new Option(name, name));
    compare.append(new Option(`${name} (preset)`, name));
  }
  compare.append(new Option("kept settings", "saved"));  // the baseline is always drawn
  preset.addEventListener("change", () => {
    page.state.scenario = presetScenario(preset.value);
    changed();
  });
  $("reset").addEventListener("click", () => {
    page.state.scenario = presetScenario(page.state.scenario.preset);
    changed();
  });
  compare.addEventListener("change", () => {
    const value = compare.value;
    if (value === "saved") page.state.compare = { ...structuredClone(page.state.scenario), saved: true };
    else page.state.compare = value ? { ...presetScenario(value), saved: false } : null;
    changed();
  });
  $("save-compare").addEventListener("click", () => {
    page.state.compare = { ...structuredClone(page.state.scenario), saved: true };
    changed();
  });
  $("samples").addEventListener("change", (event) => {
    page.state.samples = Number(event.target.value);
    changed();
  });
  $("seed").addEventListener("change", (event) => {
    const seed = Number(event.target.value);
    if (Number.isInteger(seed) && seed >= 0) page.state.seed = seed;
    changed();
  });
  $("show-help").addEventListener("change", (event) => {
    $("settings").classList.toggle("show-help", event.target.checked);
  });
  $("drawer-toggle").addEventListener("click", () => {
    const open = document.body.classList.toggle("drawer-open");
    $("drawer-toggle").setAttribute("aria-expanded", String(open));
    $("drawer-toggle").textContent = open ? "Close settings" : "Settings";
    if (open) $("chart-lead").closest(".panel").scrollIntoView({ block: "start" }); // above the drawer
  });
}

function presetScenario(name) {
  return { preset: name, switches: { ...page.presets[name].switches }, params: {} };
}

// ---------------------------------------------------------------- running

function changed() {
  timing.dirtySince ??= performance.now();
  showState(page);
  history.replaceState(null, "", `?${toQuery(page.state)}`);
  refresh();
}

/** Run the latest state; moves made while a run is in flight are folded into one more run. */
async function refresh() {
  if (timing.inFlight) {
    timing.pending = true;
    return;
  }
  timing.inFlight = true;
  try {
    do {
      timing.pending = false;
      const since = timing.dirtySince ?? performance.now();
      timing.dirtySince = null;
      await runAndDraw();
      timing.lastUpdateMs = performance.now() - since;
      timing.updates += 1;
      $("status").textContent = `Updated in ${Math.round(timing.lastUpdateMs)} ms ` +
        `(${page.state.samples} sample${page.state.samples > 1 ? "s" : ""}, seed ${page.state.seed}).`;
    } while (timing.pending);
  } catch (error) {
    $("error").textContent = `The run was refused: ${error.message}`;
    $("error").hidden = false;
    $("status").textContent = "No new results: see the message below.";
    if (!page.results.length) $("headline").textContent = "No results yet: see the message below.";
  } finally {
    timing.inFlight = false;
  }
}

/** Whether the run's settings are the baseline's (the baseline is then not shown twice). */
function sameAsBaseline() {
  const { scenario, compare } = page.state;
  const key = (sc) => JSON.stringify(scenarioRequest(sc));
  return Boolean(compare) && key(scenario) === key(compare);
}

function runLabel(scenario) {
  return `${scenario.preset}${isModified(scenario, page.presets[scenario.preset]) ? " (modified)" : ""}`;
}

async function runAndDraw() {
  const { scenario, compare, samples, seed } = page.state;
  let results;
  if (compare) {
    const body = { scenarios: [scenarioRequest(scenario), scenarioRequest(compare)], samples, seed };
    results = (await api("/api/compare", body)).results;
  } else {
    results = [await api("/api/run", { ...scenarioRequest(scenario), samples, seed })];
  }
  const fetched = performance.now();
  $("error").hidden = true;
  page.results = results;
  page.version = results[0].version;
  const runs = [{ label: runLabel(scenario), result: results[0], preset: scenario.preset }];
  if (compare) {
    const name = compare.saved ? "kept settings" : compare.preset;
    runs.push({ label: `${name} (baseline)`, result: results[1], preset: compare.preset, same: sameAsBaseline() });
  }
  page.runs = runs;
  await draw(runs);
  timing.lastDrawMs = performance.now() - fetched;
}

// ---------------------------------------------------------------- drawing

// Charts out of view are redrawn when they scroll into view, so a move redraws only what shows.
const charts = { painters: new Map(), stale: new Set() };
const observer = new IntersectionObserver((entries) => {
  for (const entry of entries) if (entry.isIntersecting) paintIfStale(entry.target);
}, { rootMargin: "100px" });

function inView(element) {
  const box = element.getBoundingClientRect();
  return box.height > 0 && box.bottom > -100 && box.top < window.innerHeight + 100;
}

function paintIfStale(element) {
  if (!charts.stale.delete(element)) return undefined;
  return charts.painters.get(element)();
}

function paintWith(element, painter) {
  if (!charts.painters.has(element)) observer.observe(element);
  charts.painters.set(element, painter);
  charts.stale.add(element);
}

async function draw(runs) {
  drawHeadline(runs);
  const marks = leadMarks(runs[0].result);
  paintWith($("chart-lead"), () => drawSeries($("chart-lead"), runs, ["lead_months"], { layout: marks, ghost: true }));
  const compute = ["accessible_compute_h100e_us", "accessible_compute_h100e_cn"];
  paintWith($("chart-compute"), () => drawSeries($("chart-compute"), runs, compute, { log: true }));
  const capability = ["capability_eci_us", "capability_eci_cn"];
  paintWith($("chart-capability"), () => drawSeries($("chart-capability"), runs, capability));
  for (const front of frontPanels(runs[0].result)) {
    const element = $(`chart-front-${front.id}`);
    paintWith(element, () => drawSeries(element, runs, front.series));
  }
  drawSummary(runs);
  $("caveat").textContent = `${runs[0].result.caveat} ailead ${runs[0].result.version}.`;
  await Promise.all([...charts.stale].filter(inView).map(paintIfStale));
}

/** The headline card: the sentence, the shift against the baseline, the verdict bars, the key. */
function drawHeadline(runs) {
  const [main, base] = runs;
  $("headline").textContent = main.result.headline;
  const shift = base && main.result.summary.lead_months.p50 - base.result.summary.lead_months.p50;
  $("difference").hidden = !base;
  if (base?.same) {
    $("difference").textContent = `These settings are the baseline: move a switch to see how far it shifts the lead.`;
  } else if (base) {
    const one = (v) => (Number.isFinite(v) ? v.toFixed(1) : "n/a");
    const sign = shift >= 0.05 ? "+" : "";
    $("difference").textContent = `Against ${base.label}: median lead ${sign}${one(shift)} months ` +
      `(${one(main.result.summary.lead_months.p50)} against ${one(base.result.summary.lead_months.p50)}).`;
  }
  const { outcomes, colors } = LOOK.labels;
  $("verdict-bars").innerHTML = runs.filter((r) => r.result.outcomes && !r.same).map((run) => {
    const shares = run.result.outcomes;
    if (run.result.samples === 1) {
      const [reached] = Object.entries(shares).find(([, v]) => v >= 0.5) ?? ["", 0];
      return `<div class="verdict-row"><span class="run">${esc(run.label)}</span><span class="one">one deterministic run: ${esc((outcomes[reached] ?? reached).toLowerCase())}</span></div>`;
    }
    const segments = Object.entries(shares).map(([k, v]) =>
      `<span class="segment" style="flex-grow:${v};background:${colors.outcomes[k]}" title="${esc(outcomes[k])} ${percent(v)}"></span>`).join("");
    const legend = Object.entries(shares).map(([k, v]) =>
      `<span class="share"><i style="background:${colors.outcomes[k]}"></i>${esc(outcomes[k])} ${percent(v)}</span>`).join("");
    return `<div class="verdict-row"><span class="run">${esc(run.label)}</span><div class="bar" role="img" aria-label="${esc(
      Object.entries(shares).map(([k, v]) => `${outcomes[k]} ${percent(v)}`).join(", "))}">${segments}</div><div class="legend">${legend}</div></div>`;
  }).join("");
  $("key").textContent = "Charts: the line is the median over samples, the darker band holds the middle 50% and " +
    `the lighter band 90%${base ? "; the grey line is the baseline" : ""}. ${main.result.verdict_text}`;
}

/** The fronts this result has, each with a panel on the page (panels of absent fronts go). */
function frontPanels(result) {
  const present = FRONTS.filter((f) => f.series.some((s) => result.series[s]));
  $("fronts-note").hidden = present.length > 0;
  for (const front of FRONTS) {
    const id = `chart-front-${front.id}`;
    if (present.includes(front) && !$(id)) {
      const panel = document.createElement("div");
      panel.className = "panel";
      panel.dataset.title = front.title;
      panel.innerHTML = `<div class="panel-head"><h2></h2></div><div id="${id}" class="chart"></div>`;
      panel.querySelector("h2").textContent = front.title;
      $("fronts").append(panel);
      addExports(panel);
    } else if (!present.includes(front) && $(id)) {
      const element = $(id);
      observer.unobserve(element);
      charts.stale.delete(element);
      charts.painters.delete(element);
      element.closest(".panel").remove();
    }
  }
  return present;
}

function drawSummary(runs) {
  const { metrics, fronts } = LOOK.labels;
  const first = runs[0].result;
  const diff = runs.length > 1;
  const columns = runs.length + 2 + (diff ? 1 : 0);
  const caption = first.samples > 1 ? `median [5th, 95th percentile] at ${first.target}` : `one deterministic run, at ${first.target}`;
  const head = `<caption>${caption}</caption><thead><tr><th scope="col">metric</th>` +
    `<th scope="col">unit</th>${runs.map((r) => `<th scope="col">${esc(r.label)}</th>`).join("")}` +
    `${diff ? '<th scope="col">difference (median)</th>' : ""}</tr></thead>`;
  const row = (metric) => {
    const cells = runs.map(({ result }) => {
      const q = result.summary[metric];
      if (!q) return "<td>n/a</td>";
      const range = result.samples > 1 ? ` <span class="range">[${number(q.p5)}, ${number(q.p95)}]</span>` : "";
      return `<td>${number(q.p50)}${range}</td>`;
    });
    if (diff) {
      const d = runs[0].result.summary[metric].p50 - runs[1].result.summary[metric].p50;
      cells.push(`<td class="diff">${d > 0 ? "+" : ""}${number(d)}</td>`);
    }
    const label = metrics[metric] ?? { text: metric, unit: "" };
    return `<tr><th scope="row">${esc(label.text)}</th><td>${esc(label.unit)}</td>${cells.join("")}</tr>`;
  };
  const groups = Object.entries(first.fronts ?? {});
  const grouped = new Set(groups.flatMap(([, members]) => members));
  const rest = Object.keys(first.summary).filter((m) => !grouped.has(m));
  if (rest.length) groups.push([groups.length ? "other" : "", rest]);
  const body = groups.map(([front, members]) => {
    const title = front ? `<tr class="group"><th colspan="${columns}" scope="rowgroup">${esc(fronts[front] ?? front)}</th></tr>` : "";
    return `<tbody>${title}${members.filter((m) => m in first.summary).map(row).join("")}</tbody>`;
  });
  $("summary").innerHTML = head + body.join("");
}

// ---------------------------------------------------------------- share and download

function settingsText() {
  const { scenario, samples, seed, compare } = page.state;
  const switches = SWITCHES.map((s) => `${s} ${levelName(scenario.switches[s]) ?? number(scenario.switches[s])}`).join(", ");
  const params = Object.entries(scenario.params).map(([k, v]) => `${(page.params[k]?.label ?? k).toLowerCase()} ${number(v)}`).join(", ");
  const draws = samples === 1 ? "one deterministic run" : `${samples} samples, seed ${seed}`;
  const base = compare ? ` · ${page.runs[1]?.label ?? ""}` : "";
  return `${esc(page.runs[0]?.label ?? scenario.preset)}: ${switches}${params ? `; ${esc(params)}` : ""} · ${draws}${esc(base)}`;
}

function addExports(panel) {
  const head = panel.querySelector(".panel-head");
  const chart = panel.querySelector(".chart");
  for (const format of ["png", "svg"]) {
    const button = Object.assign(document.createElement("button"), { type: "button", className: "export", textContent: format.toUpperCase() });
    button.setAttribute("aria-label", `Download the chart "${panel.dataset.title}" as ${format.toUpperCase()}`);
    button.dataset.format = format;
    button.addEventListener("click", async () => {
      const today = new Date().toISOString().slice(0, 10);
      const source = `Source: ailead ${page.version}, a model of the essay "2028: Two scenarios for global AI leadership". ` +
        `Under these assumptions; not a forecast. Made ${today}.`;
      const url = await exportImage(chart, format, { title: esc(panel.dataset.title), settings: settingsText(), source });
      const blob = await (await fetch(url)).blob();
      const link = Object.assign(document.createElement("a"), { href: URL.createObjectURL(blob), download: `ailead-${chart.id}.${format}` });
      document.body.append(link);
      link.click();
      link.remove();
    });
    head.append(button);
  }
}

function buildDownloads() {
  $("download-yaml").addEventListener("click", () => {
    download(`ailead-${page.state.scenario.preset}.yaml`, scenarioYaml(page.state, page.version), "application/yaml");
  });
  $("download-csv").addEventListener("click", () => {
    download("ailead-results.csv", resultsCsv(page.results), "text/csv");
  });
  $("copy-link").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      $("status").textContent = "Link copied.";
    } catch {
      $("status").textContent = `Copy this link: ${location.href}`;
    }
  });
  for (const panel of document.querySelectorAll(".charts > .panel")) addExports(panel);
}

function showNotes(notes) {
  $("notes").hidden = notes.length === 0;
  $("notes").innerHTML = notes.length
    ? `<strong>The link was adjusted:</strong><ul>${notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>`
    : "";
}

async function start() {
  const [params, presets, labels, limits] = await Promise.all([
    api("/api/parameters"), api("/api/scenarios"), api("/api/labels"), api("/api/limits"),
  ]);
  page.params = Object.fromEntries(params.map((p) => [p.name, p]));
  page.presets = Object.fromEntries(presets.map((p) => [p.name, p]));
  page.labels = labels;
  $("key-box").open = window.innerWidth > 800;
  LOOK.labels = labels;
  const first = page.presets["status-quo"] ? "status-quo" : presets[0].name;
  const defaults = {
    scenario: presetScenario(first), samples: 100, seed: 0,
    compare: { ...presetScenario(first), saved: false },
  };
  const { state, notes } = fromQuery(location.search, page.presets, page.params, defaults, limits.max_samples);
  page.state = state;
  buildControls(page, changed);
  buildSelects();
  buildDownloads();
  showNotes(notes);
  changed();
}

start().catch((error) => {
  $("error").textContent = `The explorer could not start: ${error.message}`;
  $("error").hidden = false;
  $("headline").textContent = "The explorer could not start: see the message below.";
});
