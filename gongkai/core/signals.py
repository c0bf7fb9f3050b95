"""Signals of the shell that any app may send without naming the app that listens.

``unit_page_changed(sender, org_code)``: something another app shows on a unit's public page
(a ``registry.unit_panel``) changed, so the published copy of that page must be purged. Send
it after the change commits (``transaction.on_commit``); the app that owns the unit page
(disclosure) listens and purges exactly that page.

``public_search_changed(sender)``: something the public search page shows that is not in the
search index changed (an answer a ``registry.search_answers`` provider gives: 一号答 entries
published or withdrawn, …). Send it when the change is made; search listens and drops every
kept search page at once and again on commit (gongkai/search/result_cache.py). Index writes
need no signal: the search backend bumps on every write itself.
"""

import django.dispatch

unit_page_changed = django.dispatch.Signal()
public_search_changed = django.dispatch.Signal()
