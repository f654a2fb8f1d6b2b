"""Serial numbers: the documented scheme, a check character that catches a mistyped character."""

from __future__ import annotations

from domain.factory.serials import ALPHABET, check_character, format_serial, is_valid, next_serial


def test_the_scheme_and_its_check_character():
    serial = format_serial("HB", 501_084_032)
    assert serial[:-1] == "HB000501-084032-"
    assert is_valid(serial)
    body = serial[:-2]
    for i, char in enumerate(body):
        if char in ALPHABET and char != "-":
            for other in ALPHABET:
                if other != char:
                    typo = body[:i] + other + body[i + 1 :]
                    assert check_character(typo) != serial[-1], typo
    assert not is_valid("HB000501-084032")


def test_serials_come_from_the_sequence_and_are_never_reused(db):
    first = next_serial(db, "PA")
    db.rollback()  # the request failed: its number is gone for good
    second = next_serial(db, "PA")
    assert first != second and is_valid(first) and is_valid(second)
