"""Marshmallow's English validation messages reach the agents in French, bounds included."""

import pytest
from marshmallow import Schema, ValidationError, fields, validate

from app.api_errors import flatten_messages


class _Saisie(Schema):
    rang = fields.Integer(validate=validate.Range(min=1, max=10))
    part = fields.Float(validate=validate.Range(min=0, min_inclusive=False))
    code = fields.String(validate=validate.Length(equal=5))
    nom = fields.String(validate=validate.Length(min=2, max=4))
    sens = fields.String(validate=validate.OneOf(["monter", "descendre"]))


@pytest.mark.parametrize(
    ("saisie", "message"),
    [
        ({"rang": 11}, "Valeur entre 1 et 10 attendue"),
        ({"part": 0}, "Valeur supérieure à 0 attendue"),
        ({"code": "3155"}, "Longueur de 5 attendue"),
        ({"nom": "Dupontel"}, "Longueur entre 2 et 4 attendue"),
        ({"sens": "gauche"}, "Valeur inconnue : valeurs admises monter, descendre"),
        ({"part": "nan"}, "Valeurs NaN et infinies interdites"),
    ],
)
def test_validation_messages_are_translated(saisie, message):
    with pytest.raises(ValidationError) as erreur:
        _Saisie().load(saisie)
    (champ,) = saisie
    assert flatten_messages(erreur.value.messages) == [{"champ": champ, "message": message}]
