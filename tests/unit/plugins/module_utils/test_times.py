"""The one time parser of the insights lookup and the named queries."""

import datetime

import pytest

from ansible_collections.netobs.flowlogs.plugins.module_utils.times import (
    epoch_seconds,
    iso,
    parse_iso8601,
    period_seconds,
    time_range,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import ValidationError

MINUTE = 1714580520  # 2024-05-01T16:22:00Z


@pytest.mark.parametrize("value", [MINUTE, float(MINUTE) + 0.7, str(MINUTE), " 1714580520.7 ", "2024-05-01T16:22:00Z",
                                   "2024-05-01T16:22:00", "2024-05-01 16:22:00", "2024-05-01T18:22:00+02:00",
                                   "2024-05-01T18:22:00+0200", datetime.datetime(2024, 5, 1, 16, 22),
                                   datetime.datetime(2024, 5, 1, 18, 22, tzinfo=datetime.timezone(
                                       datetime.timedelta(hours=2)))])
def test_epoch_seconds_takes_iso8601_numbers_and_datetimes(value):
    assert epoch_seconds("start", value) == MINUTE


@pytest.mark.parametrize("value", [float(MINUTE), "1714580520.5"])
def test_epoch_seconds_without_fractions_refuses_them(value):
    with pytest.raises(ValidationError) as caught:
        epoch_seconds("params.minute", value, fractions=False)
    assert str(caught.value).startswith("params.minute: ")


@pytest.mark.parametrize("value, text", [(True, "is not a time"), ("yesterday", "ISO 8601"), ([1], "ISO 8601")])
def test_epoch_seconds_names_the_parameter(value, text):
    with pytest.raises(ValidationError) as caught:
        epoch_seconds("end", value)
    assert caught.value.param == "end" and text in str(caught.value)


def test_parse_iso8601_answers_none_for_other_text():
    assert parse_iso8601("2024-05-01T16:22:00z") == MINUTE
    assert parse_iso8601("16:22 yesterday") is None


def test_iso_is_the_inverse_of_parse():
    assert iso(MINUTE) == "2024-05-01T16:22:00Z"
    assert parse_iso8601(iso(MINUTE + 59)) == MINUTE + 59


@pytest.mark.parametrize("text, seconds", [("15m", 900), ("1h", 3600), (" 2 d ", 172800), ("1w", 604800), ("30s", 30)])
def test_period_seconds(text, seconds):
    assert period_seconds("since", text) == seconds


@pytest.mark.parametrize("text", ["0h", "1y", "h", "", None, "-1h"])
def test_period_seconds_refuses_what_is_not_a_period(text):
    with pytest.raises(ValidationError, match="since: "):
        period_seconds("since", text)


def test_time_range_defaults_to_the_last_hour_up_to_now():
    assert time_range(None, None, None, now=MINUTE) == (MINUTE - 3600, MINUTE)
    assert time_range("15m", None, "2024-05-01T16:22:00Z", now=0) == (MINUTE - 900, MINUTE)
    assert time_range(None, MINUTE - 60, MINUTE, now=0) == (MINUTE - 60, MINUTE)


@pytest.mark.parametrize("since, start, end, text", [
    ("1h", MINUTE, None, "mutually exclusive"),
    (None, MINUTE + 1, MINUTE, "the time range is empty: start 2024-05-01T16:22:01Z is after end 2024-05-01T16:22:00Z"),
    ("1h", None, 60, "must not start before 1970"),
])
def test_time_range_refuses_contradictions(since, start, end, text):
    with pytest.raises(ValueError) as caught:
        time_range(since, start, end, now=MINUTE)
    assert text in str(caught.value)
