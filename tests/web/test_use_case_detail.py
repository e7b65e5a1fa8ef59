"""A use case's page: out of scope is a 404, the fields, the classification with its articles, the history."""

import datetime
import re
from html import unescape

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from registry import presenters, rules, services
from registry import services as services_module
from registry.choices import AiActRisk, UseCaseStatus
from registry.models import ApplicationDate, UseCase, UseCaseEvent
from tests.registry.factories import UseCaseFactory

from .helpers import ALL_HERE, ROLES, VISIBLE, fr


def detail_url(use_case) -> str:
    return reverse("registry:use_case_detail", args=[use_case.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_a_use_case_page_opens_in_scope_and_is_a_404_out_of_scope(role, register, user_for, client_for):
    client = client_for(user_for(role))

    for name in ALL_HERE | {"neighbour"}:
        response = client.get(detail_url(register[name]))
        expected = 200 if name in VISIBLE[role] else 404
        assert response.status_code == expected, (role, name)


@pytest.mark.django_db
def test_the_404_page_is_french_and_keeps_the_layout(register, users, client_for):
    response = client_for(users["agent"]).get(detail_url(register["ccas_draft"]))

    html = unescape(response.content.decode())
    assert response.status_code == 404
    assert fr("Page not found") in html
    assert "Ville de Bellerive" in html
    assert register["ccas_draft"].name not in html


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(register, client):
    url = detail_url(register["ccas_draft"])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_every_field_is_shown_with_its_label_in_groups(register, users, client_for):
    use_case = register["ccas_draft"]

    response = client_for(users["dpo"]).get(detail_url(use_case))

    html = unescape(response.content.decode())
    for section in ("Identity", "Purpose", "Technique and audience", "Decisions", "Data", "Hosting and oversight"):
        assert fr(section) in html
    assert use_case.reference in html
    assert use_case.name in html
    assert use_case.summary in html
    assert use_case.purpose in html
    assert 'data-field="tool">Albert<' in html
    assert f'data-field="technique">{fr("Generative AI: text")}<' in html
    assert f'data-field="hosting_zone">{fr("France")}<' in html


@pytest.mark.django_db
def test_the_classification_is_explained_with_its_articles(collectivite, services, users, client_for):
    # given a use case deciding RSA eligibility (Annex III point 5a), fully automated, with health data
    use_case = UseCaseFactory(
        collectivite=collectivite,
        service=services["ccas"],
        owner=users["agent"],
        annex_iii_point="5a",
        automation_level="fully_automated",
        individual_decisions=True,
        personal_data_categories=["health"],
        audience="public",
        technique="ml_predictive",
    )

    response = client_for(users["dpo"]).get(detail_url(use_case))

    # then the risk and sensitivity badges read as text, the block is an alert, each reason shows its article
    html = unescape(response.content.decode())
    assert use_case.ai_act_risk == "high" and use_case.blocked
    assert (
        'class="badge badge-risk-high"><span class="visually-hidden">'
        f"{fr('AI Act risk')}\u202f: </span>{fr('High risk')}" in html
    )
    assert fr("Special categories (Art. 9 / 10)") in html
    alert = re.search(r'<div class="alert alert-danger" role="alert">(.*?)</div>', html, re.S).group(1)
    assert fr("RGPD, art. 22(4) and Loi Informatique et Libertés, art. 47") in alert
    for reason in use_case.reasons:
        block = re.search(rf'data-reason="{reason.code}">(.*?)</li>', html, re.S).group(1)
        assert reason.basis in block
        assert str(reason.explanation)[:40] in block
    assert fr("AI Act, art. 6(2) and Annex III") in html
    assert fr("AI Act, art. 27") in html


@pytest.mark.django_db
def test_required_checkpoints_are_listed_with_their_basis(collectivite, services, users, client_for):
    use_case = UseCaseFactory(
        collectivite=collectivite,
        service=services["ccas"],
        owner=users["agent"],
        automation_level="assist",
        individual_decisions=True,
        personal_data_categories=["ordinary"],
    )

    html = unescape(client_for(users["dpo"]).get(detail_url(use_case)).content.decode())

    assert use_case.required_checkpoints
    for item in use_case.checkpoint_items:
        line = re.search(rf'data-checkpoint="{item["code"]}">(.*?)</li>', html, re.S).group(1)
        assert fr(str(item["label"])) in line
        assert item["basis"] in line
    assert 'data-checkpoint="crpa_mention"' in html


@pytest.mark.django_db
def test_history_shows_who_changed_what_before_and_after(register, users, client_for):
    # given the DPO renamed a use case and changed its hosting through the service
    use_case = register["ccas_draft"]
    old_name = use_case.name
    services.use_case_update(
        use_case=use_case,
        acting_user=users["dpo"],
        data={"name": "Courriers du CCAS", "hosting_zone": "eu"},
        expected_version=use_case.version,
    )

    # when the head of service reads the page
    html = unescape(client_for(users["chef"]).get(detail_url(use_case)).content.decode())

    # then the history names the DPO and each field with its value before and after
    history = html[html.index('id="section-history"') :]
    entry = history[: history.index("</article>")]
    assert str(users["dpo"]) in entry
    name_row = re.search(r'<tr data-field="name">(.*?)</tr>', entry, re.S).group(1)
    assert f"<del>{old_name}</del>" in name_row and "<ins>Courriers du CCAS</ins>" in name_row
    zone_row = re.search(r'<tr data-field="hosting_zone">(.*?)</tr>', entry, re.S).group(1)
    assert f"<del>{fr('France')}</del>" in zone_row and f"<ins>{fr('European Union')}</ins>" in zone_row
    # and the trail of events records the update
    events = html[html.index('id="section-events"') : html.index('id="section-history"')]
    assert fr("Updated") in events


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "edit", "submit"),
    [
        ("agent", False, False),
        ("chef", True, True),
        ("dpo", True, True),
        ("rssi", True, True),
        ("dgs", False, False),
        ("admin", True, True),
    ],
)
def test_action_buttons_follow_the_permissions(role, edit, submit, register, users, client_for):
    # the agent sees the draft only as its owner; use the agent's own draft for them
    use_case = register["agent_own_draft"] if role == "agent" else register["ccas_draft"]
    expected_edit = edit or role == "agent"
    expected_submit = submit or role == "agent"

    html = unescape(client_for(users[role]).get(detail_url(use_case)).content.decode())

    assert (reverse("registry:use_case_edit", args=[use_case.pk]) in html) is expected_edit
    assert (reverse("registry:use_case_submit", args=[use_case.pk]) in html) is expected_submit
    assert reverse("registry:use_case_withdraw", args=[use_case.pk]) not in html


@pytest.mark.django_db
def test_read_only_roles_get_no_action_button(register, users, client_for):
    # the committee member sees a submitted use case for its ethics review, but may not change it
    use_case = register["ethics_submitted"]

    html = unescape(client_for(users["comite"]).get(detail_url(use_case)).content.decode())

    assert reverse("registry:use_case_edit", args=[use_case.pk]) not in html
    assert reverse("registry:use_case_withdraw", args=[use_case.pk]) not in html


@pytest.mark.django_db
def test_a_submitted_use_case_offers_withdraw_not_submit(register, users, client_for):
    use_case = register["ethics_submitted"]

    html = unescape(client_for(users["dpo"]).get(detail_url(use_case)).content.decode())

    assert reverse("registry:use_case_withdraw", args=[use_case.pk]) in html
    assert reverse("registry:use_case_submit", args=[use_case.pk]) not in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert f'name="version" value="{use_case.version}"' in html


@pytest.mark.django_db
def test_the_detail_page_costs_a_bounded_number_of_queries(register, users, client_for, django_assert_max_num_queries):
    use_case = register["ccas_draft"]
    for index in range(5):
        use_case = services.use_case_update(
            use_case=use_case,
            acting_user=users["dpo"],
            data={"name": f"Nom {index}"},
            expected_version=use_case.version,
        )
    client = client_for(users["chef"])
    with django_assert_max_num_queries(20):
        assert client.get(detail_url(use_case)).status_code == 200


@pytest.mark.django_db
def test_a_retired_use_case_is_read_only_even_for_the_dpo(register, users, client_for):
    use_case = register["com_in_production"]
    use_case.status = UseCaseStatus.RETIRED
    use_case.save()

    html = unescape(client_for(users["dpo"]).get(detail_url(use_case)).content.decode())

    assert reverse("registry:use_case_edit", args=[use_case.pk]) not in html


@pytest.mark.django_db
def test_history_of_a_submission_reads_as_french_dates_and_labels(register, users, client_for):
    use_case = register["ccas_draft"]
    services.use_case_submit(use_case=use_case, acting_user=users["chef"])

    html = unescape(client_for(users["dpo"]).get(detail_url(use_case)).content.decode())

    status_row = re.search(r'<tr data-field="status">(.*?)</tr>', html, re.S).group(1)
    assert f"<del>{fr('Draft')}</del>" in status_row and f"<ins>{fr('Submitted')}</ins>" in status_row
    submitted_row = re.search(r'<tr data-field="submitted_at">(.*?)</tr>', html, re.S).group(1)
    assert re.search(r"<ins>\d{1,2} \w+ \d{4} \d{2}:\d{2}</ins>", submitted_row), submitted_row


# Rule set 2026.12: what the classification says of itself, and a reclassification in the trail ----------------


@pytest.mark.django_db
def test_rules_written_by_people_read_as_not_an_ai_system_with_the_rule_set_that_decided(
    collectivite, services, users, client_for
):
    use_case = UseCaseFactory(
        collectivite=collectivite,
        service=services["ccas"],
        owner=users["agent"],
        technique="rules",
        automation_level="assist",
        individual_decisions=True,
        personal_data_categories=["ordinary"],
        audience="public",
    )

    html = unescape(client_for(users["dpo"]).get(detail_url(use_case)).content.decode())

    assert use_case.ai_act_risk == AiActRisk.OUT_OF_SCOPE and not use_case.ai_system
    assert 'class="badge badge-risk-out_of_scope">' in html
    assert fr(AiActRisk.OUT_OF_SCOPE.label) in html
    assert 'data-ai-system="false">' + fr("No: rules written by people") in html
    assert f'data-ruleset="{rules.RULESET_VERSION}"' in html
    assert fr("Classified by the rule set %(version)s.") % {"version": rules.RULESET_VERSION} in html
    # the CRPA's duties stay: a decision founded on rules must say so (L311-3-1)
    crpa = re.search(r'data-obligation="crpa_mention_required">(.*?)</li>', html, re.S).group(1)
    assert fr("Required") in crpa and fr("Not required") not in crpa


@pytest.mark.django_db
def test_a_high_risk_use_case_says_from_when_its_ai_act_obligations_apply(collectivite, services, users, client_for):
    with time_machine.travel(datetime.date(2026, 12, 7)):
        use_case = UseCaseFactory(
            collectivite=collectivite,
            service=services["ccas"],
            owner=users["agent"],
            technique="ml_predictive",
            annex_iii_point="5a",
            automation_level="determining",
            individual_decisions=True,
            personal_data_categories=["ordinary", "financial"],
            audience="public",
        )

        html = unescape(client_for(users["dpo"]).get(detail_url(use_case)).content.decode())

    applies = ApplicationDate.objects.get(key=rules.HIGH_RISK_ANNEX_III).applies_from
    assert applies > datetime.date(2026, 12, 7)  # the Digital Omnibus deferred the Annex III regime
    with translation.override("fr"):
        date = date_format(applies, "DATE_FORMAT")
    assert 'data-ai-system="true"' in html
    assert fr("Obligations applicable from %(date)s") % {"date": date} in html
    fria = re.search(r'data-obligation="fria_required">(.*?)</li>', html, re.S).group(1)
    assert fr("Required") in fria and fr("applicable from %(date)s") % {"date": date} in fria


def _reclassified_out_of_the_ai_act(collectivite, services, users):
    """A high-risk use case whose technique now reads "rules written by people": the register's reclassification
    (here by a new rule set) records each verdict that changed."""
    use_case = UseCaseFactory(
        collectivite=collectivite,
        service=services["ccas"],
        owner=users["agent"],
        technique="ml_predictive",
        annex_iii_point="5a",
        automation_level="assist",
        individual_decisions=True,
        personal_data_categories=["ordinary"],
        audience="public",
    )
    assert use_case.ai_act_risk == AiActRisk.HIGH
    UseCase.objects.filter(pk=use_case.pk).update(technique="rules", classification_ruleset="2025.09")
    use_case = UseCase.objects.select_related("collectivite", "tool").get(pk=use_case.pk)
    assert services_module.use_case_reclassify(use_case=use_case, cause="ruleset")
    return use_case


@pytest.mark.django_db
def test_a_reclassification_reads_in_the_trail_as_old_to_new_labels_with_its_cause(
    collectivite, services, users, client_for
):
    use_case = _reclassified_out_of_the_ai_act(collectivite, services, users)

    html = unescape(client_for(users["dpo"]).get(detail_url(use_case)).content.decode())

    row = re.search(r'<tr data-event="reclassified">(.*?)</tr>', html, re.S).group(1)
    assert fr("Reclassified") in row
    cause = fr("The classification rules changed (rule set %(ruleset)s).") % {"ruleset": rules.RULESET_VERSION}
    assert cause in row
    risk = fr("%(label)s: %(old)s → %(new)s") % {
        "label": fr("AI Act risk"),
        "old": fr("High risk"),
        "new": fr(AiActRisk.OUT_OF_SCOPE.label),
    }
    assert f'data-change="ai_act_risk">{risk}</li>' in row
    ai_system = fr("%(label)s: %(old)s → %(new)s") % {"label": fr("AI system"), "old": fr("Yes"), "new": fr("No")}
    assert f'data-change="ai_system">{ai_system}</li>' in row
    checkpoints = re.search(r'data-change="required_checkpoints">(.*?)</li>', row, re.S).group(1)
    assert fr("Logs kept at least 6 months") in checkpoints
    assert fr("Rule set %(old)s → %(new)s") % {"old": "2025.09", "new": rules.RULESET_VERSION} in row
    assert "ml_predictive" not in row and "out_of_scope" not in row.replace('data-change="', "")


@pytest.mark.django_db
def test_a_reclassification_reads_in_the_reader_s_language(collectivite, services, users, client_for):
    use_case = _reclassified_out_of_the_ai_act(collectivite, services, users)
    client = client_for(users["dpo"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = unescape(client.get(detail_url(use_case)).content.decode())

    row = re.search(r'<tr data-event="reclassified">(.*?)</tr>', html, re.S).group(1)
    assert "AI Act risk: High risk → Not an AI system (AI Act not applicable)" in row
    assert f"The classification rules changed (rule set {rules.RULESET_VERSION})." in row


@pytest.mark.django_db
def test_only_a_reclassification_is_rendered_as_verdicts(use_case):
    created = use_case.events.create(kind=UseCaseEvent.Kind.CREATED, comment="Créé")
    unknown_cause = use_case.events.create(
        kind=UseCaseEvent.Kind.RECLASSIFIED,
        comment="Motif d'origine",
        details={"cause": "something_new", "changes": [{"field": "blocked", "old": False, "new": True}]},
    )

    assert presenters.reclassification(created) is None
    with translation.override("fr"):
        rendered = presenters.reclassification(unknown_cause)
        blocked_label = str(UseCase._meta.get_field("blocked").verbose_name).capitalize()
        expected = fr("%(label)s: %(old)s → %(new)s") % {"label": blocked_label, "old": fr("No"), "new": fr("Yes")}
    assert rendered["cause"] == "Motif d'origine"  # a cause this version does not know: the text stored
    assert [change["text"] for change in rendered["changes"]] == [expected]
