"""The collectivité, its services (a tree of directions and services), its people and their roles."""

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.roles import Role
from core.validators import validate_hex_colour, validate_siren
from registry.choices import Civility, CollectiviteType


class Collectivite(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    siren = models.CharField(_("SIREN"), max_length=9, unique=True, validators=[validate_siren])
    kind = models.CharField(
        _("type"), max_length=20, choices=CollectiviteType.choices, default=CollectiviteType.COMMUNE
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    agents_count = models.PositiveIntegerField(
        _("number of agents"),
        help_text=_(
            "From 50 agents, the rules of algorithms founding individual decisions are published (CRPA L312-1-3)."
        ),
    )
    dpo_name = models.CharField(_("DPO name"), max_length=200, blank=True)
    dpo_email = models.EmailField(_("DPO e-mail"), blank=True)
    rssi_name = models.CharField(_("RSSI name"), max_length=200, blank=True)
    rssi_email = models.EmailField(_("RSSI e-mail"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    primary_colour = models.CharField(
        _("main colour"), max_length=7, default="#1d4e89", validators=[validate_hex_colour]
    )
    ethics_review_personal_data = models.BooleanField(
        _("ethics review of every use with personal data"),
        default=False,
        help_text=_("Tightens the legal minimum: every use processing personal data goes to the ethics committee."),
    )
    ethics_review_public_audience = models.BooleanField(
        _("ethics review of every use affecting the public"),
        default=False,
        help_text=_("Tightens the legal minimum: every use affecting the public goes to the ethics committee."),
    )
    charter_url = models.URLField(
        _("AI usage charter"),
        blank=True,
        help_text=_(
            "Where agents read the AI usage charter while no edition is published in Registre IA (once one is, "
            "the published edition is linked instead)."
        ),
    )
    # The ethics committee's rules of procedure: how many members must sit for it to give an opinion.
    committee_quorum_percent = models.PositiveSmallIntegerField(
        _("ethics committee quorum (%)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Share of the committee's members in office who must be present, without a conflict of interest on the "
            "case, for the committee to give its opinion (rounded up: 50 % of 5 members is 3)."
        ),
    )
    # How often an approved use case is reviewed again, by AI Act risk level (months).
    review_months_high = models.PositiveSmallIntegerField(
        _("re-review of high-risk uses (months)"), default=12, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    review_months_limited = models.PositiveSmallIntegerField(
        _("re-review of limited-risk uses (months)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    review_months_minimal = models.PositiveSmallIntegerField(
        _("re-review of minimal-risk uses (months)"),
        default=36,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Bumped by every change of the settings: two administrators editing them at once do not overwrite each other.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("collectivité")
        verbose_name_plural = _("collectivités")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def review_months(self, risk: str) -> int:
        """Months until an approved use case of this AI Act risk level is reviewed again."""
        return {"high": self.review_months_high, "limited": self.review_months_limited}.get(
            risk, self.review_months_minimal
        )

    def policy(self):
        """What the classification engine reads of the collectivité (and the AI Act's dates of application)."""
        from ..rules import Policy
        from .application_dates import ApplicationDate

        return Policy(
            agents_count=self.agents_count,
            ethics_review_personal_data=self.ethics_review_personal_data,
            ethics_review_public_audience=self.ethics_review_public_audience,
            application_dates=ApplicationDate.as_pairs(),
        )


class Service(models.Model):
    """A direction or a service. `path` (ids from the root) lets a head of direction see the whole branch."""

    collectivite = models.ForeignKey(
        Collectivite, on_delete=models.CASCADE, related_name="services", verbose_name=_("collectivité")
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=20, help_text=_("Short code, e.g. DRH."))
    path = models.CharField(max_length=255, editable=False, db_index=True, default="", verbose_name=_("path"))

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["collectivite", "code"], name="service_code_unique_per_collectivite")
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.parent_id and self.parent.collectivite_id != self.collectivite_id:
            raise ValidationError({"parent": _("The parent service belongs to another collectivité.")})
        ancestor = self.parent
        while ancestor is not None:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A service cannot be placed under itself.")})
            ancestor = ancestor.parent

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent_id else ''}{self.pk:06d}/"
        if path != self.path:
            old_path, self.path = self.path, path
            Service.objects.filter(pk=self.pk).update(path=path)
            if old_path:
                for child in Service.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                    Service.objects.filter(pk=child.pk).update(path=path + child.path[len(old_path) :])

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1


class User(AbstractUser):
    """A person of one or several collectivités; what they may do comes from their memberships."""

    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    civility = models.CharField(
        _("form of address"),
        max_length=10,
        choices=Civility.choices,
        blank=True,
        help_text=_(
            "Agrees the titles printed next to the person's name (Présidente or Président…). Not stated: a neutral "
            "wording is used."
        ),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Membership(models.Model):
    """A role held by a person in a collectivité (in a service, for agents and heads of service)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    collectivite = models.ForeignKey(
        Collectivite, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("collectivité")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "collectivite", "role", "service"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.collectivite})"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.role in (Role.AGENT, Role.HEAD_OF_SERVICE) and not self.service_id:
            raise ValidationError({"service": _("An agent or a head of service belongs to a service.")})
        if self.service_id and self.service.collectivite_id != self.collectivite_id:
            raise ValidationError({"service": _("This service belongs to another collectivité.")})
