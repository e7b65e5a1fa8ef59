"""The national catalogue of human-control checkpoints (DOMAIN.md section 4): what each means in practice,
its legal basis, its default frequency and the evidence expected. Local types live in the database."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from registry.rules import CHECKPOINT_BASIS


@dataclass(frozen=True)
class CheckpointDefinition:
    code: str
    title: object
    practice: object
    default_frequency: str
    evidence: object

    @property
    def legal_basis(self) -> str:
        return str(CHECKPOINT_BASIS[self.code])


CATALOGUE = {
    d.code: d
    for d in (
        CheckpointDefinition(
            "output_review",
            _("Human review of outputs"),
            _("A person proofreads and corrects what the AI generated before anything leaves the service."),
            "monthly",
            _("A sample of reviewed outputs with the corrections made."),
        ),
        CheckpointDefinition(
            "decision_validation",
            _("Validation of each decision by a named agent"),
            _("Each individual decision is validated and signed by a named agent; the AI never decides alone."),
            "monthly",
            _("An extract of decisions showing the validating agent for each."),
        ),
        CheckpointDefinition(
            "source_verification",
            _("Verification of facts and sources"),
            _("Facts, figures and references produced by the AI are checked against reliable sources."),
            "monthly",
            _("The checklist used and examples of corrected errors."),
        ),
        CheckpointDefinition(
            "bias_review",
            _("Periodic bias review"),
            _("Outcomes are compared across groups of people to detect unfair differences."),
            "quarterly",
            _("The bias analysis with its figures and conclusions."),
        ),
        CheckpointDefinition(
            "log_retention",
            _("Logs kept at least 6 months"),
            _("The system's logs are kept at least six months and can be produced on request."),
            "quarterly",
            _("A screenshot or export showing the retention setting and the oldest log kept."),
        ),
        CheckpointDefinition(
            "oversight_training",
            _("Training of the people exercising oversight"),
            _("The people who oversee the system are trained in its use, limits and risks."),
            "yearly",
            _("The attendance list or certificates of the training."),
        ),
        CheckpointDefinition(
            "transparency_notice",
            _("People told they deal with an AI"),
            _("People are told, clearly and at the first interaction, that they deal with an AI."),
            "quarterly",
            _("A screenshot of the notice as people see it."),
        ),
        CheckpointDefinition(
            "crpa_mention",
            _("Explicit algorithm mention on decisions"),
            _("Each decision taken on the basis of the algorithm carries the explicit mention of CRPA L311-3-1."),
            "quarterly",
            _("A decision template or an anonymised decision showing the mention."),
        ),
        CheckpointDefinition(
            "data_minimisation",
            _("Data minimisation"),
            _("No personal or confidential data is entered beyond what was approved for this use."),
            "monthly",
            _("A sample check of the data entered, with its result."),
        ),
        CheckpointDefinition(
            "incident_monitoring",
            _("Incident monitoring"),
            _("Incidents are recorded; the use is suspended and reported when a serious risk appears."),
            "monthly",
            _("The incident log, even if empty, signed by its owner."),
        ),
        CheckpointDefinition(
            "workers_informed",
            _("Staff representatives informed"),
            _("Staff representatives were informed before the system was used at work."),
            "yearly",
            _("The minutes or the letter informing the staff representatives."),
        ),
        CheckpointDefinition(
            "provider_conformity",
            _("Provider obligations: documentation, conformity, registration"),
            _(
                "As the provider of a high-risk system, the collectivité keeps its technical documentation and quality "
                "management up to date, has its conformity assessed, registers it and monitors it after putting it "
                "into service."
            ),
            "yearly",
            _("The technical documentation, the declaration of conformity and the EU database registration number."),
        ),
    )
}
