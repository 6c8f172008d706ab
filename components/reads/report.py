"""Reads of the commission report: its figures, its table of key figures as the page shows it, and
the DOCX and PDF files (see components/reads/cache.py for the caching)."""

from __future__ import annotations

import pandas as pd

from components import tables
from components.reads.cache import shared_read
from components.reads.store import coverage_area, get_engine, get_settings, today
from data_access import periods, report
from data_access.areas import Area
from data_access.filters import PageFilter

# Checklist and calendar writes move the report as well as figures and registry.
REPORT = (Area.REGISTRY, Area.SUBSCRIBERS, Area.CHECKLIST, Area.CALENDAR)


@shared_read(*REPORT, daily=True, entries=16, spinner="Собираем цифры отчёта…")
def figures(filters: PageFilter, period: periods.Period) -> report.ReportData:
    """The commission report's figures for the selection and period (report.NoDataForPeriod when
    there are none)."""
    return report.gather(get_engine(), filters, period, get_settings(), today(), region=coverage_area() == "region")


@shared_read(*REPORT, daily=True, entries=16)
def key_figures(filters: PageFilter, period: periods.Period) -> tables.Table:
    """The report's table of key figures as the page shows it (the same rows as in the DOCX and PDF)."""
    from components import report_document  # python-docx and vl-convert load only with a report

    table = report_document.key_figures_table(figures(filters, period), notes_apart=True)
    return tables.table_of(pd.DataFrame(list(table.rows), columns=list(table.columns)))


@shared_read(*REPORT, daily=True, entries=8)
def _document(filters: PageFilter, period: periods.Period):
    """The report's blocks, its charts rendered once for both files."""
    from components import report_document

    return report_document.build(figures(filters, period))


@shared_read(*REPORT, daily=True, entries=16)
def file(filters: PageFilter, period: periods.Period, kind: str) -> bytes:
    """The report as «docx» or «pdf» bytes, built once per data revision, selection and period."""
    from components import report_document

    built = _document(filters, period)
    return report_document.pdf_bytes(built) if kind == "pdf" else report_document.docx_bytes(built)
