"""Demo data: realistic generated demandes of Haute-Garonne, seeded through the service layer."""
