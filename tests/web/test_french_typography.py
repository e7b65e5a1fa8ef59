"""French typography and wording, as a reader sees them: a narrow no-break space (U+202F) keeps « : ; ! ? » with
their word and sits inside « » on the pages, in the PDFs and in the e-mails (one pass per medium,
`config.typography`); one apostrophe (the straight '); a collectivité's name with its article; the admin in French."""

import re
from html import unescape

import polib
import pytest
from django.conf import settings
from django.contrib import admin
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from core.roles import Role
from core.typography import french_after_a, french_after_de, french_with_article, typeset_html, typeset_text
from registry import services as svc
from tests.registry.factories import MembershipFactory, UseCaseFactory, UserFactory

NNBSP = "\u202f"


# The one function -------------------------------------------------------------------------------------------
def test_typesetting_puts_the_space_in_the_text_only():
    page = (
        '<p title="Statut : brouillon">Statut: brouillon ; vraiment?! «non»</p>'
        "<script>var a = {b: 1}; if (a) {}</script><pre>x: y</pre><code>c: d</code><textarea>e: f</textarea>"
        '<a href="https://example.org/?page=2">voir https://example.org/?page=2 à 10:30, format 16:9</a>'
        "<!-- g: h --><p>Tom &amp; Jerry ; l&#x27;accueil ; l’usage</p>"
    )

    typeset = typeset_html(page, language="fr")

    assert (
        f'<p title="Statut : brouillon">Statut{NNBSP}: brouillon{NNBSP}; vraiment{NNBSP}?! «{NNBSP}non{NNBSP}»</p>'
        in typeset
    )
    # Code, preformatted text, what a person types, comments, URLs, times and ratios are left as they are
    assert "<script>var a = {b: 1}; if (a) {}</script><pre>x: y</pre><code>c: d</code><textarea>e: f</textarea>" in (
        typeset
    )
    assert "voir https://example.org/?page=2 à 10:30, format 16:9</a><!-- g: h -->" in typeset
    # An HTML entity is not a semicolon; one apostrophe
    assert f"<p>Tom &amp; Jerry{NNBSP}; l&#x27;accueil{NNBSP}; l'usage</p>" in typeset
    assert typeset_html(typeset, language="fr") == typeset, "typesetting twice changes nothing"
    assert typeset_html(page, language="en") == page, "an English page is left as it is"


def test_plain_text_is_typeset_too():
    assert typeset_text("Lien : https://example.org/a?b=1 — à 10:30 ; d’accord!", language="fr") == (
        f"Lien{NNBSP}: https://example.org/a?b=1 — à 10:30{NNBSP}; d'accord{NNBSP}!"
    )


@pytest.mark.parametrize(
    ("name", "subject", "of", "to"),
    [
        ("Ville de Montreuil", "la Ville de Montreuil", "de la Ville de Montreuil", "à la Ville de Montreuil"),
        ("Département du Nord", "le Département du Nord", "du Département du Nord", "au Département du Nord"),
        ("Eurométropole de Strasbourg", "l'Eurométropole de Strasbourg", "de l'Eurométropole de Strasbourg", None),
        (
            "Communauté de communes du Val",
            "la Communauté de communes du Val",
            "de la Communauté de communes du Val",
            None,
        ),
        ("Métropole de Lyon", "la Métropole de Lyon", "de la Métropole de Lyon", None),
        ("Montreuil", "Montreuil", "de Montreuil", "à Montreuil"),
        ("Orléans", "Orléans", "d'Orléans", None),
        ("Le Havre", "Le Havre", "du Havre", "au Havre"),
        ("Les Ulis", "Les Ulis", "des Ulis", "aux Ulis"),
        ("Le Chat Pro", "Le Chat Pro", "du Chat Pro", None),
    ],
)
def test_a_name_takes_its_article_in_a_french_sentence(name, subject, of, to):
    assert french_with_article(name) == subject
    assert french_after_de(name) == of
    if to:
        assert french_after_a(name) == to


# Pages ------------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_french_page_keeps_the_colon_with_its_word(client_for, collectivite, services, users):
    use_case = UseCaseFactory(
        collectivite=collectivite, service=services["ccas"], owner=users["agent"], name="Accueil : tri des courriers"
    )
    client = client_for(users["dpo"])

    french = client.get(reverse("registry:use_case_detail", args=[use_case.pk])).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("registry:use_case_detail", args=[use_case.pk])).content.decode()

    assert f"Accueil{NNBSP}: tri des courriers" in french
    assert "Accueil : tri des courriers" in english


@pytest.mark.django_db
def test_the_pages_write_one_apostrophe(client):
    html = unescape(client.get(reverse("login")).content.decode())

    assert "’" not in html, "Django's own French strings are written with the app's apostrophe"
    assert "Nom d'utilisateur" in html


def test_the_catalogue_writes_one_apostrophe_and_french_quotes():
    catalogue = polib.pofile(str(settings.BASE_DIR / "locale/fr/LC_MESSAGES/django.po"))
    translations = [text for entry in catalogue for text in [entry.msgstr, *entry.msgstr_plural.values()] if text]

    assert [text for text in translations if "’" in text] == []
    # Straight double quotes only in code: JSON examples, HTML attributes
    assert [text for text in translations if '"' in text and '["' not in text and '="' not in text] == []


@pytest.mark.django_db
def test_the_public_register_names_the_collectivite_with_its_article(client, collectivite):
    response = client.get(reverse("public:register", kwargs={"slug": collectivite.slug}))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Algorithmes utilisés par la Ville de Bellerive</h1>" in html
    assert "La Ville de Bellerive n'a encore publié aucun algorithme." in html


# PDFs -------------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_pdf_keeps_the_colon_with_its_word(monkeypatch, collectivite, services, users):
    import weasyprint

    from documents.models import Document
    from documents.pdf import render_pdf
    from reporting.reports import use_case as report

    given = []
    real_html = weasyprint.HTML

    def spy(*args, string, **kwargs):
        given.append(string)
        return real_html(*args, string=string, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", spy)
    use_case = UseCaseFactory(
        collectivite=collectivite, service=services["ccas"], owner=users["agent"], name="Accueil : tri des courriers"
    )
    document = Document(
        collectivite=collectivite, kind=Document.Kind.USE_CASE_REPORT, use_case=use_case, subject_key="x"
    )

    with translation.override("fr"):
        spec = report.build(document)
    render_pdf(spec, collectivite=collectivite, generated_at=timezone.now())

    text = re.sub(r"<[^>]*>", "", given[0])  # what the PDF shows (attributes are metadata)
    assert f"Accueil{NNBSP}: tri des courriers" in text
    assert "Accueil : tri des courriers" not in text


# E-mails ----------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_an_e_mail_keeps_the_colon_with_its_word(collectivite, services, users, django_capture_on_commit_callbacks):
    owner = UserFactory(username="porteuse")
    MembershipFactory(user=owner, collectivite=collectivite, role=Role.AGENT, service=services["ccas"])
    use_case = UseCaseFactory(
        collectivite=collectivite, service=services["ccas"], owner=owner, name="Accueil : tri des courriers"
    )

    with django_capture_on_commit_callbacks(execute=True):
        svc.use_case_submit(use_case=use_case, acting_user=owner, comment="Relire vite ; merci !")

    message = mail.outbox[-1]
    assert f"«{NNBSP}Accueil{NNBSP}: tri des courriers{NNBSP}»" in message.body
    assert f"Relire vite{NNBSP}; merci{NNBSP}!" in message.body
    assert " :" not in message.subject + message.body


# The admin --------------------------------------------------------------------------------------------------
@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.mark.django_db
def test_the_admin_says_whose_it_is_in_french(client_for, superuser):
    html = client_for(superuser).get(reverse("admin:index")).content.decode()

    assert "<title>Administration du site | Administration de Registre IA</title>" in html
    assert ">Administration de Registre IA</a>" in html


@pytest.mark.django_db
def test_every_admin_list_and_add_page_opens_in_french(client_for, superuser, collectivite, users):
    client = client_for(superuser)
    pages = []
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        pages.append(reverse("admin:{}_{}_changelist".format(*info)))
        pages.append(reverse("admin:{}_{}_add".format(*info)))

    for url in pages:
        response = client.get(url)
        # An add page is refused (403) where the admin only shows what the services write
        assert response.status_code in (200, 403), url
        if response.status_code == 200:
            html = response.content.decode()
            assert "Administration de Registre IA" in html, url
            assert '<html lang="fr"' in html, url


# Wording ----------------------------------------------------------------------------------------------------
def test_no_prohibited_practice_reads_aucune_in_french():
    from registry.presenters import input_value_label

    with translation.override("fr"):
        assert input_value_label("art5_practices", []) == "Aucune"  # « Pratiques interdites : aucune »
        assert input_value_label("cnil_list_types", []) == "Aucun"  # « Types de la liste de la CNIL : aucun »


def test_a_submitted_use_case_is_said_submitted_to_the_dpo_and_the_rssi():
    with translation.override("fr"):
        message = translation.gettext("Use case %(reference)s submitted for review to the DPO and the RSSI.")

    assert message == "Usage %(reference)s soumis à l'examen du DPO et du RSSI."
