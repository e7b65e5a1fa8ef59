"""`manage.py seed_demo`: an idempotent demo collectivité where every role has something to see."""

import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from audits import selectors as audits_selectors
from audits.models import Attestation, Checkpoint, CheckpointType, Incident
from audits.schedule import is_due_soon, is_overdue
from charter import selectors as charter_selectors
from charter.models import CharterAcknowledgement, CharterEdition, CharterSection
from core.access import get_access
from core.errors import TransitionError
from core.roles import Role
from declarations import selectors as declaration_selectors
from declarations import services as declaration_services
from declarations.models import Declaration, DeclarationEvent, DeclarationUserObjectPermission
from demo import checkpoints as audits_demo
from demo import publications as transparency_demo
from demo import register as demo
from registry import permissions, qualification, rules, selectors, services
from registry.choices import (
    AiActRisk,
    CommitteeOpinion,
    DeclarationStatus,
    MemberVote,
    ReviewDecision,
    ReviewKind,
    ReviewStatus,
    RgpdSensitivity,
    SessionStatus,
    ToolStatus,
    UseCaseStatus,
)
from registry.models import (
    AgendaItem,
    Collectivite,
    CommitteeMember,
    CommitteeSession,
    Membership,
    Review,
    Service,
    Tool,
    UseCase,
    UseCaseEvent,
    User,
    Vote,
)
from registry.models.use_cases import CLASSIFICATION_INPUT_FIELDS
from reporting import my_tasks
from transparency import selectors as transparency_selectors
from transparency.fields import RECORD_KEYS, Lifecycle
from transparency.models import Publication, PublicationEvent, PublicationState

pytestmark = pytest.mark.django_db


EXPECTED_ROLES = {
    "agent": Role.AGENT,
    "chef": Role.HEAD_OF_SERVICE,
    "dpo": Role.DPO,
    "rssi": Role.RSSI,
    "comite": Role.ETHICS_COMMITTEE,
    "dgs": Role.DGS,
    "admin": Role.ADMIN,
}


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (
            Collectivite,
            CommitteeMember,
            CommitteeSession,
            AgendaItem,
            Vote,
            Review,
            Service,
            User,
            Membership,
            Tool,
            UseCase,
            UseCaseEvent,
            UseCase.history.model,
            Declaration,
            DeclarationEvent,
            DeclarationUserObjectPermission,
            CheckpointType,
            Checkpoint,
            Attestation,
            Incident,
            CharterEdition,
            CharterSection,
            CharterAcknowledgement,
            Publication,
            PublicationEvent,
        )
    }


@pytest.fixture(autouse=True)
def _evidence_in_a_temporary_media_root(settings, tmp_path):
    """The demo's evidence PDF is stored like an upload: in a throw-away MEDIA_ROOT here."""
    settings.MEDIA_ROOT = tmp_path / "media"


PASSWORD = "mot-de-passe-demo"


@pytest.fixture
def seeded():
    """The demo loaded for this test alone (most tests share one: see `TestTheLoadedDemo`)."""
    seed(password=PASSWORD)
    return Collectivite.objects.get(slug=demo.COLLECTIVITE["slug"])


def visible_to(username: str, collectivite) -> list[UseCase]:
    user = User.objects.get(username=username)
    return list(selectors.use_case_list(user, get_access(user, collectivite)))


def test_it_refuses_to_run_without_password_outside_development(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--password"):
        seed()

    assert not Collectivite.objects.exists()


def test_in_development_the_demo_password_is_demo_and_the_logins_are_printed(settings):
    settings.DEBUG = True
    settings.SITE_URL = "http://registre.example.org"

    output = seed()

    assert User.objects.get(username="dpo").check_password("demo")
    assert "http://registre.example.org" in output
    for username in EXPECTED_ROLES:
        assert username in output


def test_outside_development_a_weak_password_is_refused(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError):
        seed(password="demo")

    assert not User.objects.filter(username="admin").exists()


def test_seeding_sends_no_email(django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        seed(password="mot-de-passe-demo")
    assert callbacks  # the services queued their notifications...
    assert mail.outbox == []  # ...which find the demo's past e-mails counted as sent
    assert not DeclarationEvent.objects.filter(notified_at__isnull=True).exists()
    assert UseCaseEvent.objects.filter(kind=UseCaseEvent.Kind.DECIDED).exists()
    assert not UseCaseEvent.objects.filter(notified_at__isnull=True).exists()
    assert Incident.objects.exists() and not Incident.objects.filter(notified_at__isnull=True).exists()
    # The published charter's PDF was generated when the load committed, and is final
    published = CharterEdition.objects.get(status=CharterEdition.Status.PUBLISHED)
    assert published.document.status == "ready" and published.document.frozen and published.document.pages > 1


def test_declarations_option_refuses_a_negative_number():
    with pytest.raises(CommandError, match="--declarations"):
        seed(password="mot-de-passe-demo", declarations=-1)


def _mine(username: str, collectivite) -> list[Checkpoint]:
    user = User.objects.get(username=username)
    return list(audits_selectors.my_checkpoints(user, get_access(user, collectivite)))


def test_one_attestation_carries_a_pdf_evidence_stored_like_an_upload(seeded, settings):
    with_evidence = Attestation.objects.exclude(evidence="").get()
    assert (
        with_evidence.evidence_name.endswith(".pdf") and with_evidence.evidence_name not in with_evidence.evidence.name
    )
    with with_evidence.evidence.open("rb") as stored:
        content = stored.read()
    assert str(settings.MEDIA_ROOT) in with_evidence.evidence.path
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    assert len(content) == with_evidence.evidence_size


def test_the_minimal_pdf_has_a_correct_cross_reference_table():
    from demo.loaders.checkpoints import minimal_pdf

    pdf = minimal_pdf(["Contrôle (échantillon) \\ fin"])
    startxref = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert pdf[startxref:].startswith(b"xref\n0 6\n")
    offsets = [int(line[:10]) for line in pdf[startxref:].split(b"\n")[3:8]]
    for number, offset in enumerate(offsets, start=1):
        assert pdf[offset:].startswith(b"%d 0 obj" % number)
    assert "Contrôle".encode("cp1252") in pdf and b"\\(" in pdf


def test_checkpoints_option_refuses_a_negative_number():
    with pytest.raises(CommandError, match="--checkpoints"):
        seed(password="mot-de-passe-demo", checkpoints=-1)


class TestTheLoadedDemo:
    """Tests that read the demo share one load of it, made in a transaction rolled back after the last of them
    (as Django's `setUpTestData`): each test runs in a savepoint of it, so what a test changes is undone."""

    @pytest.fixture(scope="class")
    @classmethod
    def seeded(cls, django_db_setup, django_db_blocker, tmp_path_factory):
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
            try:
                with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
                    seed(password=PASSWORD)
                collectivite = Collectivite.objects.get(slug=demo.COLLECTIVITE["slug"])
            except BaseException:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
                raise
        yield collectivite
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)

    def test_running_twice_creates_nothing_new(self, seeded):
        # Given the demo loaded once
        before = counts()

        # When it is loaded again
        seed(password="mot-de-passe-demo")

        # Then nothing was added
        assert counts() == before

    def test_the_demo_collectivite_is_a_town_of_about_30000_inhabitants(self, seeded):
        assert seeded.name == "Ville de Bellerive-sur-Loire"
        assert 25_000 <= seeded.population <= 35_000
        assert 500 <= seeded.agents_count <= 700
        assert seeded.dpo_email.endswith("example.org") and seeded.rssi_email.endswith("example.org")
        seeded.full_clean()  # the SIREN passes the Luhn check
        assert seeded.services.count() >= 12
        assert seeded.services.filter(parent__isnull=False).exists()

    def test_every_demo_username_holds_its_role(self, seeded):
        for username, role in EXPECTED_ROLES.items():
            user = User.objects.get(username=username)
            assert user.check_password("mot-de-passe-demo")
            assert user.get_full_name() and user.job_title
            assert Membership.objects.filter(user=user, collectivite=seeded, role=role).exists(), username
        admin = User.objects.get(username="admin")
        assert admin.is_staff and admin.is_superuser
        assert User.objects.get(username="agent").memberships.get().service.code == "CCAS"

    def test_the_catalogue_has_every_tool_status(self, seeded):
        statuses = set(seeded.tools.values_list("status", flat=True))
        assert statuses == {"approved", "restricted", "under_review", "prohibited"}
        assert seeded.tools.count() >= 12

    def test_use_cases_cover_every_classification_outcome_and_status(self, seeded):
        use_cases = UseCase.objects.filter(collectivite=seeded)
        assert use_cases.count() >= 20
        assert set(use_cases.values_list("ai_act_risk", flat=True)) == set(AiActRisk.values)
        assert set(use_cases.values_list("rgpd_sensitivity", flat=True)) == set(RgpdSensitivity.values)
        assert use_cases.filter(blocked=True).exists()
        for flag in ("dpia_required", "fria_required", "crpa_mention_required", "public_register_required"):
            assert use_cases.filter(**{flag: True}).exists(), flag
        assert use_cases.filter(ai_act_risk=AiActRisk.HIGH, annex_iii_point="2", fria_required=False).exists()
        assert use_cases.filter(annex_iii_point__gt="", art6_3_ground__gt="", ai_act_risk=AiActRisk.MINIMAL).exists()
        assert use_cases.get(ai_act_risk=AiActRisk.PROHIBITED).status == UseCaseStatus.REJECTED
        assert set(use_cases.values_list("status", flat=True)) == set(UseCaseStatus.values)

    # A demo that shows a wrong verdict teaches the wrong law: each kind of verdict, classified as the texts say.
    def test_no_demo_use_case_gives_contradictory_answers(self, seeded):
        for use_case in UseCase.objects.select_related("tool"):
            assert rules.incoherences(use_case.facts()) == {}, use_case.name

    # The guided qualification (DOMAIN.md 3b): each demo use case answered the plain facts, and they give the legal
    # answers the texts give it.
    def test_every_demo_use_case_answered_the_facts_that_give_its_legal_answers(self, seeded):
        specs = {spec["name"]: spec for spec in (*demo.USE_CASES, *demo.DECLARATION_USE_CASES)}
        for use_case in UseCase.objects.filter(collectivite=seeded):
            spec = specs[use_case.name]
            outcome = use_case.qualification_outcome()
            # no answer contradicts another (the engine's checks, and the questionnaire's)
            assert not [q for q in outcome.questions if q.reason == qualification.REASON_CONTRADICTORY], use_case.name
            if spec.get("facts") is None:
                # recorded before the questionnaire: the facts its legal answers imply, the others to complete
                assert use_case.facts_to_complete and outcome.missing, use_case.name
                continue
            assert not use_case.facts_to_complete and not outcome.missing, use_case.name
            # the facts alone, as a new use case answering them, give every legal answer not set by the DPO
            stored = {name: getattr(use_case, name) for name in qualification.DERIVED_INPUTS}
            given = {
                name: getattr(use_case, name)
                for name in ("personal_data_categories", "art5_practices", "art50_features", "large_scale")
            }
            derived = qualification.qualify(use_case.answers(), given).inputs
            for name, value in stored.items():
                if name not in use_case.qualification_overrides:
                    assert value == ("" if derived[name] is None else derived[name]), (use_case.name, name)
            # and the legal answers are those the demo data give (the texts' qualification, reviewed against the law)
            final = {key: value for key, value in spec.items() if key in qualification.DERIVED_INPUTS}
            for _actor, changes in spec.get("edits", ()):
                final.update({key: value for key, value in changes.items() if key in qualification.DERIVED_INPUTS})
            for name, value in final.items():
                assert getattr(use_case, name) == value, (use_case.name, name)

    def test_a_dont_know_answer_waits_for_the_dpo_in_her_tasks(self, seeded):
        dpo = User.objects.get(username="dpo")
        waiting = my_tasks.tasks_for(dpo, get_access(dpo, seeded))["qualifications"]
        unknown = [
            use_case
            for use_case in waiting
            if any(q["reason"] == qualification.REASON_UNKNOWN for q in use_case.qualification_questions)
        ]
        assert unknown, [use_case.name for use_case in waiting]
        for use_case in unknown:
            assert qualification.UNKNOWN in use_case.answers().values() and not use_case.qualification_confirmation
            # the most demanding plausible answer applies meanwhile, and no favourable opinion was given
            assert not use_case.reviews.filter(opinions__role=Role.DPO, opinions__verdict__startswith="favourable")

    def test_the_dpo_confirmed_qualifications_with_a_comment_one_of_several_annex_iii_areas(self, seeded):
        confirmed = UseCase.objects.filter(collectivite=seeded, qualification_to_confirm=False).exclude(
            qualification_confirmation={}
        )
        assert confirmed.count() >= 2
        for use_case in confirmed:
            confirmation = use_case.qualification_confirmation
            assert confirmation["comment"] and confirmation["by_name"] == "Claire Dumont", use_case.name
            event = use_case.events.get(kind=UseCaseEvent.Kind.QUALIFICATION_CONFIRMED)
            assert event.actor.username == "dpo" and event.comment == confirmation["comment"]
            # dated at its moment in the demo's past, before the DPO's opinion
            assert abs(parse_datetime(confirmation["at"]) - event.created_at) < timedelta(minutes=1)
        several = [
            use_case
            for use_case in confirmed
            if len({qualification.AREA_POINTS.get(area) for area in use_case.policy_areas} - {None}) >= 2
        ]
        assert several and all(use_case.annex_iii_point for use_case in several)

    def test_the_dpo_set_a_legal_answer_herself_with_her_justification(self, seeded):
        overridden = UseCase.objects.filter(collectivite=seeded).exclude(qualification_overrides={})
        held = [use_case for use_case in overridden if not use_case.overrides_to_review]
        assert held
        for use_case in held:
            for name, override in use_case.qualification_overrides.items():
                # her value, her justification, and what the answers give kept beside it
                assert getattr(use_case, name) == override["value"] and override["justification"]
                assert override["derived"] != override["value"] and override["by_name"] == "Claire Dumont"
                assert use_case.events.filter(kind=UseCaseEvent.Kind.QUALIFIED, comment=override["justification"])
                assert not use_case.qualification_to_confirm
        # the police's summary: the point 6 of Annex III the answers give, which no letter of it fits
        police = UseCase.objects.get(
            collectivite=seeded, service__code="PM", qualification_overrides__has_key="annex_iii_point"
        )
        assert police.qualification_overrides["annex_iii_point"]["derived"] == "6a" and police.annex_iii_point == ""

    def test_a_legal_answer_of_the_dpo_the_answers_no_longer_support_is_to_review(self, seeded):
        dpo = User.objects.get(username="dpo")
        waiting = my_tasks.tasks_for(dpo, get_access(dpo, seeded))["qualifications"]
        to_review = [use_case for use_case in waiting if use_case.overrides_to_review]
        assert to_review
        for use_case in to_review:
            outcome = use_case.qualification_outcome()
            for name in use_case.overrides_to_review:
                now = (outcome.derivation.derived.get(name) or outcome.derivation.amended.get(name)).value
                assert now != use_case.qualification_overrides[name]["derived"]

    def test_use_cases_recorded_before_the_questionnaire_are_facts_to_complete_for_their_owner(self, seeded):
        recorded = UseCase.objects.filter(collectivite=seeded, facts_to_complete=True).select_related("owner")
        assert 1 <= recorded.count() <= 2
        for use_case in recorded:
            # the facts its legal answers imply are filled, and its recorded legal answers kept
            implied = qualification.facts_implied_by(
                {name: getattr(use_case, name) for name in CLASSIFICATION_INPUT_FIELDS}
            )
            assert implied and {name: use_case.answers()[name] for name in implied} == implied
            owner = use_case.owner
            assert use_case in my_tasks.tasks_for(owner, get_access(owner, seeded))["facts"]

    def test_no_use_case_past_the_dpo_s_opinion_carries_an_unconfirmed_qualification(self, seeded):
        decided = (
            UseCaseStatus.APPROVED,
            UseCaseStatus.APPROVED_WITH_CONDITIONS,
            UseCaseStatus.IN_PRODUCTION,
            UseCaseStatus.SUSPENDED,
            UseCaseStatus.RETIRED,
        )
        assert not UseCase.objects.filter(status__in=decided, qualification_to_confirm=True).exists()
        # nor has any open round a favourable opinion of the DPO on a qualification still to confirm
        favourable = Review.objects.filter(
            status__in=(ReviewStatus.OPINIONS, ReviewStatus.COMMITTEE),
            opinions__role=Role.DPO,
            opinions__verdict__startswith="favourable",
        )
        assert not favourable.filter(use_case__qualification_to_confirm=True).exists()

    def test_scales_written_by_agents_are_not_ai_but_keep_their_crpa_duties(self, seeded):
        # AI Act art. 3(1) and recital 12: rules written solely by people are not an AI system...
        not_ai = UseCase.objects.filter(collectivite=seeded, ai_act_risk=AiActRisk.OUT_OF_SCOPE)
        assert not_ai.count() >= 3 and not not_ai.exclude(technique="rules", ai_system=False).exists()
        ai_act_checkpoints = {
            "log_retention",
            "oversight_training",
            "incident_monitoring",
            "bias_review",
            "output_review",
        }
        for use_case in not_ai:
            codes = {reason.code for reason in use_case.reasons}
            assert not use_case.fria_required and not use_case.eu_registration_required, use_case.name
            assert not ai_act_checkpoints & set(use_case.required_checkpoints), use_case.name
            # ...and the demo gives them no Annex III answer to be ignored
            assert "not_ai_answers_ignored" not in codes and not use_case.annex_iii_point, use_case.name
        # but the CRPA still applies to the individual decisions they found (L311-3-1, L312-1-3), automated or not
        fully_automated = not_ai.get(automation_level="fully_automated", status=UseCaseStatus.IN_PRODUCTION)
        assert fully_automated.crpa_mention_required and fully_automated.public_register_required
        assert "crpa_mention" in fully_automated.required_checkpoints

    def test_an_annex_i_medical_device_is_high_risk_without_aidf_nor_registration(self, seeded):
        device = UseCase.objects.get(collectivite=seeded, annex_i_product=True)
        codes = {reason.code for reason in device.reasons}
        assert device.ai_act_risk == AiActRisk.HIGH and {"annex_i_high", "annex_i_no_fria", "art26_workers"} <= codes
        assert not device.fria_required and not device.eu_registration_required  # art. 27(1), 49(3): Annex III only
        # health data of a care establishment, hosted by a certified host (CSP L1111-8), cameras watching people
        assert device.care_context and device.hosting_qualification == "hds" and not device.blocked
        assert device.systematic_monitoring and device.dpia_required
        assert {"log_retention", "incident_monitoring", "workers_informed"} <= set(device.required_checkpoints)

    def test_annex_iii_high_risk_uses_need_an_aidf_and_registration_not_yet_applicable(self, seeded):
        annex_iii = UseCase.objects.filter(
            collectivite=seeded, ai_act_risk=AiActRisk.HIGH, annex_i_product=False, fria_required=True
        ).exclude(annex_iii_point="2")
        assert annex_iii.count() >= 3 and not annex_iii.filter(eu_registration_required=False).exists()
        for use_case in annex_iii:
            # its date of application (data, AI Act art. 113 as amended) is shown while it is to come
            fria = next(reason for reason in use_case.reasons if reason.code == "fria")
            assert fria.applies_from and fria.pending == (fria.applies_from > timezone.localdate()), use_case.name

    def test_article_6_3_a_valid_derogation_and_a_claim_refused_because_the_output_is_determining(self, seeded):
        use_cases = UseCase.objects.filter(collectivite=seeded, annex_iii_point__gt="", art6_3_ground__gt="")
        exempt = use_cases.get(ai_act_risk=AiActRisk.MINIMAL)
        assert {"art6_3_exempt", "art6_4_assessment"} <= {reason.code for reason in exempt.reasons}
        assert not exempt.profiling and exempt.automation_level == "none"
        refused = use_cases.get(ai_act_risk=AiActRisk.HIGH)
        codes = {reason.code for reason in refused.reasons}
        assert "art6_3_influence" in codes and "art6_3_profiling" not in codes  # recital 53, without profiling
        assert refused.automation_level == "determining" and refused.fria_required
        # it reads scanned documents: a vision system that watches nobody
        assert refused.technique == "vision" and not refused.systematic_monitoring

    def test_limited_minimal_provider_and_blocked_uses(self, seeded):
        use_cases = UseCase.objects.filter(collectivite=seeded)
        assert any("chatbot" in u.art50_features for u in use_cases.filter(ai_act_risk=AiActRisk.LIMITED))
        assert use_cases.filter(ai_act_risk=AiActRisk.MINIMAL, status=UseCaseStatus.IN_PRODUCTION).exists()
        # a general-purpose assistant put to an Annex III use: the ville becomes its provider (art. 25(1)(c))
        provider = use_cases.get(ai_act_role="provider", ai_act_risk=AiActRisk.HIGH)
        assert "provider_conformity" in provider.required_checkpoints
        assert "eu_registration_provider" in {reason.code for reason in provider.reasons}
        # blocked for the right reasons, and never further than a draft or a rejection
        blocked = use_cases.filter(blocked=True)
        codes = {reason.code for use_case in blocked for reason in use_case.reasons}
        assert {"art5_prohibited", "block_self_learning", "block_c3_hosting"} <= codes
        assert set(blocked.values_list("status", flat=True)) <= {UseCaseStatus.DRAFT, UseCaseStatus.REJECTED}

    def test_some_use_cases_have_an_edit_history(self, seeded):
        edited = UseCase.objects.filter(collectivite=seeded, events__kind=UseCaseEvent.Kind.UPDATED).distinct()
        assert edited.count() >= 3
        history = selectors.use_case_history(edited.first())
        assert any(entry["changes"] for entry in history)

    def test_the_ccas_agent_sees_their_service_uses_and_their_own(self, seeded):
        visible = visible_to("agent", seeded)

        assert len(visible) >= 3
        assert sum(1 for uc in visible if uc.owner.username == "agent") >= 1
        live = [uc for uc in visible if uc.service.code == "CCAS" and uc.status in ("approved", "in_production")]
        live += [uc for uc in visible if uc.service.code == "CCAS" and uc.status == "approved_with_conditions"]
        assert len(live) >= 2

    def test_the_head_of_solidarities_sees_the_whole_direction(self, seeded):
        codes = {uc.service.code for uc in visible_to("chef", seeded)}
        assert {"CCAS", "LOG"} <= codes
        assert codes <= {"DSOL", "CCAS", "LOG"}

    def test_use_cases_option_adds_synthetic_use_cases(self, seeded):
        # Given the demo
        before = UseCase.objects.count()

        # When 30 synthetic use cases are asked for
        seed(password="mot-de-passe-demo", use_cases=30)

        # Then 30 more exist, classified, with unique references, each with its event and history
        added = UseCase.objects.filter(name__startswith=demo.SYNTHETIC_PREFIX)
        assert UseCase.objects.count() == before + 30
        assert added.count() == 30
        # References are numbered per collectivité (the demo has a second one, Saint-Aubin-sur-Loire)
        references = list(UseCase.objects.filter(collectivite=seeded).values_list("reference", flat=True))
        assert len(references) == len(set(references))
        assert added.filter(classification_reasons=[]).count() == 0
        assert UseCaseEvent.objects.filter(use_case__in=added).count() == 30
        assert UseCase.history.filter(id__in=added.values("id")).count() == 30
        # with the review round their status implies, and a next review date when live
        reviewed = added.exclude(status=UseCaseStatus.DRAFT)
        assert Review.objects.filter(use_case__in=added).count() == reviewed.count() > 0
        assert (
            not Review.objects.filter(use_case__in=reviewed.filter(status=UseCaseStatus.SUBMITTED))
            .exclude(status=ReviewStatus.OPINIONS)
            .exists()
        )
        assert set(
            Review.objects.filter(use_case__in=added.filter(status=UseCaseStatus.REJECTED)).values_list(
                "decision", flat=True
            )
        ) == {ReviewDecision.REJECTED}
        live = (UseCaseStatus.APPROVED, UseCaseStatus.APPROVED_WITH_CONDITIONS, UseCaseStatus.IN_PRODUCTION)
        assert not added.filter(status__in=live, next_review_on__isnull=True).exists()
        # and the service still numbers the next use case after them
        dpo = User.objects.get(username="dpo")
        template = added.first()
        created = services.use_case_create(
            collectivite=seeded,
            acting_user=dpo,
            data={
                "name": "Nouvel usage",
                "summary": "Résumé.",
                "purpose": "But.",
                "service": template.service,
                "technique": "genai_text",
                "audience": "agents",
            },
        )
        assert created.reference not in references

    def test_agents_of_many_services_declared_the_ai_tools_they_use(self, seeded):
        declarations = Declaration.objects.filter(collectivite=seeded)
        named = declarations.filter(author__isnull=False)
        assert named.count() >= 24
        assert declarations.filter(author__isnull=True).count() == 5
        assert named.values("service").distinct().count() >= 10
        assert set(declarations.values_list("status", flat=True)) == set(DeclarationStatus.values)
        assert {"low", "medium", "high", "critical"} <= set(declarations.values_list("risk_level", flat=True))
        # every one of them went through the service: assessed, with its "declared" event
        assert not declarations.filter(risk_factors=[]).exclude(risk_score=0).exists()
        submitted = DeclarationEvent.objects.filter(
            kind=DeclarationEvent.Kind.SUBMITTED, declaration__collectivite=seeded
        )
        assert submitted.count() == declarations.count()

    def test_health_data_in_a_free_chatbot_is_a_critical_possible_breach(self, seeded):
        declaration = Declaration.objects.get(author__username="sarah.klein")
        assert declaration.risk_level == "critical" and declaration.possible_breach
        assert "health" in declaration.data_entered and declaration.tool.status == ToolStatus.PROHIBITED

    def test_possible_breaches_assessed_pending_and_overdue(self, seeded):
        breaches = Declaration.objects.filter(collectivite=seeded, possible_breach=True)
        now = timezone.now()
        assert breaches.filter(breach_outcome="not_a_breach", breach_assessed_by__username="dpo").exists()
        pending = breaches.filter(breach_outcome="")
        # one still within the 72 hours of RGPD art. 33, one past them
        assert pending.filter(breach_deadline__gt=now).exists()
        assert pending.filter(breach_deadline__lt=now).exists()
        for declaration in breaches:
            assert declaration.breach_deadline - declaration.created_at == timedelta(hours=72)

    def test_a_tool_first_seen_in_declarations_entered_the_catalogue_under_review(self, seeded):
        gemini = Tool.objects.get(collectivite=seeded, name="Gemini")
        assert gemini.status == ToolStatus.UNDER_REVIEW
        assert gemini.declarations.values("author").distinct().count() >= 2
        assert gemini.name not in {spec["name"] for spec in demo.TOOLS}

    def test_the_demo_agent_has_declarations_and_one_answer(self, seeded):
        agent = User.objects.get(username="agent")
        mine = list(declaration_selectors.my_declarations(agent, get_access(agent, seeded)))
        assert len(mine) >= 2
        answered = [d for d in mine if d.answer]
        assert answered and answered[0].alternative_tool.name == "Albert"
        assert any(not d.answer for d in mine)
        assert all(agent.has_perm("declarations.view_declaration", d) for d in mine)

    def test_a_free_chatbot_is_replaced_by_albert_never_by_the_website_chatbot_with_the_charter_in_force(self, seeded):
        # The town's website chatbot is an approved general chatbot up to C2, as Albert: the agent is still pointed
        # to the assistant agents use, and to the charter published in the app
        chatgpt = Declaration.objects.filter(
            collectivite=seeded, tool__name="ChatGPT (comptes gratuits ou personnels)"
        ).first()
        advice = declaration_selectors.declaration_guidance(chatgpt)
        assert advice.alternative_name == "Albert" and advice.alternative_conditions
        agent = User.objects.get(username="agent")
        assert declaration_selectors.charter_link(get_access(agent, seeded), seeded) == "/charte/"

    def test_anonymous_declarations_keep_no_trace_of_their_author(self, seeded):
        anonymous = Declaration.objects.filter(collectivite=seeded, author__isnull=True)
        assert anonymous.count() == 5
        assert not DeclarationUserObjectPermission.objects.filter(content_object__in=anonymous).exists()
        assert not DeclarationEvent.objects.filter(
            declaration__in=anonymous, kind=DeclarationEvent.Kind.SUBMITTED, actor__isnull=False
        ).exists()
        assert not anonymous.filter(service__isnull=False).exists()

    def test_triage_actions_were_taken_by_the_dpo_and_the_rssi(self, seeded):
        declarations = Declaration.objects.filter(collectivite=seeded)
        actors = set(
            DeclarationEvent.objects.filter(declaration__collectivite=seeded)
            .exclude(kind=DeclarationEvent.Kind.SUBMITTED)
            .values_list("actor__username", flat=True)
        )
        assert actors == {"dpo", "rssi"}
        credentials = declarations.get(author__username="florian.garcia")
        assert credentials.status == DeclarationStatus.TO_STOP and "credentials_or_code" in credentials.data_entered
        regularised = declarations.filter(status=DeclarationStatus.REGULARISED)
        assert not regularised.filter(use_case__isnull=True).exists()
        chatgpt = regularised.filter(tool__name=demo.CHATGPT_FREE)
        assert chatgpt.count() >= 2
        # into an existing use case, and into one created from the declarations
        created = UseCase.objects.get(name=demo.DECLARATION_USE_CASES[0]["name"])
        assert chatgpt.filter(use_case=created).count() >= 2
        assert chatgpt.exclude(use_case=created).exists()
        assert not declarations.filter(
            status=DeclarationStatus.ALTERNATIVE_OFFERED, alternative_tool__isnull=True
        ).exists()
        assert (
            not declarations.exclude(status=DeclarationStatus.RECEIVED)
            .exclude(status=DeclarationStatus.ANALYSING)
            .filter(answer="")
            .exists()
        )

    def test_dates_follow_the_story(self, seeded):
        now = timezone.now()
        for declaration in Declaration.objects.filter(collectivite=seeded).prefetch_related("events"):
            moments = [event.created_at for event in declaration.events.all()]
            assert moments[0] == declaration.created_at < now
            assert moments == sorted(moments) and moments[-1] < now
            if declaration.answered_at:
                assert declaration.created_at < declaration.answered_at <= now
        # named declarations are numbered in order; anonymous ones take random references (nothing to tell when)
        references = list(
            Declaration.objects.filter(collectivite=seeded, author__isnull=False)
            .order_by("created_at")
            .values_list("reference", flat=True)
        )
        assert references == sorted(references)

    def test_declarations_option_adds_synthetic_declarations(self, seeded):
        # Given the demo
        before = Declaration.objects.filter(collectivite=seeded).count()
        numbered = Declaration.objects.filter(collectivite=seeded, reference__regex=r"^DEC-[0-9]{4}-[0-9]+$").count()

        # When 50 synthetic declarations are asked for
        output = seed(password="mot-de-passe-demo", declarations=50)

        # Then 50 more exist, assessed, numbered after the others, each with its event (and permission when named)
        added = Declaration.objects.filter(tasks__startswith=demo.SYNTHETIC_DECLARATION_PREFIX)
        assert Declaration.objects.filter(collectivite=seeded).count() == before + 50 == added.count() + before
        assert "50" in output
        references = list(Declaration.objects.filter(collectivite=seeded).values_list("reference", flat=True))
        assert len(references) == len(set(references))
        assert min(int(r.rsplit("-", 1)[1]) for r in added.values_list("reference", flat=True)) == numbered + 1
        assert not added.filter(risk_factors=[]).exclude(risk_score=0).exists()
        assert DeclarationEvent.objects.filter(declaration__in=added).count() == 50
        named = added.filter(author__isnull=False)
        assert DeclarationUserObjectPermission.objects.filter(content_object__in=named).count() == named.count()
        assert 0 < named.count() < 50
        assert added.values("status").distinct().count() >= 4
        assert added.values("tool").distinct().count() >= 5
        assert not added.filter(possible_breach=True, breach_deadline__isnull=True).exists()
        # and the service still numbers the next declaration after them
        declaration, created = declaration_services.declaration_submit(
            collectivite=seeded,
            acting_user=User.objects.get(username="agent"),
            data={
                "tool": Tool.objects.get(collectivite=seeded, name="Albert"),
                "category": "general_chatbot",
                "tasks": "Résumer un rapport public.",
                "frequency": "monthly",
                "device": "work_pc",
                "account": "professional",
                "data_entered": ["public"],
                "output_use": ["personal_draft"],
                "human_review": "always",
            },
            anonymous=False,
            submission_key=uuid.uuid4(),
        )
        assert created and declaration.reference not in references

    def test_a_second_run_adds_no_checkpoint_attestation_nor_incident(self, seeded):
        # Given the demo loaded once, with its checkpoints
        before = counts()
        assert before["Checkpoint"] > 50 and before["Attestation"] > 10 and before["Incident"] == 5

        # When it is loaded again
        output = seed(password="mot-de-passe-demo")

        # Then nothing was added nor reassigned, and the summary counts the checkpoints
        assert counts() == before
        # The summary line counts Bellerive's (the demo's second commune has its own)
        checkpoints = Checkpoint.objects.filter(use_case__collectivite=seeded, active=True).count()
        attestations = Attestation.objects.filter(checkpoint__use_case__collectivite=seeded).count()
        assert f"{checkpoints}" in output and f"{attestations}" in output

    @pytest.mark.parametrize("username", ["agent", "chef", "dpo"])
    def test_the_demo_users_have_checkpoints_overdue_and_due_this_week(self, seeded, username):
        today = timezone.localdate()
        live = [c for c in _mine(username, seeded) if c.use_case.status in audits_selectors.LIVE]

        assert any(is_overdue(c.next_due, today) for c in live), username
        assert any(is_due_soon(c.next_due, today) for c in live), username

    def test_owners_were_reassigned_to_the_people_who_do_the_control(self, seeded):
        summaries = UseCase.objects.get(collectivite=seeded, name=audits_demo.CCAS_SUMMARIES)
        assert summaries.rgpd_sensitivity == RgpdSensitivity.SPECIAL  # health data
        assert summaries.checkpoints.get(type__code="data_minimisation").owner.username == "dpo"
        assert summaries.checkpoints.get(type__code="output_review").frequency == "weekly"
        log_owners = set(
            Checkpoint.objects.filter(
                use_case__collectivite=seeded, type__code="log_retention", use_case__status__in=(audits_selectors.LIVE)
            ).values_list("owner__username", flat=True)
        )
        assert log_owners == {"olivier.marchand"}

    def test_local_checkpoint_types_are_used_on_some_use_cases(self, seeded):
        # (the conditions of approvals are local types too: see the review tests)
        local = CheckpointType.objects.filter(collectivite=seeded).exclude(code__startswith="condition-")
        assert set(local.values_list("title", flat=True)) == {t["title"] for t in audits_demo.LOCAL_TYPES}
        manual = Checkpoint.objects.filter(type__in=local, origin=Checkpoint.Origin.MANUAL)
        assert manual.count() == len(audits_demo.MANUAL)
        assert set(manual.filter(type__code=audits_demo.ETHICS_REVIEW).values_list("owner__username", flat=True)) == {
            "comite"
        }

    def test_one_mandatory_checkpoint_without_owner_holds_an_approved_use_case_back(self, seeded):
        # Given the demo: exactly one checkpoint required by the classification has no owner, on an approved use
        # case (a condition waiting for its owner is another story: see the review tests)
        unowned = Checkpoint.objects.filter(
            use_case__collectivite=seeded, active=True, owner__isnull=True, origin=Checkpoint.Origin.REQUIRED
        )
        assert unowned.count() == 1
        checkpoint = unowned.get()
        assert checkpoint.mandatory and checkpoint.use_case.status == UseCaseStatus.APPROVED

        # Then it cannot go into production until someone owns the control
        with pytest.raises(TransitionError):
            services.use_case_put_into_production(
                use_case=checkpoint.use_case, acting_user=User.objects.get(username="dpo")
            )

    def test_attestations_tell_months_of_controls(self, seeded):
        attestations = Attestation.objects.filter(checkpoint__use_case__collectivite=seeded).select_related(
            "checkpoint__use_case"
        )
        today = timezone.localdate()
        assert attestations.filter(outcome="ok").count() >= 10
        issues = attestations.filter(outcome="issue_found")
        assert issues.count() >= 3 and not issues.filter(comment="").exists()
        correction = attestations.get(corrects__isnull=False)
        assert correction.corrects.checkpoint_id == correction.checkpoint_id
        assert correction.created_at > correction.corrects.created_at
        for attestation in attestations:
            # by the checkpoint's owner, in the past, after the use case entered the register
            assert attestation.attested_by_id == attestation.checkpoint.owner_id
            assert attestation.checkpoint.use_case.created_at.date() <= attestation.performed_on < today
            assert attestation.created_at <= timezone.now()
        assert today - timedelta(days=100) < min(a.performed_on for a in attestations)

    def test_incidents_a_minor_one_and_a_serious_breach_whose_clock_runs(self, seeded):
        incidents = Incident.objects.filter(use_case__collectivite=seeded)
        now = timezone.now()
        assert incidents.filter(severity="minor").exists()
        breach = incidents.get(personal_data_breach=True)
        assert breach.severity == "serious" and breach.use_case.status == UseCaseStatus.IN_PRODUCTION
        assert now < breach.breach_deadline <= now + timedelta(hours=72)
        assert breach.breach_deadline - breach.created_at == timedelta(hours=72)
        assert breach.occurred_at < breach.created_at < now

    def test_a_serious_incident_led_the_dpo_to_suspend_a_use_case(self, seeded):
        use_case = UseCase.objects.get(collectivite=seeded, name=audits_demo.SOCIAL_MESSAGES)
        assert use_case.status == UseCaseStatus.SUSPENDED
        suspension = use_case.events.get(kind=UseCaseEvent.Kind.SUSPENDED)
        assert suspension.actor.username == "dpo" and suspension.comment
        incident = use_case.incidents.get(severity="serious")
        assert incident.occurred_at < suspension.created_at < timezone.now()

    def test_checkpoints_option_adds_synthetic_checkpoints_on_live_use_cases(self, seeded):
        # Given the demo
        before = Checkpoint.objects.count()

        # When 200 synthetic checkpoints are asked for
        output = seed(password="mot-de-passe-demo", checkpoints=200)

        # Then 200 more exist, on live synthetic use cases, owned, varied, due from 60 days ago to 30 days ahead
        added = Checkpoint.objects.filter(use_case__name__startswith=audits_demo.SYNTHETIC_USE_CASE_PREFIX)
        assert Checkpoint.objects.count() == before + 200 == before + added.count()
        assert "200" in output
        assert set(added.values_list("use_case__status", flat=True)) <= set(audits_selectors.LIVE)
        assert not added.filter(owner__isnull=True).exists()
        assert added.values("owner").distinct().count() >= 5
        assert added.values("frequency").distinct().count() >= 4
        assert added.filter(origin=Checkpoint.Origin.REQUIRED).exists()
        today = timezone.localdate()
        scheduled = added.exclude(next_due__isnull=True)
        assert scheduled.filter(next_due__lt=today).exists() and scheduled.filter(next_due__gte=today).exists()
        assert not scheduled.filter(next_due__lt=today - timedelta(days=60)).exists()
        assert not scheduled.filter(next_due__gt=today + timedelta(days=30)).exists()
        owner = added.first().owner
        assert owner.email and owner.memberships.filter(collectivite=seeded).exists()

    # Review workflow

    def test_the_ethics_committee_has_a_chair_an_external_member_and_an_agent(self, seeded):
        members = CommitteeMember.objects.filter(collectivite=seeded, active=True).select_related("user")
        assert members.count() >= 4
        assert members.get(is_chair=True).user.username == "comite"
        assert members.get(is_vice_chair=True).user.username == "francoise.lemaire"
        assert not members.filter(birth_date__isnull=True).exists()
        assert members.filter(external=True).count() >= 1
        assert not members.filter(affiliation="").exists()
        # every member signs in with the committee role; one is an agent of a service (conflicts of interest)
        for member in members:
            assert Membership.objects.filter(user=member.user, collectivite=seeded, role=Role.ETHICS_COMMITTEE).exists()
        assert Membership.objects.filter(
            user__in=[m.user for m in members], collectivite=seeded, role=Role.AGENT, service__isnull=False
        ).exists()
        assert max(m.joined_on for m in members) < timezone.localdate() - timedelta(days=300)

    def test_past_sessions_voted_and_a_session_is_planned_next_month(self, seeded):
        now = timezone.now()
        sessions = CommitteeSession.objects.filter(collectivite=seeded)
        past = sessions.filter(status=SessionStatus.CLOSED)
        assert past.count() >= 2
        for session in past:
            assert session.held_on < session.closed_at < now
            assert session.items.exists() and not session.items.filter(opinion="").exists()
        votes = Vote.objects.filter(item__session__in=past)
        assert votes.filter(choice=MemberVote.ABSTAIN).exists()
        # members declared conflicts of interest on cases of their own service, and did not vote on them; the chair
        # withdrew from a case she reads for the communication department, and the vice-chair presided over it
        conflicts = votes.filter(conflict_of_interest=True).select_related(
            "member__user", "item__review__use_case", "item__presided_by"
        )
        assert conflicts
        assert any(conflict.member.is_chair for conflict in conflicts)
        for conflict in conflicts:
            user = conflict.member.user
            assert not conflict.choice
            if conflict.member.is_chair:
                item = conflict.item
                assert (item.presided_by.username, item.presiding_role) == ("francoise.lemaire", "vice_chair")
                continue
            assert permissions.has_conflict_of_interest(user, get_access(user, seeded), conflict.item.review.use_case)

        planned = sessions.get(status=SessionStatus.PLANNED)
        assert now < planned.held_on < now + timedelta(days=45)
        items = list(planned.items.select_related("review"))
        assert len(items) >= 2
        members = CommitteeMember.objects.filter(collectivite=seeded, active=True).count()
        for item in items:
            assert item.review.status == ReviewStatus.COMMITTEE and not item.opinion
            assert 0 <= item.votes.count() < members

    def test_past_sessions_were_held_with_attendance_and_quorum_and_the_planned_one_gave_nothing(self, seeded):
        sessions = CommitteeSession.objects.filter(collectivite=seeded)
        members = CommitteeMember.objects.filter(collectivite=seeded, active=True).count()
        for session in sessions.filter(status=SessionStatus.CLOSED):
            # opened on its date with the attendance, chaired, minuted by the DPO
            assert session.was_held and session.held_on <= session.opened_at < session.closed_at
            assert session.attendance.count() == members and session.chair and session.secretary.username == "dpo"
            for item in session.items.exclude(opinion=CommitteeOpinion.POSTPONED):
                # each opinion was given with the quorum, and states the votes of the members present
                assert item.present_count >= item.quorum_required == 3
                tally = item.votes_favourable + item.votes_with_conditions + item.votes_unfavourable
                assert 0 < tally + item.votes_abstain <= item.present_count
                assert item.votes.filter(conflict_of_interest=True).count() <= item.conflict_count
        planned = sessions.get(status=SessionStatus.PLANNED)
        assert not planned.was_held and not planned.attendance.exists()
        assert not planned.items.exclude(opinion="").exists()
        assert not Vote.objects.filter(item__session=planned, conflict_of_interest=False).exists()

    def test_a_postponed_case_was_decided_at_a_later_session(self, seeded):
        postponed = AgendaItem.objects.select_related("session", "review").get(
            session__collectivite=seeded, opinion=CommitteeOpinion.POSTPONED
        )
        later = AgendaItem.objects.get(review=postponed.review, session__held_on__gt=postponed.session.held_on)
        assert later.opinion and later.opinion != CommitteeOpinion.POSTPONED
        assert later.session.status == SessionStatus.CLOSED
        review = Review.objects.get(pk=postponed.review_id)
        assert review.status == ReviewStatus.DECIDED and review.decided_at == later.decided_at

    @pytest.mark.parametrize(
        "username, sections",
        [
            ("dpo", {"opinions", "to_schedule", "publications", "qualifications"}),
            ("rssi", {"opinions"}),
            # No session is in progress: the chair has no opinion to record, members vote in session.
            ("comite", {"to_schedule"}),
            ("chef", {"conditions"}),
            ("admin", {"to_schedule"}),
            ("agent", {"checkpoints"}),
        ],
    )
    def test_each_demo_role_finds_work_in_my_tasks(self, seeded, username, sections):
        user = User.objects.get(username=username)
        tasks = my_tasks.tasks_for(user, get_access(user, seeded))
        assert {name for name, items in tasks.items() if items} >= sections, username

    def test_the_rssi_has_an_opinion_to_give_where_the_dpo_gave_hers(self, seeded):
        rssi = User.objects.get(username="rssi")
        waiting = my_tasks.tasks_for(rssi, get_access(rssi, seeded))["opinions"]
        assert any([o.role for o in review.opinions.all()] == [Role.DPO] for review in waiting)
        assert any(review.use_case.status == UseCaseStatus.IN_REVIEW for review in waiting)

    def test_the_committee_chair_sees_exactly_the_cases_of_the_agendas(self, seeded):
        on_agendas = set(
            UseCase.objects.filter(reviews__agenda_items__session__collectivite=seeded).values_list("pk", flat=True)
        )
        planned = set(
            UseCase.objects.filter(reviews__agenda_items__session__status=SessionStatus.PLANNED).values_list(
                "pk", flat=True
            )
        )
        assert planned and planned < on_agendas
        assert {use_case.pk for use_case in visible_to("comite", seeded)} == on_agendas

    def test_decided_rounds_agree_with_the_statuses(self, seeded):
        use_cases = UseCase.objects.filter(collectivite=seeded).prefetch_related(
            "reviews__opinions", "reviews__conditions"
        )
        live = {UseCaseStatus.APPROVED, UseCaseStatus.APPROVED_WITH_CONDITIONS, UseCaseStatus.IN_PRODUCTION}
        for use_case in use_cases:
            rounds = sorted(use_case.reviews.all(), key=lambda review: review.number)
            status = use_case.status
            if status == UseCaseStatus.DRAFT:
                assert not rounds, use_case.name
                continue
            assert [r for r in rounds if r.is_open] == ([rounds[-1]] if rounds[-1].is_open else []), use_case.name
            if status == UseCaseStatus.SUBMITTED:
                assert rounds[-1].status == ReviewStatus.OPINIONS and not rounds[-1].opinions.all(), use_case.name
                continue
            if status == UseCaseStatus.IN_REVIEW:
                assert rounds[-1].is_open and rounds[-1].opinions.all(), use_case.name
                continue
            decided = [r for r in rounds if r.status == ReviewStatus.DECIDED]
            assert decided, use_case.name
            last = decided[-1]
            assert {o.role for o in last.opinions.all()} == {Role.DPO, Role.RSSI}, use_case.name
            assert last.stale_at is None
            if status == UseCaseStatus.REJECTED:
                assert last.decision == ReviewDecision.REJECTED
                continue
            expected = {
                UseCaseStatus.APPROVED: {ReviewDecision.APPROVED},
                UseCaseStatus.APPROVED_WITH_CONDITIONS: {ReviewDecision.APPROVED_WITH_CONDITIONS},
            }.get(status, {ReviewDecision.APPROVED, ReviewDecision.APPROVED_WITH_CONDITIONS})
            assert last.decision in expected, use_case.name
            assert bool(last.conditions.all()) == (last.decision == ReviewDecision.APPROVED_WITH_CONDITIONS)
            if last.ethics_required:
                assert last.agenda_items.exclude(opinion=CommitteeOpinion.POSTPONED).exists(), use_case.name
            if status in live:
                assert use_case.next_review_on, use_case.name

    def test_every_use_case_past_draft_has_its_story(self):
        names = {spec["name"] for spec in demo.USE_CASES}
        assert set(demo.REVIEW_STORIES) <= names
        draft_steps = {"create", "edits", "qualify", "confirm"}
        for spec in demo.USE_CASES:
            story = demo.REVIEW_STORIES.get(spec["name"])
            if spec["status"] != UseCaseStatus.DRAFT:
                assert story, spec["name"]
            elif story:  # a draft's story is its declaration, its edits and the DPO's qualification
                assert {action for _when, action, *_arguments in story} <= draft_steps, spec["name"]

    def test_a_material_change_made_an_approval_stale(self, seeded):
        stale = Review.objects.select_related("use_case").get(collectivite=seeded, stale_at__isnull=False)
        assert stale.decision == ReviewDecision.APPROVED
        assert stale.use_case.status == UseCaseStatus.SUBMITTED
        reopened = stale.use_case.reviews.get(status=ReviewStatus.OPINIONS)
        assert reopened.kind == ReviewKind.CHANGE and reopened.number == stale.number + 1
        assert any(change["material"] for change in selectors.review_changes(stale, stale.use_case))

    def test_a_live_use_case_past_its_review_date_has_its_periodic_rereview_open(self, seeded):
        periodic = Review.objects.select_related("use_case").get(collectivite=seeded, kind=ReviewKind.PERIODIC)
        use_case = periodic.use_case
        assert periodic.status == ReviewStatus.OPINIONS
        assert use_case.status in (UseCaseStatus.APPROVED_WITH_CONDITIONS, UseCaseStatus.APPROVED)
        assert use_case.next_review_on <= timezone.localdate()
        assert use_case.events.filter(kind=UseCaseEvent.Kind.REREVIEW, review=periodic).exists()
        owner = use_case.owner
        assert periodic in my_tasks.tasks_for(owner, get_access(owner, seeded))["rereviews"]
        # the beat task finds nothing more to open
        assert services.rereviews_open_due() == 0

    def test_conditions_became_checkpoints_one_still_waiting_for_its_owner(self, seeded):
        conditions = Checkpoint.objects.filter(use_case__collectivite=seeded, origin=Checkpoint.Origin.CONDITION)
        assert conditions.filter(owner__isnull=False).count() >= 10
        unowned = conditions.select_related("use_case__owner").get(owner__isnull=True)
        assert unowned.use_case.owner.username == "chef"
        assert unowned.use_case.status == UseCaseStatus.APPROVED_WITH_CONDITIONS
        for use_case in UseCase.objects.filter(
            collectivite=seeded, status__in=(UseCaseStatus.APPROVED_WITH_CONDITIONS, UseCaseStatus.IN_PRODUCTION)
        ):
            decided = use_case.reviews.filter(status=ReviewStatus.DECIDED).latest("decided_at")
            assert set(conditions.filter(use_case=use_case).values_list("condition__text", flat=True)) == set(
                decided.conditions.values_list("text", flat=True)
            ), use_case.name

    def test_the_review_history_reads_like_months_of_use(self, seeded):
        now = timezone.now()
        reviews = Review.objects.filter(collectivite=seeded).select_related("use_case")
        assert reviews.order_by("opened_at").first().opened_at < now - timedelta(days=300)
        assert reviews.filter(decided_at__gt=now - timedelta(days=60)).exists()
        for review in reviews.prefetch_related("opinions", "agenda_items__votes"):
            assert review.use_case.created_at <= review.opened_at < now
            given = [opinion.created_at for opinion in review.opinions.all()]
            assert all(review.opened_at < moment < now for moment in given)
            if review.decided_at:
                assert max(given) <= review.decided_at < now
            for item in review.agenda_items.all():
                assert review.opened_at < item.added_at
                for vote in item.votes.all():
                    assert item.added_at < vote.created_at
                    assert item.decided_at is None or vote.created_at < item.decided_at
        # The review stories run in date order; the public register's publications (transparency/demo.py) are
        # written after them and dated back among them: the trail is read by date.
        publication_kinds = {UseCaseEvent.Kind.PUBLISHED, UseCaseEvent.Kind.UNPUBLISHED}
        for use_case in UseCase.objects.filter(collectivite=seeded).prefetch_related("events"):
            events = sorted(use_case.events.all(), key=lambda event: event.pk)
            moments = [event.created_at for event in events if event.kind not in publication_kinds]
            assert moments == sorted(moments) and moments[-1] < now, use_case.name
            for event in events:
                if event.kind in publication_kinds:
                    assert moments[0] < event.created_at < now, use_case.name

    def test_last_year_s_charter_is_published_and_read_by_about_60_percent_this_year_s_is_a_draft(self, seeded):
        today = timezone.localdate()
        published = CharterEdition.objects.get(collectivite=seeded, year=today.year - 1)
        assert published.status == CharterEdition.Status.PUBLISHED and published.published_by.username == "dgs"
        # Its PDF is asked for (generated when the load commits: see test_seeding_sends_no_email)
        assert published.published_at < timezone.now() and published.document.kind == "charter"
        assert published.content_fingerprint == charter_selectors.fingerprint(published.snapshot)
        rates = charter_selectors.acknowledgement_rates(seeded, published.year)
        assert 0.55 <= rates.overall.rate <= 0.65
        assert {rate.percent for rate in rates.services} >= {0, 100}  # uneven by service
        assert not published.acknowledgements.filter(user__username="agent").exists()  # the button waits for them
        assert all(a.acknowledged_at > published.published_at for a in published.acknowledgements.all())
        draft = CharterEdition.objects.get(collectivite=seeded, year=today.year)
        assert draft.status == CharterEdition.Status.DRAFT
        assert list(draft.sections.filter(version__gt=1).values_list("key", flat=True)) == ["training"]

    # The public register (transparency/demo.py) ---------------------------------------------------------------
    def test_the_public_register_shows_what_a_visitor_expects(self, seeded):
        entries = list(transparency_selectors.public_entries(collectivite=seeded))
        records = {entry.use_case_id: transparency_selectors.public_record(entry) for entry in entries}
        use_cases = UseCase.objects.in_bulk(records)
        assert 4 <= len(records) <= 6
        # the uses founding individual decisions first, each with the mention its decisions carry
        decisions = [pk for pk, use_case in use_cases.items() if use_case.public_register_required]
        assert len(decisions) >= 3
        for pk in decisions:
            assert records[pk]["crpa_mention"].count(transparency_demo.CONTACT) == 1
            assert "L311-3-1" in records[pk]["crpa_mention"] and "R311-3-1-2" in records[pk]["crpa_mention"]
            assert records[pk]["purpose"] and records[pk]["human_intervention"] and records[pk]["legal_basis"]
        # a chatbot, a transcription, a retired use shown "no longer in use", and a use still in development
        assert {"chatbot"} <= {f for pk in records for f in use_cases[pk].art50_features}
        assert any(use_case.technique == "speech" for use_case in use_cases.values())
        lifecycles = {record["lifecycle"] for record in records.values()}
        assert lifecycles == {Lifecycle.IN_USE, Lifecycle.IN_DEVELOPMENT, Lifecycle.OUT_OF_USE}
        # varied fields, a functional contact, nothing outside the record's vocabulary
        assert len({frozenset(entry.fields) for entry in entries}) == len(entries)
        for record in records.values():
            assert record["contact"] == transparency_demo.CONTACT
            assert set(record) - {"collectivite", "lifecycle", "first_published_at", "published_at"} <= set(RECORD_KEYS)

    def test_the_public_records_name_no_agent(self, seeded):
        names = set()
        for first, last in User.objects.values_list("first_name", "last_name"):
            names.update(name for name in (last, f"{first} {last}") if len(name) > 3)
        for publication in Publication.objects.filter(collectivite=seeded):
            text = " ".join(
                str(value)
                for value in (
                    publication.content,
                    publication.name,
                    publication.summary,
                    publication.purpose,
                    publication.human_intervention,
                    publication.data_sources,
                    publication.crpa_mention,
                )
            )
            assert not [name for name in names if name in text], publication

    def test_the_dpo_s_overview_has_every_section(self, seeded):
        overview = transparency_selectors.publications_overview(collectivite=seeded)

        to_publish = {use_case.name for use_case in overview["required_missing"]}
        assert set(transparency_demo.LEFT_TO_PUBLISH) <= to_publish
        assert len(overview["published"]) >= 4 and not overview["out_of_date"]
        [withdrawn] = overview["withdrawn"]
        assert withdrawn.withdrawal_reason and withdrawn.use_case.status == UseCaseStatus.SUSPENDED
        [draft] = overview["drafts"]
        assert draft.content == {} and draft.use_case.public_register_required

    def test_publications_went_through_the_services_dated_in_the_past(self, seeded):
        now = timezone.now()
        publications = Publication.objects.filter(collectivite=seeded).select_related("use_case")
        for publication in publications.exclude(state=PublicationState.DRAFT):
            kinds = list(publication.events.values_list("kind", flat=True))
            assert kinds[-1] == PublicationEvent.Kind.PUBLISHED and publication.updated_by.username == "dpo"
            assert publication.first_published_at < now - timedelta(days=20)
            assert publication.first_published_at <= publication.published_at
            assert publication.first_published_at > publication.use_case.created_at
            published = UseCaseEvent.objects.get(use_case=publication.use_case, kind=UseCaseEvent.Kind.PUBLISHED)
            assert published.created_at == publication.first_published_at and published.notified_at
        # two records were updated since their first publication, and one withdrawn after it was published
        updated = publications.filter(events__kind=PublicationEvent.Kind.REPUBLISHED)
        assert updated.count() == 2
        assert all(p.published_at > p.first_published_at for p in updated)
        withdrawn = publications.get(state=PublicationState.WITHDRAWN)
        assert withdrawn.published_at < withdrawn.withdrawn_at < now - timedelta(days=7)
        assert UseCaseEvent.objects.get(use_case=withdrawn.use_case, kind=UseCaseEvent.Kind.UNPUBLISHED).comment
        # the published dates are spread over months
        dates = {p.first_published_at.date() for p in publications.filter(state=PublicationState.PUBLISHED)}
        assert len(dates) >= 4 and max(dates) - min(dates) > timedelta(days=180)
