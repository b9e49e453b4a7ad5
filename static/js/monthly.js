// The report page: warn before "Gửi báo cáo" when figures were changed but not saved (they would not be sent).
document.addEventListener("DOMContentLoaded", () => {
  const entry = document.getElementById("entry-form");
  const submit = document.getElementById("submit-form");
  if (!entry || !submit) return;
  let dirty = false;
  entry.addEventListener("input", () => { dirty = true; });
  entry.addEventListener("change", () => { dirty = true; });
  submit.addEventListener("submit", (event) => {
    if (dirty && !window.confirm(submit.dataset.unsavedWarning)) event.preventDefault();
  });
});
