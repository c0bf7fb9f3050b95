"""政民互动 services: every state change is a verb here, one durable transaction, one audit
entry. Split by noun: messages (writing, routing, merging), replies (review and sending),
publication (publishing and rating), qa (一号答), hotline (12345 hand-off)."""

from gongkai.interaction.services.coparts import (  # noqa: F401
    approve_part,
    part_revision,
    return_part,
    save_part,
    submit_part,
)
from gongkai.interaction.services.events import (  # noqa: F401
    add_commitment,
    answer_question,
    ask_question,
    close_commitment,
    create_event,
    publish_record,
    register,
)
from gongkai.interaction.services.messages import (  # noqa: F401
    merge_message,
    return_message,
    route_message,
    submit_message,
)
from gongkai.interaction.services.proposals import (  # noqa: F401
    answer_proposal,
    import_proposals,
    publish_proposal,
)
from gongkai.interaction.services.publication import (  # noqa: F401
    PublishBlocked,
    publish_message,
    rate_message,
    unpublish_message,
)
from gongkai.interaction.services.qa import (  # noqa: F401
    create_qa,
    flag_stale_qa,
    publish_qa,
    qa_from_message,
    withdraw_qa,
)
from gongkai.interaction.services.replies import (  # noqa: F401
    StaleRevision,
    approve_reply,
    reply_revision,
    return_reply,
    submit_reply,
)
