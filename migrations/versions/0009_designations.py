"""candidates designated by a réservataire for a logement of its contingent

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04

Hand-written (no autogenerate): only the table `designations` of app/cal/models.py.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "designations",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("logement_id", sa.BigInteger(), nullable=False),
        sa.Column("organisation", sa.String(64), nullable=False),
        sa.Column("demande_id", sa.BigInteger(), nullable=False),
        sa.Column("numero_unique", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("designe_par", sa.String(100), nullable=False),
        sa.Column("designe_le", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["logement_id"], ["logements.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["demande_id"], ["demandes.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("logement_id", "organisation", "numero_unique", name="uq_designations_logement_org_numero"),
    )
    op.create_index("ix_designations_logement_id", "designations", ["logement_id"])
    op.create_index("ix_designations_demande_id", "designations", ["demande_id"])


def downgrade():
    op.drop_table("designations")
