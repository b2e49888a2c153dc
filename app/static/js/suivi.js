// Live progress of long work: every element marked data-suivi polls its JSON URL and updates its
// [data-champ] children (text, or the value of a <progress>) until the work is finished.
document.addEventListener("DOMContentLoaded", () => {
  const PERIODE_MS = 1500;
  document.querySelectorAll("[data-suivi]").forEach((el) => {
    const url = el.dataset.suivi;
    const appliquer = (data) => {
      el.querySelectorAll("[data-champ]").forEach((champ) => {
        const valeur = data[champ.dataset.champ];
        if (valeur === undefined || valeur === null) return;
        if (champ.tagName === "PROGRESS") champ.value = valeur;
        else champ.textContent = String(valeur);
      });
      el.dataset.etat = data.termine ? "termine" : "en_cours";
    };
    const sonder = async () => {
      try {
        const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
        if (!response.ok) { el.dataset.etat = "erreur"; return; }
        const data = await response.json();
        appliquer(data);
        if (!data.termine) setTimeout(sonder, PERIODE_MS);
      } catch (error) {
        setTimeout(sonder, PERIODE_MS * 4);
      }
    };
    sonder();
  });
});
