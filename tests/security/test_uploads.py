"""Uploads are validated by content and size, not by name: evidence files (audits.services.validate_evidence),
the collectivité's logo in the admin (registry.validators.validate_logo). The import files have their own tests
(tests/exchange: size, rows, format by content)."""

from __future__ import annotations

import io
import random

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from PIL import Image

from audits.services import validate_evidence
from core.errors import ApplicationError
from registry.models import Collectivite

PE_HEADER = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
ELF_HEADER = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64


def upload(name, content):
    return SimpleUploadedFile(name, content)


def image_bytes(fmt="PNG", size=(120, 60)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "#1d4e89").save(buffer, format=fmt)
    return buffer.getvalue()


# --- Evidence -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content",
    [
        ("preuve.pdf", PE_HEADER),  # a Windows executable renamed .pdf
        ("photo.png", ELF_HEADER),  # a Linux executable renamed .png
        ("notes.txt", PE_HEADER),  # an executable renamed .txt: binary in a text file
        ("tableau.xlsx", b"%PDF-1.7 a pdf named as a spreadsheet"),
        ("outil.exe", PE_HEADER),
        ("script.sh", b"#!/bin/sh\nrm -rf /\n"),
        ("page.html", b"<script>alert(1)</script>"),
        ("dessin.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
        ("preuve", b"%PDF-1.7"),  # no extension
        ("preuve.PDF.exe", b"%PDF-1.7"),
    ],
)
def test_evidence_with_a_wrong_content_or_type_is_refused(name, content):
    with pytest.raises(ApplicationError) as error:
        validate_evidence(upload(name, content))

    assert list(error.value.errors) == ["evidence"]


@pytest.mark.parametrize(
    "name, content",
    [
        ("preuve.pdf", b"%PDF-1.7\n..."),
        ("PREUVE.PDF", b"%PDF-1.4\n..."),
        ("photo.png", b"\x89PNG\r\n\x1a\n...."),
        ("photo.jpg", b"\xff\xd8\xff\xe0...."),
        ("compte-rendu.odt", b"PK\x03\x04...."),
        ("notes.txt", "Revue faite le 3 mars, rien à signaler.".encode()),
        ("export.csv", b"a;b\n1;2\n"),
    ],
)
def test_evidence_of_an_accepted_type_passes(name, content):
    validate_evidence(upload(name, content))


def test_empty_evidence_is_refused():
    for name in ("preuve.pdf", "notes.txt"):
        with pytest.raises(ApplicationError) as error:
            validate_evidence(upload(name, b""))
        assert list(error.value.errors) == ["evidence"]


def test_evidence_over_the_size_limit_is_refused_and_at_the_limit_passes(settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    at_limit = b"%PDF-" + b"x" * (1024 - 5)

    validate_evidence(upload("preuve.pdf", at_limit))
    with pytest.raises(ApplicationError) as error:
        validate_evidence(upload("preuve.pdf", at_limit + b"x"))

    assert list(error.value.errors) == ["evidence"]


def test_evidence_validation_leaves_the_file_readable_from_the_start():
    file = upload("preuve.pdf", b"%PDF-1.7 content")

    validate_evidence(file)

    assert file.read() == b"%PDF-1.7 content"


# --- Logo (admin) ---------------------------------------------------------------------------------------------


@pytest.fixture
def logo_field(db, users):
    request = RequestFactory().get("/admin/")
    request.user = users["admin"]
    model_admin = admin.site._registry[Collectivite]
    return model_admin.get_form(request)().fields["logo"]


def codes(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list}


@pytest.mark.parametrize("fmt, name", [("PNG", "logo.png"), ("JPEG", "logo.jpg"), ("WEBP", "logo.webp")])
def test_a_real_png_jpeg_or_webp_logo_is_accepted(logo_field, fmt, name):
    assert logo_field.clean(upload(name, image_bytes(fmt)))


def test_an_svg_logo_is_refused(logo_field):
    svg = b"<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'><script>alert(1)</script></svg>"

    with pytest.raises(ValidationError):
        logo_field.clean(upload("logo.svg", svg))
    # and by the validator itself, whatever Django's own check says
    from core.validators import validate_logo

    with pytest.raises(ValidationError) as error:
        validate_logo(upload("logo.svg", image_bytes()))
    assert codes(error.value) == {"logo_svg"}


@pytest.mark.parametrize(
    "name, content",
    [("logo.png", PE_HEADER), ("logo.png", b""), ("logo.jpg", b"\xff\xd8\xff\xe0 truncated"), ("logo.png", b"GIF8")],
)
def test_a_logo_that_is_not_a_readable_image_is_refused(logo_field, name, content):
    with pytest.raises(ValidationError):
        logo_field.clean(upload(name, content))


def test_a_gif_or_bmp_logo_is_refused_by_format(logo_field):
    with pytest.raises(ValidationError) as error:
        logo_field.clean(upload("logo.gif", image_bytes("GIF")))

    assert "logo_format" in codes(error.value)


def test_a_logo_over_the_size_limit_is_refused(logo_field, settings):
    settings.LOGO_MAX_BYTES = 1024
    noise = Image.frombytes("RGB", (200, 200), random.Random(8).randbytes(200 * 200 * 3))  # incompressible
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG")
    content = buffer.getvalue()
    assert len(content) > 1024

    with pytest.raises(ValidationError) as error:
        logo_field.clean(upload("logo.png", content))

    assert "logo_size" in codes(error.value)


def test_a_logo_over_the_dimension_limit_is_refused(logo_field, settings):
    settings.LOGO_MAX_SIDE = 500

    logo_field.clean(upload("logo.png", image_bytes("PNG", (500, 100))))
    with pytest.raises(ValidationError) as error:
        logo_field.clean(upload("logo.png", image_bytes("PNG", (501, 100))))

    assert "logo_dimensions" in codes(error.value)


# --- Request bodies -------------------------------------------------------------------------------------------


def test_request_body_limits_are_set(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    assert 1000 <= settings.DATA_UPLOAD_MAX_NUMBER_FIELDS <= 5000
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024


@pytest.mark.django_db
def test_a_form_with_too_many_fields_is_refused_without_a_500(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    response = client.post("/connexion/", {f"field{n}": "x" for n in range(60)})

    assert response.status_code == 400
