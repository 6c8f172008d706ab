"""Verification: score rules, the matrix and its edits, missing lists, items as data."""

import pandas as pd
import pytest
from sqlalchemy import func, select

from components import verification
from data_access import checklist, queries, rules
from data_access.auth import Actor
from data_access.checklist import CheckEdit, ItemDraft, ItemUpdate
from data_access.models import audit_log, checklist_items, page_checks
from data_access.writes import PermissionDenied, StaleRecord, ValidationFailed
from tests.independent import active_pages

ADMIN = Actor("admin", "Админ", "admin")
EDITOR = Actor("editor", "Редактор", "editor")

ITEMS = pd.DataFrame(
    {
        "id": [1, 2, 3],
        "title": ["ВК", "Госметка", "Обложка"],
        "is_required": [True, True, False],
        "position": [1, 2, 3],
        "scope": ["page"] * 3,
    }
)
PAGES = pd.DataFrame(
    {
        "page_id": [10, 20, 30],
        "institution_id": [1, 2, 3],
        "short_name": ["Сад № 1", "Школа № 2", "ДК «Заря»"],
        "platform": ["vk", "vk", "max"],
        "category": ["kindergarten", "school", "culture"],
        "district": ["Кировский район"] * 3,
        "is_flagship": [False, True, False],
        "subscribers": pd.array([100, 900, 50], dtype="Int64"),
    }
)


def _states(cells):
    return pd.DataFrame(
        [
            {"page_id": page, "item_id": item, "state": state, "note": None, "evidence_url": None, "version": 1}
            for (page, item), state in cells.items()
        ]
    )


STATES = _states(
    {
        (10, 1): "done",
        (10, 2): "done",
        (10, 3): "not_done",
        (20, 1): "done",
        (20, 2): "not_done",
        (20, 3): "done",
        (30, 1): "n_a",
        (30, 2): "not_done",
        (30, 3): "n_a",
    }
)


@pytest.mark.parametrize(("done", "total", "score"), [(2, 2, 1.0), (1, 2, 0.5), (0, 0, 1.0), (0, 3, 0.0)])
def test_completeness(done, total, score):
    assert rules.completeness(done, total) == score


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


def test_group_scores_count_verified_pages_per_category():
    scores = pd.DataFrame(
        {
            "page_id": [10, 20, 30],
            "required_total": [2, 2, 1],
            "required_done": [2, 1, 0],
            "score": [1.0, 0.5, 0.0],
            "missing_required": [0, 1, 1],
        }
    )
    groups = verification.group_scores(PAGES, scores, "category")
    assert list(groups["Категория"]) == ["Детские сады", "Школы", "Культура"]
    assert list(groups["Верифицировано страниц"]) == [1, 0, 0]
    assert list(groups["Средняя полнота"]) == [1.0, 0.5, 0.0]


def test_sql_scores_count_required_items_only_and_skip_not_applicable(demo_engine):
    """queries.verification_by_page against the rule counted here by hand over the stored cells:
    page items only (the institution's are scored per institution), on their networks only."""
    from data_access.models import pages

    with demo_engine.connect() as connection:
        items = {
            row.id: row
            for row in connection.execute(
                select(
                    checklist_items.c.id,
                    checklist_items.c.is_required,
                    checklist_items.c.scope,
                    checklist_items.c.platforms,
                ).where(checklist_items.c.retired_at.is_(None))
            )
        }
        networks = dict(connection.execute(select(pages.c.id, pages.c.platform)).all())
        states = {
            (page_id, item_id): state
            for page_id, item_id, state in connection.execute(
                select(page_checks.c.page_id, page_checks.c.item_id, page_checks.c.state)
            ).all()
        }
    expected: dict[int, list[int]] = {}
    for page_id in {page for page, _item in states}:
        counts = expected.setdefault(page_id, [0, 0, 0, 0])
        for item_id, item in items.items():
            if item.scope != "page" or (item.platforms and networks[page_id] not in item.platforms.split(",")):
                continue
            required = item.is_required
            state = states.get((page_id, item_id), "not_done")  # a cell nobody set is not done
            if state != "n_a":
                counts[0 if required else 2] += 1
                counts[1 if required else 3] += state == "done"
    from_sql = queries.verification_by_page(demo_engine).set_index("page_id")
    for page_id, (required_total, required_done, optional_total, optional_done) in expected.items():
        if page_id in from_sql.index:
            row = from_sql.loc[page_id]
            assert (row["required_total"], row["required_done"], row["optional_total"], row["optional_done"]) == (
                required_total,
                required_done,
                optional_total,
                optional_done,
            ), page_id


def test_check_edits_keep_stored_texts_unless_edited_and_carry_the_shown_version():
    states = _states({(10, 1): "done", (20, 1): "not_done"}).assign(version=[3, 7])
    kept = {(10, 1): {"note": "старое", "evidence_url": "https://vk.com/wall-1_1"}}
    edits = verification.check_edits([(10, 1, "not_done"), (20, 1, "done")], states, kept, {(20, 1): ("новое", "")})
    assert edits == [
        CheckEdit(10, 1, "not_done", "старое", "https://vk.com/wall-1_1", 3),
        CheckEdit(20, 1, "done", "новое", "", 7),
    ]


def test_page_changes_are_the_rows_the_person_changed():
    cells = pd.DataFrame(
        {
            "item_id": [1, 2],
            "code": ["vk", "mark"],
            "title": ["ВК", "Госметка"],
            "scope": ["page", "page"],
            "is_required": [True, True],
            "state": ["done", "not_done"],
            "note": [None, "x"],
            "evidence_url": [None, None],
            "updated_at": [None, None],
            "updated_by": [None, None],
        }
    )
    before = verification.page_view(cells, {"mark": "Измерено"})
    assert list(before["Измерено"]) == ["", "Измерено"]
    after = before.copy()
    after.loc[2, "Состояние"] = "выполнено"
    changes, texts = verification.page_changes(10, before, after)
    assert changes == [(10, 2, "done")] and texts == {(10, 2): ("x", "")}
    assert verification.page_changes(10, before, before.copy()) == ([], {})


def test_item_updates_are_the_rows_the_admin_changed():
    items = pd.DataFrame(
        {
            "id": [1, 2],
            "code": ["vk", "mark"],
            "title": ["ВК", "Госметка"],
            "description": ["", ""],
            "is_required": [True, False],
            "position": [10, 20],
            "retired_at": [None, None],
            "version": [4, 5],
            "scope": ["institution", "page"],
            "platforms": [None, "vk,ok"],
        }
    )
    before = verification.items_view(items)
    after = before.copy()
    after.loc[2, "В работе"] = False
    assert verification.item_updates(items, before, after) == [
        ItemUpdate(2, 5, ItemDraft("Госметка", "", False, 20, ("vk", "ok")), False)
    ]
    assert verification.item_updates(items, before, before.copy()) == []


def test_cleared_cells_reach_the_write_path_as_empty_not_as_a_crash():
    items = pd.DataFrame(
        {
            "id": [1],
            "code": ["vk"],
            "title": ["ВК"],
            "description": [None],
            "is_required": [True],
            "position": [10],
            "retired_at": [None],
            "version": [4],
            "scope": ["page"],
            "platforms": [None],
        }
    )
    before = verification.items_view(items)
    after = before.astype(object).copy()
    after.loc[1, "Название"] = None
    after.loc[1, "Порядок"] = None
    assert verification.item_updates(items, before, after) == [ItemUpdate(1, 4, ItemDraft("", "", True, None), True)]


def test_item_problems_name_the_code_the_admin_sees_and_nothing_is_saved(demo_engine):
    items = queries.checklist_item_list(demo_engine).set_index("code")
    qr, mark = items.loc["qr_code"], items.drop(index="qr_code").iloc[0]
    with pytest.raises(ValidationFailed) as refused:
        checklist.save_items(
            demo_engine,
            ADMIN,
            [
                ItemUpdate(int(mark["id"]), int(mark["version"]), ItemDraft("Новое имя", "", True, 5), True),
                ItemUpdate(int(qr["id"]), int(qr["version"]), ItemDraft("", "", True, None), True),
            ],
        )
    assert refused.value.problems == [
        "Пункт «qr_code»: Название пункта не может быть пустым.",
        "Пункт «qr_code»: Порядок: укажите целое число от 0 до 100000.",
    ]
    after = queries.checklist_item_list(demo_engine).set_index("code")
    assert after.loc["qr_code", "title"] == qr["title"] and after.loc[mark.name, "title"] == mark["title"]


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
        rows_before = connection.execute(
            select(func.count()).select_from(page_checks).where(page_checks.c.item_id == int(qr["id"]))
        ).scalar()
    checklist.save_items(
        demo_engine,
        ADMIN,
        [
            ItemUpdate(
                int(qr["id"]),
                int(qr["version"]),
                ItemDraft(qr["title"], qr["description"] or "", bool(qr["is_required"]), int(qr["position"])),
                active=False,
            )
        ],
    )
    assert "qr_code" not in set(queries.checklist_item_list(demo_engine)["code"])
    assert "qr_code" in set(queries.checklist_item_list(demo_engine, include_retired=True)["code"])
    assert int(qr["id"]) not in set(queries.checklist_states(demo_engine)["item_id"])
    with demo_engine.connect() as connection:
        assert (
            connection.execute(
                select(func.count()).select_from(page_checks).where(page_checks.c.item_id == int(qr["id"]))
            ).scalar()
            == rows_before
        )
        entry = connection.execute(select(audit_log).order_by(audit_log.c.id.desc())).mappings().first()
    assert entry["entity"] == "checklist_item" and '"retired_at": null' in entry["before"]
    required_after = queries.verification_by_page(demo_engine)["required_total"].max()
    # 11 required items less the three of the institution (VK page, OK page, link on the site) and
    # the retired QR code: 7 on a VK page, where every page item exists.
    assert required_after == 7


def test_saving_items_is_all_or_nothing(demo_engine):
    items = queries.checklist_item_list(demo_engine)
    first, second = items.iloc[0], items.iloc[1]
    with pytest.raises(StaleRecord):
        checklist.save_items(
            demo_engine,
            ADMIN,
            [
                ItemUpdate(int(first["id"]), int(first["version"]), ItemDraft("Новое название", "", True, 5), True),
                ItemUpdate(int(second["id"]), int(second["version"]) + 3, ItemDraft("Другое", "", True, 6), True),
            ],
        )
    assert queries.checklist_item_list(demo_engine).iloc[0]["title"] == first["title"]


def test_bulk_marking_many_pages_in_one_save(demo_engine):
    states = queries.checklist_states(demo_engine)
    item_id = int(queries.checklist_item_list(demo_engine).set_index("code").loc["qr_code", "id"])
    todo = states[(states["item_id"] == item_id) & (states["state"] == "not_done")].head(40)
    edits = [
        CheckEdit(int(row.page_id), item_id, "done", None, None, None if pd.isna(row.version) else int(row.version))
        for row in todo.itertuples()
    ]
    assert checklist.save_checks(demo_engine, EDITOR, edits) == len(edits) == 40
    after = queries.checklist_states(demo_engine).set_index(["page_id", "item_id"])
    assert all(after.loc[(int(page), item_id), "state"] == "done" for page in todo["page_id"])


def test_institution_items_are_marked_once_per_institution_and_page_items_only_on_their_networks(demo_engine):
    from sqlalchemy import text

    items = queries.checklist_item_list(demo_engine).set_index("code")
    max_item, mark_item = int(items.loc["max_channel", "id"]), int(items.loc["gov_mark", "id"])
    with demo_engine.connect() as connection:
        institution, vk_page = connection.execute(
            text(
                "SELECT i.id, p.id FROM institutions i JOIN pages p ON p.institution_id = i.id AND p.platform = 'vk' "
                "WHERE NOT EXISTS (SELECT 1 FROM institution_checks c WHERE c.institution_id = i.id AND c.item_id = "
                ":item) "
                "ORDER BY i.id LIMIT 1"
            ),
            {"item": max_item},
        ).one()
        max_page = connection.execute(text("SELECT id FROM pages WHERE platform = 'max' ORDER BY id LIMIT 1")).scalar()
    before = queries.institution_check_states(demo_engine)
    # Refused, with nothing written: an institution item on one page, the госметка on a MAX channel.
    with pytest.raises(ValidationFailed) as refused:
        checklist.save_checks(
            demo_engine, EDITOR, [CheckEdit(vk_page, max_item, "done"), CheckEdit(max_page, mark_item, "done")]
        )
    assert refused.value.problems[0].startswith("Пункт «Канал в MAX создан» относится к учреждению целиком")
    assert "только для сетей: ВКонтакте, Одноклассники" in refused.value.problems[1]
    assert queries.institution_check_states(demo_engine).equals(before)
    # Marked at the institution: every page of it shows the one mark, the report counts it once.
    checklist.save_checks(demo_engine, EDITOR, [CheckEdit(None, max_item, "done", institution_id=institution)])
    shown = queries.page_checklist(demo_engine, vk_page).set_index("code")
    assert shown.loc["max_channel", "state"] == "done" and shown.loc["max_channel", "scope"] == "institution"
    completion = queries.item_completion(demo_engine).set_index("title")
    with demo_engine.connect() as connection:
        with_channel = connection.execute(
            text("SELECT COUNT(*) FROM institution_checks WHERE item_id = :item AND state = 'done'"), {"item": max_item}
        ).scalar()
        institutions = connection.execute(text("SELECT COUNT(*) FROM institutions")).scalar()
        audited = connection.execute(
            text("SELECT COUNT(*) FROM audit_log WHERE entity = 'institution_check' AND entity_id = :id"),
            {"id": f"{institution}/{max_item}"},
        ).scalar()
    assert tuple(completion.loc["Канал в MAX создан", ["done", "applies"]]) == (with_channel, institutions)
    assert audited == 1
    # The госметка is not asked of a MAX channel at all.
    assert "gov_mark" not in set(queries.page_checklist(demo_engine, max_page)["code"])


def test_page_cells_join_a_pages_own_and_its_institutions_items_institution_items_last():
    items = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "code": ["vk", "site_link", "cover"],
            "title": ["ВК", "Ссылка на сайте", "Обложка"],
            "is_required": [True, True, False],
            "scope": ["page", "institution", "page"],
        }
    )
    held = verification.States(
        pd.DataFrame(
            {"page_id": [10, 10, 20], "item_id": [1, 3, 1], "state": ["done", "not_done", "done"], "version": [1, 2, 3]}
        ),
        pd.DataFrame({"institution_id": [1, 2], "item_id": [2, 2], "state": ["done", "not_done"], "version": [4, 5]}),
    )
    checklist_rows = pd.DataFrame(
        {"item_id": [3], "note": ["нет обложки"], "evidence_url": [None], "updated_at": [None], "updated_by": ["Ира"]}
    )
    cells = verification.page_cells(held, items, checklist_rows, page_id=10, institution_id=1)
    assert list(cells["item_id"]) == [1, 3, 2]  # the page's items first, the institution's last
    assert list(cells["version"]) == [1, 2, 4]  # page 20 and institution 2 are left out
    assert cells.set_index("item_id").loc[3, "note"] == "нет обложки"
    assert pd.isna(cells.set_index("item_id").loc[1, "note"])


def test_platform_views_name_columns_in_russian_and_count_institutions_per_network():
    coverage = pd.DataFrame(
        {
            "institution_id": [1, 2, 3],
            "short_name": ["Сад № 1", "Школа № 2", "Школа № 3"],
            "category": ["kindergarten", "school", "school"],
            "district": ["Кировский район"] * 3,
            "vk": [True, True, False],
            "ok": [False, True, False],
            "telegram": [False, False, False],
            "max": [True, False, True],
        }
    )
    counts = verification.platform_counts_view(coverage, "category").set_index("Категория")
    assert counts.loc["Школы", "Учреждений"] == 2
    assert counts.loc["Школы", "ВКонтакте"] == 1 and counts.loc["Школы", "MAX"] == 1
    listed = verification.platform_coverage_view(coverage)
    assert "institution_id" not in listed.columns
    assert list(listed["Категория"]) == ["Детские сады", "Школы", "Школы"]
