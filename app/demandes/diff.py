"""JSON merge patch (RFC 7396) and the list of changed fields between two payloads, as dotted paths."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396: objects merge recursively, `null` removes a member, anything else replaces."""
    if not isinstance(patch, Mapping):
        return patch
    result: dict[str, Any] = dict(target) if isinstance(target, Mapping) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def changed_paths(old: Any, new: Any, prefix: str = "") -> list[str]:
    """Dotted paths of what differs: objects recurse; lists of objects of equal length recurse per index."""
    if old == new:
        return []
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        paths: list[str] = []
        for key in sorted(set(old) | set(new)):
            path = f"{prefix}.{key}" if prefix else str(key)
            paths.extend(changed_paths(old.get(key), new.get(key), path))
        return paths
    if (
        isinstance(old, list)
        and isinstance(new, list)
        and len(old) == len(new)
        and all(isinstance(x, Mapping) for x in [*old, *new])
    ):
        paths = []
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            paths.extend(changed_paths(a, b, f"{prefix}.{i}"))
        return paths
    return [prefix]
