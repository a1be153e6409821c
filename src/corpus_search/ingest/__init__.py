"""Reading files into documents: formats, encodings, dates, sources and boilerplate.

Imports only :mod:`corpus_search.errors`. See docs/architecture.md for the package contract.
"""
