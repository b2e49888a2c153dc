"""logements, CAL lists and candidates, nightly shortlists

Revision ID: 0006
Revises: 0002
Create Date: 2026-12-05

Hand-written (no autogenerate): only the tables of app/logements, app/cal and app/shortlists.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def _created():
    return sa.Column("cree_le", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False)


def upgrade():
    op.create_table(
        "logements",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(64), nullable=False),
        sa.Column("bailleur", sa.String(64), nullable=False),
        sa.Column("adresse", sa.String(300), nullable=False),
        sa.Column("commune", sa.String(5), nullable=False),
        sa.Column("qpv", sa.Boolean(), nullable=False),
        sa.Column("typologie", sa.String(10), nullable=False),
        sa.Column("type_bien", sa.String(20), nullable=False),
        sa.Column("surface", sa.Numeric(7, 2), nullable=False),
        sa.Column("etage", sa.Integer(), nullable=False),
        sa.Column("ascenseur", sa.Boolean(), nullable=False),
        sa.Column("adapte_handicap", sa.Boolean(), nullable=False),
        sa.Column("parking", sa.Boolean(), nullable=False),
        sa.Column("financement", sa.String(10), nullable=False),
        sa.Column("loyer", sa.Numeric(9, 2), nullable=False),
        sa.Column("charges", sa.Numeric(9, 2), nullable=False),
        sa.Column("contingent", sa.String(40), nullable=False),
        sa.Column("programme", sa.String(200), nullable=True),
        sa.Column("date_disponibilite", sa.Date(), nullable=False),
        sa.Column("etat", sa.String(20), nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        _created(),
        sa.Column("modifie_le", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("bailleur", "reference", name="uq_logements_bailleur_reference"),
    )
    op.create_index("ix_logements_etat_disponibilite", "logements", ["etat", "date_disponibilite"])
    op.create_index("ix_logements_commune", "logements", ["commune"])

    op.create_table(
        "listes_cal",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("logement_id", sa.BigInteger(), nullable=False),
        sa.Column("date_commission", sa.Date(), nullable=False),
        sa.Column("motif", sa.String(40), nullable=True),
        sa.Column("etat", sa.String(20), nullable=False),
        sa.Column("cree_par", sa.String(100), nullable=False),
        sa.Column("organisation", sa.String(64), nullable=True),
        _created(),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["logement_id"], ["logements.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_listes_cal_logement_id", "listes_cal", ["logement_id"])
    op.create_index(
        "uq_listes_cal_une_ouverte_par_logement",
        "listes_cal",
        ["logement_id"],
        unique=True,
        postgresql_where=sa.text("etat = 'ouverte'"),
    )

    op.create_table(
        "candidats_cal",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("liste_id", sa.BigInteger(), nullable=False),
        sa.Column("demande_id", sa.BigInteger(), nullable=False),
        sa.Column("numero_unique", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("instantane", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("decision", sa.String(40), nullable=True),
        sa.Column("decision_details", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("date_decision", sa.Date(), nullable=True),
        sa.Column("date_proposition", sa.Date(), nullable=True),
        sa.Column("date_limite_reponse", sa.Date(), nullable=True),
        sa.Column("reponse", sa.String(20), nullable=True),
        sa.Column("date_reponse", sa.Date(), nullable=True),
        sa.Column("date_signature_bail", sa.Date(), nullable=True),
        sa.Column("date_entree", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["liste_id"], ["listes_cal.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["demande_id"], ["demandes.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("liste_id", "numero_unique", name="uq_candidats_cal_liste_numero"),
    )
    op.create_index("ix_candidats_cal_liste_id", "candidats_cal", ["liste_id"])
    op.create_index("ix_candidats_cal_demande_id", "candidats_cal", ["demande_id"])

    op.create_table(
        "shortlist_runs",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("date_run", sa.Date(), nullable=False),
        sa.Column("statut", sa.String(20), nullable=False),
        sa.Column("parametres", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("total_logements", sa.Integer(), nullable=False),
        sa.Column("logements_traites", sa.Integer(), nullable=False),
        sa.Column("logements_en_echec", sa.Integer(), nullable=False),
        sa.Column("propositions_count", sa.Integer(), nullable=False),
        sa.Column("demarre_le", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("termine_le", sa.DateTime(timezone=True), nullable=True),
        sa.Column("duree_ms", sa.Integer(), nullable=True),
        sa.Column("erreur", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("date_run"),
    )
    op.create_table(
        "shortlist_propositions",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(36), nullable=False),
        sa.Column("logement_id", sa.BigInteger(), nullable=False),
        sa.Column("ordre_logement", sa.Integer(), nullable=False),
        sa.Column("rang", sa.Integer(), nullable=False),
        sa.Column("numero_unique", sa.String(64), nullable=True),
        sa.Column("rang_liste", sa.Integer(), nullable=True),
        sa.Column("erreur", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["shortlist_runs.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["logement_id"], ["logements.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id", "logement_id", "rang", name="uq_shortlist_run_logement_rang"),
    )
    op.create_index("ix_shortlist_propositions_run_id", "shortlist_propositions", ["run_id"])
    op.create_index("ix_shortlist_propositions_logement_id", "shortlist_propositions", ["logement_id"])
    op.create_index("ix_shortlist_propositions_numero_unique", "shortlist_propositions", ["numero_unique"])


def downgrade():
    op.drop_table("shortlist_propositions")
    op.drop_table("shortlist_runs")
    op.drop_table("candidats_cal")
    op.drop_table("listes_cal")
    op.drop_table("logements")
