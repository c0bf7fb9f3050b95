"""State changes of 公众参与, split by noun. Each verb: one durable transaction, one audit entry."""

from gongkai.participation.services.catalog import (  # noqa: F401
    add_item,
    adjust_item,
    create_catalog,
    publish_catalog,
    return_catalog,
    submit_catalog,
)
from gongkai.participation.services.common import Blocked, content_hash  # noqa: F401
from gongkai.participation.services.consultations import (  # noqa: F401
    create_consultation,
    publish_consultation,
    return_consultation,
    set_final_text,
    submit_consultation,
    update_consultation,
)
from gongkai.participation.services.feedback import (  # noqa: F401
    dispose,
    group_opinions,
    publish_report,
    return_report,
    save_report,
    submit_report,
)
from gongkai.participation.services.opinions import (  # noqa: F401
    ClosedError,
    enter_opinion,
    hide_opinion,
    submit_comment,
)
from gongkai.participation.services.periods import (  # noqa: F401
    approve_change,
    request_change,
    return_change,
)
from gongkai.participation.services.stages import (  # noqa: F401
    add_stage,
    publish_stage,
    return_stage,
    submit_stage,
    update_stage,
)
from gongkai.participation.services.surveys import add_question, answer_survey  # noqa: F401
