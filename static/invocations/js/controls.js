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
      // The outcome (and AWS's error type and message) shows next to the fields; the error stays until a value
      // changes (below), not faded away in a toast.
      const resultEl = form.querySelector("[data-form-result]");
      const errorEl = formError(form);
      if (resultEl) resultEl.textContent = "";
      clearError(form);
      try {
        const result = await postJSON(url, data);
        toast(`${(submitter?.textContent || "Saved").trim()}: done`);
        if (resultEl) resultEl.textContent = resultText(result);
        onDone?.(form.dataset.form, result, url);
      } catch (error) {
        errorEl.textContent = error.type ? `${error.type}: ${error.message}` : error.message;
        for (const field of fields(form)) field.setAttribute("aria-invalid", "true");
      } finally {
        buttons.forEach((b) => { b.disabled = false; });
      }
    });
  }
}

// Every form has its error line: the template's, or one made under the submit buttons, named by each field's
// aria-describedby so a screen reader reads it with the field.
function formError(form) {
  let el = form.querySelector("[data-form-error]");
  if (!el) {
    el = document.createElement("p");
    el.className = "form-error";
    el.dataset.formError = "";
    el.setAttribute("role", "alert");
    const buttons = form.querySelector(".buttons") || [...form.querySelectorAll("button")].at(-1);
    (buttons || form.querySelector("fieldset") || form).after(el);
  }
  if (!el.id) el.id = `${form.dataset.form}-error`;
  for (const field of fields(form)) {
    const ids = new Set((field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean));
    ids.add(el.id);
    field.setAttribute("aria-describedby", [...ids].join(" "));
  }
  if (!form.dataset.errorBound) {
    form.dataset.errorBound = "1";
    form.addEventListener("input", () => clearError(form));
    form.addEventListener("change", () => clearError(form));
  }
  return el;
}

function clearError(form) {
  const el = form.querySelector("[data-form-error]");
  if (el) el.textContent = "";
  for (const field of fields(form)) field.removeAttribute("aria-invalid");
}

function fields(form) {
  return form.querySelectorAll("input, select, textarea");
}

function resultText(result) {
  if (result?.MessageId) return `Published: MessageId ${result.MessageId}`;
  const eventId = result?.Entries?.[0]?.EventId;
  if (eventId) return `Put: EventId ${eventId}`;
  return "Done.";
}
