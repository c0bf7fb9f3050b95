"""State changes of 督查考核, split by noun; each: one durable transaction, one audit entry."""

from gongkai.supervision.services.bulletins import (
    draft_bulletin,
    publish_bulletin,
    save_bulletin,
)
from gongkai.supervision.services.catalog import import_catalog, save_entry
from gongkai.supervision.services.evaluation import run_evaluation
from gongkai.supervision.services.inspection import answer_finding, record_crawl, save_word
from gongkai.supervision.services.plan import add_alias, import_plan, remove_alias
from gongkai.supervision.services.progress import (
    answer_notice,
    carry_over,
    report_progress,
    send_notice,
)
from gongkai.supervision.services.training import save_training

__all__ = [
    "add_alias", "answer_finding", "answer_notice", "carry_over", "draft_bulletin",
    "import_catalog", "import_plan", "publish_bulletin", "record_crawl", "report_progress",
    "remove_alias", "run_evaluation", "save_bulletin", "save_entry", "save_training", "save_word",
    "send_notice",
]
