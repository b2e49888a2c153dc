"""versions of the barèmes edited by the gestionnaire (resource ceilings, cotation grids)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04

Hand-written (no autogenerate): only the table of app/baremes/models.py.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "versions_baremes",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("nom", sa.String(20), nullable=False),
        sa.Column("contenu", postgresql.JSONB(), nullable=False),
        sa.Column("resume", sa.String(300), nullable=False),
        sa.Column("modifie_par", sa.String(100), nullable=False),
        sa.Column("modifie_le", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.CheckConstraint("nom IN ('plafonds', 'cotation')", name="ck_versions_baremes_nom"),
    )
    op.create_index("ix_versions_baremes_nom", "versions_baremes", ["nom"])


def downgrade():
    op.drop_index("ix_versions_baremes_nom", table_name="versions_baremes")
    op.drop_table("versions_baremes")
