"""Every write with a business meaning on the register. Views, API, commands and tasks call these.

`use_cases` holds the register's own writes, `declarations` the shadow-AI declarations and their triage,
`reviews` the DPO and RSSI opinions, the ethics committee and the decisions.
"""

from .qualification import *  # noqa: F403
from .reviews import *  # noqa: F403
from .use_cases import *  # noqa: F403
from .use_cases import DESCRIPTIVE_FIELDS, EDITABLE_FIELDS, OWNER_PERMISSIONS  # noqa: F401
