"""Reviews and the ethics committee in the browser: "Mes tâches", opinions, sessions, votes, decisions.

Thin views: reads from `selectors`, rights from `permissions`, every change through `services`.
"""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import selectors
from .register import member_required


@require_GET
@member_required
def my_tasks(request, access):
    tasks = selectors.tasks_for(request.user, access)
    return render(
        request, "registry/reviews/my_tasks.html", {"tasks": tasks, "task_count": selectors.task_count(tasks)}
    )
