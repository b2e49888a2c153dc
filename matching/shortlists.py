"""Nightly shortlists: propose N candidates per vacant logement, a household in at most K of the night's proposals.

Algorithm (greedy, in a fixed order):
1. the logements are served oldest availability first (`date_disponibilite`, then id): the longest-vacant
   dwelling gets the first pick, which shortens vacancy where it is already longest;
2. for each logement, its eligible candidates are walked in the rank order of the strategy (priority group,
   points, seniority, numero_unique), and the first N whose usage count this night is below K are taken;
3. each proposal increments the household's usage count.

Why it is fair: the order of the rules is never inverted inside a logement (a household is only passed over
because it already holds K proposals on logements that waited longer), so the best-ranked households get
proposals first, and no household monopolises the night (the cap K spreads proposals across more households).
Why it is deterministic: both orders are total (ties broken by id and numero_unique) and nothing else is read;
the same data gives the same proposals, so a re-run of the same night is idempotent.

A logement whose candidates cannot be read (an error) gets no proposal and does not stop the run; the usage counts
are left as they were before it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

L = TypeVar("L", bound=Hashable)


@dataclass
class Allocation(Generic[L]):
    logement: L
    retenus: list[tuple[int, str]] = field(default_factory=list)  # (rank in the logement's list, numero_unique)
    erreur: str | None = None


def allouer(
    logements: Sequence[L],
    candidats_de: Callable[[L], Iterable[tuple[int, str]]],
    n: int = 5,
    k: int = 1,
    on_progress: Callable[[int, Allocation[L]], None] | None = None,
) -> tuple[list[Allocation[L]], Counter[str]]:
    """`logements` already in service order; `candidats_de(l)` yields (rank, numero) in rank order (lazily)."""
    if n < 1 or k < 1:
        raise ValueError("n et k doivent être au moins 1")
    usage: Counter[str] = Counter()
    resultats: list[Allocation[L]] = []
    for index, logement in enumerate(logements, start=1):
        allocation: Allocation[L] = Allocation(logement)
        try:
            for rang, numero in candidats_de(logement):
                if usage[numero] < k and all(numero != x for _, x in allocation.retenus):
                    allocation.retenus.append((rang, numero))
                    if len(allocation.retenus) == n:
                        break
        except Exception as error:  # one failing logement does not stop the night
            allocation = Allocation(logement, erreur=f"{type(error).__name__}: {error}")
        for _, numero in allocation.retenus:
            usage[numero] += 1
        resultats.append(allocation)
        if on_progress:
            on_progress(index, allocation)
    return resultats, usage
