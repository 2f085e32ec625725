// nerkit demo page: POST the text to /predict, highlight entities by type, filter by type.
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
  for (const mark of document.querySelectorAll("#result mark.entity")) {
    mark.classList.toggle("hidden", hiddenTypes.has(mark.dataset.type));
  }
}

// Offsets count Unicode code points (Python's str indexing), so index an array of them.
function render(result) {
  const box = document.getElementById("result");
  box.replaceChildren();
  const chars = Array.from(result.text);
  let position = 0;
  for (const entity of result.entities) {
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
  applyFilter();
}

async function predict() {
  const button = document.getElementById("predict-button");
  const status = document.getElementById("status");
  const text = document.getElementById("text-input").value;
  button.disabled = true;
  status.className = "muted";
  status.textContent = "…";
  const started = performance.now();
  try {
    const response = await fetch("/predict", {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({text}),
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
