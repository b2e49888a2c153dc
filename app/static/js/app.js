// Small behaviours of every page (no inline script: the CSP allows scripts from 'self' only).
document.addEventListener("DOMContentLoaded", () => {
  // A confirm() on buttons that carry data-confirmer.
  document.querySelectorAll("[data-confirmer]").forEach((el) => {
    el.addEventListener("click", (event) => {
      if (!window.confirm(el.dataset.confirmer)) event.preventDefault();
    });
  });
  // Print buttons (print view of a CAL list).
  document.querySelectorAll("[data-imprimer]").forEach((el) => {
    el.addEventListener("click", () => window.print());
  });
  // Auto-submit of filter forms when a checkbox marked data-auto changes (facets).
  document.querySelectorAll("form [data-auto]").forEach((el) => {
    el.addEventListener("change", () => el.form.requestSubmit());
  });
});
