"""Writing the register as a file: CSV streamed row by row, XLSX in openpyxl's write-only mode.

Both hold exactly the columns of `columns.COLUMNS`, one use case a line, with a fixed number of queries whatever
the size of the register.
"""

from __future__ import annotations

import csv
import io
import re

from django.utils import timezone
from django.utils.text import slugify

from registry import qualification
from registry.choices import UseCaseStatus
from registry.models import Service, UseCase

from .columns import COLUMNS, export_value
from .services import service_paths

CHUNK_SIZE = 2000
CSV_DELIMITER = ";"  # the French Excel default
CSV_ROWS_PER_WRITE = 200
UTF8_BOM = "\ufeff"  # so that Excel reads the file as UTF-8
# Characters an XLSX file cannot hold (XML 1.0 forbids the C0 controls but tab, line feed and return).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def header() -> list[str]:
    return [column.code for column in COLUMNS]


def file_name(collectivite, extension: str) -> str:
    return f"registre-ia-{slugify(collectivite.slug)}-{timezone.localdate().isoformat()}.{extension}"


def _paths(collectivite) -> dict[int, str]:
    return service_paths(Service.objects.filter(collectivite=collectivite))


def _use_cases(queryset):
    return queryset.select_related("owner", "tool").order_by("pk").iterator(chunk_size=CHUNK_SIZE)


def rows(queryset, collectivite, *, typed: bool = False):
    """Each use case of `queryset` as a list of cells (strings; with `typed`, ints and dates where they are)."""
    paths = _paths(collectivite)
    for use_case in _use_cases(queryset):
        yield [export_value(column, use_case, paths, typed=typed) for column in COLUMNS]


class _Echo:
    """A file-like object whose `write` returns what it is given: csv.writer then formats one row at a time."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(queryset, collectivite):
    """The CSV file in pieces, for a StreamingHttpResponse: UTF-8 with a BOM, `;` separated."""
    writer = csv.writer(_Echo(), delimiter=CSV_DELIMITER)
    yield (UTF8_BOM + writer.writerow(header())).encode("utf-8")
    buffer = []
    for row in rows(queryset, collectivite):
        buffer.append(writer.writerow(row))
        if len(buffer) >= CSV_ROWS_PER_WRITE:
            yield "".join(buffer).encode("utf-8")
            buffer = []
    if buffer:
        yield "".join(buffer).encode("utf-8")


def csv_bytes(queryset, collectivite) -> bytes:
    return b"".join(csv_chunks(queryset, collectivite))


def xlsx_bytes(queryset, collectivite, *, sheet_title: str = "Registre") -> bytes:
    """The XLSX workbook: a bold, frozen header row of the column codes, one use case a row.

    Written with XlsxWriter in constant-memory mode (twice as fast as openpyxl's write-only mode, which the
    import still uses to read). Text stays text: no string becomes a formula, a link or a number."""
    import xlsxwriter

    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        output,
        {
            "constant_memory": True,
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "default_date_format": "yyyy-mm-dd",
        },
    )
    sheet = workbook.add_worksheet(sheet_title[:31])
    sheet.freeze_panes(1, 0)
    for index, column in enumerate(COLUMNS):
        sheet.set_column(index, index, column.width)
    sheet.write_row(0, 0, header(), workbook.add_format({"bold": True}))
    for number, row in enumerate(rows(queryset, collectivite, typed=True), start=1):
        # Control characters XLSX cannot hold are dropped.
        sheet.write_row(number, 0, [_ILLEGAL_XML.sub("", value) if isinstance(value, str) else value for value in row])
    workbook.close()
    return output.getvalue()


# The example line's answers to the questionnaire (DOMAIN.md 3b): a writing assistant for agents.
TEMPLATE_FACTS = qualification.WRITING_ASSISTANT


def template_bytes(collectivite, acting_user) -> bytes:
    """The CSV template: the header and one example line (a draft in the collectivité's first service), answered
    through the questionnaire's facts, with the legal inputs they derive."""
    service = Service.objects.filter(collectivite=collectivite).order_by("path").first()
    example = UseCase(
        collectivite=collectivite,
        name="Assistant de rédaction des courriers",
        summary="Un assistant propose aux agents un premier jet de réponse aux courriers simples ; "
        "l'agent relit, corrige et signe.",
        purpose="Répondre plus vite aux courriers simples des habitants.",
        service=service,
        owner=acting_user,
        status=UseCaseStatus.DRAFT,
        **TEMPLATE_FACTS,
    )
    example.apply_qualification()
    paths = service_paths(Service.objects.filter(collectivite=collectivite))
    editable = {column.code for column in COLUMNS if column.editable} | {"status"}
    cells = [export_value(column, example, paths) if column.code in editable else "" for column in COLUMNS]
    writer = csv.writer(_Echo(), delimiter=CSV_DELIMITER)
    return (UTF8_BOM + writer.writerow(header()) + writer.writerow(cells)).encode("utf-8")
