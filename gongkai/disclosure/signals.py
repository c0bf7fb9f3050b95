"""Signals the disclosure app sends after a document's or interpretation's visible state
changes.

``document_changed`` is sent on transaction commit by every service that creates,
edits, publishes, withdraws or deletes a document; kwargs: ``document_id`` (int)
and ``deleted`` (bool).

``interpretation_changed`` is sent on transaction commit by every service that creates,
edits, publishes, withdraws or imports a 政策解读 (publishing a document together with its
interpretations included); kwargs: ``interpretation_id`` (int) and ``deleted`` (bool).

The search app connects to both to keep its index current.
"""

import django.dispatch

document_changed = django.dispatch.Signal()
interpretation_changed = django.dispatch.Signal()
