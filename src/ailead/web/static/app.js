// The explorer page: controls built from GET /api/parameters and /api/scenarios, runs through
// POST /api/run or /api/compare, charts redrawn after each move. Only the API is used.
import {
  SWITCHES, download, fromQuery, leverValue, levelName, resultsCsv, scenarioRequest, scenarioYaml,
  toQuery,
} from "./state.js";
import { FRONTS, drawSeries, drawVerdict, leadMarks } from "./charts.js";

const SWITCH_TEXT = {
  compute: "Compute: export controls on chips, chipmaking tools and HBM",
  access: "Access: smuggling enforcement and the remote-access loophole",
  distillation: "Distillation: deterrence of distillation attacks on US models",
};
const GROUPS = [
  ["compute", "Compute levers"],
  ["access", "Access levers"],
  ["distillation", "Distillation levers"],
  ["timing", "Policy timing"],
  ["other levers", "Adoption push, export promotion, open weights, PRC counter-moves"],
  ["model", "Model switches (revenue feedback)"],
  ["world", "World parameters (sensitivity)"],
];
// World parameters offered as sliders; setting one fixes it in every sample.
const MAIN_WORLD = [
  "algorithmic_progress", "experiment_compute_elasticity", "ai_rnd_speedup_max",
  "algorithmic_spillover", "distillation_gap_closure", "us_production_growth", "cn_wafer_growth",
  "smuggling_share_unenforced", "remote_rentable_share", "initial_lead_months",
];
const SUMMARY_LABELS = { lead_months: "US lead", compute_ratio: "US / PRC compute" };

const $ = (id) => document.getElementById(id);
const page = { params: {}, presets: {}, state: null, results: [], version: "" };
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

function format(value) {
  if (value === null || value === undefined) return "n/a";
  const abs = Math.abs(value);
  if (abs >= 1e5) return value.toExponential(2).replace("e+", "e");
  return abs >= 10 ? value.toFixed(1) : value.toPrecision(3).replace(/\.?0+$/, "");
}

function niceStep([low, high]) {
  const raw = (high - low) / 100;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
}

function pretty(name) {
  return name.replaceAll("_", " ").replace(/\b(us|cn)\b/g, (b) => (b === "us" ? "US" : "PRC"));
}

// ---------------------------------------------------------------- controls

function control({ id, name, label, unit, min, max, step, help }) {
  const box = document.createElement("div");
  box.className = "control";
  box.title = help;
  box.innerHTML = `
    <label for="${id}"></label>
    <div class="row">
      <input type="range" id="${id}" name="${name}" min="${min}" max="${max}" step="${step}"
        aria-describedby="help-${id}">
      <output id="out-${id}" for="${id}"></output>
    </div>
    <p id="help-${id}" class="help"></p>`;
  box.querySelector("label").textContent = label;
  if (unit) {
    const span = Object.assign(document.createElement("span"), { className: "unit", textContent: ` (${unit})` });
    box.querySelector("label").append(span);
  }
  box.querySelector(".help").textContent = help;
  return box;
}

function buildSwitches() {
  const fieldset = $("switches");
  const datalist = Object.assign(document.createElement("datalist"), { id: "switch-levels" });
  for (const [name, value] of [["off", 0], ["status-quo", 0.5], ["strong", 1]]) {
    datalist.append(Object.assign(document.createElement("option"), { value, label: name }));
  }
  fieldset.append(datalist);
  for (const s of SWITCHES) {
    const levers = Object.values(page.params).filter((p) => p.switch === s).map((p) => p.name);
    const help = `${SWITCH_TEXT[s]}. Sets the levers ${levers.join(", ")}. Range 0 (off) to 1 (strong).`;
    const box = control({ id: `switch-${s}`, name: s, label: SWITCH_TEXT[s].split(":")[0], unit: "", min: 0, max: 1, step: 0.05, help });
    box.querySelector("input").setAttribute("list", "switch-levels");
    box.querySelector("input").addEventListener("input", (event) => {
      page.state.scenario.switches[s] = Number(event.target.value);
      changed();
    });
    fieldset.append(box);
  }
}

function buildLevers() {
  const container = $("lever-groups");
  for (const [group, title] of GROUPS) {
    const params = Object.values(page.params).filter((p) =>
      group === "world" ? MAIN_WORLD.includes(p.name) : p.group === group);
    if (!params.length) continue;
    const details = document.createElement("details");
    details.innerHTML = `<summary></summary>`;
    details.querySelector("summary").textContent = title;
    for (const p of params) {
      const help = `${p.description} Range ${p.bounds[0]} to ${p.bounds[1]} ${p.unit}. ` +
        `Source: ${p.citation}`;
      const box = control({
        id: `param-${p.name}`, name: p.name, label: pretty(p.name), unit: p.unit,
        min: p.bounds[0], max: p.bounds[1], step: niceStep(p.bounds), help,
      });
      const reset = Object.assign(document.createElement("button"), { type: "button", className: "reset", textContent: "reset" });
      reset.setAttribute("aria-label", `Reset ${pretty(p.name)}`);
      reset.addEventListener("click", () => {
        delete page.state.scenario.params[p.name];
        changed();
      });
      box.querySelector(".row").append(reset);
      box.querySelector("input").addEventListener("input", (event) => {
        page.state.scenario.params[p.name] = Number(event.target.value);
        changed();
      });
      details.append(box);
    }
    container.append(details);
  }
}

function buildSelects() {
  const preset = $("preset");
  const compare = $("compare");
  compare.append(new Option("nothing", ""));
  for (const name of Object.keys(page.presets)) {
    preset.append(new Option(name, name));
    compare.append(new Option(`preset ${name}`, name));
  }
  compare.append(new Option("kept settings", "saved"));
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
}

function presetScenario(name) {
  return { preset: name, switches: { ...page.presets[name].switches }, params: {} };
}

/** Put the state into the controls (values, outputs, lever values implied by the switches). */
function showState() {
  const { scenario, samples, seed, compare } = page.state;
  $("preset").value = scenario.preset;
  $("preset-description").textContent = page.presets[scenario.preset].description;
  for (const s of SWITCHES) {
    const value = scenario.switches[s];
    $(`switch-${s}`).value = value;
    $(`out-switch-${s}`).textContent = levelName(value) ?? value.toFixed(2);
  }
  const presetParams = page.presets[scenario.preset].parameters;
  for (const p of Object.values(page.params)) {
    const input = $(`param-${p.name}`);
    if (!input) continue;
    const set = p.name in scenario.params;
    let value = scenario.params[p.name] ?? presetParams[p.name];
    if (value === undefined) value = p.levels ? leverValue(p, scenario.switches[p.switch]) : p.default;
    input.value = value;
    const named = p.named && Object.entries(p.named).find(([, v]) => v === value)?.[0];
    const follows = p.switch ? "follows switch" : "default";
    $(`out-param-${p.name}`).textContent = `${named ?? format(value)}${set ? "" : ` (${follows})`}`;
    input.closest(".control").classList.toggle("overridden", set);
    input.closest(".control").querySelector(".reset").hidden = !set;
  }
  $("samples").value = String(samples);
  if (![...$("samples").options].some((o) => o.value === String(samples))) {
    $("samples").append(new Option(String(samples), String(samples), true, true));
  }
  $("seed").value = String(seed);
  $("compare").value = compare ? (compare.saved ? "saved" : compare.preset) : "";
}

// ---------------------------------------------------------------- running and drawing

function changed() {
  timing.dirtySince ??= performance.now();
  showState();
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
  } finally {
    timing.inFlight = false;
  }
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
  const runs = [{ label: "current", result: results[0] }];
  if (compare) runs.push({ label: compare.saved ? "kept settings" : compare.preset, result: results[1] });
  await draw(runs);
  timing.lastDrawMs = performance.now() - fetched;
}

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
  const marks = leadMarks(runs[0].result);
  $("verdict-box").hidden = !runs.some((run) => run.result.outcomes);
  if (!$("verdict-box").hidden) paintWith($("chart-verdict"), () => drawVerdict($("chart-verdict"), runs));
  paintWith($("chart-lead"), () => drawSeries($("chart-lead"), runs, ["lead_months"], { layout: marks }));
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

/** The fronts this result has, each with a panel on the page (panels of absent fronts go). */
function frontPanels(result) {
  const present = FRONTS.filter((f) => f.series.some((s) => result.series[s]));
  $("fronts-note").hidden = present.length > 0;
  for (const front of FRONTS) {
    const id = `chart-front-${front.id}`;
    if (present.includes(front) && !$(id)) {
      const panel = document.createElement("div");
      panel.className = "panel";
      panel.innerHTML = `<h2></h2><div id="${id}" class="chart"></div>`;
      panel.querySelector("h2").textContent = front.title;
      $("fronts").append(panel);
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
  const table = $("summary");
  const first = runs[0].result;
  const columns = runs.length + 2;
  const head = `<caption>p50 [p5, p95] at ${first.target}</caption><thead><tr><th scope="col">metric</th>` +
    `<th scope="col">unit</th>${runs.map((r) => `<th scope="col">${r.label}</th>`).join("")}</tr></thead>`;
  const row = (metric) => {
    const cells = runs.map(({ result }) => {
      const q = result.summary[metric];
      if (!q) return "<td>n/a</td>";
      const range = result.samples > 1 ? ` <span class="range">[${format(q.p5)}, ${format(q.p95)}]</span>` : "";
      return `<td>${format(q.p50)}${range}</td>`;
    });
    const label = SUMMARY_LABELS[metric] ?? pretty(metric);
    return `<tr><th scope="row">${label}</th><td>${first.units[metric] ?? ""}</td>${cells.join("")}</tr>`;
  };
  // Rows grouped by the essay's fronts when the model names them; other metrics come last.
  const groups = Object.entries(first.fronts ?? {});
  const grouped = new Set(groups.flatMap(([, metrics]) => metrics));
  const rest = Object.keys(first.summary).filter((m) => !grouped.has(m));
  if (rest.length) groups.push([groups.length ? "other" : "", rest]);
  const body = groups.map(([front, metrics]) => {
    const title = front ? `<tr class="group"><th colspan="${columns}" scope="rowgroup">${front}</th></tr>` : "";
    return `<tbody>${title}${metrics.filter((m) => m in first.summary).map(row).join("")}</tbody>`;
  });
  table.innerHTML = head + body.join("");
}

// ---------------------------------------------------------------- share and download

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
}

async function start() {
  const [params, presets] = await Promise.all([api("/api/parameters"), api("/api/scenarios")]);
  page.params = Object.fromEntries(params.map((p) => [p.name, p]));
  page.presets = Object.fromEntries(presets.map((p) => [p.name, p]));
  const first = page.presets["status-quo"] ? "status-quo" : presets[0].name;
  const defaults = { scenario: presetScenario(first), samples: 100, seed: 0, compare: null };
  page.state = fromQuery(location.search, page.presets, page.params, defaults);
  buildSwitches();
  buildLevers();
  buildSelects();
  buildDownloads();
  changed();
}

start().catch((error) => {
  $("error").textContent = `The explorer could not start: ${error.message}`;
  $("error").hidden = false;
});
