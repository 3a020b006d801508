// The function view's diagram panel: the live diagram with its dots and tips, the selects that list the versions,
// the subscriptions-and-rules list and the queue / delivered-records buttons under it.

import { escapeHtml, getJSON, toast } from "../common.js";
import { Diagram, WIDTH } from "../diagram/index.js";
import { asyncSourceDetail } from "../diagram/labels.js";
import { Dots } from "../dots.js";
import { LATEST } from "../qualifiers.js";
import { showDelivered, showQueueMessages } from "../viewer.js";

export function diagramPanel(root, { controls }) {
  const q = (selector) => root.querySelector(selector);
  const svg = q("[data-diagram]");
  const wrap = q("[data-diagram-wrap]");
  const tip = q("[data-diagram-tip]");
  const diagram = new Diagram(svg);
  const dots = new Dots(q("[data-dots]"), svg, WIDTH);
  let reloadTimer = null;

  async function load() {
    try {
      const topology = await getJSON(root.dataset.topologyUrl);
      diagram.render(topology);
      fit();
      refreshSelects(topology);
      dots.resize();
      renderDestinations();
      renderFanout(topology);
    } catch (error) {
      toast(`Could not load the diagram: ${error.message}`, "error");
    }
  }

  function reloadSoon() {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(load, 150);
  }

  // Projector mode: the diagram as large as the first screen lets it be, all of it above the fold (the room under
  // the header and tiles, at its own aspect ratio). Otherwise it takes the page's width.
  function fit() {
    if (!diagram.height) return;
    if (!document.documentElement.classList.contains("projector")) {
      svg.style.width = "";
      return;
    }
    const top = svg.getBoundingClientRect().top + window.scrollY;
    const room = window.innerHeight - top - 6;
    const width = Math.min(wrap.clientWidth, (Math.max(room, 200) * WIDTH) / diagram.height);
    svg.style.width = `${Math.floor(width)}px`;
  }
  window.addEventListener("resize", () => {
    fit();
    dots.resize();
  });

  function refreshSelects(topology) {
    const fill = (select, values, keepFirst) => {
      if (!select || select === document.activeElement) return;
      const current = select.value;
      const first = keepFirst ? [...select.options].slice(0, 1).map((o) => o.outerHTML).join("") : "";
      select.innerHTML = first + values.map((v) => `<option>${escapeHtml(v)}</option>`).join("");
      if ([...select.options].some((o) => o.value === current)) select.value = current;
    };
    const published = topology.versions.filter((v) => v !== LATEST);
    fill(root.querySelector("#av-primary"), topology.versions, false);
    fill(root.querySelector("#av-additional"), published, true);
    fill(root.querySelector("[data-log-version]"), topology.versions, true);
  }

  // A diagram node's tip (an SNS filter policy, an EventBridge pattern): on hover and on keyboard focus alike.
  function showTip(event) {
    const node = event.target.closest?.("[data-tip]");
    if (!node) return;
    const box = node.getBoundingClientRect();
    const wrapBox = wrap.getBoundingClientRect();
    tip.textContent = node.dataset.tip;
    tip.style.left = `${box.left - wrapBox.left}px`;
    tip.style.top = `${box.bottom - wrapBox.top + 4}px`;
    tip.hidden = false;
    node.setAttribute("aria-describedby", "diagram-tip");
  }
  function hideTip(event) {
    if (event.target.closest?.("[data-tip]")) tip.hidden = true;
  }
  svg.addEventListener("mouseover", showTip);
  svg.addEventListener("focusin", showTip);
  svg.addEventListener("mouseout", hideTip);
  svg.addEventListener("focusout", hideTip);

  // Subscriptions and rules in words: what the diagram's hover titles say, for keyboards and screen readers.
  function renderFanout(topology) {
    const sources = topology.invokers.async.filter((s) => s.kind === "sns" || s.kind === "eventbridge");
    q("[data-fanout]").hidden = !sources.length;
    q("#fanout-subset").hidden = !sources.length && !controls;
    q("[data-fanout-list]").innerHTML = sources.map((s) => `<li>${escapeHtml(asyncSourceDetail(s))}</li>`).join("");
  }

  function renderDestinations() {
    let list = q("[data-destinations]");
    if (!list) {
      list = document.createElement("div");
      list.className = "destinations";
      list.dataset.destinations = "";
      q("[data-retries]").before(list);
    }
    const destinations = diagram.destinations || [];
    // A simulated SQS queue (a mapping's queue, a redrive DLQ, a destination that is one of ours) shows the
    // messages it holds now; any other target shows the records the runtime delivered to it.
    const queues = new Set(diagram.topology.queue_arns || []);
    const delivered = destinations.filter((d) => !queues.has(d.arn));
    const queueButtons = [...queues].map((arn) => `<button type="button" data-queue="${escapeHtml(arn)}">Messages in ${escapeHtml(arn.split(":").at(-1))}</button>`);
    const parts = [];
    if (queueButtons.length) parts.push(`<span class="muted">Queues:</span> ${queueButtons.join(" ")}`);
    if (delivered.length) {
      const buttons = delivered.map((d) => `<button type="button" data-dest="${destinations.indexOf(d)}">${escapeHtml(d.label)} · ${escapeHtml(d.short)}</button>`);
      parts.push(`<span class="muted">Delivered records:</span> ${buttons.join(" ")}`);
    }
    list.innerHTML = parts.length ? parts.join(" ") : `<span class="muted">No queues, DLQ or destinations for this function.</span>`;
    for (const button of list.querySelectorAll("[data-dest]")) {
      button.addEventListener("click", () => showDelivered(root, destinations[Number(button.dataset.dest)]));
    }
    for (const button of list.querySelectorAll("[data-queue]")) {
      button.addEventListener("click", () => showQueueMessages(root, button.dataset.queue));
    }
  }

  // Projector mode changed the text size: fit again once the page has laid itself out.
  function relayout() {
    fit();
    dots.resize();
    if (diagram.topology) diagram.fitSources();
  }

  function samples(list) {
    if (list?.length && diagram.topology) dots.add(list, (s) => diagram.path(s));
  }

  return { diagram, load, reloadSoon, relayout, samples, resizeDots: () => dots.resize() };
}
