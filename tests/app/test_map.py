"""AppTest of «Карта»: one point per filtered institution, the card on choosing one."""

import json
from datetime import date

from sqlalchemy import create_engine, text

from components import screens
from tests.app.conftest import rewrite_store, rows, scalar

PAGE = "pages/map.py"


def _deck(app):
    return json.loads(app.get("deck_gl_json_chart")[0].proto.json)


def _points(app):
    return next(layer for layer in _deck(app)["layers"] if layer["id"] == "institutions")["data"]


def test_one_point_per_institution_of_the_selection(open_app, store_url):
    app = open_app(PAGE)
    assert not app.exception and app.title[0].value == "Карта учреждений"
    engine = create_engine(store_url)
    with engine.connect() as connection:
        everyone = connection.execute(text("SELECT COUNT(*) FROM institutions WHERE lat IS NOT NULL")).scalar()
        schools_kirov = connection.execute(
            text("SELECT COUNT(*) FROM institutions WHERE category = 'school' AND district = 'Кировский район'")
        ).scalar()
    engine.dispose()
    assert len(_points(app)) == everyone == 620
    app.sidebar.multiselect(key="category").set_value(["school"]).run()
    app.sidebar.multiselect(key="district").set_value(["Кировский район"]).run()
    points = _points(app)
    assert len(points) == schools_kirov and {point["district"] for point in points} == {"Кировский район"}
    assert len(app.dataframe[0].value) == 1  # the district table beside the map


def test_switching_colours_to_the_checklist(open_app):
    app = open_app(PAGE)
    status_colours = {tuple(point["color"]) for point in _points(app)}
    app.button_group(key="map_color_by").set_value("verification").run()
    verification_colours = {tuple(point["color"]) for point in _points(app)}
    assert status_colours != verification_colours and len(verification_colours) <= 3


def test_choosing_an_institution_in_the_search_shows_its_card(open_app, store_url):
    app = open_app(PAGE)
    assert not app.image
    page_id = scalar(
        store_url,
        "SELECT p.id FROM pages p JOIN institutions i ON i.id = p.institution_id "
        "WHERE i.short_name LIKE 'Гимназия%' ORDER BY p.id LIMIT 1",
    )
    app.selectbox(key="map_search").set_value(page_id).run()
    assert not app.exception
    name = app.subheader[0].value
    assert name.startswith("Гимназия")
    assert any(metric.label == "Подписчики" for metric in app.metric)
    assert len(app.image) == 1 and len(app.image[0].captions) == 1  # the QR code, captioned with its URL
    assert app.image[0].captions[0].replace("\\", "").startswith("https://")  # escaped Markdown source
    chosen = [layer for layer in _deck(app)["layers"] if layer["id"] == "chosen"]
    assert chosen and len(chosen[0]["data"]) == 1


def test_institutions_without_coordinates_are_counted_and_listed(open_app, store_url):
    rewrite_store(
        store_url,
        lambda connection: connection.execute(
            text("UPDATE institutions SET lat = NULL, lon = NULL WHERE id IN (1, 2, 3)")
        ),
    )
    app = open_app("pages/map.py")
    assert not app.exception
    expander = next(item for item in app.expander if "нет координат" in item.label)
    assert "нет координат: 3 учреждения" in expander.label
    listed = next(
        frame.value
        for frame in app.dataframe
        if "Страниц" in frame.value.columns and "Учреждение" in frame.value.columns
    )
    assert len(listed) == 3


def test_a_malformed_districts_file_warns_and_draws_the_map_without_outlines(open_app, tmp_path, monkeypatch):
    bad = tmp_path / "districts.geojson"
    bad.write_text('{"features":[1]}', encoding="utf-8")
    monkeypatch.setenv("GOSPUBLIKI_DISTRICTS_GEOJSON", str(bad))
    app = open_app("pages/map.py")
    assert not app.exception
    assert "Границы районов не показаны" in app.warning[0].value
    assert app.get("deck_gl_json_chart")


def test_the_card_shows_what_vk_measured(open_app, store_url):
    page_id, posts, read, day = next(
        iter(
            rows(
                store_url,
                "SELECT m.page_id, m.posts_7d, m.posts_read, m.day FROM page_measurements m ORDER BY m.page_id LIMIT 1",
            )
        )
    )
    app = open_app(PAGE)
    app.selectbox(key="map_search").set_value(page_id).run()
    assert not app.exception
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Публикаций за 7 дней"] == str(posts)
    shown = date.fromisoformat(str(day)[:10]).strftime("%d.%m.%Y")
    assert any(
        f"Измерено по ВКонтакте {shown}, прочитано публикаций: {read}." in caption.value for caption in app.caption
    )


def test_the_region_areas_map_is_fitted_to_a_phone_or_to_a_wider_screen_and_drawn_once(open_app, monkeypatch):
    monkeypatch.setenv("GOSPUBLIKI_TERRITORY", "region")
    decks = {}
    for key, phone in (("wide", False), ("phone", True)):
        monkeypatch.setattr(screens, "on_phone", lambda phone=phone: phone)
        app = open_app(PAGE)
        assert not app.exception
        assert app.button_group(key="map_view").value == "areas"  # the region opens on its areas
        assert len(app.get("deck_gl_json_chart")) == 1  # a hidden second map would cost as much as this one
        decks[key] = json.loads(app.get("deck_gl_json_chart")[0].proto.json)
    for deck in decks.values():
        areas = next(layer for layer in deck["layers"] if layer["id"] == "areas")["data"]
        # The demo city's ten districts are one area of the region: the city, one circle.
        assert [area["area"] for area in areas] == ["Новосибирск"]
        assert not any(layer["id"] == "districts" for layer in deck["layers"])  # no outlines under it
    sizes = {
        key: next(layer for layer in deck["layers"] if layer["id"] == "areas")["data"][0]["size"]
        for key, deck in decks.items()
    }
    assert sizes["phone"] < sizes["wide"]  # smaller circles on a phone's narrower map
    caption = " ".join(caption.value for caption in app.caption)
    assert "Новосибирск — один кружок" in caption and "области" in caption
