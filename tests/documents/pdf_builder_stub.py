"""A document builder for the tests of the generation pipeline (request, task, retries, atomic replacement,
permissions, downloads), independent of what each real builder puts in its document.

`use_stub_builders` points every kind of document at this module and the media files at a temporary directory.
The PDF is a real one, rendered by `audits.pdf.render_pdf` from the shared layout (a cover page): its title names
the document's kind and subject, and a counter makes every generation's file different.
"""

from __future__ import annotations

import itertools

from documents.pdf import PdfSpec

# What the tests may change: freeze the documents generated (a published charter), count the builds.
state = {"freeze": False, "builds": 0}
_generation = itertools.count(1)

TITLE = "Test document"


def build(document) -> PdfSpec:
    state["builds"] += 1
    return PdfSpec(
        template="documents/base.html",
        title=f"{TITLE} {document.kind}",
        subtitle=f"{document.subject_key} generation {next(_generation)}",
        freeze=state["freeze"],
    )


def use_stub_builders(monkeypatch, settings, tmp_path) -> None:
    from documents import services as documents

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(documents, "BUILDERS", dict.fromkeys(documents.BUILDERS, __name__))
    monkeypatch.setitem(state, "freeze", False)
    monkeypatch.setitem(state, "builds", 0)
