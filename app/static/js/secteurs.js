// Searchable multi-select of communes and secteurs: filter the list as the agent types; ticking a whole EPCI
// (or the département) ticks its communes, so the selection is visible (the server expands them either way).
document.addEventListener("DOMContentLoaded", () => {
  const filtre = document.querySelector("[data-filtre-communes]");
  const groupes = Array.from(document.querySelectorAll("[data-secteur]"));
  if (filtre) {
    const plier = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    filtre.addEventListener("input", () => {
      const q = plier(filtre.value.trim());
      groupes.forEach((groupe) => {
        const secteurOk = plier(groupe.dataset.secteur).includes(q);
        let visibles = 0;
        groupe.querySelectorAll("[data-commune]").forEach((label) => {
          const ok = !q || secteurOk || plier(label.dataset.commune).includes(q);
          label.hidden = !ok;
          if (ok) visibles += 1;
        });
        groupe.hidden = visibles === 0;
      });
    });
    filtre.addEventListener("keydown", (event) => { if (event.key === "Enter") event.preventDefault(); });
  }
  document.querySelectorAll("[data-epci]").forEach((epci) => {
    epci.addEventListener("change", () => {
      document.querySelectorAll(`[data-membre="${epci.dataset.epci}"]`).forEach((c) => { c.checked = epci.checked; });
    });
  });
  const departement = document.querySelector("[data-tout-departement]");
  if (departement) {
    departement.addEventListener("change", () => {
      document.querySelectorAll("[data-epci]").forEach((c) => { c.checked = departement.checked; });
    });
  }
});
