"""Incoherent classification answers (`rules.incoherences`): the API must refuse each as the form and the model do."""

from registry import rules

PERSONAL = {"personal_data_categories": ["ordinary"]}
INCOHERENT = [
    ("individual_decisions_without_automation", {"individual_decisions": True}, "automation_level"),
    (
        "appeal_without_individual_decisions",
        {"administrative_appeal": True, "automation_level": "assist"},
        "administrative_appeal",
    ),
    ("art6_3_without_annex_iii", {"art6_3_ground": "a"}, "art6_3_ground"),
    ("profiling_without_personal_data", {"profiling": True}, "profiling"),
    ("large_scale_without_personal_data", {"large_scale": True}, "large_scale"),
    ("monitoring_without_personal_data", {"systematic_monitoring": True}, "systematic_monitoring"),
    ("cnil_list_without_personal_data", {"cnil_list_types": ["social_support"]}, "cnil_list_types"),
    ("care_context_without_health_data", {"care_context": True, **PERSONAL}, "care_context"),
    ("self_learning_rules", {"technique": "rules", "self_learning": True}, "self_learning"),
]


def form_messages(values: dict, field: str) -> list[str]:
    """What the form and the model say of these answers (over a minimal use), in the active language."""
    facts = rules.UseCaseFacts.build(**{"technique": "genai_text", "audience": "agents", **values})
    return [str(message) for message in rules.incoherences(facts)[field]]
