"""Data of the register: the collectivité and its people, the tool catalogue, the AI use cases."""

from .organisation import Collectivite, Membership, Service, User
from .tools import Tool
from .use_cases import UseCase, UseCaseEvent, UseCaseGroupObjectPermission, UseCaseUserObjectPermission

__all__ = [
    "Collectivite",
    "Membership",
    "Service",
    "Tool",
    "UseCase",
    "UseCaseEvent",
    "UseCaseGroupObjectPermission",
    "UseCaseUserObjectPermission",
    "User",
]
