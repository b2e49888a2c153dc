"""yearly first-quartile thresholds per EPCI (mixité statistic)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

Hand-written (no autogenerate): only the table of app/statistiques/models.py.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "seuils_premier_quartile",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("epci", sa.String(9), nullable=False),
        sa.Column("annee", sa.Integer(), nullable=False),
        sa.Column("seuil", sa.Numeric(10, 2), nullable=False),
        sa.Column("modifie_par", sa.String(100), nullable=False),
        sa.Column("modifie_le", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["epci"], ["epci.code"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("epci", "annee", name="uq_seuils_premier_quartile_epci_annee"),
        sa.CheckConstraint("seuil > 0", name="ck_seuils_premier_quartile_seuil_positif"),
        sa.CheckConstraint("annee BETWEEN 2000 AND 2100", name="ck_seuils_premier_quartile_annee"),
    )


def downgrade():
    op.drop_table("seuils_premier_quartile")
