"""The demo: a fictional collectivité (Ville de Bellerive-sur-Loire) and its intercommunality, loaded by
`manage.py seed_demo` through the same services as the web UI and the API. The top layer: it may import any app.

Data, as plain values: `register` (the collectivité, its people, tools, use cases and their review stories, the
declarations, the intercommunality), `checkpoints` (the human-control data), `charter`, `publications` (the public
register), `mutualisation` (the reference content the intercommunality shares). The steps that write them:
`demo.loaders` (one module per part); what the command prints: `summary`.
"""
