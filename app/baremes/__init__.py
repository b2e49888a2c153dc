"""Barèmes edited by the gestionnaire: resource ceilings (plafonds) and cotation grids, as versioned documents."""
