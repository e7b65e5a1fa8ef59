"""Loads the demo's intercommunality (data: demo/register.py, STRUCTURE, SECOND_COMMUNE, MUTUAL_USERS...) through the
services: the structure that shares its DPO and RSSI with its member communes, and a second, small member commune
with its services, people, tools, use cases, declarations, checkpoints and an attestation; then the structure's
reference content pushed to its members (`loaders/mutualisation.py`)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from audits import services as audits_services
from declarations import services as declaration_services
from declarations.models import DeclarationEvent
from demo import register as demo
from demo.loaders.bellerive import DemoLoader, declaration_key
from demo.loaders.mutualisation import seed_reference_content
from demo.loaders.review_stories import use_case_data
from mutualisation.models import SharedItem
from registry import services
from registry.choices import (
    OPEN_REVIEW_STATUSES,
    DeclarationStatus,
    OpinionVerdict,
)
from registry.models import (
    Collectivite,
    Membership,
    Review,
    Service,
    Tool,
    UseCase,
    UseCaseEvent,
    User,
)


class IntercommunalityLoader:
    """The intercommunality that shares its DPO and RSSI with its member communes, and a second, small member
    commune (demo/register.py, STRUCTURE and SECOND_COMMUNE) with its services, people, tools, use cases,
    declarations, checkpoints and an attestation, all through the services as for Bellerive; the shared DPO holds
    the DPO role in the structure, in Bellerive and in the commune. Each step only while its rows are missing. Then
    the structure's reference content pushed to its members."""

    def __init__(self, loader: DemoLoader, bellerive: Collectivite):
        self.loader = loader
        self.created = loader.created
        self.password = loader.password
        self.bellerive = bellerive
        self.users: dict[str, User] = {}
        self.services: dict[str, Service] = {}
        self.tools: dict[str, Tool] = {}
        self.reference_content = None

    def load(self) -> IntercommunalityLoader:
        self.structure = self._collectivite(demo.STRUCTURE)
        self.commune = self._collectivite(demo.SECOND_COMMUNE)
        self._services(self.structure, demo.STRUCTURE_SERVICES)
        self._services(self.commune, demo.SECOND_COMMUNE_SERVICES)
        self._users()
        self._tools()
        self._use_cases()
        self._declarations()
        # The demo's past e-mails count as sent: the notification tasks queued by the services find them claimed.
        UseCaseEvent.objects.filter(use_case__collectivite=self.commune, notified_at__isnull=True).update(
            notified_at=F("created_at")
        )
        self._reference_content()
        return self

    def _collectivite(self, spec: dict) -> Collectivite:
        data = dict(spec)
        collectivite, created = Collectivite.objects.get_or_create(slug=data.pop("slug"), defaults=data)
        if created:
            collectivite.full_clean()
        self.created["collectivite"] += created
        return collectivite

    def _services(self, collectivite: Collectivite, specs) -> None:
        for code, name, parent_code in specs:
            service, created = Service.objects.get_or_create(
                collectivite=collectivite,
                code=code,
                defaults={"name": name, "parent": self.services[parent_code] if parent_code else None},
            )
            if collectivite == self.commune:
                self.services[code] = service
            self.created["services"] += created

    def _users(self) -> None:
        where = {"structure": self.structure, "bellerive": self.bellerive, "commune": self.commune}
        to_hash = []
        for spec in demo.MUTUAL_USERS:
            user, created = User.objects.get_or_create(
                username=spec["username"],
                defaults={
                    "first_name": spec["first_name"],
                    "last_name": spec["last_name"],
                    "job_title": spec["job_title"],
                    "email": spec["email"],
                    "civility": demo.CIVILITIES.get(spec["username"], ""),
                },
            )
            if created or self.password is not None:
                to_hash.append(user)
            self.users[user.username] = user
            self.created["users"] += created
            for key, roles in spec["roles"].items():
                for role, service_code in roles:
                    _membership, created = Membership.objects.get_or_create(
                        user=user,
                        collectivite=where[key],
                        role=role,
                        service=self.services[service_code] if service_code else None,
                    )
                    self.created["memberships"] += created
        self.loader.set_passwords(to_hash)

    def _tools(self) -> None:
        existing = {tool.name: tool for tool in Tool.objects.filter(collectivite=self.commune)}
        for spec in demo.SECOND_COMMUNE_TOOLS:
            tool = existing.get(spec["name"])
            if tool is None:
                tool = services.tool_create(
                    collectivite=self.commune, acting_user=self.users["rssi.mutualise"], data=spec
                )
                self.created["tools"] += 1
            self.tools[tool.name] = tool

    def _use_cases(self) -> None:
        existing = {u.name: u for u in UseCase.objects.filter(collectivite=self.commune)}
        dpo, rssi = self.users[demo.SHARED_DPO], self.users["rssi.mutualise"]
        for spec in demo.SECOND_COMMUNE_USE_CASES:
            if spec["name"] in existing:
                continue
            data = use_case_data(spec)
            data["service"] = self.services[spec["service"]]
            data["owner"] = owner = self.users[spec["owner"]]
            data["tool"] = self.tools[spec["tool"]] if spec["tool"] else None
            use_case = services.use_case_create(collectivite=self.commune, acting_user=owner, data=data)
            self.created["use_cases"] += 1
            story = spec["story"]
            if "submit" in story:
                use_case = services.use_case_submit(use_case=use_case, acting_user=owner)
            opinions = [(role, person) for role, person in (("dpo", dpo), ("rssi", rssi)) if role in story]
            for role, person in opinions:
                review = Review.objects.get(use_case=use_case, status__in=OPEN_REVIEW_STATUSES)
                services.opinion_give(
                    review=review,
                    acting_user=person,
                    role=role,
                    data={"verdict": OpinionVerdict.FAVOURABLE, "comment": _("Demo opinion.")},
                )
                self.created["review_steps"] += 1
            if "production" in story:
                use_case = UseCase.objects.get(pk=use_case.pk)
                audits_services.checkpoints_sync(use_case=use_case)
                use_case = services.use_case_put_into_production(use_case=use_case, acting_user=owner)
                self._attest(use_case, owner)

    def _attest(self, use_case: UseCase, owner: User) -> None:
        """One control of the live use case, attested a week ago by its owner."""
        checkpoint = use_case.checkpoints.filter(active=True, owner=owner).order_by("type__code").first()
        if checkpoint is None or checkpoint.attestations.exists():
            return
        audits_services.attestation_record(
            checkpoint=checkpoint,
            acting_user=owner,
            performed_on=timezone.localdate() - timedelta(days=7),
            comment=demo.SECOND_COMMUNE_ATTESTATION,
        )
        self.created["attestations"] += 1

    def _declarations(self) -> None:
        now = timezone.now()
        for spec in demo.SECOND_COMMUNE_DECLARATIONS:
            data = {name: spec.get(name) for name in declaration_services.DECLARATION_FIELDS}
            data["tool"] = self.tools[spec["tool"]] if spec.get("tool") else None
            data["tool_name"] = ""
            declaration, created = declaration_services.declaration_submit(
                collectivite=self.commune,
                acting_user=self.users[spec["author"]],
                data=data,
                anonymous=False,
                submission_key=declaration_key(self.commune, spec["key"]),
                rate_limited=False,
            )
            self.created["declarations"] += created
            if "start_analysis" in spec["triage"] and declaration.status == DeclarationStatus.RECEIVED:
                declaration_services.declaration_start_analysis(
                    declaration=declaration, acting_user=self.users[demo.SHARED_DPO]
                )
                self.created["triage_actions"] += 1
            # Its e-mails count as sent: none goes out now.
            DeclarationEvent.objects.filter(declaration=declaration, notified_at__isnull=True).update(notified_at=now)

    def _reference_content(self) -> None:
        """The structure's tools, checkpoint types and charter sections pushed to its members."""
        if SharedItem.objects.filter(structure=self.structure).exists():
            return  # a second run: the structure shared its content the first time
        # Saint-Aubin decides on what is offered (adopts, adapts, declines); Bellerive's register stays as the rest
        # of the demo describes it, with the offers waiting for its DPO.
        self.reference_content = seed_reference_content(
            structure=self.structure,
            members=[self.commune, self.bellerive],
            acting_user=self.users[demo.SHARED_DPO],
        )


# The columns a demo step may write with the real time, moved afterwards to the step's moment in the past.
