"""Territorial referential: communes, EPCI and départements from the official `@etalab/decoupage-administratif`."""
