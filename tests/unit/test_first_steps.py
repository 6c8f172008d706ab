"""«Начало работы»: each step read from the store's own state."""

from dataclasses import replace

from data_access import first_steps
from data_access.config import Settings


def test_a_filled_store_has_its_steps_done_and_the_collectors_follow_the_settings(demo_engine):
    steps = {step.key: step for step in first_steps.steps(demo_engine, Settings())}
    assert list(steps) == ["accounts", "registry", "pages", "figures", "collect", "report"]
    assert steps["registry"].done and steps["pages"].done and steps["figures"].done and steps["report"].done
    assert steps["registry"].count == "620 учреждений"
    assert not steps["collect"].done and steps["collect"].count.startswith("настроено площадок: 0 из 4")
    configured = {step.key: step for step in first_steps.steps(demo_engine, replace(Settings(), vk_token="t"))}
    assert configured["collect"].done and configured["collect"].count.startswith("настроено площадок: 1 из 4")


def test_an_empty_store_has_nothing_done(empty_engine):
    from data_access import seed

    seed.initialise(empty_engine)
    steps = first_steps.steps(empty_engine, Settings())
    assert [step.done for step in steps] == [False] * 6
    assert steps[-1].count == "цифры за 0 дней"
