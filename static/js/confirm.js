// Forms that ask before acting: <form data-confirm="Gửi 3 báo cáo…?"> submits only when the person agrees.
// A script file rather than an inline handler, so that a Content-Security-Policy can forbid inline scripts.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
});
