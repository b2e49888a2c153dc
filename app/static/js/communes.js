// Commune picker: fills the <datalist> of inputs marked data-communes from the referential as the agent types.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input[data-communes]").forEach((input) => {
    const list = document.getElementById(input.getAttribute("list"));
    let timer = null;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      const q = input.value.trim();
      if (q.length < 2 || /^\d{5}$/.test(q)) return;
      timer = setTimeout(async () => {
        const response = await fetch(`/referentiel/communes?q=${encodeURIComponent(q)}`, { credentials: "same-origin" });
        if (!response.ok) return;
        const communes = await response.json();
        list.replaceChildren(...communes.map((c) => {
          const option = document.createElement("option");
          option.value = c.code;
          option.label = `${c.nom} (${c.code})`;
          return option;
        }));
      }, 200);
    });
  });
});
