"""The proof is only as good as its world: B's texts really carry canaries, A's documents are real PDFs."""

import pytest

from .canaries import decode, project_models, rows_of, scope_path

pytestmark = pytest.mark.django_db


def test_every_text_of_the_neighbour_carries_a_canary(world):
    origins = set(world.canaries.origin.values())
    labels = {origin.split("#")[0] for origin in origins}
    for expected in (
        "registry.Collectivite.name",
        "registry.Service.name",
        "registry.Service.code",
        "registry.Tool.name",
        "registry.User.last_name",
        "registry.User.email",
        "registry.UseCase.name",
        "registry.UseCase.summary",
        "registry.Opinion.comment",
        "registry.ReviewCondition.text",
        "registry.Vote.comment",
        "declarations.Declaration.tasks",
        "registry.CommitteeSession.place",
        "charter.CharterSection.body",
        "audits.Attestation.evidence_name",
        "audits.Incident.description",
        "transparency.Publication.name",
        "exchange.RegisterImport.file_name",
        "security.SecurityEvent.username_attempted",
        "registry.Review.snapshot",
    ):
        assert expected in labels, expected
    here, there = world.collectivites["in"], world.collectivites["out"]
    assert there.name.startswith("kanarib") and not here.name.startswith("kanarib")
    assert world.objects["out"]["draft"].name.startswith("kanarib")


def test_every_model_of_the_project_is_scoped_or_known_global():
    """A new model tied to no collectivité would escape the fingerprints: name it here if that is on purpose."""
    # The AI Act's dates of application are the Union's, the same for every collectivité of the installation.
    # The outbox is the installation's queue of side effects (task names and ids, never shown to anyone): each task
    # reads its objects, and their collectivité, when it runs.
    global_models = {"registry.Collectivite", "registry.ApplicationDate", "registry.OutboxEntry"}
    unscoped = sorted(m._meta.label for m in project_models() if scope_path(m) is None)
    assert set(unscoped) <= global_models, unscoped


def test_the_documents_of_a_are_real_pdfs_with_text(world):
    for name, document in world.documents.items():
        assert document.status == "ready", (name, document.error)
        with document.file.open("rb") as handle:
            text = decode(handle.read())
        assert world.collectivites["in"].name in text, name


# Models B holds no row of, and why: nothing to hide there (no text) or not built yet.
KNOWN_EMPTY = {
    "registry.UseCaseGroupObjectPermission": "no groups are used",
    "declarations.DeclarationGroupObjectPermission": "no groups are used",
    "audits.CheckpointType": "B uses the national catalogue",
    "audits.ReminderLog": "no text",
    "audits.DigestLog": "no text",
    "audits.IncidentReminderLog": "no text",
    "explanations.ReminderLog": "no text",
    "sso.OidcIdentity": "single sign-on is tested by tests/sso",
    "sso.OidcRoleGrant": "single sign-on is tested by tests/sso",
    "mutualisation.Mutualisation": "being built (issue 9): add B's rows to tests/isolation/world.py when it lands",
    "mutualisation.SharedItem": "being built (issue 9)",
    "mutualisation.Adoption": "being built (issue 9)",
    "mutualisation.MutualisationEvent": "being built (issue 9)",
}


def test_the_neighbour_has_rows_of_every_kind(world):
    there, here = world.collectivites["out"], world.collectivites["in"]
    empty = {m._meta.label for m in project_models() if scope_path(m) and not rows_of(m, there, here).exists()}
    missing = sorted(empty - set(KNOWN_EMPTY))
    assert not missing, [
        f"B holds no row of {label}: add some in tests/isolation/world.py (_enrich_neighbour) so that their texts "
        "carry canaries, or say in KNOWN_EMPTY why not"
        for label in missing
    ]
