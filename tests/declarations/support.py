"""A shadow-AI declaration that is a possible personal data breach (health data typed into a chatbot on a personal
account: the « 72 h » alert to the DPO), as the service receives it and as the web form posts it."""

import uuid


def breach_answers(**overrides) -> dict:
    """The answers as `declaration_submit` receives them."""
    return {
        "tool": None,
        "tool_name": "ChatGPT",
        "category": "general_chatbot",
        "tasks": "Résumer des dossiers d'usagers",
        "frequency": "weekly",
        "device": "personal_device",
        "account": "personal_free",
        "data_entered": ["health"],
        "output_use": ["sent_to_users"],
        "human_review": "always",
        **overrides,
    }


def breach_form(key=None, **overrides) -> dict:
    """The declaration form's fields as a browser posts them (named by default; `identity="anonymous"`)."""
    return {
        **breach_answers(tool=""),
        "submission_key": str(key or uuid.uuid4()),
        "used_since": "2025-03",
        "time_saved_minutes": "60",
        "need": "",
        "identity": "named",
        **overrides,
    }
