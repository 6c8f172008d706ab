"""Verification: score rules, the matrix and its edits, missing lists, items as data."""

import pandas as pd
import pytest
from sqlalchemy import func, select

from components import verification
from data_access import checklist, queries, rules
from data_access.auth import Actor
from data_access.checklist import CheckEdit, ItemDraft, ItemUpdate
from data_access.models import audit_log, page_checks
from data_access.writes import PermissionDenied, StaleRecord, ValidationFailed
from tests.independent import active_pages

ADMIN = Actor("admin", "Админ", "admin")
EDITOR = Actor("editor", "Редактор", "editor")

ITEMS = pd.DataFrame({"id": [1, 2, 3], "title": ["ВК", "Госметка", "Обложка"], "is_required": [True, True, False],
                      "position": [1, 2, 3]})
PAGES = pd.DataFrame({"page_id": [10, 20, 30], "short_name": ["Сад № 1", "Школа № 2", "ДК «Заря»"],
                      "category": ["kindergarten", "school", "culture"], "district": ["Кировский район"] * 3,
                      "is_flagship": [False, True, False], "subscribers": pd.array([100, 900, 50], dtype="Int64")})


def _states(cells):
    return pd.DataFrame([{"page_id": page, "item_id": item, "state": state, "note": None, "evidence_url": None,
                          "version": 1} for (page, item), state in cells.items()])


STATES = _states({(10, 1): "done", (10, 2): "done", (10, 3): "not_done",
                  (20, 1): "done", (20, 2): "not_done", (20, 3): "done",
                  (30, 1): "n_a", (30, 2): "not_done", (30, 3): "n_a"})


@pytest.mark.parametrize(("done", "total", "score"), [(2, 2, 1.0), (1, 2, 0.5), (0, 0, 1.0), (0, 3, 0.0)])
def test_completeness(done, total, score):
    assert rules.completeness(done, total) == score


def test_scores_count_required_items_only_and_skip_not_applicable():
    scores = verification.page_scores(STATES, ITEMS).set_index("page_id")
    assert scores.loc[10, "score"] == 1.0  # the optional cover does not lower it
    assert scores.loc[20, "score"] == 0.5
    assert scores.loc[30, "required_total"] == 1 and scores.loc[30, "score"] == 0.0  # «ВК» is n/a
    assert list(scores["missing_required"]) == [0, 1, 1]


def test_missing_list_most_urgent_first_and_by_item():
    missing = verification.missing_list(STATES, ITEMS, PAGES)
    assert list(missing["page_id"]) == [20, 30]  # same count missing: the flagship first
    assert missing.iloc[0]["Чего не хватает"] == "Госметка"
    cover = verification.missing_list(STATES, ITEMS, PAGES, item_id=3)
    assert list(cover["page_id"]) == [10]


def test_matrix_edits_map_to_pages_even_when_sorted_or_filtered():
    before = verification.matrix(STATES, ITEMS, PAGES)
    assert list(before.index) == [10, 20, 30] and before.loc[20, "Госметка"] == "не выполнено"
    # What the editor returns after the person sorted by name and filtered one row away.
    after = before.sort_values("Учреждение", ascending=False).drop(index=10).copy()
    after.loc[20, "Госметка"] = "выполнено"
    after.loc[30, "Обложка"] = "не выполнено"
    assert verification.changed_cells(before, after, ITEMS) == [(20, 2, "done"), (30, 3, "not_done")]
    assert verification.changed_cells(before, before.copy(), ITEMS) == []


def test_item_completion_and_group_scores():
    completion = verification.item_completion(STATES, ITEMS).set_index("id")
    assert completion.loc[1, "applies"] == 2 and completion.loc[1, "share_done"] == 1.0
    assert completion.loc[2, "share_done"] == pytest.approx(1 / 3)
    groups = verification.group_scores(PAGES, verification.page_scores(STATES, ITEMS), "category")
    assert list(groups["Категория"]) == ["Детские сады", "Школы", "Культура"]
    assert list(groups["Верифицировано страниц"]) == [1, 0, 0]


def test_pandas_scores_agree_with_sql_counts_on_the_demo_city(demo_engine):
    states = queries.checklist_states(demo_engine)
    items = queries.checklist_item_list(demo_engine)
    from_pandas = verification.page_scores(states, items).set_index("page_id")
    from_sql = queries.verification_by_page(demo_engine).set_index("page_id")
    for column in ("required_total", "required_done", "optional_total", "optional_done"):
        assert (from_pandas[column] == from_sql[column]).all()


def test_a_new_item_is_not_done_everywhere_and_only_admins_add_items(demo_engine):
    with pytest.raises(PermissionDenied):
        checklist.add_item(demo_engine, EDITOR, "vk_clips", ItemDraft("Клипы ВКонтакте"))
    with pytest.raises(ValidationFailed, match="Код"):
        checklist.add_item(demo_engine, ADMIN, "Клипы", ItemDraft("Клипы ВКонтакте"))
    item_id = checklist.add_item(demo_engine, ADMIN, "vk_clips", ItemDraft("Клипы ВКонтакте", is_required=False))
    states = queries.checklist_states(demo_engine)
    new = states[states["item_id"] == item_id]
    assert len(new) == active_pages(demo_engine) and set(new["state"]) == {"not_done"}


def test_retiring_keeps_history_and_leaves_the_scores(demo_engine):
    items = queries.checklist_item_list(demo_engine).set_index("code")
    qr = items.loc["qr_code"]
    with demo_engine.connect() as connection:
        rows_before = connection.execute(select(func.count()).select_from(page_checks)
                                         .where(page_checks.c.item_id == int(qr["id"]))).scalar()
    checklist.set_item_retired(demo_engine, ADMIN, int(qr["id"]), int(qr["version"]), retired=True)
    assert "qr_code" not in set(queries.checklist_item_list(demo_engine)["code"])
    assert "qr_code" in set(queries.checklist_item_list(demo_engine, include_retired=True)["code"])
    assert int(qr["id"]) not in set(queries.checklist_states(demo_engine)["item_id"])
    with demo_engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(page_checks)
                                  .where(page_checks.c.item_id == int(qr["id"]))).scalar() == rows_before
        entry = connection.execute(select(audit_log).order_by(audit_log.c.id.desc())).mappings().first()
    assert entry["entity"] == "checklist_item" and '"retired_at": null' in entry["before"]
    required_after = queries.verification_by_page(demo_engine)["required_total"].max()
    assert required_after == 10


def test_saving_items_is_all_or_nothing(demo_engine):
    items = queries.checklist_item_list(demo_engine)
    first, second = items.iloc[0], items.iloc[1]
    with pytest.raises(StaleRecord):
        checklist.save_items(demo_engine, ADMIN, [
            ItemUpdate(int(first["id"]), int(first["version"]), ItemDraft("Новое название", "", True, 5), True),
            ItemUpdate(int(second["id"]), int(second["version"]) + 3, ItemDraft("Другое", "", True, 6), True),
        ])
    assert queries.checklist_item_list(demo_engine).iloc[0]["title"] == first["title"]


def test_bulk_marking_many_pages_in_one_save(demo_engine):
    states = queries.checklist_states(demo_engine)
    item_id = int(queries.checklist_item_list(demo_engine).set_index("code").loc["qr_code", "id"])
    todo = states[(states["item_id"] == item_id) & (states["state"] == "not_done")].head(40)
    edits = [CheckEdit(int(row.page_id), item_id, "done", None, None,
                       None if pd.isna(row.version) else int(row.version)) for row in todo.itertuples()]
    assert checklist.save_checks(demo_engine, EDITOR, edits) == len(edits) == 40
    after = queries.checklist_states(demo_engine).set_index(["page_id", "item_id"])
    assert all(after.loc[(int(page), item_id), "state"] == "done" for page in todo["page_id"])
