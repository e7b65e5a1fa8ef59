"""The machinery of the isolation proof, generic over every model of the project's apps (new apps included):
which rows belong to a collectivité, a unique canary in every text of the neighbour's rows, a fingerprint of the
neighbour's rows (to prove a refused write changed nothing), the links that would tie one collectivité's rows to
the other's, and the text of any answer (HTML, JSON, CSV, XLSX, PDF) to search the canaries in.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import re
import zipfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

PREFIX = "kanarib"
CANARY_RE = re.compile(rf"{PREFIX}\d{{5}}", re.IGNORECASE)

# Texts that are identifiers or machine values rather than words a person wrote: a canary there would break
# lookups (URL parameters, tree paths, hashes) without proving more.
NOT_CANARIED = {
    "password",
    "slug",
    "reference",
    "key",
    "follow_up_code",
    "path",
    "subject_key",
    "sha256",
    "evidence_sha256",
    "content_fingerprint",
    "primary_colour",
    "siren",
}


@functools.cache
def project_models() -> tuple[type[models.Model], ...]:
    """Every concrete model of the project's own apps (not Django's, not third-party packages')."""
    base = Path(settings.BASE_DIR).resolve()
    found = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if base not in path.parents or ".venv" in path.parts:
            continue
        found.extend(m for m in config.get_models() if not m._meta.proxy and m._meta.managed)
    return tuple(found)


def _user_model():
    from django.contrib.auth import get_user_model

    return get_user_model()


@functools.cache
def scope_path(model) -> tuple[str, str] | None:
    """How a model's rows reach their collectivité: ("collectivite", lookup) for a lookup equal to the
    collectivité, ("user", lookup) for rows tied only to a person (then `lookup__in` the collectivité's people),
    or None for rows of no collectivité."""
    from registry.models import Collectivite

    if model is Collectivite:
        return ("collectivite", "pk")
    user_model = _user_model()
    if model is user_model:
        return ("user", "pk")
    project = set(project_models())
    queue, seen = [(model, "")], {model}
    while queue:
        current, prefix = queue.pop(0)
        relations = [f for f in current._meta.concrete_fields if f.is_relation and (f.many_to_one or f.one_to_one)]
        relations = [f for f in relations if f.related_model is not None]
        for field in sorted(relations, key=lambda f: f.related_model is not Collectivite):
            lookup = f"{prefix}{field.name}"
            if field.related_model is Collectivite:
                return ("collectivite", lookup)
            if (
                field.related_model in project
                and field.related_model not in seen
                and field.related_model is not (user_model)
            ):
                seen.add(field.related_model)
                queue.append((field.related_model, lookup + "__"))
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model is user_model:
            return ("user", field.name)
    return None


def people_of(collectivite, other):
    """The people holding roles in `collectivite` and none in `other`."""
    return _user_model().objects.filter(memberships__collectivite=collectivite).exclude(memberships__collectivite=other)


def rows_of(model, collectivite, other):
    path = scope_path(model)
    manager = model._base_manager
    if path is None:
        return manager.none()
    kind, lookup = path
    if kind == "collectivite":
        return manager.filter(**{lookup: collectivite.pk}).distinct()
    return manager.filter(**{f"{lookup}__in": people_of(collectivite, other)}).distinct()


def _text_fields(model):
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField) or field.choices or field.primary_key:
            continue
        if field.name in NOT_CANARIED or isinstance(field, models.SlugField | models.URLField):
            continue
        if field.max_length is not None and field.max_length < len(PREFIX) + 5 + (
            12 if isinstance(field, models.EmailField) else 0
        ):
            continue
        yield field


def _json_fields(model):
    return [f for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]


class Canaries:
    """The canaries written in a collectivité's rows: canary -> where it was written (`app.Model.field#pk`)."""

    def __init__(self):
        self.origin: dict[str, str] = {}

    def new(self, origin: str) -> str:
        value = f"{PREFIX}{len(self.origin):05d}"
        self.origin[value] = origin
        return value

    def found_in(self, text: str) -> dict[str, str]:
        return {value.lower(): self.origin.get(value.lower(), "?") for value in CANARY_RE.findall(text)}

    def fill(self, collectivite, other) -> None:
        """Write a canary in every text of every row of `collectivite` (and of its own people), then in every
        string of their JSON fields (snapshots, published content) that repeated one of the replaced texts."""
        replaced: set[str] = set()
        for model in project_models():
            fields = list(_text_fields(model))
            if not fields:
                continue
            for row in rows_of(model, collectivite, other).values("pk", *[f.name for f in fields]):
                changes = {}
                for field in fields:
                    old = row[field.name]
                    if old is None and not field.null:
                        continue
                    value = self.new(f"{model._meta.label}.{field.name}#{row['pk']}")
                    if isinstance(field, models.EmailField):
                        value = f"{value}@voisine.example.org"
                    changes[field.name] = value
                    if isinstance(old, str) and len(old) >= 4:
                        replaced.add(old)
                model._base_manager.filter(pk=row["pk"]).update(**changes)
        for model in project_models():
            fields = _json_fields(model)
            if not fields:
                continue
            for row in rows_of(model, collectivite, other).values("pk", *[f.name for f in fields]):
                changes = {}
                for field in fields:
                    label = f"{model._meta.label}.{field.name}#{row['pk']}"
                    new = self._replace(row[field.name], replaced, label)
                    if new != row[field.name]:
                        changes[field.name] = new
                if changes:
                    model._base_manager.filter(pk=row["pk"]).update(**changes)

    def _replace(self, value, replaced, label):
        if isinstance(value, str):
            return self.new(label) if value in replaced else value
        if isinstance(value, list):
            return [self._replace(item, replaced, label) for item in value]
        if isinstance(value, dict):
            return {key: self._replace(item, replaced, f"{label}[{key}]") for key, item in value.items()}
        return value


# Fingerprints and links -------------------------------------------------------------------------------------


def fingerprint(collectivite, other) -> dict[str, str]:
    """model label -> a hash of every row of `collectivite` (all columns): any change shows."""
    prints = {}
    for model in project_models():
        if scope_path(model) is None:
            continue
        rows = list(rows_of(model, collectivite, other).order_by("pk").values_list())
        prints[model._meta.label] = f"{len(rows)}:" + hashlib.sha256(repr(rows).encode()).hexdigest()[:16]
    return prints


def changed(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before.keys() | after.keys() if before.get(label) != after.get(label))


@functools.cache
def _links() -> tuple[tuple[type[models.Model], str, type[models.Model]], ...]:
    found = []
    for model in project_models():
        if scope_path(model) is None:
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is not None and scope_path(field.related_model):
                found.append((model, field.name, field.related_model))
    return tuple(found)


def cross_links(collectivite, other) -> list[str]:
    """Rows of `collectivite` pointing at a row of `other` (a use case of ours with their service, tool, owner...)."""
    found = []
    for model, name, target in _links():
        theirs = rows_of(target, other, collectivite).values("pk")
        if rows_of(model, collectivite, other).filter(**{f"{name}__in": theirs}).exists():
            found.append(f"{model._meta.label}.{name} -> {target._meta.label}")
    return found


# Text of an answer ------------------------------------------------------------------------------------------


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def text_of(response) -> str:
    """Everything a reader of the answer gets: headers (file names) and the body, decoded per its format."""
    content = body_of(response)
    kind = response.get("Content-Type", "")
    headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    return headers + "\n" + decode(content, kind)


@functools.lru_cache(maxsize=64)
def decode(content: bytes, kind: str = "") -> str:
    """Cached: the same document is read by every role."""
    if content.startswith(b"%PDF"):
        return pdf_text(content)
    if content.startswith(b"PK"):
        return zip_text(content)
    if "json" in kind:
        try:
            return json.dumps(json.loads(content), ensure_ascii=False)
        except ValueError:
            pass
    return content.decode("utf-8", errors="replace")


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    parts = []
    try:
        reader = PdfReader(io.BytesIO(content))
        parts = [page.extract_text() or "" for page in reader.pages]
        parts.append(repr(reader.metadata or {}))
    except (PdfReadError, ValueError):
        pass  # not a readable PDF (a stored evidence file): its raw bytes below are all there is
    # Raw bytes too: attachments, metadata streams and uncompressed text.
    parts.append(content.decode("latin-1"))
    return "\n".join(parts)


def zip_text(content: bytes) -> str:
    """An XLSX (or any zip): the XML of every member, shared strings and sheets included."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "\n".join(archive.read(name).decode("utf-8", errors="replace") for name in archive.namelist())
