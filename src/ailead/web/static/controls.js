// The settings panel: controls that match their lever (a slider for a strength or an amount, a
// toggle for an on/off lever, a choice for a rule with named values, the export threshold as the
// chip classes it lets through), and the state shown in them, with "modified" marks.
import { SWITCHES, isModified, leverValue, levelName, modifiedLevers } from "./state.js";
import { number } from "./format.js";

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
const CHIPS = [["h20_tpp", "H20"], ["h200_tpp", "H200"], ["b200_tpp", "B200"]];

const $ = (id) => document.getElementById(id);


function kindOf(p) {
  if (p.unit.startsWith("switch (0 or 1)")) return "toggle";
  if (p.named) return "choice";
  if (p.name === "export_threshold_tpp") return "chips";
  return "slider";
}

function niceStep(p) {
  const [low, high] = p.bounds;
  const raw = (high - low) / 100;
  let step = [1, 2, 5, 10].map((m) => m * 10 ** Math.floor(Math.log10(raw))).find((s) => s >= raw);
  const wanted = [p.default, ...Object.values(p.levels ?? {})];
  const fits = (s) => wanted.every((v) => Math.abs((v - low) / s - Math.round((v - low) / s)) < 1e-6);
  for (let i = 0; i < 3 && !fits(step); i += 1) step /= 10;
  return step;
}

function box(p, id, help, label) {
  const div = document.createElement("div");
  div.className = "control";
  div.dataset.kind = kindOf(p);
  div.innerHTML = `<div class="label-row"><label for="${id}"></label></div><div class="row"></div>
    <p id="help-${id}" class="help"></p>`;
  div.querySelector("label").textContent = label;
  if (p.unit && !["dimensionless", "switch (0 or 1)"].includes(p.unit)) {
    div.querySelector("label").append(Object.assign(document.createElement("span"), { className: "unit", textContent: ` (${p.unit})` }));
  }
  div.querySelector(".help").textContent = help;
  return div;
}

/** One lever's control; `set(value)` records a user's choice. */
function leverControl(p, page, set) {
  const id = `param-${p.name}`;
  const help = `${p.description} Range ${p.bounds[0]} to ${p.bounds[1]} ${p.unit}. Source: ${p.citation}`;
  const div = box(p, id, help, p.label);
  const row = div.querySelector(".row");
  const kind = kindOf(p);
  if (kind === "toggle") {
    row.innerHTML = `<input type="checkbox" role="switch" id="${id}" aria-describedby="help-${id}">`;
    row.firstChild.addEventListener("change", (e) => set(e.target.checked ? 1 : 0));
  } else if (kind === "choice" || kind === "chips") {
    const select = document.createElement("select");
    select.id = id;
    select.setAttribute("aria-describedby", `help-${id}`);
    select.addEventListener("change", (e) => set(Number(e.target.value)));
    row.append(select);
  } else {
    row.innerHTML = `<input type="range" id="${id}" min="${p.bounds[0]}" max="${p.bounds[1]}"
      step="${niceStep(p)}" aria-describedby="help-${id}">`;
    row.firstChild.addEventListener("input", (e) => set(Number(e.target.value)));
  }
  row.append(Object.assign(document.createElement("output"), { id: `out-${id}` }));
  const reset = Object.assign(document.createElement("button"), { type: "button", className: "reset", textContent: "reset" });
  reset.setAttribute("aria-label", `Reset ${p.label}`);
  reset.addEventListener("click", () => set(undefined));
  row.append(reset);
  return div;
}

/** The export threshold's choices: each named level and each chip class's own TPP, labelled
 * by the best class it lets through (from the registry's chip TPPs). */
function chipOptions(p, params, current) {
  const classes = CHIPS.filter(([key]) => params[key]).map(([key, name]) => [params[key].default, name]);
  const values = new Set([0, ...Object.values(p.levels ?? {}), ...classes.map(([tpp]) => tpp)]);
  if (current !== undefined) values.add(current);
  const levelOf = Object.fromEntries(Object.entries(p.levels ?? {}).map(([k, v]) => [v, k]));
  return [...values].sort((a, b) => a - b).map((value) => {
    const best = classes.filter(([tpp]) => tpp <= value).at(-1);
    const allowed = best ? `up to the ${best[1]} class` : "no AI accelerators";
    const level = levelOf[value] ? `, ${levelOf[value].replace("-", " ")}` : "";
    return [value, `${allowed} (${value.toLocaleString("en-US")}${level})`];
  });
}

/** A rule's named values, and the value in force when it lies between them (a blended switch). */
function choiceOptions(p, current) {
  const options = Object.entries(p.named).map(([name, value]) => [value, name.replace("-", " ")]);
  if (!options.some(([value]) => value === current)) {
    options.push([current, `between (${number(current)}, from the switch)`]);
    options.sort((a, b) => a[0] - b[0]);
  }
  return options;
}

export function buildControls(page, changed) {
  const switches = $("switches");
  const datalist = Object.assign(document.createElement("datalist"), { id: "switch-levels" });
  for (const [name, value] of [["off", 0], ["status-quo", 0.5], ["strong", 1]]) {
    datalist.append(Object.assign(document.createElement("option"), { value, label: name }));
  }
  switches.append(datalist);
  for (const s of SWITCHES) {
    const levers = Object.values(page.params).filter((p) => p.switch === s).map((p) => p.label.toLowerCase());
    const help = `${SWITCH_TEXT[s]}. Sets the levers ${levers.join(", ")}. Range 0 (off) to 1 (strong).`;
    const p = { name: s, unit: "", bounds: [0, 1], default: 0.5, levels: { a: 0.05 } };
    const div = box(p, `switch-${s}`, help, SWITCH_TEXT[s].split(":")[0]);
    div.querySelector(".row").innerHTML = `<input type="range" id="switch-${s}" min="0" max="1"
      step="0.05" list="switch-levels" aria-describedby="help-switch-${s}"><output id="out-switch-${s}"></output>`;
    div.querySelector("input").addEventListener("input", (event) => {
      page.state.scenario.switches[s] = Number(event.target.value);
      changed();
    });
    switches.append(div);
  }
  const container = $("lever-groups");
  for (const [group, title] of GROUPS) {
    const params = Object.values(page.params).filter((p) =>
      group === "world" ? MAIN_WORLD.includes(p.name) : p.group === group);
    if (!params.length) continue;
    const details = document.createElement("details");
    details.innerHTML = `<summary></summary>`;
    details.querySelector("summary").textContent = title;
    for (const p of params) {
      details.append(leverControl(p, page, (value) => {
        if (value === undefined) delete page.state.scenario.params[p.name];
        else page.state.scenario.params[p.name] = value;
        changed();
      }));
    }
    container.append(details);
  }
}

/** Put the state into the controls: values, the values the switches imply, "modified" marks. */
export function showState(page) {
  const { scenario, samples, seed, compare } = page.state;
  const preset = page.presets[scenario.preset];
  $("preset").value = scenario.preset;
  $("preset-description").textContent = preset.description;
  $("preset-modified").hidden = !isModified(scenario, preset);
  const marked = modifiedLevers(scenario, page.params, preset.parameters);
  for (const s of SWITCHES) {
    const value = scenario.switches[s];
    $(`switch-${s}`).value = value;
    $(`out-switch-${s}`).textContent = `${levelName(value) ?? number(value)}${marked[s] ? " · modified" : ""}`;
    $(`switch-${s}`).closest(".control").classList.toggle("modified", Boolean(marked[s]));
  }
  for (const p of Object.values(page.params)) {
    const input = $(`param-${p.name}`);
    if (!input) continue;
    const set = p.name in scenario.params;
    let value = scenario.params[p.name] ?? preset.parameters[p.name];
    if (value === undefined) value = p.levels ? leverValue(p, scenario.switches[p.switch]) : p.default;
    const kind = kindOf(p);
    if (kind === "chips" || kind === "choice") {
      const options = kind === "chips" ? chipOptions(p, page.params, value) : choiceOptions(p, value);
      input.replaceChildren(...options.map(([v, text]) => new Option(text, String(v))));
    }
    if (kind === "toggle") input.checked = value >= 0.5;
    else input.value = String(value);
    const named = p.named && Object.entries(p.named).find(([, v]) => v === value)?.[0];
    const shown = kind === "toggle" ? (value >= 0.5 ? "on" : "off") : kind === "slider" ? named ?? number(value) : "";
    const follows = p.switch ? "follows switch" : "default";
    $(`out-param-${p.name}`).textContent = `${shown}${set ? "" : `${shown ? " " : ""}(${follows})`}`;
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
