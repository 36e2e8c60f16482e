// The signposts panel: P(world) from GET /api/signposts and, for one indicator, its yearly fan
// (5-95% band and median) under each world with the observations on it.
const COLOURS = { "scenario-one": "#1f77b4", contested: "#7f7f7f", "scenario-two": "#d62728" };
let answer = null;

function draw(name) {
  const traces = [];
  for (const world of Object.keys(COLOURS)) {
    const fan = answer.fans.filter((r) => r.indicator === name && r.world === world);
    if (!fan.length) continue;
    const years = fan.map((r) => r.year);
    traces.push({ x: [...years, ...years.slice().reverse()],
      y: [...fan.map((r) => r.p95), ...fan.map((r) => r.p5).reverse()], fill: "toself",
      line: { width: 0 }, fillcolor: COLOURS[world] + "33", name: `${world} 5-95%`, hoverinfo: "skip" });
    traces.push({ x: years, y: fan.map((r) => r.p50), mode: "lines",
      line: { color: COLOURS[world] }, name: `${world} median` });
  }
  const seen = answer.observations.filter((r) => r.series === name);
  const year = (r) => Number(r.end.slice(0, 4)) + (Number(r.end.slice(5, 7)) - 12) / 12;
  traces.push({ x: seen.map(year), y: seen.map((r) => r.value), mode: "markers",
    marker: { color: "black", size: 9 }, name: "observed", text: seen.map((r) => r.source) });
  const unit = (answer.watch.find((r) => r.indicator === name) || {}).unit || "";
  Plotly.react("chart-signposts", traces, { yaxis: { title: unit }, xaxis: { title: "year" },
    margin: { t: 10 }, legend: { orientation: "h" } }, { responsive: true });
}

async function load() {
  const status = document.getElementById("signposts-answer");
  status.textContent = "Updating on the observations\u2026";
  const response = await fetch("/api/signposts");
  answer = await response.json();
  if (!response.ok) { status.textContent = answer.error || "The update failed."; return; }
  const p = answer.probabilities;
  const pct = (v) => `${Math.round(100 * v)}%`;
  status.textContent = `As of ${answer.as_of}, the world in ${answer.target}: scenario one ` +
    `${pct(p["scenario-one"])}, contested ${pct(p.contested)}, scenario two ` +
    `${pct(p["scenario-two"])}. Most informative: ${answer.most_informative.join(", ")}.`;
  const select = document.getElementById("signposts-indicator");
  select.replaceChildren(...[...new Set(answer.fans.map((r) => r.indicator))].map((name) =>
    Object.assign(document.createElement("option"), { value: name, textContent: name })));
  select.onchange = () => draw(select.value);
  draw(select.value);
}

document.getElementById("signposts-load").addEventListener("click", load);
