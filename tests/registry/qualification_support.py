"""Answers to the questionnaire (DOMAIN.md 3b) that several test modules start from: a test changes only the
answers its case is about."""

from registry import qualification

# Every question answered the quiet way (a writing assistant of the agents, no decision about anyone): nothing
# to confirm, so that a row shows only what its own answers change.
QUIET = qualification.WRITING_ASSISTANT

# A head of service's answers for a CV pre-sorting tool whose ranking agents follow (Annex III point 4(a)).
CV_RANKING = {
    "produces_by": ["learned_from_data"],
    "keeps_learning_in_use": "no",
    "origin": "vendor_as_intended",
    "ce_marked_product": "no",
    "affects": "public",
    "policy_areas": ["recruitment"],
    "task_kind": "assesses_or_recommends",
    "effect_on_people": "agent_usually_follows",
    "decides_on_individual_cases": "yes",
    "on_administrative_appeals": "no",
    "assesses_persons": "yes",
    "watches_people": "no",
    "sensitive_contexts": ["none"],
}
