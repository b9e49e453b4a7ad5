// The dashboards' forecast section: fetched after the page is shown (it reads twelve months of figures), from the
// portal's own fragment URL; the link stays when the fetch fails.
document.addEventListener("DOMContentLoaded", () => {
  for (const holder of document.querySelectorAll("[data-forecast-src]")) {
    fetch(holder.dataset.forecastSrc, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
      .then((html) => {
        const doc = new DOMParser().parseFromString(html, "text/html");
        const body = doc.querySelector("[data-forecast]");
        if (body) holder.replaceChildren(document.importNode(body, true));
      })
      .catch(() => {});
  }
});
