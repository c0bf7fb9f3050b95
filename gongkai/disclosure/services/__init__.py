"""State changes of 主动公开. Each: keyword arguments, one transaction, one audit entry,
and ``document_changed`` / ``interpretation_changed`` on commit for every document and
政策解读 it touches.

Split by noun; this package re-exports the public names so callers keep writing
``from gongkai.disclosure import services; services.publish_document(...)``."""

from gongkai.disclosure.services.annual import publish_annual_report, regulatory_counts
from gongkai.disclosure.services.common import (
    EDITABLE_FIELDS,
    PublishBlocked,
    StaleRevision,
    authors,
    document_revision,
    interpretation_revision,
)
from gongkai.disclosure.services.directory import ensure_directory, save_node, seed_directory
from gongkai.disclosure.services.documents import (
    add_attachment,
    create_document,
    delete_draft,
    redact_document,
    remove_attachment,
    submit_document,
    update_document,
)
from gongkai.disclosure.services.gazette import save_gazette_issue
from gongkai.disclosure.services.imports import import_record
from gongkai.disclosure.services.interpretations import (
    import_interpretation,
    publish_interpretation,
    save_interpretation,
    withdraw_interpretation,
)
from gongkai.disclosure.services.regulations import import_regulation_version, version_diff
from gongkai.disclosure.services.review import (
    privacy_hits,
    publish_document,
    publish_due,
    publish_problems,
    return_document,
    withdraw_document,
)

__all__ = [
    "EDITABLE_FIELDS", "PublishBlocked", "StaleRevision", "authors", "document_revision",
    "interpretation_revision", "add_attachment", "create_document", "delete_draft",
    "ensure_directory", "import_interpretation", "import_record", "import_regulation_version",
    "privacy_hits", "publish_annual_report", "publish_document", "publish_due",
    "publish_interpretation", "publish_problems", "redact_document", "regulatory_counts",
    "remove_attachment", "return_document", "save_gazette_issue", "save_interpretation",
    "save_node", "seed_directory", "submit_document", "update_document", "version_diff",
    "withdraw_document", "withdraw_interpretation",
]
