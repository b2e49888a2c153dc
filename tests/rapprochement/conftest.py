from tests.rapprochement.fixtures import es, monde  # noqa: F401  (fixtures)
