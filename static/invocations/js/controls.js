// Staff controls on the function view: alias sliders (change on release) and every other form, posted as JSON.

import { postJSON, toast } from "./common.js";

export function bindSliders(root, onChanged) {
  for (const slider of root.querySelectorAll("[data-alias-slider]")) {
    const alias = slider.dataset.aliasSlider;
    const output = root.querySelector(`[data-slider-output="${CSS.escape(alias)}"]`);
    let committed = Number(slider.value);
    const show = () => {
      slider.setAttribute("aria-valuenow", slider.value);
      slider.setAttribute("aria-valuetext", `${slider.value}% to version ${slider.dataset.additional}`);
      if (output) output.textContent = `${slider.value}% → v${slider.dataset.additional}`;
    };
    slider.addEventListener("input", show);
    // "change" fires on release (pointer) and for each keyboard step: the alias changes then, not while dragging.
    slider.addEventListener("change", async () => {
      show();
      const value = Number(slider.value);
      if (value === committed) return;
      slider.dataset.pending = "1";
      try {
        const result = await postJSON(slider.dataset.endpoint, { weight: value });
        committed = value;
        toast(`${alias}: ${value}% to version ${slider.dataset.additional}`);
        onChanged?.(result);
      } catch (error) {
        slider.value = String(committed);
        show();
        toast(error.message, "error");
      } finally {
        delete slider.dataset.pending;
      }
    });
    slider.lvSet = (percent) => {
      committed = percent;
      if (document.activeElement === slider && slider.dataset.pending) return;
      slider.value = String(percent);
      show();
    };
  }
}

export function setSlider(root, alias, percent) {
  const slider = root.querySelector(`[data-alias-slider="${CSS.escape(alias)}"]`);
  if (slider?.lvSet) slider.lvSet(percent);
}

export function bindForms(root, onDone) {
  for (const form of root.querySelectorAll("form[data-form]")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const submitter = event.submitter;
      const data = Object.fromEntries(new FormData(form).entries());
      let url = submitter?.dataset.endpoint || form.dataset.endpoint;
      // The endpoint may belong to the chosen option (each alias has its own URL, rendered by the server).
      if (form.dataset.endpointFrom) url = form.elements[form.dataset.endpointFrom]?.selectedOptions[0]?.dataset.endpoint;
      if (!url) return;
      const buttons = [...form.querySelectorAll("button")];
      buttons.forEach((b) => { b.disabled = true; });
      // Forms with an inline area show the outcome (and AWS's error type and message) next to their fields.
      const resultEl = form.querySelector("[data-form-result]");
      const errorEl = form.querySelector("[data-form-error]");
      if (resultEl) resultEl.textContent = "";
      if (errorEl) errorEl.textContent = "";
      try {
        const result = await postJSON(url, data);
        toast(`${(submitter?.textContent || "Saved").trim()}: done`);
        if (resultEl) resultEl.textContent = resultText(result);
        onDone?.(form.dataset.form, result, url);
      } catch (error) {
        if (errorEl) errorEl.textContent = error.type ? `${error.type}: ${error.message}` : error.message;
        else toast(error.message, "error");
      } finally {
        buttons.forEach((b) => { b.disabled = false; });
      }
    });
  }
}

function resultText(result) {
  if (result?.MessageId) return `Published: MessageId ${result.MessageId}`;
  const eventId = result?.Entries?.[0]?.EventId;
  if (eventId) return `Put: EventId ${eventId}`;
  return "Done.";
}
