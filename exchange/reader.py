"""Reading an uploaded register file (CSV or XLSX) into a header and rows, refusing what cannot be read safely.

Every refusal is a `FileRejected` with a code (tested) and a message for people; nothing here touches the
database. The format is decided by the content (an XLSX file is a zip), not by the file's name alone.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from .columns import (
    BY_CODE,
    DERIVED_CODES,
    FACT_CODES,
    REQUIRED_CODES,
    header_aliases,
    looks_like_formula,
    normalise,
)

ZIP_MAGIC = b"PK\x03\x04"
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_ROWS = 5000
MAX_COLUMNS = 200
# A zip bomb: entries that inflate far beyond the upload limit, or far beyond their own compressed size.
MAX_UNCOMPRESSED_FACTOR = 20
MAX_COMPRESSION_RATIO = 200
MAX_ZIP_ENTRIES = 500
CSV_DELIMITERS = (";", ",", "\t")
ACCEPTED_ENCODINGS = "UTF-8, Windows-1252"
# Executables, PDF, images, old binary Office files: never a table.
BINARY_MAGICS = (b"MZ", b"\x7fELF", b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\xd0\xcf\x11\xe0")


def max_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


class FileRejected(Exception):
    """The file cannot be imported at all; `code` names the case, `message` says it to people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Table:
    format: str  # "csv" or "xlsx"
    header: list[str]
    # (line number as a spreadsheet shows it, the cells); the header is line 1.
    rows: list[tuple[int, list]]
    # (line, column index, message): formulas, refused with their position.
    cell_errors: list[tuple[int, int, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""


def _human_size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} Mo" if size >= 1024 * 1024 else f"{max(1, size // 1024)} ko"


def check_size(size: int) -> None:
    limit = max_bytes()
    if size > limit:
        raise FileRejected(
            "too_big",
            _("The file is too big (%(size)s): the limit is %(limit)s. Split it in several files.")
            % {"size": _human_size(size), "limit": _human_size(limit)},
        )


def read_table(data: bytes, file_name: str = "") -> Table:
    """The file's table, or FileRejected. Checks the size first, then the kind of content."""
    check_size(len(data))
    if not data.strip():
        raise FileRejected("empty", _("The file is empty."))
    name = (file_name or "").lower()
    if data.startswith(ZIP_MAGIC):
        table = _read_xlsx(data)
    elif name.endswith((".xlsx", ".xlsm", ".xls")):
        raise FileRejected(
            "not_xlsx",
            _(
                "This file is named like a spreadsheet but is not an XLSX file (an XLSX file is a zip archive). "
                "Save it from your spreadsheet as “Excel workbook (.xlsx)” or as CSV."
            ),
        )
    else:
        table = _read_csv(data)
    _check_table(table)
    return table


# CSV --------------------------------------------------------------------------------------------------------
def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRejected(
            "encoding",
            _("The file's encoding (UTF-16) is not recognised. Save it as CSV in one of: %(encodings)s.")
            % {"encodings": ACCEPTED_ENCODINGS},
        )
    if data.startswith(BINARY_MAGICS) or b"\x00" in data:
        raise _binary()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        encodings = ("utf-8",)
    else:
        encodings = ("utf-8", "cp1252")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(ord(char) < 32 and char not in "\t\r\n" for char in text):
            raise _binary()
        return text, encoding
    raise FileRejected(
        "encoding",
        _("The file's encoding is not recognised. Save it as CSV in one of: %(encodings)s.")
        % {"encodings": ACCEPTED_ENCODINGS},
    )


def _binary() -> FileRejected:
    return FileRejected(
        "binary",
        _("This file is neither a CSV text file nor an XLSX workbook. Export the register as CSV or XLSX."),
    )


def _sniff_delimiter(text: str) -> str:
    """The separator of the header line: `;` (French Excel), `,` or a tab, whichever it holds most."""
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    counts = {delimiter: first_line.count(delimiter) for delimiter in CSV_DELIMITERS}
    best = max(CSV_DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ";"


def _read_csv(data: bytes) -> Table:
    text, encoding = _decode(data)
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    rows: list[tuple[int, list]] = []
    limit = max_rows()
    record = 0
    try:
        for cells in reader:
            record += 1
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = cells
                continue
            if len(cells) != len(header):
                extra = cells[len(header) :]
                if len(cells) < len(header) or any(cell.strip() for cell in extra):
                    raise FileRejected(
                        "ragged",
                        _(
                            "Line %(line)s has %(cells)s cells but the header has %(columns)s: check the separators "
                            "and the quotes on that line."
                        )
                        % {"line": record, "cells": len(cells), "columns": len(header)},
                    )
                cells = cells[: len(header)]
            rows.append((record, cells))
            if len(rows) > limit:
                raise _too_many_rows(limit)
    except csv.Error as error:
        raise FileRejected(
            "malformed",
            _("The CSV file is malformed near line %(line)s (%(detail)s): check its quotes.")
            % {"line": reader.line_num, "detail": error},
        ) from error
    table = Table(format="csv", header=header or [], rows=rows, encoding=encoding, delimiter=delimiter)
    for line, cells in rows:
        for index, cell in enumerate(cells):
            if looks_like_formula(cell):
                table.cell_errors.append((line, index, _formula_message()))
    return table


def _too_many_rows(limit: int) -> FileRejected:
    return FileRejected(
        "too_many_rows",
        _("The file has more than %(limit)s lines: split it in several files.") % {"limit": limit},
    )


def _formula_message() -> str:
    return _(
        "This cell holds a formula: formulas are refused. Type its value, or start the cell with an apostrophe (') "
        "to keep it as text."
    )


# XLSX -------------------------------------------------------------------------------------------------------
def _check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise FileRejected("not_xlsx", _("This XLSX file is damaged: it cannot be opened.")) from error
    with archive:
        entries = archive.infolist()
        total = sum(entry.file_size for entry in entries)
        suspicious = any(
            entry.file_size > 1024 * 1024 and entry.file_size > MAX_COMPRESSION_RATIO * max(1, entry.compress_size)
            for entry in entries
        )
        if len(entries) > MAX_ZIP_ENTRIES or total > MAX_UNCOMPRESSED_FACTOR * max_bytes() or suspicious:
            raise FileRejected(
                "zip_bomb",
                _("This XLSX file would take far too much space once opened: it is refused."),
            )
        names = {entry.filename for entry in entries}
        if "xl/workbook.xml" not in names:
            raise FileRejected(
                "not_xlsx", _("This zip archive is not an XLSX workbook. Save the register as .xlsx or as CSV.")
            )


def _read_xlsx(data: bytes) -> Table:
    _check_zip(data)
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds (KeyError, XML errors, InvalidFileException)
        raise FileRejected("not_xlsx", _("This XLSX file is damaged: it cannot be opened.")) from error
    try:
        return _read_sheet(workbook)
    except FileRejected:
        raise
    except Exception as error:  # a damaged sheet fails while it is being read
        raise FileRejected("not_xlsx", _("This XLSX file is damaged: it cannot be opened.")) from error
    finally:
        workbook.close()


def _read_sheet(workbook) -> Table:
    sheets = workbook.worksheets
    if not sheets:
        raise FileRejected("empty", _("The file is empty."))
    sheet = sheets[0]
    warnings = []
    if len(sheets) > 1:
        warnings.append(
            _("The workbook has %(count)s sheets: only the first one, “%(name)s”, was read.")
            % {"count": len(sheets), "name": sheet.title}
        )
    header: list[str] | None = None
    header_line = 0
    rows: list[tuple[int, list]] = []
    formulas: list[tuple[int, int, str]] = []
    limit = max_rows()
    for line, cells in enumerate(sheet.iter_rows(), start=1):
        if len(cells) > MAX_COLUMNS and any(cell.value not in (None, "") for cell in cells[MAX_COLUMNS:]):
            raise FileRejected(
                "too_many_columns",
                _("The sheet has more than %(limit)s columns: is it the register?") % {"limit": MAX_COLUMNS},
            )
        values = []
        for index, cell in enumerate(cells[:MAX_COLUMNS]):
            if cell.data_type == "f":
                formulas.append((line, index, _formula_message()))
                values.append("")
                continue
            value = cell.value
            if isinstance(value, str) and looks_like_formula(value):
                formulas.append((line, index, _formula_message()))
            values.append("" if value is None else value)
        if not any(value not in ("", None) and str(value).strip() for value in values):
            continue
        if header is None:
            header = [str(value).strip() if value is not None else "" for value in values]
            while header and not header[-1]:
                header.pop()
            header_line = line
            continue
        values = values[: len(header)] + [""] * (len(header) - len(values))
        rows.append((line, values))
        if len(rows) > limit:
            raise _too_many_rows(limit)
    if header is None:
        raise FileRejected("empty", _("The file is empty."))
    # Formulas of the header line are the header's problem (reported as unknown or missing columns).
    kept = [item for item in formulas if item[0] != header_line and item[1] < len(header)]
    return Table(format="xlsx", header=header, rows=rows, cell_errors=kept, warnings=warnings)


# Both -------------------------------------------------------------------------------------------------------
def _check_table(table: Table) -> None:
    if not table.header:
        raise FileRejected("empty", _("The file is empty."))
    if not table.rows:
        raise FileRejected(
            "no_rows", _("The file has a header line but no use case under it: there is nothing to import.")
        )


def map_header(header: list[str]) -> tuple[dict[int, str], list[str]]:
    """Column index → column code, and warnings for the columns ignored; FileRejected when the header is not
    the register's (no known column, a column twice, a required column missing)."""
    aliases = header_aliases()
    mapping: dict[int, str] = {}
    unknown: list[str] = []
    seen: dict[str, str] = {}
    for index, title in enumerate(header):
        title = str(title).strip()
        if not title:
            continue
        code = aliases.get(normalise(title))
        if code is None:
            unknown.append(title)
            continue
        if code in seen:
            raise FileRejected(
                "duplicate_header",
                _("The columns “%(first)s” and “%(second)s” are the same column (%(code)s): keep only one.")
                % {"first": seen[code], "second": title, "code": code},
            )
        seen[code] = title
        mapping[index] = code
    if not mapping:
        raise FileRejected(
            "no_header",
            _(
                "The first line is not a header the register knows: it must hold the column names of the export, "
                "e.g. %(example)s. Download the template file to start from."
            )
            % {"example": ", ".join(REQUIRED_CODES)},
        )
    # A file giving the facts of the questionnaire may leave out the legal inputs they derive (DOMAIN.md 3b).
    facts_given = bool(FACT_CODES & set(seen))
    missing = [code for code in REQUIRED_CODES if code not in seen and not (facts_given and code in DERIVED_CODES)]
    if missing:
        raise FileRejected(
            "missing_columns",
            _("Required columns are missing: %(columns)s.")
            % {"columns": ", ".join(f"{code} ({BY_CODE[code].label})" for code in missing)},
        )
    warnings = []
    if unknown:
        warnings.append(
            _("These columns are not the register's and were ignored: %(columns)s.")
            % {"columns": ", ".join(f"“{title}”" for title in unknown)}
        )
    return mapping, warnings
