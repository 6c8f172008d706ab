"""AppTest of «QR-коды»: typed search, the card, the direct link, batch downloads."""

import pytest

PAGE = "pages/qr.py"


def _results(app):
    return [button for button in app.button if button.key and button.key.startswith("qr_pick_")]


def test_search_choose_and_the_card(open_app):
    app = open_app(PAGE)
    assert not app.exception and not app.image
    app.text_input(key="qr_search").input("сад 105").run()
    results = _results(app)
    assert results and results[0].label.startswith("Детский сад № 105")
    results[0].click().run()
    assert not app.exception
    assert app.query_params["page"] == results[0].key.removeprefix("qr_pick_")
    assert app.subheader[0].value == "Детский сад № 105 «Подсолнух»"
    assert len(app.image) == 1 and app.image[0].captions[0].replace("\\", "").endswith("https://vk.com/ds105nsk")
    labels = [button.label for button in app.get("download_button")]
    assert {"PNG для печати (300 dpi)", "SVG (для дизайнера)", "Плакат A4 (PDF)"} <= set(labels)
    assert any("?page=" in code.value for code in app.code)


def test_a_direct_link_opens_the_card_without_searching(open_app):
    app = open_app(PAGE)
    app.query_params["page"] = "4"
    app.run()
    assert not app.exception and app.subheader[0].value
    app.query_params["page"] = "999999"
    app.run()
    assert "не найдена" in app.warning[0].value


def test_sidebar_filters_narrow_search_and_batch(open_app):
    app = open_app(PAGE)
    app.sidebar.multiselect(key="category").set_value(["sport"]).run()
    app.text_input(key="qr_search").input("сад 105").run()
    assert not _results(app) and "Ничего не найдено" in app.info[0].value
    app.sidebar.multiselect(key="district").set_value(["Кировский район"]).run()
    next(button for button in app.button if button.key == "qr_batch_zip").click().run()
    assert not app.exception
    assert "Скачать ZIP" in [button.label for button in app.get("download_button")]
    next(button for button in app.button if button.key == "qr_batch_pdf").click().run()
    assert "Скачать PDF с плакатами" in [button.label for button in app.get("download_button")]


@pytest.mark.parametrize("value", ["²", "١٢", "4.0", "-4", " 4", "4; DROP TABLE pages", "9" * 40, ""])
def test_a_bad_page_parameter_is_not_found_never_an_error(open_app, value):
    app = open_app(PAGE)
    app.query_params["page"] = value
    app.run()
    assert not app.exception
    if value:
        assert "не найдена" in app.warning[0].value
        assert "PNG для печати (300 dpi)" not in [button.label for button in app.download_button]  # no card
