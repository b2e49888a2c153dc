"""organisations, utilisateurs, jetons, append-only audit

Revision ID: 0005
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(64), nullable=False, unique=True),
        sa.Column("nom", sa.String(200), nullable=False),
        sa.Column("type", sa.String(30), nullable=False),
        sa.Column("contingents", postgresql.ARRAY(sa.String(40)), nullable=False, server_default="{}"),
    )
    op.create_table(
        "utilisateurs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("login", sa.String(100), nullable=False, unique=True),
        sa.Column("organisation_id", sa.Integer(), sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("roles", postgresql.ARRAY(sa.String(30)), nullable=False),
        sa.Column("mot_de_passe_hash", sa.String(200), nullable=False),
        sa.Column("actif", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("demo", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("cree_le", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_table(
        "jetons",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("empreinte", sa.String(64), nullable=False, unique=True),
        sa.Column("utilisateur_id", sa.Integer(), sa.ForeignKey("utilisateurs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("cree_le", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("expire_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoque_le", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_jetons_utilisateur_id", "jetons", ["utilisateur_id"])
    op.create_table(
        "audit",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("survenu_le", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("login", sa.String(100), nullable=False),
        sa.Column("organisation", sa.String(64)),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("demandes", postgresql.ARRAY(sa.String(64)), nullable=False, server_default="{}"),
        sa.Column("adresse", sa.String(64)),
        sa.Column("details", postgresql.JSONB(), nullable=False, server_default="{}"),
    )
    op.create_index("ix_audit_survenu_le", "audit", ["survenu_le"])
    op.create_index("ix_audit_demandes", "audit", ["demandes"], postgresql_using="gin")
    # Append-only: the application role can insert audit rows, never change or remove them.
    op.execute(
        """
        CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'le journal d''audit est en ajout seul (% refusé)', TG_OP;
        END $$;
        CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit
          FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
        """
    )


def downgrade():
    op.execute("DROP TRIGGER IF EXISTS audit_append_only ON audit; DROP FUNCTION IF EXISTS audit_append_only();")
    op.drop_table("audit")
    op.drop_table("jetons")
    op.drop_table("utilisateurs")
    op.drop_table("organisations")
