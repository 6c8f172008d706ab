"""The map builders: one point per institution, colours, tooltips, fitted view, district outlines."""

import json
import math

import pandas as pd
import pytest

from components import maps, qr
from data_access.vocabulary import STATUS_COLORS


def _pages():
    return pd.DataFrame(
        {
            "page_id": [1, 2, 3, 4],
            "institution_id": [10, 10, 20, 30],  # institution 10 has two pages
            "short_name": ["Сад № 1", "Сад № 1", "Школа № 2", "ДК «Заря»"],
            "platform": ["vk", "ok", "vk", "vk"],
            "category": ["kindergarten", "kindergarten", "school", "culture"],
            "district": ["Кировский район", "Кировский район", "Ленинский район", "Ленинский район"],
            "lat": [54.95, 54.95, 54.99, 55.00],
            "lon": [82.93, 82.93, 82.85, 82.86],
            "subscribers": pd.array([400, 150, 520, None], dtype="Int64"),
            "target": pd.array([500, 500, 500, 500], dtype="Int64"),
            "status": ["lagging", "stalled", "reached", "no_data"],
            "url": ["https://vk.com/sad1", "https://ok.ru/group/1", "https://vk.com/sch2", "https://vk.com/dk"],
            "verification_score": [1.0, 0.5, 0.85, 0.2],
        }
    )


def test_one_point_per_institution_with_summed_figures_and_its_largest_page():
    points = maps.institution_points(_pages())
    assert list(points["institution_id"]) == [10, 20, 30]
    kindergarten = points.iloc[0]
    assert kindergarten["page_id"] == 1 and kindergarten["url"] == "https://vk.com/sad1"
    assert kindergarten["figures"] == "550 из 1\u00a0000 (55\u00a0%)"  # both pages summed
    assert kindergarten["channels"] == "ВКонтакте 400 · Одноклассники 150"  # and each network's audience
    assert kindergarten["status"] == "отстаёт (ВКонтакте)"  # the status is its largest page's: named
    assert points.iloc[2]["channels"] == "ВКонтакте нет данных"
    assert kindergarten["status"].startswith("отстаёт")
    assert list(points.iloc[1]["color"][:3]) == list(STATUS_COLORS["reached"])
    assert points["radius"].is_monotonic_increasing is False  # bigger for more subscribers, not by order
    assert points.iloc[1]["radius"] > points.iloc[2]["radius"]


def test_colour_by_verification_uses_the_bands():
    points = maps.institution_points(_pages(), color_by="verification")
    assert [tuple(color[:3]) for color in points["color"]] == [
        maps.VERIFICATION_BANDS[0][2],
        maps.VERIFICATION_BANDS[1][2],
        maps.VERIFICATION_BANDS[2][2],
    ]
    assert [label for label, _ in maps.legend("verification")][0] == "все обязательные пункты"
    assert [label for label, _ in maps.legend("status")][-2:] == ["нет свежих данных", "нет данных"]


def test_view_fits_all_points():
    lats = pd.Series([54.85, 55.18])
    lons = pd.Series([82.80, 83.10])
    view = maps.fit_view(lats, lons, width_px=640, height_px=560)
    scale = 512 * 2**view.zoom  # deck.gl world size in pixels

    def pixel(lat, lon):
        x = (lon + 180) / 360 * scale
        y = (1 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / math.pi) / 2 * scale
        return x, y

    centre_x, centre_y = pixel(view.latitude, view.longitude)
    for lat, lon in zip(lats, lons):
        x, y = pixel(lat, lon)
        assert abs(x - centre_x) <= 320 and abs(y - centre_y) <= 280
    assert 9 < view.zoom < 11.5
    empty = maps.fit_view(pd.Series([], dtype=float), pd.Series([], dtype=float))
    assert (empty.latitude, empty.longitude) == maps.NOVOSIBIRSK


def test_deck_has_points_labels_tooltip_and_no_basemap_by_default():
    pages = _pages()
    deck = maps.institutions_deck(maps.institution_points(pages), maps.district_labels(pages), highlight=20)
    spec = json.loads(deck.to_json())
    layers = {layer["id"]: layer for layer in spec["layers"]}
    assert set(layers) == {maps.POINTS_LAYER, "chosen"}  # no text over the points
    assert layers[maps.POINTS_LAYER]["@@type"] == "ScatterplotLayer" and layers[maps.POINTS_LAYER]["pickable"]
    assert len(layers[maps.POINTS_LAYER]["data"]) == 3
    assert len(layers["chosen"]["data"]) == 1
    # The ring follows the institution, whichever of its pages was chosen (institution 10 has two).
    ringed = json.loads(
        maps.institutions_deck(maps.institution_points(pages), maps.district_labels(pages), highlight=10).to_json()
    )
    assert len(next(layer for layer in ringed["layers"] if layer["id"] == "chosen")["data"]) == 1
    tooltip = deck._tooltip["text"]  # Streamlit sends the tooltip beside the deck JSON
    for field in ("{name}", "{category}", "{district}", "{figures}", "{status}"):
        assert field in tooltip
    assert "html" not in deck._tooltip  # text tooltips: names from the data are never HTML
    # No outside basemap by default: a local, source-less style travels inside the spec.
    assert spec["mapStyle"].startswith("data:application/json;base64,")
    assert "cartocdn" not in spec["mapStyle"] and "https" not in spec["mapStyle"]
    labels = maps.district_labels(pages).set_index("district")
    assert labels.loc["Ленинский район", "share_at_target"] == 0.5 and labels.loc["Ленинский район", "pages"] == 2


def test_basemap_from_a_tile_template_or_style_url():
    import base64
    import json

    def decoded(url):
        assert url.startswith("data:application/json;base64,")
        return json.loads(base64.b64decode(url.split(",", 1)[1]))

    provider, style = maps.basemap("https://tiles.city.local/{z}/{x}/{y}.png")
    assert provider == "carto" and decoded(style)["sources"]["city"]["tiles"] == [
        "https://tiles.city.local/{z}/{x}/{y}.png"
    ]
    assert maps.basemap("https://tiles.city.local/style.json") == ("carto", "https://tiles.city.local/style.json")
    provider, style = maps.basemap(None)
    assert decoded(style)["sources"] == {}  # a local background: nothing fetched


def test_district_outlines_from_geojson_and_clear_errors(tmp_path):
    square = [[[82.8, 54.9], [82.9, 54.9], [82.9, 55.0], [82.8, 55.0], [82.8, 54.9]]]
    good = tmp_path / "districts.geojson"
    good.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": "Ленинский район"},
                        "geometry": {"type": "Polygon", "coordinates": square},
                    },
                ],
            }
        ),
        encoding="utf-8",
    )
    boundaries = maps.load_boundaries(good)
    assert boundaries["features"][0]["properties"]["district"] == "Ленинский район"
    shaded = maps.shade_boundaries(boundaries, maps.district_labels(_pages()))
    assert shaded["features"][0]["properties"]["fill"][3] > 40
    pages = _pages()
    deck = maps.institutions_deck(maps.institution_points(pages), maps.district_labels(pages), boundaries)
    assert json.loads(deck.to_json())["layers"][0]["@@type"] == "GeoJsonLayer"
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [{"properties": {}, "geometry": {"type": "Point"}}]}')
    with pytest.raises(maps.BoundaryFileError, match="объект 1"):
        maps.load_boundaries(bad)
    with pytest.raises(maps.BoundaryFileError, match="не найден"):
        maps.load_boundaries(tmp_path / "missing.geojson")
    (tmp_path / "junk.geojson").write_bytes(b"\x00\xff")
    with pytest.raises(maps.BoundaryFileError):
        maps.load_boundaries(tmp_path / "junk.geojson")


def test_qr_png_is_a_png():
    assert qr.qr_png("https://vk.com/sad1").startswith(b"\x89PNG")
    assert b"<svg" in qr.qr_svg("https://vk.com/sad1")


@pytest.mark.parametrize(
    "content",
    [
        '{"features": [1]}',
        '{"type": "FeatureCollection", "features": [1]}',
        '{"type": "FeatureCollection", "features": {"a": 1}}',
        '{"type": "FeatureCollection", "features": [{"properties": {"district": "Кировский район"}, '
        '"geometry": {"type": "Polygon", "coordinates": [[1, 2]]}}]}',
        '{"type": "FeatureCollection", "features": [{"properties": {"district": ["x"]}, '
        '"geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,0]]]}}]}',
        "[]",
        "null",
        '"text"',
    ],
)
def test_malformed_boundaries_are_a_message_not_a_crash(tmp_path, content):
    path = tmp_path / "districts.geojson"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(maps.BoundaryFileError, match="Файл границ районов"):
        maps.load_boundaries(path)


def test_the_region_is_summed_by_municipal_district_with_the_city_as_one():
    import pandas as pd

    pages = pd.DataFrame(
        {
            "district": ["Кировский район", "Ленинский район", "Искитимский район", "Искитимский район"],
            "lat": [55.0, 55.02, 54.5, 54.52],
            "lon": [82.9, 82.85, 83.5, 83.52],
            "status": ["reached", "lagging", "reached", "reached"],
            "subscribers": [600, 100, 700, None],
        }
    )
    region = maps.area_summary(pages, "region").set_index("area")
    assert set(region.index) == {maps.CITY_AREA, "Искитимский район"}
    assert region.loc[maps.CITY_AREA, "pages"] == 2 and region.loc[maps.CITY_AREA, "share"] == 0.5
    assert region.loc["Искитимский район", "at_target"] == 2 and region.loc["Искитимский район", "subscribers"] == 700
    assert region.loc["Искитимский район", "label"] == "Искитимский"
    city = maps.area_summary(pages, "city")
    assert len(city) == 3  # in the city every district is its own area
    deck = maps.areas_deck(maps.area_summary(pages, "region"), maps.district_labels(pages))
    layers = {layer["id"]: layer for layer in json.loads(deck.to_json())["layers"]}
    assert layers[maps.AREAS_LAYER]["radiusUnits"] == "pixels"
    assert layers["area-labels"]["characterSet"] == "auto"  # glyphs from the labels: Cyrillic too
    assert len(layers["area-labels"]["data"]) == 2


def test_the_city_outlines_ship_with_the_project():
    boundaries = maps.load_boundaries(maps.SHIPPED_BOUNDARIES)
    names = {feature["properties"]["district"] for feature in boundaries["features"]}
    from data_access.vocabulary import CITY_DISTRICTS

    assert set(CITY_DISTRICTS) <= names
    assert "OpenStreetMap" in maps.ATTRIBUTION and "ODbL" in maps.ATTRIBUTION


def test_labels_that_would_cover_each_other_give_way_to_the_larger_area():
    import pandas as pd

    areas = pd.DataFrame(
        {
            "area": ["Новосибирск", "р. п. Кольцово", "Карасукский район"],
            "lat": [55.03, 55.031, 53.73],
            "lon": [82.92, 82.921, 78.04],
            "label": ["Новосибирск", "р. п. Кольцово", "Карасукский"],
            "size": [34.0, 8.0, 14.0],
        }
    )
    shown = maps.fitting_labels(areas, zoom=6.0)
    assert list(shown["area"]) == ["Новосибирск", "Карасукский район"]
    assert len(maps.fitting_labels(areas, zoom=16.0)) == 3  # zoomed far in, everything fits


def _boxes_apart(first, second) -> bool:
    return first[2] <= second[0] or second[2] <= first[0] or first[3] <= second[1] or second[3] <= first[1]


def test_the_city_fits_a_phone_and_fills_the_desktop_map_with_kolcovo_inside():
    boundaries = maps.load_boundaries(maps.SHIPPED_BOUNDARIES)
    view = maps.map_view(pd.Series([55.03]), pd.Series([82.92]), boundaries)
    centre_x, centre_y = maps._pixels(view.latitude, view.longitude, view.zoom)
    lats, lons = maps._outline_points(boundaries)
    xs, ys = zip(*(maps._pixels(lat, lon, view.zoom) for lat, lon in zip(lats, lons)))
    # Every vertex of every outline (Кольцово's at the east edge too) is inside a phone's map …
    assert max(abs(x - centre_x) for x in xs) <= maps.PHONE_MAP_WIDTH / 2
    assert max(abs(y - centre_y) for y in ys) <= maps.MAP_HEIGHT / 2
    # … and the city is not a small island on the desktop: it takes most of the map's height.
    assert max(ys) - min(ys) > 0.6 * maps.MAP_HEIGHT


def test_every_district_is_named_and_no_two_names_cover_each_other():
    boundaries = maps.load_boundaries(maps.SHIPPED_BOUNDARIES)
    view = maps.map_view(pd.Series([55.03]), pd.Series([82.92]), boundaries)
    names = maps.district_names(boundaries, view.zoom)
    assert len(names) == len(boundaries["features"]) and "Кольцово" in set(names["label"])
    assert "Железнодорожный" in set(names["label"])  # « район» dropped
    boxes = []
    for lat, lon, label, offset in zip(names["lat"], names["lon"], names["label"], names["offset"]):
        x, y = maps._pixels(lat, lon, view.zoom)
        half = (6 + 6.5 * len(label)) / 2
        boxes.append((x - half, y + offset[1] - 8, x + half, y + offset[1] + 8))
    assert all(_boxes_apart(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    deck = json.loads(
        maps.institutions_deck(maps.institution_points(_pages()), maps.district_labels(_pages()), boundaries).to_json()
    )
    layer = {layer["id"]: layer for layer in deck["layers"]}["district-names"]
    assert layer["fontFamily"] == "Source Sans, sans-serif"  # the interface's typeface, not monospace


def _region_areas():
    """Forty areas of the region shaped like the real ones: the city, its suburbs crowding it, and
    the far districts."""
    rows = [
        ("Новосибирск", 55.03, 82.92, 40.0),
        ("Новосибирский район", 55.05, 82.75, 22.0),
        ("р. п. Кольцово", 54.94, 83.18, 6.0),
        ("г. о. Бердск", 54.76, 83.09, 12.0),
        ("г. о. Обь", 54.99, 82.70, 7.0),
        ("Колыванский район", 55.31, 82.74, 12.0),
        ("Мошковский район", 55.30, 83.61, 11.0),
        ("Искитимский район", 54.64, 83.30, 13.0),
    ]
    rows += [(f"Район {number}", 54.0 + (number % 5) * 0.6, 76.0 + number * 0.25, 10.0) for number in range(32)]
    frame = pd.DataFrame(rows, columns=["area", "lat", "lon", "size"])
    frame["label"] = frame["area"]
    return frame


@pytest.mark.parametrize("zoom", [5.6, 6.4])
def test_region_circles_are_spread_until_none_overlaps(zoom):
    areas = _region_areas()
    spread = maps.spread_circles(areas, zoom)
    centres = [maps._pixels(lat, lon, zoom) for lat, lon in zip(spread["lat"], spread["lon"])]
    for i, (x, y) in enumerate(centres):
        for j in range(i + 1, len(centres)):
            gap = math.hypot(x - centres[j][0], y - centres[j][1]) - spread["size"][i] - spread["size"][j]
            assert gap > 0, (spread["area"][i], spread["area"][j], gap)
    # Every circle keeps where its area is; of the city and the suburb that crowds it, the smaller moves more.
    assert list(spread["home_lat"]) == list(areas["lat"])
    moved = [
        math.hypot(*(a - b for a, b in zip(maps._pixels(lat, lon, zoom), maps._pixels(hlat, hlon, zoom))))
        for lat, lon, hlat, hlon in zip(spread["lat"], spread["lon"], spread["home_lat"], spread["home_lon"])
    ]
    assert 0 < moved[0] < moved[1]


def test_region_labels_cover_no_circle_and_no_label_and_the_city_is_always_named():
    areas = maps.spread_circles(_region_areas(), 6.0)
    shown = maps.fitting_labels(areas, 6.0)
    assert "Новосибирск" in set(shown["area"])
    circles = {
        area: (x - size, y - size, x + size, y + size)
        for area, size, (x, y) in zip(
            areas["area"], areas["size"], (maps._pixels(lat, lon, 6.0) for lat, lon in zip(areas["lat"], areas["lon"]))
        )
    }
    boxes = []
    for area, label, anchor, offset, size in zip(
        shown["area"], shown["label"], shown["anchor"], shown["offset"], shown["size"]
    ):
        x, y = circles[area][0] + size, circles[area][1] + size
        width = 4 + 7.0 * len(label)
        left = {"start": x + offset[0] - 2, "end": x + offset[0] + 2 - width, "middle": x - width / 2}[anchor]
        boxes.append((area, (left, y + offset[1] - 8, left + width, y + offset[1] + 8)))
    for area, box in boxes:
        if area != "Новосибирск":
            assert all(_boxes_apart(box, circle) for circle in circles.values()), area
    assert all(_boxes_apart(a[1], b[1]) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    deck = json.loads(
        maps.areas_deck(
            _region_areas().assign(color=[[0, 0, 0, 255]] * 40, figures=""),
            pd.DataFrame(columns=["district", "share_at_target"]),
            width_px=maps.PHONE_MAP_WIDTH,
        ).to_json()
    )
    layers = {layer["id"]: layer for layer in deck["layers"]}
    assert "area-leaders" in layers  # lines from the moved circles to their places
    assert max(point["size"] for point in layers[maps.AREAS_LAYER]["data"]) < 40  # smaller on a phone


def test_a_districts_file_too_deep_or_too_big_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    import time

    deep = tmp_path / "deep.geojson"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    started = time.perf_counter()
    with pytest.raises(maps.BoundaryFileError, match="вложенность скобок 100000"):
        maps.load_boundaries(deep)
    assert time.perf_counter() - started < 2
    monkeypatch.setattr(maps, "BOUNDARIES_MAX_BYTES", 1000)
    with pytest.raises(maps.BoundaryFileError, match="слишком большой"):
        maps.load_boundaries(maps.SHIPPED_BOUNDARIES)
    tricky = tmp_path / "strings.geojson"  # brackets inside strings do not count
    tricky.write_text('{"type": "FeatureCollection", "note": "' + "[" * 500 + '", "features": []}')
    assert maps.load_boundaries(tricky)["features"] == []


def test_the_caption_and_legend_follow_the_view_and_the_colouring():
    legend, text = maps.explanation("areas", "status", region=True)
    assert "Новосибирск — один кружок" in text and "доля страниц, достигших цели" in text
    assert maps.explanation("areas", "status", region=False)[1].startswith("Кружок — итог по району города")
    assert legend == maps.legend_markdown(maps.area_legend())
    legend, text = maps.explanation("points", "verification", region=False)
    assert "цвет — выполнение чек-листа" in text and legend == maps.legend_markdown(maps.legend("verification"))
    assert "цвет — статус цели" in maps.explanation("points", "status", region=True)[1]
