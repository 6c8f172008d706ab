"""«Карта» in Chromium without internet: the canvas draws, a click or a search opens the card."""

import io
import math
import re

import pandas as pd
from PIL import Image
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from sqlalchemy import create_engine, text

from components import maps
from tests.e2e.conftest import open_page, wait_for_app
from tests.support import wait_until


def _coloured_pixels(png: bytes) -> int:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = image.size
    pixels = image.load()
    return sum(1 for x in range(width) for y in range(height) if max(pixels[x, y]) - min(pixels[x, y]) > 40)


def _wait_for_points(chart) -> None:
    wait_until(
        lambda: _coloured_pixels(chart.screenshot()) > 500,
        timeout=20,
        interval=0.5,
        message="the map drew no coloured points in 20 s",
    )


def test_map_draws_points_without_a_basemap(page: Page, app_server):
    open_page(page, app_server, "map")
    chart = page.get_by_test_id("stDeckGlJsonChart")
    expect(chart.locator("canvas").first).to_be_visible(timeout=20_000)  # the map page takes 5–12 s here
    # Coloured (status) pixels: the points are drawn although no basemap tile can load here
    # (WebGL draws after the script run ends).
    _wait_for_points(chart)


def test_choosing_in_the_search_opens_the_card(page: Page, app_server):
    open_page(page, app_server, "map")
    search = page.get_by_test_id("stSelectbox").filter(has_text="Найти учреждение")
    search.click()
    page.keyboard.type("Лицей")
    page.get_by_role("option").first.click()
    wait_for_app(page)
    card = page.locator(".st-key-map_card_box")
    expect(card.get_by_role("heading").first).to_contain_text("Лицей")
    expect(card.get_by_test_id("stImage")).to_be_visible()  # the QR code
    expect(card).to_contain_text("обязательных пунктов")


def test_clicking_a_point_opens_its_card(page: Page, app_server):
    open_page(page, app_server, "map")
    chart = page.get_by_test_id("stDeckGlJsonChart")
    expect(chart.locator("canvas").first).to_be_visible(timeout=20_000)
    _wait_for_points(chart)
    box = chart.locator("canvas").first.bounding_box()
    # Project every institution into the canvas the way deck.gl does (with the view the page fitted
    # to all of them), then click the one standing furthest from its neighbours, away from the edges
    # and the zoom buttons.
    engine = create_engine(app_server.database_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT short_name, lat, lon FROM institutions")).all()
    engine.dispose()
    view = maps.map_view(
        pd.Series([row.lat for row in rows]),
        pd.Series([row.lon for row in rows]),
        maps.load_boundaries(maps.SHIPPED_BOUNDARIES),
    )
    scale = 512 * 2**view.zoom

    def pixel(lat, lon):
        x = (lon + 180) / 360 * scale
        y = (1 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / math.pi) / 2 * scale
        return x, y

    centre_x, centre_y = pixel(view.latitude, view.longitude)
    placed = [
        (
            row,
            box["width"] / 2 + pixel(row.lat, row.lon)[0] - centre_x,
            box["height"] / 2 + pixel(row.lat, row.lon)[1] - centre_y,
        )
        for row in rows
    ]
    inside = [
        item
        for item in placed
        if 0.15 * box["width"] < item[1] < 0.8 * box["width"] and 0.15 * box["height"] < item[2] < 0.85 * box["height"]
    ]

    def room(item):
        return min(math.hypot(item[1] - other[1], item[2] - other[2]) for other in placed if other is not item)

    target, x, y = max(inside, key=room)
    card = page.locator(".st-key-map_card_box")
    # deck.gl answers clicks only once its layers are drawn, which on a busy machine can take longer
    # than the pause above: click again (at most three times) until the card shows.
    for _ in range(3):
        page.mouse.click(box["x"] + x, box["y"] + y)
        wait_for_app(page)
        try:
            card.wait_for(timeout=3000)
            break
        except PlaywrightTimeoutError:
            continue
    expect(card).to_contain_text("Чек-лист")
    expect(card.get_by_role("heading").first).to_have_text(re.compile(rf"^{re.escape(target.short_name)} · "))
