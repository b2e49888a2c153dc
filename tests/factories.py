"""factory-boy factories of the tests: demandes created through the service layer (validated and stored exactly
as in production, with their event and outbox entry)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import factory

from app.demandes import service
from app.demandes.models import Demande

ORGANISME_TEST = "GUICHET-31"  # the organisation of the `api("guichet")` test user


def il_y_a(jours: int) -> str:
    return (date.today() - timedelta(days=jours)).isoformat()


class PersonneFactory(factory.DictFactory):
    nom = factory.Faker("last_name", locale="fr_FR")
    prenom = factory.Faker("first_name", locale="fr_FR")
    date_naissance = "1985-04-12"


class CoDemandeurFactory(PersonneFactory):
    date_naissance = "1987-09-30"
    lien = "conjoint"


class SouhaitsFactory(factory.DictFactory):
    communes = factory.LazyFunction(lambda: ["31555", "31113"])
    typologies = factory.LazyFunction(lambda: ["T2", "T3"])
    type_bien = "appartement"


class DemandePayloadFactory(factory.DictFactory):
    """A valid payload of the contract (a couple in Toulouse, filed 100 days ago)."""

    date_depot = factory.LazyFunction(lambda: il_y_a(100))
    organisme_enregistreur = ORGANISME_TEST
    demandeur = factory.SubFactory(PersonneFactory)
    co_demandeurs = factory.LazyFunction(lambda: [CoDemandeurFactory()])
    situation_familiale = "marie"
    personnes_a_charge = 1
    revenu_fiscal_reference = 21000
    annee_revenu = factory.LazyFunction(lambda: date.today().year - 2)
    ressources_mensuelles = 1900
    logement_actuel = "locataire_prive"
    motifs = factory.LazyFunction(lambda: ["logement_trop_cher"])
    priorites = factory.LazyFunction(list)
    dalo = False
    souhaits = factory.SubFactory(SouhaitsFactory)


class DemandeFactory(factory.Factory):
    """`DemandeFactory(date_depot=...)` → a stored Demande, created by `service.create`."""

    class Meta:
        model = Demande

    payload = factory.SubFactory(DemandePayloadFactory)

    @classmethod
    def _build(cls, model_class: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return kwargs["payload"]

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Demande:
        return service.create(kwargs["payload"])
