"""The review of a use case in a real browser, end to end: the owner submits it, the DPO and the RSSI give their
opinions (the RSSI asks for the ethics committee), the DPO plans a session and puts the case on its agenda, a
member with a conflict of interest can only declare it, another member gives an opinion, the chair records
"favourable with conditions"; the use case is approved with conditions, which became checkpoints without an
owner, and the owner names one.

Screenshots go to `test-artifacts/review_*.png` for a human to look at.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone

from audits.models import Checkpoint
from registry.choices import ReviewStatus, UseCaseStatus
from registry.models import AgendaItem, CommitteeSession, Vote
from tests.web.helpers import fr

pytestmark = pytest.mark.browser

RSSI_CONDITION = "Comptes professionnels uniquement, réutilisation des données par l'éditeur désactivée."
COMMITTEE_CONDITIONS = [
    "Former les agents instructeurs avant la mise en service.",
    "Informer les usagers que les courriers sont préparés avec une IA.",
]


@pytest.fixture(autouse=True)
def national_catalogue(transactional_db):
    """The national checkpoint types come from a data migration, which the flush after an earlier browser
    test (transactional) erased: put them back, as the migration does."""
    import importlib

    from django.apps import apps

    importlib.import_module("audits.migrations.0002_national_catalogue").create(apps, None)


def switch_to(page, login, username):
    page.context.clear_cookies()
    login(username)


def test_a_use_case_goes_through_the_opinions_and_the_ethics_committee(
    page, login, screenshot, collectivite, users, committee, use_case
):
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations of data-confirm forms
    case_url = f"/registre/{use_case.pk}/"

    # the owner submits the draft from its page
    login("porteur")
    page.goto(case_url)
    page.locator(f"form[action='{case_url}soumettre/'] button[type=submit]").click()
    page.wait_for_url(re.compile(rf"{case_url}(#.*)?$"))
    assert page.locator(".registre-messages .alert-success").is_visible()
    use_case.refresh_from_db()
    assert use_case.status == UseCaseStatus.SUBMITTED
    review = use_case.reviews.get()
    assert not review.ethics_required  # the committee comes because the RSSI asks for it
    screenshot("review_01_submitted")

    # the DPO gives a favourable opinion
    switch_to(page, login, "dpo")
    page.goto(f"{case_url}avis/dpo/")
    page.locator("#opinion-form input[name=verdict][value=favourable]").check()
    page.locator("#opinion-form [name=comment]").fill("Base légale : mission de service public.")
    screenshot("review_02_dpo_opinion")
    page.locator("#opinion-form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"{case_url}(#.*)?$"))
    assert page.locator(".registre-messages .alert-success").is_visible()

    # the RSSI sets a condition and asks for the ethics committee
    switch_to(page, login, "rssi")
    page.goto(f"{case_url}avis/rssi/")
    page.locator("#opinion-form input[name=verdict][value=favourable_with_conditions]").check()
    page.locator("#opinion-form [name=conditions]").fill(RSSI_CONDITION)
    page.locator("#opinion-form [name=ask_committee]").check()
    screenshot("review_03_rssi_opinion")
    page.locator("#opinion-form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"{case_url}(#.*)?$"))
    review.refresh_from_db()
    assert review.status == ReviewStatus.COMMITTEE

    # the DPO finds the case waiting for the committee, plans a session and puts the case on its agenda
    switch_to(page, login, "dpo")
    page.locator(".registre-nav a[href='/comite/']").click()
    page.wait_for_url(re.compile(r"/comite/$"))
    assert page.locator(f"#awaiting tr[data-reference='{use_case.reference}']").is_visible()
    screenshot("review_04_committee_page")
    page.locator("a[href='/comite/seances/nouvelle/']").click()
    page.wait_for_url(re.compile(r"/comite/seances/nouvelle/$"))
    # the session starts within the hour: its date has come when the committee gives its opinion
    held_on = timezone.localtime() - dt.timedelta(hours=1)
    page.locator("#id_held_on").fill(held_on.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_place").fill("Salle du conseil municipal")
    page.locator("main form[method=post] button[type=submit]").click()
    session = CommitteeSession.objects.get()
    page.wait_for_url(re.compile(rf"/comite/seances/{session.pk}/"))
    page.locator("#agenda-review").select_option(str(review.pk))
    page.locator("#agenda-add button[type=submit]").click()
    item = AgendaItem.objects.get(session=session, review=review)
    page.wait_for_url(re.compile(rf"/comite/seances/{session.pk}/#item-{item.pk}$"))
    assert page.locator(f"#item-{item.pk}[data-item='{use_case.reference}']").is_visible()
    assert RSSI_CONDITION in page.locator(f"#item-{item.pk} [data-conditions='reviewers']").inner_text()
    screenshot("review_05_agenda")

    # the session opens: the DPO records the attendance, every member present
    for box in page.locator("#session-open [name=present]").all():
        box.check()
    page.locator("#session-open button[type=submit]").click()
    page.wait_for_load_state()
    session.refresh_from_db()
    assert session.status == "open" and session.attendance.filter(present=True).count() == 3

    # the CCAS member owns no vote on a CCAS case: the page says why and offers only the declaration
    switch_to(page, login, "membre_ccas")
    page.locator(".registre-nav a[href='/comite/']").click()
    page.locator(f"[data-session='{session.pk}'] a").click()
    page.wait_for_url(re.compile(rf"/comite/seances/{session.pk}/$"))
    card = page.locator(f"#item-{item.pk}")
    assert card.locator("[data-conflict-detected]").is_visible()
    assert card.locator(f"#item-{item.pk}-vote").count() == 0
    screenshot("review_06_conflict_of_interest")
    card.locator(f"#item-{item.pk}-conflict [name=comment]").fill("Je travaille au CCAS.")
    card.locator(f"#item-{item.pk}-conflict button[type=submit]").click()
    page.wait_for_url(re.compile(rf"#item-{item.pk}$"))
    assert page.locator(f"#item-{item.pk} [data-my-vote]").is_visible()

    # the member can read the use case itself, thanks to the agenda
    page.locator(f"#item-{item.pk}-title a").click()
    page.wait_for_url(re.compile(rf"{case_url}$"))

    # the external member gives their opinion, forgetting the comment of an unfavourable one first
    switch_to(page, login, "externe")
    page.goto(f"/comite/seances/{session.pk}/")
    card = page.locator(f"#item-{item.pk}")
    assert card.locator("[data-conflict-detected]").count() == 0
    card.locator(f"#item{item.pk}-vote-choice_2").check()  # unfavourable
    card.locator(f"#item-{item.pk}-vote button[type=submit]").click()
    page.wait_for_load_state()
    assert fr("Explain an unfavourable opinion.") in page.locator(f"#item{item.pk}-vote-comment_error").inner_text()
    assert page.locator(f"#item{item.pk}-vote-choice_2").is_checked()
    screenshot("review_07a_vote_error")
    page.locator(f"#item{item.pk}-vote-choice_1").check()  # favourable with conditions
    page.locator(f"#item{item.pk}-vote-comment").fill("Favorable si les agents sont formés.")
    page.locator(f"#item-{item.pk}-vote button[type=submit]").click()
    page.wait_for_url(re.compile(rf"#item-{item.pk}$"))
    assert Vote.objects.filter(item=item).count() == 2
    screenshot("review_07b_voted")

    # the chair reads the members' opinions and records the committee's: favourable with conditions
    switch_to(page, login, "comite")
    page.goto(f"/comite/seances/{session.pk}/")
    card = page.locator(f"#item-{item.pk}")
    assert card.locator("[data-vote='membre_ccas'] [data-conflict]").is_visible()
    assert card.locator("[data-vote='externe']").is_visible()
    form = card.locator(f"#item-{item.pk}-opinion")
    form.locator(f"#item{item.pk}-opinion-opinion_1").check()
    form.locator(f"#item{item.pk}-opinion-conditions").fill("\n".join(COMMITTEE_CONDITIONS))
    screenshot("review_08_chair_form")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"#item-{item.pk}$"))
    assert page.locator(f"#item-{item.pk} [data-committee-opinion='favourable_with_conditions']").is_visible()
    screenshot("review_09_committee_opinion")

    # the case is approved with conditions; every condition became a checkpoint waiting for an owner
    use_case.refresh_from_db()
    assert use_case.status == UseCaseStatus.APPROVED_WITH_CONDITIONS
    conditions = list(Checkpoint.objects.filter(use_case=use_case, origin=Checkpoint.Origin.CONDITION))
    assert sorted(c.condition.text for c in conditions) == sorted([RSSI_CONDITION, *COMMITTEE_CONDITIONS])
    assert all(c.owner_id is None for c in conditions)

    # the owner sees it on the use case's page and names an owner for one of them
    switch_to(page, login, "porteur")
    page.goto(case_url)
    assert page.locator(".badge-status-approved_with_conditions").first.is_visible()
    # (what keeps it from production, the owners to name among them, is said once, in the box above the documents)
    assert page.locator("[data-production-blockers]").is_visible()
    first = next(c for c in conditions if c.condition.text == COMMITTEE_CONDITIONS[0])
    card = page.locator(f"#checkpoint-{first.pk}")
    assert COMMITTEE_CONDITIONS[0] in card.inner_text()
    assert fr("No owner") in card.locator("[data-owner]").inner_text()
    screenshot("review_10_approved_with_conditions")
    card.locator(f"a[href='/controles/{first.pk}/modifier/']").click()
    page.wait_for_url(re.compile(rf"/controles/{first.pk}/modifier/"))
    page.locator("#id_owner").select_option(str(users["agent"].pk))
    page.locator("main form[method=post] button[type=submit]").last.click()
    page.wait_for_url(re.compile(rf"{case_url}#checkpoint-{first.pk}$"))
    assert users["agent"].get_full_name() in page.locator(f"#checkpoint-{first.pk} [data-owner]").inner_text()
    screenshot("review_11_owner_named")
    first.refresh_from_db()
    assert first.owner == users["agent"]
