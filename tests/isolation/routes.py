"""Which routes and API operations the isolation proof exercises, and how.

Routes come from Django's resolver and operations from the OpenAPI schema (as the permission matrix finds them),
so a new route is picked up without anyone listing it here. How to put A's or B's object in its URL comes from the
matrix's table (`tests/security/matrix/spec.py`: ROUTES, API_OBJECTS), or from `EXTRA_ROUTES` / `EXTRA_API_OBJECTS`
below for a route the matrix does not know yet. A route known to neither fails with a message saying so.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.security.matrix import spec
from tests.security.matrix.test_matrix import _operations, _routes

# name -> (method, kwargs from the world's objects or None): routes the matrix's table does not (yet) name.
EXTRA_ROUTES: dict[str, tuple[str, Callable | None]] = {}
# API path -> world object(s), as spec.API_OBJECTS.
EXTRA_API_OBJECTS: dict[str, str | tuple[str, ...]] = {}

# Public by design: anyone reads them, B's published register included. On these, B's canaries may appear only
# where B chose to publish them (its publications and its name).
PUBLIC_ROUTE_PREFIXES = ("public:", "public_exports:")
# The public forms asking for an explanation show the collectivité and its published entries to anyone; the
# acknowledgment and follow-up pages open only with the requester's own token (another one is refused: 404).
PUBLIC_ROUTES = {"explanations_public:request", "explanations_public:request_for_entry"}
PUBLIC_API_PREFIX = "/api/v1/public/"
PUBLIC_CANARY_LABELS = ("transparency.Publication.", "registry.Collectivite.name#")
NOT_PUBLIC_PUBLICATION_FIELDS = ("transparency.Publication.withdrawal_reason#",)

# The same document for everyone (the API's schema and its viewer): read once, not once per role.
SAME_FOR_EVERYONE = {"api-schema", "api-docs"}

# Routes whose POST is not a write on the register: logging in or out changes the test client's own session.
NOT_POSTED = {"login", "logout"}

HOW_TO_ADD = (
    "the isolation suite does not know how to put an object in the URL of {what}: add it to the permission matrix "
    "(tests/security/matrix/spec.py, {table}; the lead owns it) or to tests/isolation/routes.py ({extra}), "
    "with a lambda building its URL parameters from the world's objects (tests/isolation/world.py)"
)


def web_routes() -> dict[str, str]:
    return _routes()


def route_spec(name: str) -> tuple[str, Callable | None]:
    if name in EXTRA_ROUTES:
        return EXTRA_ROUTES[name]
    if name in spec.ROUTES:
        return spec.ROUTES[name]
    raise AssertionError(HOW_TO_ADD.format(what=f"route `{name}`", table="ROUTES", extra="EXTRA_ROUTES"))


def names_an_object(name: str) -> bool:
    """Whether the route's URL names an object (unknown routes count as such: their test then fails, saying why)."""
    try:
        return route_spec(name)[1] is not None
    except AssertionError:
        return True


def is_public_route(name: str) -> bool:
    return name.startswith(PUBLIC_ROUTE_PREFIXES) or name in {"login", "api-schema", "api-docs", *PUBLIC_ROUTES}


def api_operations() -> tuple[str, ...]:
    return _operations()


def api_url(operation: str, objects: dict) -> str:
    path = operation.split(" ", 1)[1]
    names = EXTRA_API_OBJECTS.get(path, spec.API_OBJECTS.get(path))
    if "{" in path and names is None:
        raise AssertionError(
            HOW_TO_ADD.format(what=f"API operation `{operation}`", table="API_OBJECTS", extra="EXTRA_API_OBJECTS")
        )
    if names is None:
        return path
    if names == "publication":
        return path.replace("{collectivite}", objects["publication"].collectivite.slug).replace(
            "{reference}", objects["published_case"].reference
        )
    params = [segment for segment in path.split("/") if segment.startswith("{")]
    for param, name in zip(params, names if isinstance(names, tuple) else (names,), strict=True):
        value = name[1:] if name.startswith("=") else objects[name].pk  # "=value": a literal, as in the matrix
        path = path.replace(param, str(value), 1)
    return path


def allowed_canaries(found: dict[str, str], public: bool) -> dict[str, str]:
    """The canaries of B an answer may carry: none, or on a public answer what B published."""
    if not public:
        return {}
    return {
        value: origin
        for value, origin in found.items()
        if origin.startswith(PUBLIC_CANARY_LABELS) and not origin.startswith(NOT_PUBLIC_PUBLICATION_FIELDS)
    }


def poison(world) -> dict:
    """A body naming B's objects under every name a form or serializer of the register uses for a reference:
    posted to A's routes, none of them may end up linked to an A row, changed, or shown."""
    theirs, people = world.objects["out"], world.neighbours
    ids = {
        "service": theirs["service"].pk,
        "tool": theirs["tool"].pk,
        "alternative_tool": theirs["tool"].pk,
        "owner": people["agent"].pk,
        "user": people["agent"].pk,
        "author": people["agent"].pk,
        "member": theirs["committee_member"].pk,
        "use_case": theirs["draft"].pk,
        "review": theirs["committee_review"].pk,
        "session": theirs["session"].pk,
        "item": theirs["agenda_item"].pk,
        "declaration": theirs["declaration"].pk,
        "declarations": [theirs["declaration"].pk, theirs["named_declaration"].pk],
        "checkpoint": theirs["checkpoint"].pk,
        "type": theirs["checkpoint"].type_id,
        "corrects": theirs["attestation"].pk,
        "condition": theirs["reviewed_review"].conditions.first().pk,
        "collectivite": world.collectivites["out"].pk,
        "edition": theirs["charter_edition"].pk,
        "parent": theirs["service"].pk,
    }
    return ids
