"""The dashboard's reads of the store, one module per subject, each read cached by cache.shared_read:

- store: the engine, settings, today, the date of the data, filter options, «Начало работы»;
- figures: the per-page figures and what is derived from them (summaries, tables, history, map);
- checklist: the verification checklist's cells, items and scores;
- plan: the newsroom's content plan and what the calendar shows of it;
- report: the commission report's figures and files;
- admin: the registry, imports and collection runs.

Pages call them as `reads.figures.kpis(selection)`; writes go to data_access directly.
"""

from components.reads import admin, cache, checklist, figures, plan, report, store

__all__ = ["admin", "cache", "checklist", "figures", "plan", "report", "store"]
