"""A person asks for the explanation of a decision from a public register entry and gets the acknowledgment; the DPO
opens the queue, completes 3° (the parameters applied to the person's case), signs and sends; the follow-up page
shows the answer, with its letter. axe-core checks every page visited.

Screenshots go to `test-artifacts/explanation_*.png`, and the letter's first page to `explanation_letter-1.png`.
"""

import shutil
import subprocess

import pytest

from explanations.models import ExplanationRequest, Letterhead
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import ARTIFACTS
from tests.explanations.factories import published_decision_use_case

pytestmark = pytest.mark.browser


def test_a_person_asks_the_dpo_answers_the_person_reads_the_answer(page, page_for, screenshot, use_case, users):
    entry = published_decision_use_case(use_case, users["dpo"])
    Letterhead.objects.create(
        collectivite=entry.collectivite,
        postal_address="Hôtel de ville\n1 place de la République\n99000 Bellerive",
        place="Bellerive",
    )

    # A person on the register entry asks for an explanation
    page.goto(f"/algorithmes/{entry.collectivite.slug}/{entry.reference}/")
    page.get_by_role("link", name="Demander l'explication d'une décision me concernant").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Vos prénom et nom").fill("Camille Martin")
    page.get_by_label("Votre adresse électronique").fill("camille.martin@example.org")
    page.get_by_label("Date de la décision").fill("2026-11-02")
    page.get_by_label("3° les paramètres et leur pondération, appliqués à ma situation").check()
    page.get_by_label("Votre question, avec vos mots").fill("Pourquoi mon aide a-t-elle été refusée ?")
    page.get_by_label("J'ai lu comment mes données personnelles sont utilisées et conservées").check()
    screenshot("explanation_form")
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_load_state()

    # The acknowledgment, with the follow-up link
    request = ExplanationRequest.objects.get()
    assert request.use_case == entry
    assert request.reference in page.locator("[data-reference]").inner_text()
    assert_accessible(page)
    screenshot("explanation_acknowledgment")
    follow_up = page.locator("a[data-follow-up]").get_attribute("href")

    # The DPO opens the queue, then the request, completes 3° and sends
    dpo = page_for(users["dpo"])
    dpo.goto("/explications/")
    assert dpo.locator(f"tr[data-reference='{request.reference}']").count() == 1
    assert_accessible(dpo)
    screenshot_dpo = ARTIFACTS / "explanation_queue.png"
    dpo.screenshot(path=str(screenshot_dpo), full_page=True)
    dpo.get_by_role("link", name=request.reference).click()
    dpo.wait_for_load_state()
    assert_accessible(dpo)
    dpo.locator("textarea[name='answer_parameters']").fill(
        "Quotient familial de votre foyer : 740 € (poids 40 %) ; personnes à charge : 2 (poids 25 %)."
    )
    dpo.locator("textarea[name='answer_main_elements']").fill("Refus : ressources au-dessus du plafond.")
    dpo.get_by_role("button", name="Enregistrer le brouillon").click()
    dpo.wait_for_load_state()
    dpo.get_by_role("button", name="Signer et envoyer la réponse").click()
    dpo.wait_for_load_state()
    request.refresh_from_db()
    assert request.status == "sent" and request.letter
    assert dpo.locator("[data-status='sent']").count() == 1
    assert_accessible(dpo)
    dpo.screenshot(path=str(ARTIFACTS / "explanation_detail_sent.png"), full_page=True)

    # The person's follow-up page shows the answer and its letter
    page.goto(follow_up)
    assert page.locator("[data-status='sent']").count() == 1
    assert page.get_by_role("link", name=f"Télécharger la lettre (PDF, {request.reference})").count() == 1
    assert_accessible(page)
    screenshot("explanation_follow_up")

    # The letter, rendered for a human to look at
    pdf = ARTIFACTS / "explanation_letter.pdf"
    pdf.write_bytes(request.letter.read())
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(ARTIFACTS / "explanation_letter")], check=True)
