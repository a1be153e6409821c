"""Relevance evaluation (the ``eval`` extra): comparison engines, runs, reports and the
party-tag check, behind ``corpus-search eval``. See docs/architecture.md.
"""
