"""pydeck map builders: institutions as points, districts as labels or outlines; data in, pdk.Deck out.

The map must stay readable inside a city network without internet, so it does not depend on a
basemap: the city's district outlines (shipped with the project, © OpenStreetMap contributors,
ODbL; another file can be configured) give it shape, and a basemap is used only when a tile
server or style URL is configured. Two views: areas (one circle per district — for the region,
per municipal district with the city as one of them) and institutions (one point each).
"""

from __future__ import annotations

import base64
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pydeck as pdk

from components import formatting as fmt
from components import static_files
from data_access.vocabulary import CITY_DISTRICTS, STATUS_COLORS, STATUSES, category_label, platform_label

NOVOSIBIRSK = (55.03, 82.92)
POINTS_LAYER = "institutions"
AREAS_LAYER = "areas"
SHIPPED_BOUNDARIES = static_files.ASSETS / "novosibirsk-districts.geojson"
ATTRIBUTION = "Границы районов: © участники OpenStreetMap, ODbL"
CITY_AREA = "Новосибирск"
# Share of an area's pages at target -> colour of its circle.
AREA_BANDS = [
    (0.5, "половина страниц и больше у цели", (46, 139, 87)),
    (0.25, "от четверти до половины", (240, 160, 40)),
    (0.0, "меньше четверти", (214, 69, 65)),
]

VERIFICATION_BANDS = [
    # (lowest share of required items done, label, colour)
    (1.0, "все обязательные пункты", (46, 139, 87)),
    (0.8, "не хватает 1–2 пунктов", (240, 160, 40)),
    (0.0, "не хватает многих пунктов", (214, 69, 65)),
]
# Streamlit's Markdown colour names closest to the map colours, for the legend.
LEGEND_COLOR_NAMES = {
    (46, 139, 87): "green",
    (66, 133, 244): "blue",
    (240, 160, 40): "orange",
    (214, 69, 65): "red",
    (120, 100, 160): "violet",
    (150, 150, 150): "gray",
}


def legend_markdown(entries: list[tuple[str, tuple[int, int, int]]]) -> str:
    """«● label» pairs in Streamlit's coloured Markdown, for under the map."""
    return " &nbsp; ".join(f":{LEGEND_COLOR_NAMES.get(color, 'gray')}[●] {label}" for label, color in entries)


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation and keeps Cyrillic as it is: pydeck indents every record
    of every layer and writes each Cyrillic letter as a six-byte «\\uXXXX» (a UTF-8 letter takes
    two): with this and the outlines rounded (load_boundaries), the city's map of institutions went
    from 534 to 340 KiB."""

    def to_json(self) -> str:
        from pydeck.bindings.json_tools import default_serialize

        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class BuiltDeck:
    """A deck already turned into the JSON st.pydeck_chart sends (plus the tooltip it reads), so
    that a cached one is drawn again without pydeck serialising thousands of points."""

    json: str
    _tooltip: dict | None

    def to_json(self) -> str:
        return self.json


def built(deck: pdk.Deck) -> BuiltDeck:
    return BuiltDeck(deck.to_json(), getattr(deck, "_tooltip", None))


class BoundaryFileError(Exception):
    """The district boundary file is missing or not usable GeoJSON; the message says why."""


def area_color(share: float | None) -> tuple[int, int, int]:
    if share is None or share != share:
        return (150, 150, 150)
    for lowest, _label, color in AREA_BANDS:
        if share >= lowest - 1e-9:
            return color
    return AREA_BANDS[-1][2]


def area_of(district: str, territory: str) -> str:
    """The map area of a district: for the region the ten city districts are one area, the city."""
    return CITY_AREA if territory == "region" and district in CITY_DISTRICTS else district


def area_summary(pages: pd.DataFrame, territory: str) -> pd.DataFrame:
    """Per area (district of the city; municipal district of the region, the city as one of
    them): where its circle goes (the middle of its institutions), its pages, the share of them
    at target, colour, size and label."""
    located = pages.dropna(subset=["lat", "lon"])
    columns = ["area", "lat", "lon", "pages", "at_target", "share", "subscribers", "label", "figures", "color", "size"]
    if located.empty:
        return pd.DataFrame(columns=columns)
    frame = located.assign(
        area=located["district"].map(lambda district: area_of(district, territory)),
        _reached=located["status"] == "reached",
        _subscribers=located["subscribers"].fillna(0),
    )
    grouped = frame.groupby("area")
    result = pd.DataFrame(
        {
            "lat": grouped["lat"].mean().round(5),
            "lon": grouped["lon"].mean().round(5),
            "pages": grouped.size(),
            "at_target": grouped["_reached"].sum().astype(int),
            "subscribers": grouped["_subscribers"].sum().astype("int64"),
        }
    ).reset_index()
    result["share"] = result["at_target"] / result["pages"]
    result["label"] = [area.replace(" район", "").replace("городской округ ", "г. о. ") for area in result["area"]]
    result["figures"] = [
        f"{fmt.pages_count(count)}, у цели {fmt.number(reached)} ({fmt.percent(share, 0)}); "
        f"подписчиков {fmt.number(total)}"
        for count, reached, share, total in zip(
            result["pages"], result["at_target"], result["share"], result["subscribers"]
        )
    ]
    result["color"] = [[*area_color(share), 220] for share in result["share"]]
    # Circle area follows the number of pages: a radius of 5 px for one page, ≈ 15 px for 100,
    # ≈ 34 px for the whole city's 620.
    result["size"] = (4 + 1.2 * result["pages"].pow(0.5)).round(1)
    return result[columns].sort_values("pages", ascending=False).reset_index(drop=True)


def mercator_y(latitude: float) -> float:
    """Web Mercator's y of a latitude (radians of the projected plane)."""
    return math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2))


def _pixels(lat: float, lon: float, zoom: float) -> tuple[float, float]:
    """Web Mercator pixel position at `zoom` (deck.gl: the world is 512 px wide at zoom 0)."""
    world = 512 * 2**zoom
    y = mercator_y(lat)
    return world * (lon + 180) / 360, world * (1 - y / math.pi) / 2


def _lonlat(x: float, y: float, zoom: float) -> tuple[float, float]:
    """The inverse of _pixels: (lon, lat) of a Web Mercator pixel position at `zoom`."""
    world = 512 * 2**zoom
    latitude = math.degrees(2 * math.atan(math.exp((1 - 2 * y / world) * math.pi)) - math.pi / 2)
    return x / world * 360 - 180, latitude


def spread_circles(areas: pd.DataFrame, zoom: float, gap: float = 3.0, rounds: int = 400) -> pd.DataFrame:
    """Circles moved apart, each as little as needed, until no two overlap at `zoom` (a Dorling
    cartogram): around the city the suburbs' circles step aside instead of piling into one blob.
    A larger circle moves less; `home_lon`/`home_lat` keep where each area really is, for the
    line drawn from there to its circle."""
    result = areas.assign(home_lon=areas["lon"], home_lat=areas["lat"])
    if len(areas) < 2:
        return result
    xy = np.array([_pixels(float(lat), float(lon), zoom) for lat, lon in zip(areas["lat"], areas["lon"])])
    radius = areas["size"].to_numpy(dtype=float)
    weight = radius**2
    upper = np.triu(np.ones((len(xy), len(xy)), dtype=bool), k=1)
    # Circles that start at one spot are told apart by a fixed nudge (deterministic: no randomness).
    xy += np.stack([np.cos(np.arange(len(xy))), np.sin(np.arange(len(xy)))], axis=1) * 1e-3
    for _ in range(rounds):
        delta = xy[None, :, :] - xy[:, None, :]
        distance = np.hypot(delta[..., 0], delta[..., 1])
        overlap = (radius[:, None] + radius[None, :] + gap - distance) * upper
        if overlap.max() <= 0.01:
            break
        push = np.where(overlap > 0, overlap, 0.0) / np.maximum(distance, 1e-9)
        share_i = weight[None, :] / (weight[:, None] + weight[None, :])
        share_j = 1 - share_i
        step = delta * push[..., None]
        xy -= 0.5 * (step * share_i[..., None]).sum(axis=1)
        xy += 0.5 * (step * share_j[..., None]).sum(axis=0)
    places = [_lonlat(x, y, zoom) for x, y in xy]
    result["lon"] = [round(lon, 5) for lon, _ in places]
    result["lat"] = [round(lat, 5) for _, lat in places]
    return result


def _label_places(centre: tuple[float, float], size: float, width: float, line_px: float) -> tuple:
    """Where a label of `width` pixels may go around a circle of radius `size`: right, left, above,
    below — each as (box in pixels, text anchor, pixel offset)."""
    x, y = centre
    right = (x + size + 2, y - line_px / 2, x + size + 2 + width, y + line_px / 2)
    left = (x - size - 2 - width, y - line_px / 2, x - size - 2, y + line_px / 2)
    above = (x - width / 2, y - size - 2 - line_px, x + width / 2, y - size - 2)
    below = (x - width / 2, y + size + 2, x + width / 2, y + size + 2 + line_px)
    return (
        (right, "start", [size + 4, 0]),
        (left, "end", [-size - 4, 0]),
        (above, "middle", [0, -size - 2 - line_px / 2]),
        (below, "middle", [0, size + 2 + line_px / 2]),
    )


def fitting_labels(
    areas: pd.DataFrame,
    zoom: float,
    char_px: float = 7.0,
    line_px: float = 16.0,
    frame: tuple[float, float, float, float] | None = None,
) -> pd.DataFrame:
    """The areas whose label fits at `zoom` — to the right of its circle, else to the left, above
    or below — without covering another label or any circle: placed largest area first, so around the city
    the small neighbours give way (their circles and tooltips stay). `anchor` and `offset` say
    on which side each label went. With `frame` (the map's box in pixels at `zoom`), a label must
    also lie inside it."""
    centres = {
        index: _pixels(float(lat), float(lon), zoom) for index, lat, lon in zip(areas.index, areas["lat"], areas["lon"])
    }
    circles = [
        (x - float(size), y - float(size), x + float(size), y + float(size))
        for (x, y), size in zip(centres.values(), areas["size"])
    ]
    placed: list[tuple[float, float, float, float]] = []
    keep: list = []
    anchors: list[str] = []
    offsets: list[list[float]] = []

    def inside(box) -> bool:
        return frame is None or (
            frame[0] <= box[0] and box[2] <= frame[2] and frame[1] <= box[1] and box[3] <= frame[3]
        )

    def free(box) -> bool:
        if not inside(box):
            return False
        return all(
            box[2] < other[0] or box[0] > other[2] or box[3] < other[1] or box[1] > other[3]
            for other in [*placed, *circles]
        )

    for index, label, size in zip(areas.index, areas["label"], areas["size"]):
        candidates = _label_places(centres[index], float(size), 4 + char_px * len(str(label)), line_px)
        fitting = [candidate for candidate in candidates if free(candidate[0])]
        if not fitting and not keep:
            # The largest area (the city, in the region) is always named: where its label covers least.
            fitting = [
                min(candidates, key=lambda candidate: (not inside(candidate[0]), _overlap(candidate[0], circles)))
            ]
        if fitting:
            box, anchor, offset = fitting[0]
            placed.append(box)
            keep.append(index)
            anchors.append(anchor)
            offsets.append(offset)
    shown = areas.loc[keep].copy()
    shown["anchor"] = anchors
    shown["offset"] = offsets
    return shown


def area_legend() -> list[tuple[str, tuple[int, int, int]]]:
    return [(label, color) for _lowest, label, color in AREA_BANDS]


def explanation(view: str, color_by: str, region: bool) -> tuple[str, str]:
    """The legend (Markdown) and the caption under the map for `view` ("areas" or "points")."""
    if view == "areas":
        return legend_markdown(area_legend()), (
            "Кружок — итог по "
            + (
                "муниципальному району или городскому округу области; Новосибирск — один кружок (его районы — "
                "отдельными строками в таблице ниже)"
                if region
                else "району города"
            )
            + ": размер — число страниц, цвет — доля страниц, достигших цели. Кружки, которые легли бы друг на "
            "друга, раздвинуты, линия ведёт к месту района; подписаны те, чьи названия помещаются (название "
            "любого — при наведении). Учреждения по отдельности — «Показать: учреждения»."
        )
    return legend_markdown(legend(color_by)), (
        "Точка — учреждение: размер — число подписчиков, цвет — "
        + ("статус цели" if color_by == "status" else "выполнение чек-листа")
        + "; заливка района города — доля его страниц, достигших цели. "
        "Щёлкните точку, чтобы открыть карточку."
    )


def verification_color(score: float) -> tuple[int, int, int]:
    for lowest, _label, color in VERIFICATION_BANDS:
        if score >= lowest - 1e-9:
            return color
    return VERIFICATION_BANDS[-1][2]


def legend(color_by: str) -> list[tuple[str, tuple[int, int, int]]]:
    """(label, colour) pairs explaining the point colours."""
    if color_by == "verification":
        return [(label, color) for _lowest, label, color in VERIFICATION_BANDS]
    return [
        (STATUSES[code], STATUS_COLORS[code])
        for code in ("reached", "on_track", "lagging", "stalled", "stale", "no_data")
    ]


def institution_points(pages: pd.DataFrame, color_by: str = "status") -> pd.DataFrame:
    """One point per institution with coordinates: its pages' subscribers and targets summed,
    status and link of its largest page, colour and radius for the map, tooltip texts."""
    located = pages.dropna(subset=["lat", "lon"])
    if located.empty:
        return pd.DataFrame(columns=["page_id", "institution_id", "lat", "lon", "color", "radius"])
    located = located.assign(
        _subscribers=located["subscribers"].fillna(0).astype("int64"), _target=located["target"].astype("int64")
    )
    main = (
        located.sort_values(["institution_id", "_subscribers"], ascending=[True, False])
        .drop_duplicates("institution_id")
        .set_index("institution_id")
    )
    grouped = located.groupby("institution_id")
    subscribers = grouped["_subscribers"].sum().reindex(main.index)
    # Its audience per network, largest first: «ВКонтакте 512 · MAX 40» (the point is the institution).
    largest_first = located.sort_values("_subscribers", ascending=False, kind="stable")
    channel_text = (
        largest_first["platform"].map(platform_label)
        + " "
        + largest_first["subscribers"].map(lambda value: "нет данных" if pd.isna(value) else fmt.number(value))
    )
    channels = channel_text.groupby(largest_first["institution_id"]).agg(" · ".join)
    targets = grouped["_target"].sum().reindex(main.index)
    score = main["verification_score"] if "verification_score" in main else pd.Series(1.0, index=main.index)
    colors = (
        score.map(verification_color)
        if color_by == "verification"
        else main["status"].map(lambda code: STATUS_COLORS.get(code, STATUS_COLORS["no_data"]))
    )
    progress = (subscribers / targets.astype(float)).clip(upper=1.0)
    # Only what the tooltip and the selection need travels to the browser.
    return pd.DataFrame(
        {
            "page_id": main["page_id"].astype(int).to_numpy(),
            "institution_id": main.index.to_numpy(),
            "name": main["short_name"].to_numpy(),
            "channels": channels.reindex(main.index).to_numpy(),
            "category": main["category"].map(category_label).to_numpy(),
            "district": main["district"].to_numpy(),
            "lat": main["lat"].astype(float).round(5).to_numpy(),
            "lon": main["lon"].astype(float).round(5).to_numpy(),
            "status": (main["status"].map(STATUSES) + " (" + main["platform"].map(platform_label) + ")").to_numpy(),
            "url": main["url"].to_numpy(),
            "figures": [
                f"{fmt.number(s)} из {fmt.number(t)} ({fmt.percent(p, 0)})"
                for s, t, p in zip(subscribers, targets, progress)
            ],
            "checklist": [fmt.percent(value, 0) for value in score],
            "color": [[*color, 215] for color in colors],
            # Area follows subscribers: 60 m for an empty page, ≈ 240 m at 500, ≈ 320 m at 1000.
            "radius": (60 + 8 * subscribers.clip(lower=0).pow(0.5)).round(0).astype(int).to_numpy(),
        }
    )


def unplaced(pages: pd.DataFrame) -> pd.DataFrame:
    """Institutions of the selection that have no coordinates (the map cannot show them), one row
    each with the number of their pages."""
    missing = pages[pages["lat"].isna() | pages["lon"].isna()]
    grouped = missing.groupby("institution_id", sort=False)
    return (
        pd.DataFrame(
            {
                "Учреждение": grouped["short_name"].first(),
                "Район": grouped["district"].first(),
                "Страниц": grouped.size(),
            }
        )
        .sort_values(["Район", "Учреждение"])
        .reset_index(drop=True)
    )


def district_labels(pages: pd.DataFrame) -> pd.DataFrame:
    """Per district: its pages and the share of them at target (the shade of its outline)."""
    located = pages.dropna(subset=["lat", "lon"])
    if located.empty:
        return pd.DataFrame(columns=["district", "pages", "share_at_target"])
    grouped = located.assign(_reached=located["status"] == "reached").groupby("district")
    return pd.DataFrame({"pages": grouped.size(), "share_at_target": grouped["_reached"].mean()}).reset_index()


def _fit_zoom(
    south: float, north: float, west: float, east: float, width_px: float, height_px: float, padding: float
) -> float:
    lon_span = max(east - west, 0.01)
    y_span = max(mercator_y(north) - mercator_y(south), math.radians(0.01))
    # deck.gl, like MapLibre, draws the whole world 512 px wide at zoom 0.
    zoom_x = math.log2(width_px * 360 / (512 * lon_span))
    zoom_y = math.log2(height_px * 2 * math.pi / (512 * y_span))
    return min(zoom_x, zoom_y) - math.log2(1 + 2 * padding)


# The map's height on every screen, and the width it has on a 390 px phone and at 1440 px with the
# sidebar open. The server does not know the screen, so one view serves both (see fit_view).
MAP_HEIGHT = 560
PHONE_MAP_WIDTH = 350
DESKTOP_MAP_WIDTH = 900
SCREEN_WIDTHS = {"phone": PHONE_MAP_WIDTH, "wide": DESKTOP_MAP_WIDTH}


def fit_view(
    lats: pd.Series,
    lons: pd.Series,
    width_px: int | None = None,
    height_px: int = MAP_HEIGHT - 30,
    padding: float = 0.06,
) -> pdk.ViewState:
    """A view centred on the points and zoomed so that all of them fit (Web Mercator maths).

    Without `width_px` the view is for both screens: fitted to a phone's map width when that costs
    the desktop less than half its scale (a tall area such as the city fills the map's height on
    both), else to the desktop's width (a wide area such as the region, which a phone then pans)."""
    if len(lats) == 0:
        return pdk.ViewState(latitude=NOVOSIBIRSK[0], longitude=NOVOSIBIRSK[1], zoom=10.3)
    south, north, west, east = float(lats.min()), float(lats.max()), float(lons.min()), float(lons.max())
    if width_px is None:
        phone = _fit_zoom(south, north, west, east, PHONE_MAP_WIDTH, height_px, padding)
        desktop = _fit_zoom(south, north, west, east, DESKTOP_MAP_WIDTH, height_px, padding)
        zoom = phone if desktop - phone < 1 else desktop
    else:
        zoom = _fit_zoom(south, north, west, east, width_px, height_px, padding)
    return pdk.ViewState(
        latitude=(south + north) / 2,
        longitude=(west + east) / 2,
        zoom=round(max(3.0, min(zoom, 15.0)), 2),
        pitch=0,
        bearing=0,
    )


def _outline_points(boundaries: dict | None) -> tuple[list[float], list[float]]:
    """Every vertex of the district outlines, as (lats, lons)."""
    lats: list[float] = []
    lons: list[float] = []
    for feature in (boundaries or {}).get("features", []):
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        for polygon in polygons:
            for lon, lat, *_ in polygon[0]:
                lats.append(lat)
                lons.append(lon)
    return lats, lons


def map_view(
    lats: pd.Series, lons: pd.Series, boundaries: dict | None = None, padding: float = 0.06, width_px: int | None = None
) -> pdk.ViewState:
    """The view of a map: the points and the district outlines (a district with no institution,
    such as Кольцово, is still the city's) fitted to the map on both screens."""
    outline_lats, outline_lons = _outline_points(boundaries)
    return fit_view(
        pd.concat([lats.astype(float), pd.Series(outline_lats, dtype=float)], ignore_index=True),
        pd.concat([lons.astype(float), pd.Series(outline_lons, dtype=float)], ignore_index=True),
        width_px=width_px,
        padding=padding,
    )


def _centroid(geometry: dict) -> tuple[float, float]:
    """(lon, lat) of the area centroid of a polygon's outer ring — of the largest polygon of a
    multipolygon — where a district's name is written."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    best = (0.0, 0.0, 0.0)
    for polygon in polygons:
        ring = polygon[0]
        area = cx = cy = 0.0
        for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:]):
            cross = x0 * y1 - x1 * y0
            area += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if abs(area) > abs(best[0]):
            best = (area, cx / (3 * area), cy / (3 * area))
    if best[0] == 0.0:
        first = polygons[0][0][0]
        return float(first[0]), float(first[1])
    return best[1], best[2]


def _overlap(box: tuple[float, float, float, float], others: list[tuple[float, float, float, float]]) -> float:
    """The area `box` shares with the boxes `others` (0 when it covers none of them)."""
    return sum(
        max(0.0, min(box[2], other[2]) - max(box[0], other[0]))
        * max(0.0, min(box[3], other[3]) - max(box[1], other[1]))
        for other in others
    )


def district_names(boundaries: dict | None, zoom: float, char_px: float = 6.5, line_px: float = 16.0) -> pd.DataFrame:
    """Each district's name («Кировский»), written in the middle of its outline. Where two names
    would cover each other at `zoom` (the small central districts), the later one moves up or
    down by whole lines to the nearest free place (the least covered one if none is free);
    `offset` is that shift in pixels."""
    placed: list[tuple[float, float, float, float]] = []
    rows = []
    for feature in (boundaries or {}).get("features", []):
        district = feature["properties"]["district"]
        lon, lat = _centroid(feature["geometry"])
        label = district.replace(" район", "")
        x, y = _pixels(lat, lon, zoom)
        half = (6 + char_px * len(label)) / 2
        candidates = [
            (x - half, y + shift - line_px / 2, x + half, y + shift + line_px / 2)
            for shift in (0.0, line_px, -line_px, 2 * line_px, -2 * line_px, 3 * line_px, -3 * line_px)
        ]
        box = min(candidates, key=lambda candidate: _overlap(candidate, placed))
        placed.append(box)
        rows.append(
            {
                "lon": round(lon, 5),
                "lat": round(lat, 5),
                "label": label,
                "offset": [0, round(box[1] + line_px / 2 - y, 1)],
            }
        )
    return pd.DataFrame(rows, columns=["lon", "lat", "label", "offset"])


def _style_url(style: dict) -> str:
    """A map style as a data: URL: Streamlit hands the map only a style *string*, and a data: URL
    is one that the browser reads without asking any server."""
    return "data:application/json;base64," + base64.b64encode(json.dumps(style).encode()).decode()


BLANK_STYLE = {
    "version": 8,
    "sources": {},
    "layers": [{"id": "background", "type": "background", "paint": {"background-color": "#f3f5f8"}}],
}


def basemap(tile_url: str | None) -> tuple[str, str]:
    """(map_provider, map_style) for pydeck: a plain local background, a style URL, or raster
    tiles from the city's server. Never Carto's default style, which would be fetched from the
    internet by every viewer's browser."""
    if not tile_url:
        return "carto", _style_url(BLANK_STYLE)
    if "{z}" in tile_url:
        style = {
            "version": 8,
            "sources": {
                "city": {"type": "raster", "tiles": [tile_url], "tileSize": 256, "attribution": "городской сервер карт"}
            },
            "layers": [{"id": "city", "type": "raster", "source": "city"}],
        }
        return "carto", _style_url(style)
    return "carto", tile_url


# Limits checked before the file is parsed: the city's outlines are ≈ 0.2 MB and 6 brackets deep
# (a MultiPolygon in a FeatureCollection); 100 000 nested brackets would exhaust Python's parser.
BOUNDARIES_MAX_BYTES = 20 * 2**20
BOUNDARIES_MAX_DEPTH = 32
_JSON_STRING = re.compile(r'"(?:\\.|[^"\\])*"')
_BRACKETS = re.compile(r"[\[\]{}]")


def _nesting(text: str) -> int:
    """How deep the brackets of a JSON text go (strings left out), without parsing it."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_JSON_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def load_boundaries(path: Path) -> dict:
    """District polygons from a GeoJSON FeatureCollection whose features name their district in
    a `district` (or `name`) property, e.g. «Кировский район»."""
    try:
        size = Path(path).stat().st_size
        if size > BOUNDARIES_MAX_BYTES:
            raise BoundaryFileError(
                f"Файл границ районов {path} слишком большой: {size / 2**20:.1f} МБ, "
                f"а границы города занимают около 0,2 МБ (предел — {BOUNDARIES_MAX_BYTES // 2**20} МБ)."
            )
        text = Path(path).read_text(encoding="utf-8")
        depth = _nesting(text)
        if depth > BOUNDARIES_MAX_DEPTH:
            raise BoundaryFileError(
                f"Файл границ районов {path}: вложенность скобок {depth}, а у GeoJSON районов она "
                f"не больше {BOUNDARIES_MAX_DEPTH} — это не файл границ."
            )
        data = json.loads(text)
    except FileNotFoundError as error:
        raise BoundaryFileError(f"Файл границ районов не найден: {path}") from error
    except (OSError, ValueError, RecursionError) as error:
        raise BoundaryFileError(f"Файл границ районов {path} не читается как GeoJSON: {error}") from error
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise BoundaryFileError(f"Файл границ районов {path}: ожидается GeoJSON FeatureCollection.")
    features = []
    for number, feature in enumerate(data["features"], start=1):
        feature = feature if isinstance(feature, dict) else {}
        properties: dict = feature["properties"] if isinstance(feature.get("properties"), dict) else {}
        name = properties.get("district") or properties.get("name")
        geometry: dict = feature["geometry"] if isinstance(feature.get("geometry"), dict) else {}
        if not isinstance(name, str) or not name.strip() or not _polygonal(geometry):
            raise BoundaryFileError(
                f"Файл границ районов {path}, объект {number}: нужен полигон со свойством «district» или «name»."
            )
        geometry = {"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"])}
        features.append({"type": "Feature", "geometry": geometry, "properties": {"district": str(name)}})
    return {"type": "FeatureCollection", "features": features}


# Outline coordinates are kept to 5 decimals (≈ 1 m, finer than any zoom the map is drawn at):
# OpenStreetMap's 7 make the city's outlines a third longer on every map page load.
COORDINATE_DIGITS = 5


def _rounded(coordinates: list) -> list:
    if coordinates and not isinstance(coordinates[0], list):
        return [round(number, COORDINATE_DIGITS) for number in coordinates]
    return [_rounded(part) for part in coordinates]


def _ring(value) -> bool:
    return (
        isinstance(value, list)
        and len(value) >= 4
        and all(
            isinstance(point, list)
            and len(point) >= 2
            and all(
                isinstance(number, int | float) and not isinstance(number, bool) and math.isfinite(number)
                for number in point[:2]
            )
            for point in value
        )
    )


def _polygonal(geometry: dict) -> bool:
    """A Polygon or MultiPolygon whose coordinates really are rings of [lon, lat] numbers."""
    coordinates = geometry.get("coordinates")
    if geometry.get("type") == "Polygon":
        return isinstance(coordinates, list) and bool(coordinates) and all(_ring(ring) for ring in coordinates)
    if geometry.get("type") == "MultiPolygon":
        return (
            isinstance(coordinates, list)
            and bool(coordinates)
            and all(
                isinstance(polygon, list) and polygon and all(_ring(ring) for ring in polygon)
                for polygon in coordinates
            )
        )
    return False


def shade_boundaries(boundaries: dict, labels: pd.DataFrame) -> dict:
    """Colour each district by its share of pages at target (pale: few, deeper green: many)."""
    shares = dict(zip(labels["district"], labels["share_at_target"]))
    features = []
    for feature in boundaries["features"]:
        share = shares.get(feature["properties"]["district"])
        fill = [200, 200, 200, 40] if share is None else [46, 139, 87, int(30 + 150 * min(share * 2, 1.0))]
        features.append({**feature, "properties": {**feature["properties"], "fill": fill}})
    return {"type": "FeatureCollection", "features": features}


def _districts_layer(boundaries: dict | None, labels: pd.DataFrame) -> list[pdk.Layer]:
    if boundaries is None:
        return []
    return [
        pdk.Layer(
            "GeoJsonLayer",
            id="districts",
            data=shade_boundaries(boundaries, labels),
            stroked=True,
            filled=True,
            get_fill_color="properties.fill",
            get_line_color=[90, 100, 120, 220],
            line_width_min_pixels=1,
            pickable=False,
        )
    ]


# The interface's own typeface for the words on the map (deck.gl's default is a monospace one).
# pydeck reads a string as an expression, hence the inner quotes: the value is the literal string.
MAP_FONT = "'Source Sans, sans-serif'"
LABEL_TEXT = {
    "get_size": 12,
    "get_color": [27, 36, 48, 255],
    "font_family": MAP_FONT,
    # "'auto'": the font atlas is built from the characters in the labels (Cyrillic included).
    "character_set": "'auto'",
    "background": True,
    "background_padding": [3, 1],
    "pickable": False,
}


def _district_names_layer(boundaries: dict | None, zoom: float) -> list[pdk.Layer]:
    names = district_names(boundaries, zoom)
    if names.empty:
        return []
    return [
        pdk.Layer(
            "TextLayer",
            id="district-names",
            data=names,
            get_position=["lon", "lat"],
            get_text="label",
            get_text_anchor="'middle'",
            get_alignment_baseline="'center'",
            get_pixel_offset="offset",
            get_background_color=[255, 255, 255, 170],
            **LABEL_TEXT,
        )
    ]


def institutions_deck(
    points: pd.DataFrame,
    labels: pd.DataFrame,
    boundaries: dict | None = None,
    tile_url: str | None = None,
    view: pdk.ViewState | None = None,
    highlight: int | None = None,
) -> pdk.Deck:
    """The institutions view: district shading and outlines with each district's name in its
    middle (if outlines are given), a point per institution and a ring around
    the point of institution `highlight` (whichever of its pages was chosen)."""
    view = view or map_view(points["lat"], points["lon"], boundaries)
    layers = _districts_layer(boundaries, labels)
    layers.append(
        pdk.Layer(
            "ScatterplotLayer",
            id=POINTS_LAYER,
            data=points,
            get_position=["lon", "lat"],
            get_fill_color="color",
            get_radius="radius",
            radius_min_pixels=3,
            radius_max_pixels=14,
            stroked=True,
            get_line_color=[255, 255, 255, 220],
            line_width_min_pixels=1,
            pickable=True,
            auto_highlight=True,
        )
    )
    layers += _district_names_layer(boundaries, float(view.zoom))
    chosen = points[points["institution_id"] == highlight] if highlight is not None else points.iloc[0:0]
    if not chosen.empty:
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                id="chosen",
                data=chosen[["lat", "lon", "radius"]],
                get_position=["lon", "lat"],
                get_radius="radius",
                radius_min_pixels=10,
                filled=False,
                stroked=True,
                get_line_color=[27, 36, 48, 255],
                line_width_min_pixels=3,
                pickable=False,
            )
        )
    provider, style = basemap(tile_url)
    tooltip = {
        "text": "{name}\n{category} · {district}\nПодписчики: {figures}\nПо соцсетям: {channels}\n{status}\n"
        "Чек-лист: {checklist} обязательных",
        "style": {"maxWidth": "320px", "whiteSpace": "normal"},
    }
    return CompactDeck(layers=layers, initial_view_state=view, map_provider=provider, map_style=style, tooltip=tooltip)


def areas_deck(
    areas: pd.DataFrame,
    labels: pd.DataFrame,
    boundaries: dict | None = None,
    tile_url: str | None = None,
    view: pdk.ViewState | None = None,
    width_px: int | None = None,
) -> pdk.Deck:
    """The areas view: one circle per area sized by its pages and coloured by the share at
    target, its name beside it. Circles that would overlap are moved apart (spread_circles), a
    thin line joining a moved circle to where its area is; a label is written only where it
    covers no circle and no other label (fitting_labels) — every area's name is in its tooltip.
    `width_px`: the map's width on the screen it is for (fit_view)."""
    if width_px is not None and width_px < DESKTOP_MAP_WIDTH:
        # A phone's map is narrower: smaller circles, or they could only be spread off its edges.
        areas = areas.assign(size=(areas["size"] * (width_px / DESKTOP_MAP_WIDTH) ** 0.6).round(1))
    # Room at the edges for the labels beside the outermost circles.
    view = view or map_view(areas["lat"], areas["lon"], boundaries, padding=0.16, width_px=width_px)
    spread = spread_circles(areas, float(view.zoom))
    if len(spread) > 1:
        # Spread circles take more room than their places: fit the view to them and spread again.
        view = fit_view(spread["lat"], spread["lon"], width_px=width_px, padding=0.16)
        spread = spread_circles(areas, float(view.zoom))
    centre_x, centre_y = _pixels(float(view.latitude), float(view.longitude), float(view.zoom))
    half_width, half_height = (width_px or DESKTOP_MAP_WIDTH) / 2, MAP_HEIGHT / 2
    shown = fitting_labels(
        spread,
        float(view.zoom),
        frame=(centre_x - half_width, centre_y - half_height, centre_x + half_width, centre_y + half_height),
    )
    layers = [*_districts_layer(boundaries, labels), *_area_layers(spread, shown)]
    provider, style = basemap(tile_url)
    tooltip = {"text": "{area}\n{figures}", "style": {"maxWidth": "320px", "whiteSpace": "normal"}}
    return CompactDeck(layers=layers, initial_view_state=view, map_provider=provider, map_style=style, tooltip=tooltip)


def _area_layers(spread: pd.DataFrame, shown: pd.DataFrame) -> list[pdk.Layer]:
    """The areas view's own layers: lines from a moved circle to its area's place, the circles,
    the labels that fit."""
    layers = []
    moved = spread[(spread["lon"] - spread["home_lon"]).abs() + (spread["lat"] - spread["home_lat"]).abs() > 1e-4]
    if not moved.empty:
        layers.append(
            pdk.Layer(
                "LineLayer",
                id="area-leaders",
                data=moved[["home_lon", "home_lat", "lon", "lat"]],
                get_source_position=["home_lon", "home_lat"],
                get_target_position=["lon", "lat"],
                get_color=[90, 100, 120, 160],
                get_width=1,
                width_units="'pixels'",
                pickable=False,
            )
        )
    layers.append(
        pdk.Layer(
            "ScatterplotLayer",
            id=AREAS_LAYER,
            data=spread.drop(columns=["home_lon", "home_lat"]),
            get_position=["lon", "lat"],
            get_fill_color="color",
            get_radius="size",
            radius_units="'pixels'",
            stroked=True,
            get_line_color=[255, 255, 255, 230],
            line_width_min_pixels=1.5,
            pickable=True,
            auto_highlight=True,
        )
    )
    layers.append(
        pdk.Layer(
            "TextLayer",
            id="area-labels",
            data=shown[["lon", "lat", "label", "anchor", "offset"]],
            get_position=["lon", "lat"],
            get_text="label",
            get_text_anchor="anchor",
            get_alignment_baseline="'center'",
            get_pixel_offset="offset",
            get_background_color=[255, 255, 255, 200],
            **LABEL_TEXT,
        )
    )
    return layers
