"""The DPO's publication chores in "Mes tâches": records the law requires, and public records out of date."""

import pytest

from core.access import get_access
from registry import services as registry_services
from reporting import my_tasks
from tests.transparency.support import decision_use_case, published, submitted
from transparency import services

pytestmark = pytest.mark.django_db


def publication_tasks(user, collectivite):
    tasks = my_tasks.tasks_for(user, get_access(user, collectivite))
    return [use_case.reference for use_case in tasks["publications"]] if "publications" in tasks else None


def test_a_use_case_the_law_requires_waits_for_the_dpo_until_published(use_case, users, collectivite):
    use_case = decision_use_case(use_case)
    assert publication_tasks(users["dpo"], collectivite) == []  # a draft is not yet to publish
    use_case = submitted(use_case)
    assert publication_tasks(users["dpo"], collectivite) == [use_case.reference]
    assert publication_tasks(users["admin"], collectivite) == [use_case.reference]
    for role in ("rssi", "dgs", "chef", "agent", "comite"):
        assert publication_tasks(users[role], collectivite) is None, role
    published(use_case, users["dpo"])
    assert publication_tasks(users["dpo"], collectivite) == []


def test_an_edit_after_publication_makes_it_a_task_again_until_republished(use_case, users, collectivite):
    use_case = submitted(decision_use_case(use_case))
    published(use_case, users["dpo"])
    use_case.refresh_from_db()
    registry_services.use_case_update(
        use_case=use_case, acting_user=users["dpo"], data={"name": "Nouveau nom"}, expected_version=use_case.version
    )
    # The public name is the DPO's wording: renaming the use case changes nothing public.
    assert publication_tasks(users["dpo"], collectivite) == []
    use_case.refresh_from_db()
    registry_services.use_case_update(
        use_case=use_case,
        acting_user=users["dpo"],
        data={"technique": "ml_predictive"},
        expected_version=use_case.version,
    )
    assert publication_tasks(users["dpo"], collectivite) == [use_case.reference]
    services.publication_publish(use_case=use_case, acting_user=users["dpo"])
    assert publication_tasks(users["dpo"], collectivite) == []


def test_a_withdrawn_record_is_a_decision_not_a_task(use_case, users, collectivite):
    use_case = submitted(decision_use_case(use_case))
    published(use_case, users["dpo"])
    services.publication_withdraw(use_case=use_case, acting_user=users["dpo"], reason="Refonte du dispositif.")
    assert publication_tasks(users["dpo"], collectivite) == []


def test_the_task_page_links_to_the_publication_form(use_case, users, collectivite, client_for):
    use_case = submitted(decision_use_case(use_case))
    html = client_for(users["dpo"]).get("/mes-taches/").content.decode()
    assert 'data-tasks="publications"' in html
    assert f'data-task="{use_case.reference}"' in html


def test_the_use_case_page_shows_its_public_state_and_the_dpo_gets_the_link(use_case, users, client_for):
    use_case = submitted(decision_use_case(use_case))
    url = f"/registre/{use_case.pk}/"
    html = client_for(users["dpo"]).get(url).content.decode()
    assert 'data-publication-panel="none"' in html and "data-required-missing" in html
    assert f'href="/registre/{use_case.pk}/publication/"' in html
    published(use_case, users["dpo"])
    html = client_for(use_case.owner).get(url).content.decode()
    assert 'data-publication-panel="published"' in html and "data-public-link" in html
    assert f'href="/registre/{use_case.pk}/publication/"' not in html  # the owner does not manage it


@pytest.mark.parametrize(("fields", "expected"), [(["tool"], True), (["service"], False)])
def test_renaming_the_tool_makes_out_of_date_only_the_records_that_show_it(
    fields, expected, use_case, users, collectivite
):
    use_case = submitted(decision_use_case(use_case))
    publication = published(use_case, users["dpo"], fields=fields)
    registry_services.tool_update(tool=use_case.tool, acting_user=users["dpo"], data={"vendor": "Autre éditeur"})
    publication.refresh_from_db()
    assert publication.out_of_date is expected
    assert (publication_tasks(users["dpo"], collectivite) == [use_case.reference]) is expected
    # Publishing again clears it, with a new public date only when the public content changed.
    before = publication.published_at
    services.publication_publish(use_case=use_case, acting_user=users["dpo"])
    publication.refresh_from_db()
    assert not publication.out_of_date
    assert (publication.published_at != before) is expected
