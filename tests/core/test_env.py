from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from showcase.core.env import env_bool, env_int, env_list, env_str


def test_unset_variables_read_as_their_default(monkeypatch):
    monkeypatch.delenv("VITRINE_TEST_VALUE", raising=False)
    assert env_str("VITRINE_TEST_VALUE", "x") == "x"
    assert env_bool("VITRINE_TEST_VALUE", True) is True
    assert env_int("VITRINE_TEST_VALUE", 7) == 7
    assert env_list("VITRINE_TEST_VALUE", ["a"]) == ["a"]


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("Yes", True), (" off ", False), ("", False)]
)
def test_booleans_accept_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("VITRINE_TEST_VALUE", raw)
    assert env_bool("VITRINE_TEST_VALUE", not expected) is expected


def test_a_value_of_the_wrong_type_stops_start_up_naming_the_variable(monkeypatch):
    monkeypatch.setenv("VITRINE_TEST_VALUE", "maybe")
    with pytest.raises(ImproperlyConfigured, match="VITRINE_TEST_VALUE"):
        env_bool("VITRINE_TEST_VALUE")
    monkeypatch.setenv("VITRINE_TEST_VALUE", "ten")
    with pytest.raises(ImproperlyConfigured, match="VITRINE_TEST_VALUE"):
        env_int("VITRINE_TEST_VALUE", 1)


def test_an_empty_integer_reads_as_the_default_and_lists_drop_blank_items(monkeypatch):
    monkeypatch.setenv("VITRINE_TEST_VALUE", " ")
    assert env_int("VITRINE_TEST_VALUE", 3) == 3
    monkeypatch.setenv("VITRINE_TEST_VALUE", "a.test, ,b.test,")
    assert env_list("VITRINE_TEST_VALUE") == ["a.test", "b.test"]
