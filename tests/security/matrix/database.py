"""What the database holds, as one digest per table, read in one query: a write refused must leave every digest as
it was, a write done must change one. The tables that record who asked (the security journal, sessions, tokens,
sign-in attempts) change on a refused request by design and are left out."""

from __future__ import annotations

import functools

from django.apps import apps
from django.db import connection

DOMAIN_APPS = (
    "auth",
    "guardian",
    "registry",
    "declarations",
    "charter",
    "audits",
    "documents",
    "transparency",
    "exchange",
    "mutualisation",
    "sso",
)


@functools.cache
def _query() -> tuple[tuple[str, ...], str]:
    quote = connection.ops.quote_name
    tables, parts = [], []
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.proxy or not model._meta.managed:
                continue
            table = model._meta.db_table
            if table in tables:
                continue
            columns = [quote(field.column) for field in model._meta.concrete_fields]
            if connection.vendor == "postgresql":
                row = "concat_ws('|', " + ", ".join(f"{c}::text" for c in columns) + ")"
                parts.append(f"(SELECT md5(coalesce(string_agg({row}, ';' ORDER BY {row}), '')) FROM {quote(table)})")
            else:
                row = " || '|' || ".join(f"quote({c})" for c in columns)
                parts.append(f"(SELECT group_concat(r, ';') FROM (SELECT {row} AS r FROM {quote(table)} ORDER BY r))")
            tables.append(table)
    return tuple(tables), "SELECT " + ", ".join(parts)


def snapshot() -> dict[str, str]:
    tables, sql = _query()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def changed(before: dict, after: dict) -> list[str]:
    return sorted(table for table in before if before[table] != after[table])
