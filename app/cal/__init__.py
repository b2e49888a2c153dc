"""CAL lists (Commission d'Attribution des Logements): candidates, decisions, propositions, bail, exports."""
