from .announcements import (
    announcement_deliveries,
    announcement_detail,
    announcement_new,
    announcement_withdraw,
    announcements,
    subscription,
    unsubscribe,
)
from .directory import directory, directory_me, index
from .feedback import (
    feedback_follow,
    feedback_handle,
    feedback_manage,
    feedback_new,
    feedback_photo,
    feedback_public,
)
from .surveys import (
    survey_answer,
    survey_edit,
    survey_export,
    survey_new,
    survey_relevance,
    survey_results,
    surveys,
)

__all__ = [
    "announcement_deliveries",
    "announcement_detail",
    "announcement_new",
    "announcement_withdraw",
    "announcements",
    "directory",
    "directory_me",
    "feedback_follow",
    "feedback_handle",
    "feedback_manage",
    "feedback_new",
    "feedback_photo",
    "feedback_public",
    "index",
    "subscription",
    "survey_answer",
    "survey_edit",
    "survey_export",
    "survey_new",
    "survey_relevance",
    "survey_results",
    "surveys",
    "unsubscribe",
]
