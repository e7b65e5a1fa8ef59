"""The steps that write the demo through the services, one module per part of it: `bellerive` (the demo
collectivité, which runs `review_stories`, `checkpoints`, `publications` and `charter`), `intercommunality` (with
`mutualisation`), `synthetic` (the volume options of `seed_demo`). Each reads its data from the module of the same
part in demo/ and creates only what is missing."""
