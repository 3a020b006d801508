// SQS FIFO in the "put a message" control: the group and deduplication fields apply only to a FIFO queue.
// A fresh deduplication id is proposed for each message (the same id within 5 minutes would be dropped).

export function bindFifoControls(root) {
  const select = root.querySelector("#sm-queue");
  const fields = select?.form?.querySelector("[data-fifo-fields]");
  if (!select || !fields) return;
  const show = () => {
    const fifo = select.selectedOptions[0]?.hasAttribute("data-fifo") ?? false;
    fields.hidden = !fifo;
    // Disabled inputs stay out of the form data: a standard queue gets no group id (SQS would refuse it).
    for (const input of fields.querySelectorAll("input")) input.disabled = !fifo;
  };
  select.addEventListener("change", show);
  renewDedup(root);
  show();
}

export function renewDedup(root) {
  const input = root.querySelector("[data-fresh-dedup]");
  if (input) input.value = `msg-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
