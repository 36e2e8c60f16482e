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

function readScenario(query, prefix, presets, params) {
  const name = query.get(prefix + "preset");
  if (!(name in presets)) return null;
  const scenario = { preset: name, switches: { ...presets[name].switches }, params: {} };
  for (const s of SWITCHES) {
    const value = parseLevel(query.get(prefix + s) ?? "");
    if (value !== null) scenario.switches[s] = value;
  }
  for (const p of Object.values(params)) {
    const raw = query.get(prefix + p.name);
    const value = raw === null || raw === "" ? NaN : Number(raw);
    if (Number.isFinite(value) && value >= p.bounds[0] && value <= p.bounds[1]) {
      scenario.params[p.name] = value;
    }
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

/** The state from a query string (missing or invalid entries keep the defaults). */
export function fromQuery(search, presets, params, defaults) {
  const query = new URLSearchParams(search);
  const state = structuredClone(defaults);
  const scenario = readScenario(query, "", presets, params);
  if (scenario) state.scenario = scenario;
  const samples = Number(query.get("samples"));
  if (Number.isInteger(samples) && samples >= 1) state.samples = samples;
  const seed = Number(query.get("seed"));
  if (query.has("seed") && Number.isInteger(seed) && seed >= 0) state.seed = seed;
  const vs = query.get("vs");
  if (vs === "saved") {
    const saved = readScenario(query, "vs.", presets, params);
    state.compare = saved ? { ...saved, saved: true } : null;
  } else if (vs in presets) {
    state.compare = { preset: vs, switches: { ...presets[vs].switches }, params: {}, saved: false };
  }
  return state;
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
