"""Importers: a published report → ParsedReport → AnnualReport (see ``text.py``)."""
