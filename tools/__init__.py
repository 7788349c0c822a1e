"""The template's dev tooling, outside the product package and its wheel: the CI report, the ML
Test Score, benchmark tables, the load and contention checks, the fork check, the docs' figures,
the versioning walkthrough and mutation testing. Make targets run it; nothing in `adclick`
imports it (an import contract holds that).
"""
