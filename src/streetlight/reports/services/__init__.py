"""Every write on reports goes through one of these functions."""

from .catalog import areas_load, categories_load, support_services_load
from .closing import report_rate, report_reopen_by_reporter
from .lifecycle import report_add_information, report_reply, report_transition
from .processing import report_process
from .submit import Submitted, hash_token, report_submit

__all__ = [
    "Submitted",
    "areas_load",
    "categories_load",
    "hash_token",
    "report_add_information",
    "report_process",
    "report_rate",
    "report_reopen_by_reporter",
    "report_reply",
    "report_submit",
    "report_transition",
    "support_services_load",
]
