"""imports and their per-line errors; sequence of generated numeros uniques

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE SEQUENCE IF NOT EXISTS demande_numero_seq")
    op.create_table(
        "imports",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("etat", sa.String(length=20), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("nom_fichier", sa.String(length=255), nullable=True),
        sa.Column("contenu", sa.LargeBinary(), nullable=False),
        sa.Column("auteur", sa.String(length=100), nullable=False),
        sa.Column("organisation", sa.String(length=64), nullable=True),
        sa.Column("lignes", sa.Integer(), nullable=False),
        sa.Column("lignes_traitees", sa.Integer(), nullable=False),
        sa.Column("creees", sa.Integer(), nullable=False),
        sa.Column("modifiees", sa.Integer(), nullable=False),
        sa.Column("inchangees", sa.Integer(), nullable=False),
        sa.Column("erreurs", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("cree_le", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("commence_le", sa.DateTime(timezone=True), nullable=True),
        sa.Column("termine_le", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "import_erreurs",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("import_id", sa.String(length=36), nullable=False),
        sa.Column("ligne", sa.Integer(), nullable=False),
        sa.Column("champ", sa.String(length=200), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("numero_unique", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["import_id"], ["imports.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_import_erreurs_import_id", "import_erreurs", ["import_id"], unique=False)


def downgrade():
    op.drop_index("ix_import_erreurs_import_id", table_name="import_erreurs")
    op.drop_table("import_erreurs")
    op.drop_table("imports")
    op.execute("DROP SEQUENCE IF EXISTS demande_numero_seq")
