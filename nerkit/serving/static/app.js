// nerkit demo page: POST the text to /predict, highlight entities by type, filter by type;
// with a CRF model, list the n most probable analyses with their probabilities.
"use strict";

const PALETTE = ["#ffd8a8", "#a5d8ff", "#b2f2bb", "#fcc2d7", "#d0bfff", "#ffec99",
                 "#99e9f2", "#ffc9c9", "#c0eb75", "#e9ecef"];
const colours = new Map();
const hiddenTypes = new Set();

function colourOf(type) {
  if (!colours.has(type)) colours.set(type, PALETTE[colours.size % PALETTE.length]);
  return colours.get(type);
}

function addLegendEntry(type) {
  const legend = document.getElementById("legend");
  if (legend.querySelector(`input[data-type="${CSS.escape(type)}"]`)) return;
  const label = document.createElement("label");
  label.className = "type-toggle";
  const box = document.createElement("input");
  box.type = "checkbox";
  box.checked = !hiddenTypes.has(type);
  box.dataset.type = type;
  box.addEventListener("change", () => {
    if (box.checked) hiddenTypes.delete(type); else hiddenTypes.add(type);
    applyFilter();
  });
  const swatch = document.createElement("span");
  swatch.className = "swatch";
  swatch.style.background = colourOf(type);
  label.append(box, swatch, document.createTextNode(type));
  legend.append(label);
}

function applyFilter() {
  for (const mark of document.querySelectorAll("mark.entity")) {
    mark.classList.toggle("hidden", hiddenTypes.has(mark.dataset.type));
  }
}

// Offsets count Unicode code points (Python's str indexing), so index an array of them.
function renderEntities(box, text, entities) {
  box.replaceChildren();
  const chars = Array.from(text);
  let position = 0;
  for (const entity of entities) {
    box.append(document.createTextNode(chars.slice(position, entity.start).join("")));
    addLegendEntry(entity.type);
    const mark = document.createElement("mark");
    mark.className = "entity";
    mark.dataset.type = entity.type;
    mark.dataset.score = entity.score;
    mark.style.background = colourOf(entity.type);
    const score = entity.score === undefined ? "" : ` ${(100 * entity.score).toFixed(1)}%`;
    const source = entity.source === undefined ? "" : ` (${entity.source})`;
    mark.title = `${entity.type}${score}${source}`;
    mark.append(document.createTextNode(chars.slice(entity.start, entity.end).join("")));
    const tag = document.createElement("span");
    tag.className = "entity-type";
    tag.textContent = entity.type;
    mark.append(tag);
    box.append(mark);
    position = entity.end;
  }
  box.append(document.createTextNode(chars.slice(position).join("")));
}

function renderAlternatives(text, analyses) {
  const section = document.getElementById("alternatives");
  const list = document.getElementById("alternative-list");
  list.replaceChildren();
  section.hidden = analyses === undefined;
  for (const analysis of analyses || []) {
    const item = document.createElement("li");
    const probability = document.createElement("span");
    probability.className = "probability";
    probability.textContent = `${(100 * analysis.probability).toFixed(1)}%`;
    const line = document.createElement("span");
    line.className = "analysis";
    renderEntities(line, text, analysis.entities);
    item.append(probability, line);
    list.append(item);
  }
}

function render(result) {
  renderEntities(document.getElementById("result"), result.text, result.entities);
  renderAlternatives(result.text, result.n_best);
  applyFilter();
}

// The analyses control is shown only for models with an n-best list; 1 asks for none.
function requestedAnalyses() {
  const control = document.getElementById("n-best-control");
  const count = Number(document.getElementById("n-best").value);
  return control.hidden || !Number.isInteger(count) || count <= 1 ? null : count;
}

async function predict() {
  const button = document.getElementById("predict-button");
  const status = document.getElementById("status");
  const text = document.getElementById("text-input").value;
  const nBest = requestedAnalyses();
  button.disabled = true;
  status.className = "muted";
  status.textContent = "…";
  const started = performance.now();
  try {
    const response = await fetch("/predict", {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify(nBest === null ? {text} : {text, n_best: nBest}),
    });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || response.statusText);
    render(body);
    const count = body.entities.length;
    status.textContent = `${count} ${count === 1 ? "entity" : "entities"} in ` +
      `${Math.round(performance.now() - started)} ms`;
  } catch (error) {
    status.className = "error";
    status.textContent = String(error.message || error);
  } finally {
    button.disabled = false;
  }
}

async function loadMetadata() {
  try {
    const response = await fetch("/metadata");
    const metadata = await response.json();
    for (const type of metadata.entity_types) addLegendEntry(type);
    if (metadata.n_best) {
      document.getElementById("n-best").max = metadata.limits.max_n_best;
      document.getElementById("n-best-control").hidden = false;
    }
    const config = metadata.config;
    document.getElementById("model-info").textContent =
      `${config.embedder} → ${config.encoder || "—"} → ${config.decoder} · ` +
      `${metadata.tag_scheme} · ${metadata.runtime}`;
  } catch (error) {
    document.getElementById("model-info").textContent = "metadata unavailable";
  }
}

document.getElementById("predict-button").addEventListener("click", predict);
document.getElementById("text-input").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) predict();
});
loadMetadata();
