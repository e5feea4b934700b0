"""Every write of the engagement app."""

from .announcements import (
    create_announcement,
    publish_announcement,
    save_subscription,
    unsubscribe,
    withdraw_announcement,
)
from .directory import create_directory_entry, update_directory_entry
from .feedback import (
    answer_feedback,
    assign_feedback,
    close_feedback,
    rate_feedback,
    submit_feedback,
)
from .surveys import (
    add_question,
    close_survey,
    create_survey,
    import_xlsform,
    install_satisfaction_survey,
    open_survey,
    remove_question,
    submit_response,
)

__all__ = [
    "add_question",
    "answer_feedback",
    "assign_feedback",
    "close_feedback",
    "close_survey",
    "create_announcement",
    "create_directory_entry",
    "create_survey",
    "import_xlsform",
    "install_satisfaction_survey",
    "open_survey",
    "publish_announcement",
    "rate_feedback",
    "remove_question",
    "save_subscription",
    "submit_feedback",
    "submit_response",
    "unsubscribe",
    "update_directory_entry",
    "withdraw_announcement",
]
