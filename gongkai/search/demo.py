"""Demo load: the pages other apps register as search sources (the 依申请公开 guide, each
unit's 公开指南/公开制度) go into the index; documents index themselves as they are
published, and later apps' demo content (年报, 公众参与) as it is saved."""

from gongkai.search.indexing import index_sources


def load(stdout=None, quick: bool = False) -> None:
    counts = index_sources()
    if stdout is not None:
        stdout.write("  search: " + ", ".join(f"{n} {kind}" for kind, n in sorted(
            counts.items())))
