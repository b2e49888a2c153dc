"""Exports of a CAL list: CSV (`;`, UTF-8 with BOM for spreadsheet software), XLSX, and a PDF with one "fiche CAL"
per candidate (household, resources against the ceiling, priorities, seniority, the decision grid)."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from fpdf import FPDF
from openpyxl import Workbook
from openpyxl.styles import Font

from app.cal.models import ListeCal
from app.demandes.models import Demande
from app.extensions import db
from app.logements.models import Logement
from indexing.source import as_document_source
from matching.codes import PRIORITES
from matching.format import euros
from matching.menage import categorie_menage, nb_personnes
from matching.plafonds import PlafondInconnu, resoudre_plafond
from matching.ranking import anciennete_mois

COLONNES: list[tuple[str, str]] = [
    ("position", "Ordre"),
    ("numero_unique", "N° unique"),
    ("nom", "Nom"),
    ("prenom", "Prénom"),
    ("nb_personnes", "Personnes"),
    ("categorie", "Catégorie de ménage"),
    ("revenu_fiscal_reference", "Revenu fiscal de référence (€)"),
    ("plafond", "Plafond (€)"),
    ("marge", "Marge (€)"),
    ("groupe", "Groupe de priorité"),
    ("priorites", "Publics prioritaires"),
    ("dalo", "DALO"),
    ("date_depot", "Date de dépôt"),
    ("anciennete_mois", "Ancienneté (mois)"),
    ("decision", "Décision CAL"),
    ("decision_details", "Détail de la décision"),
    ("date_proposition", "Proposition"),
    ("reponse", "Réponse"),
    ("date_signature_bail", "Bail signé le"),
]
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def lignes(liste: ListeCal) -> tuple[Logement, list[dict[str, Any]]]:
    logement = db.session.get(Logement, liste.logement_id)
    on = liste.date_commission
    rows = {d.id: d for d in db.session.query(Demande).filter(Demande.id.in_([c.demande_id for c in liste.candidats]))}
    out = []
    for candidat in liste.candidats:
        demande = as_document_source(rows[candidat.demande_id])
        cat = categorie_menage(demande, on)
        rfr = int(demande.get("revenu_fiscal_reference") or 0)
        try:
            plafond: int | None = resoudre_plafond(
                logement.financement,
                cat.categorie,
                cat.personnes_supplementaires,
                logement.date_disponibilite.year,
                logement.commune,
            ).montant
        except PlafondInconnu:
            plafond = None
        demandeur = demande.get("demandeur") or {}
        details = candidat.decision_details or {}
        out.append(
            {
                "position": candidat.position,
                "numero_unique": candidat.numero_unique,
                "nom": demandeur.get("nom") or "",
                "prenom": demandeur.get("prenom") or "",
                "nb_personnes": nb_personnes(demande),
                "categorie": cat.libelle(),
                "revenu_fiscal_reference": rfr,
                "plafond": plafond if plafond is not None else "",
                "marge": plafond - rfr if plafond is not None else "",
                "groupe": (candidat.instantane or {}).get("groupe_libelle", ""),
                "priorites": ", ".join(
                    PRIORITES.libelle(p) if p in PRIORITES else p for p in demande.get("priorites") or []
                ),
                "dalo": "oui" if demande.get("dalo") else "non",
                "date_depot": str(demande.get("date_depot") or ""),
                "anciennete_mois": anciennete_mois(demande["date_depot"], on) if demande.get("date_depot") else "",
                "decision": candidat.decision or "",
                "decision_details": ", ".join(f"{k} : {v}" for k, v in details.items()),
                "date_proposition": _iso(candidat.date_proposition),
                "reponse": candidat.reponse or "",
                "date_signature_bail": _iso(candidat.date_signature_bail),
                "_regles": (candidat.instantane or {}).get("regles", []),
            }
        )
    return logement, out


def _csv(lignes_: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([titre for _, titre in COLONNES])
    for ligne in lignes_:
        writer.writerow([ligne[c] for c, _ in COLONNES])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx(liste: ListeCal, lignes_: list[dict[str, Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Liste CAL {liste.id}"[:31]
    sheet.append([titre for _, titre in COLONNES])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for ligne in lignes_:
        sheet.append([ligne[c] for c, _ in COLONNES])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_PDF_REMPLACEMENTS = {"€": "EUR", "≤": "<=", "≥": ">=", "—": "-", "–": "-", "’": "'", "…": "...", "«": '"', "»": '"'}


def _t(texte: Any) -> str:
    """Core PDF fonts are Latin-1: map the few typographic characters of our texts, replace the rest."""
    s = str(texte)
    for src, dst in _PDF_REMPLACEMENTS.items():
        s = s.replace(src, dst)
    return s.replace("\u202f", " ").replace("\xa0", " ").encode("latin-1", "replace").decode("latin-1")


def _pdf(liste: ListeCal, logement: Logement, lignes_: list[dict[str, Any]]) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=False)
    for ligne in lignes_:
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 14)
        pdf.cell(
            0,
            8,
            _t(f"Fiche CAL - commission du {liste.date_commission.strftime('%d/%m/%Y')}"),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_font("Helvetica", "", 9)
        pdf.multi_cell(
            0,
            5,
            _t(
                f"Logement {logement.reference} ({logement.bailleur}) : {logement.typologie} {logement.type_bien}, "
                f"{float(logement.surface):g} m², {logement.adresse}, commune {logement.commune} ; "
                f"{logement.financement}, loyer + charges {euros(float(logement.loyer) + float(logement.charges))} ; "
                f"contingent {logement.contingent}"
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(2)
        pdf.set_font("Helvetica", "B", 12)
        titre = f"Candidat n° {ligne['position']} - {ligne['nom']} {ligne['prenom']} ({ligne['numero_unique']})"
        pdf.cell(0, 7, _t(titre), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        plafond = ligne["plafond"]
        for libelle, valeur in (
            ("Ménage", f"{ligne['nb_personnes']} personne(s), {ligne['categorie']}"),
            (
                "Ressources",
                f"revenu fiscal {euros(ligne['revenu_fiscal_reference'])}"
                + (
                    f" pour un plafond de {euros(plafond)} (marge {euros(ligne['marge'])})"
                    if plafond != ""
                    else " (plafond non connu, à vérifier)"
                ),
            ),
            (
                "Priorités",
                f"{ligne['groupe']} ; DALO : {ligne['dalo']} ; {ligne['priorites'] or 'aucun public prioritaire'}",
            ),
            ("Ancienneté", f"dépôt le {ligne['date_depot']}, {ligne['anciennete_mois']} mois"),
        ):
            pdf.set_font("Helvetica", "B", 10)
            pdf.cell(30, 6, _t(libelle))
            pdf.set_font("Helvetica", "", 10)
            pdf.multi_cell(0, 6, _t(valeur), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(0, 6, _t("Contrôles d'éligibilité à l'inscription"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 8)
        for regle in ligne["_regles"]:
            statut = {True: "OK", False: "NON", None: "À VÉRIFIER"}[regle.get("ok")]
            pdf.multi_cell(
                0,
                4.2,
                _t(f"[{statut}] {regle.get('libelle')} : {regle.get('explication')}"),
                new_x="LMARGIN",
                new_y="NEXT",
            )
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(0, 6, _t("Décision de la commission (CCH R441-3)"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        for code, libelle in (
            ("attribution", "Attribution"),
            ("attribution_classement", "Attribution avec classement - rang : ____"),
            ("attribution_sous_condition", "Attribution sous condition suspensive - pièce : ____ avant le ____"),
            ("non_attribution", "Non-attribution - motif : ____"),
            ("irrecevabilite", "Irrecevabilité - motif : ____"),
        ):
            coche = "[X]" if ligne["decision"] == code else "[  ]"
            pdf.cell(0, 6, _t(f"{coche} {libelle}"), new_x="LMARGIN", new_y="NEXT")
        if ligne["decision_details"]:
            pdf.multi_cell(0, 6, _t(f"Détail : {ligne['decision_details']}"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def exporter(liste: ListeCal, format_: str) -> tuple[bytes, str]:
    logement, lignes_ = lignes(liste)
    if format_ == "csv":
        return _csv(lignes_), MIMETYPES["csv"]
    if format_ == "xlsx":
        return _xlsx(liste, lignes_), MIMETYPES["xlsx"]
    return _pdf(liste, logement, lignes_), MIMETYPES["pdf"]
