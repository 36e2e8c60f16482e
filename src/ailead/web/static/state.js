// The page's state: a scenario (preset, switches, parameter overrides), run settings and a
// comparison; its URL form (a shared link restores it), its YAML form and the results as CSV.

export const SWITCHES = ["compute", "access", "distillation"];
export const LEVELS = { off: 0, "status-quo": 0.5, strong: 1 };
export const QUANTILES = ["p5", "p25", "p50", "p75", "p95"];

/** The named level of a strength, or null. */
export function levelName(value) {
  const found = Object.entries(LEVELS).find(([, v]) => v === value);
  return found ? found[0] : null;
}

/** A switch setting from text: a level name or a number in [0, 1]; null if neither. */
export function parseLevel(text) {
  if (text in LEVELS) return LEVELS[text];
  const value = Number(text);
  return text !== "" && Number.isFinite(value) && value >= 0 && value <= 1 ? value : null;
}

/** A lever's value at a switch strength: linear through off (0), status-quo (0.5), strong (1). */
export function leverValue(param, strength) {
  const [a, b, c] = [param.levels.off, param.levels["status-quo"], param.levels.strong];
  return strength <= 0.5 ? a + (b - a) * (strength / 0.5) : b + (c - b) * ((strength - 0.5) / 0.5);
}

/** A scenario as the API takes it: {scenario, switches, parameters}. */
export function scenarioRequest(scenario) {
  return { scenario: scenario.preset, switches: { ...scenario.switches }, parameters: { ...scenario.params } };
}

function writeScenario(query, prefix, scenario) {
  query.set(prefix + "preset", scenario.preset);
  for (const s of SWITCHES) {
    const value = scenario.switches[s];
    query.set(prefix + s, levelName(value) ?? String(value));
  }
  for (const [name, value] of Object.entries(scenario.params)) query.set(prefix + name, String(value));
}

const RUN_KEYS = new Set(["preset", "samples", "seed", "vs", ...SWITCHES]);

/** A parameter value from a link: a number or a named value; clamped into the bounds. */
function readParam(p, raw, key, notes) {
  const onOff = p.unit.startsWith("switch (0 or 1)") ? { off: 0, on: 1 } : {};
  const named = { ...onOff, ...(p.named ?? {}) };
  let value = raw in named ? named[raw] : raw === "" ? NaN : Number(raw);
  if (!Number.isFinite(value)) {
    notes.push(`${key}=${raw} is not a number${p.named ? ` or one of ${Object.keys(p.named).join(", ")}` : ""}; ignored.`);
    return null;
  }
  if (p.unit.startsWith("switch (0 or 1)") && value !== 0 && value !== 1) {
    const on = value >= 0.5 ? 1 : 0;
    notes.push(`${key}=${raw} is an on/off setting (0 or 1); using ${on}.`);
    value = on;
  }
  const [low, high] = p.bounds;
  if (value < low || value > high) {
    const limit = value < low ? low : high;
    notes.push(`${key}=${raw} is outside its range (${low} to ${high}); using ${limit}.`);
    value = limit;
  }
  return value;
}

function readScenario(query, prefix, presets, params, notes) {
  const name = query.get(prefix + "preset");
  if (name === null) return null;
  if (!(name in presets)) {
    notes.push(`${prefix}preset=${name} is not a preset (${Object.keys(presets).join(", ")}); ignored.`);
    return null;
  }
  const scenario = { preset: name, switches: { ...presets[name].switches }, params: {} };
  for (const s of SWITCHES) {
    const raw = query.get(prefix + s);
    if (raw === null) continue;
    const number = Number(raw);
    const value = parseLevel(raw);
    if (value !== null) scenario.switches[s] = value;
    else if (raw !== "" && Number.isFinite(number)) {
      scenario.switches[s] = Math.min(1, Math.max(0, number));
      notes.push(`${prefix}${s}=${raw} is outside 0 to 1; using ${scenario.switches[s]}.`);
    } else notes.push(`${prefix}${s}=${raw} is not off, status-quo, strong or a number in [0, 1]; ignored.`);
  }
  for (const p of Object.values(params)) {
    const raw = query.get(prefix + p.name);
    if (raw === null) continue;
    const value = readParam(p, raw, prefix + p.name, notes);
    if (value !== null) scenario.params[p.name] = value;
  }
  return scenario;
}

/** The state as a query string. */
export function toQuery(state) {
  const query = new URLSearchParams();
  writeScenario(query, "", state.scenario);
  query.set("samples", String(state.samples));
  query.set("seed", String(state.seed));
  if (state.compare) {
    query.set("vs", state.compare.saved ? "saved" : state.compare.preset);
    if (state.compare.saved) writeScenario(query, "vs.", state.compare);
  }
  return query.toString();
}

/**
 * The state from a query string, and notes on what it could not use as given: values outside
 * their range are clamped to the limit (samples to `maxSamples`), unknown names and values are
 * named and ignored. Missing entries keep the defaults.
 */
export function fromQuery(search, presets, params, defaults, maxSamples = Infinity) {
  const query = new URLSearchParams(search);
  const notes = [];
  const state = structuredClone(defaults);
  const scenario = readScenario(query, "", presets, params, notes);
  if (scenario) state.scenario = scenario;
  if (query.has("samples")) {
    const raw = query.get("samples");
    const samples = Number(raw);
    if (!Number.isInteger(samples) || samples < 1) {
      notes.push(`samples=${raw} is not a whole number of at least 1; using ${state.samples}.`);
    } else if (samples > maxSamples) {
      notes.push(`samples=${raw} is more than this server runs; using ${maxSamples}.`);
      state.samples = maxSamples;
    } else state.samples = samples;
  }
  if (query.has("seed")) {
    const raw = query.get("seed");
    const seed = Number(raw);
    if (Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32) state.seed = seed;
    else notes.push(`seed=${raw} is not a whole number from 0 to 4294967295; using ${state.seed}.`);
  }
  const vs = query.get("vs");
  if (vs === "none") notes.push("vs=none: the baseline is always drawn; comparing with the default.");
  else if (vs === "saved") {
    const saved = readScenario(query, "vs.", presets, params, notes);
    if (saved) state.compare = { ...saved, saved: true };
    else notes.push("vs=saved has no vs.preset; comparing with the default.");
  } else if (vs !== null && vs in presets) {
    state.compare = { preset: vs, switches: { ...presets[vs].switches }, params: {}, saved: false };
  } else if (vs !== null) notes.push(`vs=${vs} is not a preset or saved; ignored.`);
  const unknown = [...query.keys()].filter((key) => {
    const name = key.startsWith("vs.") ? key.slice(3) : key;
    return !RUN_KEYS.has(name) && !(name in params);
  });
  if (unknown.length) notes.push(`Unknown settings ignored: ${unknown.join(", ")}.`);
  return { state, notes };
}

/** The named level of a switch strength with a mark when a lever departs from it. */
export function modifiedLevers(scenario, params, presetParams = {}) {
  const marked = {};
  for (const name of Object.keys(scenario.params)) {
    const p = params[name];
    if (p && p.switch && scenario.params[name] !== presetParams[name]) marked[p.switch] = true;
  }
  return marked;
}

/** Whether the scenario departs from its preset (switches or any parameter). */
export function isModified(scenario, preset) {
  const switches = SWITCHES.some((s) => scenario.switches[s] !== preset.switches[s]);
  const params = Object.entries(scenario.params).some(([k, v]) => preset.parameters[k] !== v);
  return switches || params;
}

function yamlScalar(value) {
  return typeof value === "number" ? String(value) : JSON.stringify(value);
}

/** The current scenario as a scenario file for `ailead run FILE`. */
export function scenarioYaml(state, version) {
  const { scenario } = state;
  const lines = [
    `# Made with the ailead web explorer (ailead ${version}).`,
    `# Run it with: ailead run FILE.yaml --samples ${state.samples} --seed ${state.seed}`,
    `name: ${yamlScalar(`explorer-${scenario.preset}`)}`,
    `description: ${yamlScalar(`Settings from the ailead web explorer, starting from ${scenario.preset}.`)}`,
    `extends: ${yamlScalar(scenario.preset)}`,
    "switches:",
    ...SWITCHES.map((s) => `  ${s}: ${yamlScalar(levelName(scenario.switches[s]) ?? scenario.switches[s])}`),
  ];
  const params = Object.entries(scenario.params);
  if (params.length) {
    lines.push("parameters:", ...params.map(([name, value]) => `  ${name}: ${yamlScalar(value)}`));
  }
  return lines.join("\n") + "\n";
}

function csvField(value) {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Monthly quantile bands of every result, one row per scenario, month and series. */
export function resultsCsv(results) {
  const rows = [["scenario", "month", "series", "unit", ...QUANTILES]];
  for (const result of results) {
    for (const [name, band] of Object.entries(result.series)) {
      result.months.forEach((month, i) => {
        rows.push([result.scenario, month, name, band.unit, ...QUANTILES.map((q) => band[q][i])]);
      });
    }
  }
  return rows.map((row) => row.map(csvField).join(",")).join("\n") + "\n";
}

/** Offer text as a file download. */
export function download(filename, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = Object.assign(document.createElement("a"), { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
