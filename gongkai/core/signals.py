"""Signals of the shell that any app may send without naming the app that listens.

``unit_page_changed(sender, org_code)``: something another app shows on a unit's public page
(a ``registry.unit_panel``) changed, so the published copy of that page must be purged. Send
it after the change commits (``transaction.on_commit``); the app that owns the unit page
(disclosure) listens and purges exactly that page.
"""

import django.dispatch

unit_page_changed = django.dispatch.Signal()
