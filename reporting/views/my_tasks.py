"""« Mes tâches »: the page of what waits for the person, by section (`reporting.my_tasks`), in the `registry`
namespace its name has always had (`registry:my_tasks`; `config.urls` puts it there)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from audits.selectors import with_clocks
from core.views import member_required
from registry import permissions, qualification
from registry.choices import ReviewerRole
from reporting.my_tasks import task_count, tasks_for

ROLE_LABELS = dict(ReviewerRole.choices)

TASK_SECTIONS = (
    ("opinions", gettext_lazy("Opinions to give"), gettext_lazy("No use case waits for your opinion.")),
    (
        "qualifications",
        gettext_lazy("Qualifications to confirm"),
        gettext_lazy("No qualification waits for your confirmation."),
    ),
    (
        "to_schedule",
        gettext_lazy("Cases to put on a committee agenda"),
        gettext_lazy("No case waits for a place on an agenda."),
    ),
    ("votes", gettext_lazy("Cases to give your opinion on in committee"), gettext_lazy("No case waits for your vote.")),
    (
        "committee_opinions",
        gettext_lazy("Committee opinions to record"),
        gettext_lazy("No committee opinion to record."),
    ),
    (
        "conditions",
        gettext_lazy("Conditions to take on: name an owner"),
        gettext_lazy("Every condition of your approved use cases has an owner."),
    ),
    (
        "rereviews",
        gettext_lazy("Periodic re-reviews under way"),
        gettext_lazy("None of your use cases is being re-reviewed."),
    ),
    (
        "rework",
        gettext_lazy("Rejected use cases to rework"),
        gettext_lazy("None of your use cases was rejected."),
    ),
    (
        "facts",
        gettext_lazy("Questions to answer about your use cases"),
        gettext_lazy("Every question about your use cases is answered."),
    ),
    (
        "incidents",
        gettext_lazy("Serious incidents and breaches: notifications due"),
        gettext_lazy("No notification of an incident waits."),
    ),
    (
        "checkpoints",
        gettext_lazy("Checkpoints due within a week"),
        gettext_lazy("No checkpoint of yours falls due within a week."),
    ),
    (
        "publications",
        gettext_lazy("Public register: records to publish or update"),
        gettext_lazy("Every use case the law requires is in the public register, and up to date."),
    ),
    (
        "fria",
        gettext_lazy("AIDF: to complete, to review, to notify"),
        gettext_lazy("No AIDF waits for you."),
    ),
    (
        "explanations",
        gettext_lazy("Requests for an explanation to answer"),
        gettext_lazy("No request for an explanation waits for an answer."),
    ),
)


# The serious incidents' notifications (AI Act 73, RGPD 33) too: rare, shown only while one waits.
HIDDEN_WHEN_EMPTY = frozenset({"fria", "incidents"})


@require_GET
@member_required
def my_tasks(request, access):
    tasks = tasks_for(request.user, access)
    roles = permissions.reviewer_roles(access)
    for review in tasks.get("opinions", []):
        given = {opinion.role for opinion in review.opinions.all()}
        review.missing_roles = [{"role": role, "label": ROLE_LABELS[role]} for role in roles if role not in given]
    for use_case in tasks.get("qualifications", []):
        # The questions as the reader reads them (the stored ones carry codes).
        use_case.question_texts = [
            str(qualification.FACTS_BY_NAME[item["question"]].question)
            for item in use_case.qualification_questions
            if item.get("question") in qualification.FACTS_BY_NAME
        ]
    with_clocks(tasks.get("incidents", []))
    sections = [
        {"code": code, "title": title, "empty": empty, "items": tasks[code]}
        for code, title, empty in TASK_SECTIONS
        # The AIDF's section concerns the few use cases that require one: shown only when something waits.
        if code in tasks and (tasks[code] or code not in HIDDEN_WHEN_EMPTY)
    ]
    return render(
        request,
        "registry/reviews/my_tasks.html",
        {
            "sections": sections,
            "task_count": task_count(tasks),
            "can_see_review_queue": permissions.can_view_review_queue(request.user, access),
            "today": timezone.localdate(),
        },
    )
