"""统一社会信用代码 check characters (GB 32100-2015), valid and invalid.

The codes are made up (they belong to no company): the first 17 characters are chosen, the 18th
is computed here by hand with the standard's algorithm and checked against the module."""

from __future__ import annotations

import pytest

from ecopark.accounting import creditcode


def test_weights_are_powers_of_three_mod_31() -> None:
    assert creditcode.WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def test_check_character_by_hand() -> None:
    # 91320412MA1AB0001: values 9 1 3 2 0 4 1 2 M=21 A=10 1 A=10 B=11 0 0 0 1
    # Σ value × weight = 9·1 + 1·3 + 3·9 + 2·27 + 0·19 + 4·26 + 1·16 + 2·17 + 21·20 + 10·29
    #                  + 1·25 + 10·13 + 11·8 + 0·24 + 0·10 + 0·30 + 1·28
    #                  = 9 + 3 + 27 + 54 + 0 + 104 + 16 + 34 + 420 + 290 + 25 + 130 + 88 + 28 = 1228
    # 1228 mod 31 = 19 (31 × 39 = 1209); 31 − 19 = 12 → ALPHABET[12] = "C"
    assert creditcode.check_character("91320412MA1AB0001") == "C"
    assert creditcode.problem("91320412MA1AB0001C") is None


@pytest.mark.parametrize("code", ["91320412MA1AB0001C", "91320412MA1AB0010A", "91320412MA1MXXXXXY",
                                  "91320412MA1N2B3C4U"])
def test_valid_codes(code: str) -> None:
    assert creditcode.problem(code) is None


def test_check_character_zero_when_sum_is_a_multiple_of_31() -> None:
    # find a 17-character body whose weighted sum is ≡ 0 (mod 31): its check character is "0"
    for serial in range(1000):
        body = f"91320412MA1AB{serial:04d}"
        if creditcode.check_character(body) == "0":
            assert creditcode.problem(body + "0") is None
            return
    raise AssertionError("no body with check character 0 found")


@pytest.mark.parametrize(("code", "words"), [
    ("91320412MA1AB0001X", "校验位应为 C"),          # wrong check character
    ("91320412MA1AB0001", "应为 18 位"),             # too short
    ("91320412MA1AB0001CC", "应为 18 位"),           # too long
    ("91320412MA1AO0001C", "不允许的字符 O"),         # O is never used
    ("9132041ZMA1AB0001C", "不允许的字符 Z"),         # Z is never used
    ("913204A2MA1AB0001C", "第 3–8 位"),             # region code must be digits
])
def test_invalid_codes_say_why(code: str, words: str) -> None:
    problem = creditcode.problem(code)
    assert problem is not None and words in problem


def test_normalize_full_width_lower_case_and_spaces() -> None:
    assert creditcode.normalize(" ９１３２０４１２ma1ab0001c ") == "91320412MA1AB0001C"
