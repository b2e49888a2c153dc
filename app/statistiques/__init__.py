"""Stock and flow statistics of the shared file (the dashboards of the current software), computed in SQL from
the `demandes` table and the events recorded by the lifecycle and the CAL workflow (`demande_evenements`)."""
