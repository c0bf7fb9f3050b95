"""Names the search page shows beside results and facets — units' names and 公开目录
nodes' labels — kept per process: two ORM queries cost every search ~1.5 ms of CPU for
names that change a few times a year.

A change in this process (save or delete of a unit or a node, ``flush``) forgets them at
once and again at its commit; other worker processes read them again at most ``TTL``
seconds later (a renamed unit's facet may show the old name that long). Tests start with
nothing kept (conftest.py): a rolled-back rename must not outlive its test. Only names are
kept: which results a visitor sees never comes from here.
"""

from __future__ import annotations

import time

TTL = 30.0

_state: dict = {"at": float("-inf"), "org": {}, "node": {}}


def forget(**kwargs) -> None:
    _state.update(at=float("-inf"), org={}, node={})


def _changed(**kwargs) -> None:
    """Forget now, and again when the change commits: a search in another thread of this
    process may have read the old name between the two."""
    from django.db import transaction

    from gongkai.search import result_cache

    forget()
    transaction.on_commit(forget, using=kwargs.get("using"))
    result_cache.changed(using=kwargs.get("using"))  # pages that show the old name


def _lookup(kind: str, ids, fetch) -> dict[int, str]:
    now = time.monotonic()
    if now - _state["at"] > TTL:
        _state.update(at=now, org={}, node={})
    known: dict[int, str | None] = _state[kind]
    wanted = {i for i in ids if i is not None}
    missing = [i for i in wanted if i not in known]
    if missing:
        found = fetch(missing)
        known.update({i: found.get(i) for i in missing})
    return {i: known[i] for i in wanted if known.get(i) is not None}


def org_names(ids) -> dict[int, str]:
    """{unit id: its full name} of the units among ``ids`` that exist."""
    from gongkai.core.models import Organization

    return _lookup("org", ids, lambda missing: dict(
        Organization.objects.filter(pk__in=missing).values_list("pk", "name")))


def node_labels(ids) -> dict[int, str]:
    """{node id: 「name（unit's short name）」}: every unit has a 通知公告 node, so the unit
    is named too."""
    from gongkai.disclosure.models import DirectoryNode

    return _lookup("node", ids, lambda missing: {
        pk: f"{name}（{unit}）" for pk, name, unit in DirectoryNode.objects.filter(
            pk__in=missing).values_list("pk", "name", "org__short_name")})


def connect() -> None:
    """Forget the names on any change of a unit or a node in this process (SearchConfig)."""
    from django.db.models.signals import post_delete, post_migrate, post_save

    from gongkai.core.models import Organization
    from gongkai.disclosure.models import DirectoryNode

    for model in (Organization, DirectoryNode):
        for signal in (post_save, post_delete):
            signal.connect(_changed, sender=model, dispatch_uid=f"search-labels-{model.__name__}"
                           f"-{'save' if signal is post_save else 'delete'}")
    post_migrate.connect(forget, dispatch_uid="search-labels-flush")
