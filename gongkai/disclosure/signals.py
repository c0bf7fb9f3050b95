"""Signals the disclosure app sends after a document's visible state changes.

``document_changed`` is sent on transaction commit by every service that creates,
edits, publishes, withdraws or deletes a document; kwargs: ``document_id`` (int)
and ``deleted`` (bool). The search app connects to it to keep its index current.
"""

import django.dispatch

document_changed = django.dispatch.Signal()
