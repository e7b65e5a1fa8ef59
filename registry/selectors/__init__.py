"""Reads of the register, already filtered by what the user may see, at a fixed number of queries."""

from .reviews import *  # noqa: F403
from .use_cases import *  # noqa: F403
from .use_cases import HISTORY_FIELDS  # noqa: F401
