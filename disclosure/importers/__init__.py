"""Importers: a published report → ParsedReport → AnnualReport (see ``text.py``).

Any container (text, Word, web page, PDF) is read by ``detect.parse_report_path`` /
``detect.parse_report_bytes``."""
