"""Tests that look inside a search: a backend object whose searches (or writes) run by a
subclass of its compiler (indexer) with some methods replaced. The methods take the
compiler (indexer) first; the backend class and every other backend object are untouched."""


def compile_with(backend, **methods) -> type:
    """Run ``backend``'s searches with ``methods`` in place; returns the class before."""
    before = backend.query_compiler_class
    backend.query_compiler_class = type("Patched" + before.__name__, (before,), methods)
    return before


def index_with(backend, **methods) -> type:
    """Run ``backend``'s writes with ``methods`` in place; returns the class before."""
    before = backend.index_class
    backend.index_class = type("Patched" + before.__name__, (before,), methods)
    return before


def compiler(backend):
    """A compiler for one search on ``backend`` (to call its parts directly)."""
    return backend.query_compiler_class(backend)
