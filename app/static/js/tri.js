// Sortable tables: click (or Enter on) a column header of a table marked data-triable to sort the shown page.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("table[data-triable]").forEach((table) => {
    table.querySelectorAll("thead th").forEach((th, index) => {
      th.tabIndex = 0;
      th.setAttribute("aria-sort", "none");
      const sort = () => {
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("thead th").forEach((other) => other.setAttribute("aria-sort", "none"));
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const body = table.tBodies[0];
        const rows = Array.from(body.rows).filter((r) => r.cells.length > index);
        const key = (row) => row.cells[index].dataset.tri ?? row.cells[index].textContent.trim().toLowerCase();
        rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * (ascending ? 1 : -1));
        rows.forEach((row) => body.appendChild(row));
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", (event) => { if (event.key === "Enter") sort(); });
    });
  });
});
