"""Data of the register: the collectivité and its people, the tool catalogue, the AI use cases and their reviews."""

from .application_dates import ApplicationDate
from .organisation import Collectivite, Membership, Service, User
from .outbox import OutboxEntry
from .reviews import (
    AgendaItem,
    Attendance,
    CommitteeMember,
    CommitteeSession,
    Opinion,
    Review,
    ReviewCondition,
    Vote,
)
from .tools import Tool
from .use_cases import UseCase, UseCaseEvent, UseCaseGroupObjectPermission, UseCaseUserObjectPermission

__all__ = [
    "AgendaItem",
    "ApplicationDate",
    "Attendance",
    "CommitteeMember",
    "CommitteeSession",
    "Opinion",
    "Review",
    "ReviewCondition",
    "Vote",
    "Collectivite",
    "Membership",
    "OutboxEntry",
    "Service",
    "Tool",
    "UseCase",
    "UseCaseEvent",
    "UseCaseGroupObjectPermission",
    "UseCaseUserObjectPermission",
    "User",
]
