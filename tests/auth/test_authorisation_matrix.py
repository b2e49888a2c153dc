"""The authorisation matrix of the README ("Rôles et droits"), checked cell by cell with a real user and token of
each role: ✓ → the role gets past authorisation (any status but 401/403), ✗ → 403. Every row is also refused to an
anonymous caller with 401. A second test proves every API route appears in the table and declares a permission.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
ROLES = ["gestionnaire", "agent_bailleur", "reservataire", "guichet", "observatoire"]
SAMPLE_VALUES = {"numero_unique": "031INEXISTANT", "numero": "031INEXISTANT", "code": "243100633", "format_": "csv"}


def matrix_rows() -> list[tuple[str, str, dict[str, bool]]]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Rôles et droits", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        match = re.fullmatch(r"`(GET|POST|PATCH|PUT|DELETE) (/api/v1/\S+)`", cells[0]) if cells else None
        if match and len(cells) == 1 + len(ROLES):
            rows.append((match[1], match[2], {role: cell == "✓" for role, cell in zip(ROLES, cells[1:], strict=True)}))
    return rows


ROWS = matrix_rows()


def concrete(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: SAMPLE_VALUES.get(m[1], "1"), path)


def test_the_readme_holds_the_matrix():
    assert len(ROWS) >= 3


@pytest.mark.parametrize(("method", "path", "allowed"), ROWS, ids=[f"{m} {p}" for m, p, _ in ROWS])
def test_each_role_gets_what_the_matrix_says(api, client, method, path, allowed):
    url = concrete(path)
    kwargs = {"json": {}} if method in {"POST", "PATCH", "PUT"} else {}
    assert getattr(client, method.lower())(url, **kwargs).status_code == 401
    for role in ROLES:
        status = getattr(api(role), method.lower())(url, **kwargs).status_code
        if allowed[role]:
            assert status not in (401, 403), f"{role} should be allowed {method} {path}, got {status}"
        else:
            assert status == 403, f"{role} should be refused {method} {path}, got {status}"


def test_every_api_route_is_in_the_matrix_and_declares_a_permission(app_ctx):
    app = app_ctx
    from app.auth.guard import PUBLIC_API_PATHS, view_permission

    documented = {(m, re.sub(r"\{\w+\}", "{}", p)) for m, p, _ in ROWS}
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.rule in PUBLIC_API_PATHS:
            continue
        path = re.sub(r"<[^>]+>", "{}", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if view_permission(rule.endpoint, method) is None:
                missing.append(f"{method} {rule.rule}: no permission declared")
            if (method, path) not in documented:
                missing.append(f"{method} {rule.rule}: not in the README matrix")
    assert not missing, "\n".join(missing)
