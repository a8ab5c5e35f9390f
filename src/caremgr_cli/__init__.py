"""caremgr: which care career fits you, case manager or care manager, and why."""

__version__ = "0.1.0"
