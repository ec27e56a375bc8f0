"""How many words a narration is when spoken: numbers are read out in words.

"1,140 billion tons" is two words on the page and five in the narrator's mouth ("one thousand
one hundred forty billion tons"); timing by the written count runs short on every story with
figures. The counts below are what an English narrator says for each written number, close
enough to time a shot before any audio exists.
"""

from __future__ import annotations

import re

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_YEAR = re.compile(r"^(1[1-9]|20)\d\d$")


def _below_hundred(value: int) -> int:
    return 0 if value == 0 else 1 if value <= 20 or value % 10 == 0 else 2  # "forty", "forty-two" as two


def _number_words(written: str) -> int:
    whole, _, decimals = written.replace(",", "").partition(".")
    whole = whole.lstrip("0") or "0"
    if _YEAR.match(whole):
        count = 3  # "nineteen eighty-five", "two thousand six"
    else:
        # Each group of three is up to "nine hundred forty-two", then its "thousand" or "million".
        groups = [int(whole[max(0, i - 3):i]) for i in range(len(whole), 0, -3)]
        count = sum((2 if g >= 100 else 0) + _below_hundred(g % 100) for g in groups) + sum(1 for g in groups[1:] if g)
        count = max(1, count)
    return count + (1 + len(decimals) if decimals else 0)


def spoken_words(text: str) -> int:
    """The words a narrator says for ``text``: each written word once, each number as many
    words as it is read with, "%" and "$" as "percent" and "dollars"."""
    count = 0
    for word in text.split():
        numbers = _NUMBER.findall(word)
        count += sum(_number_words(n) for n in numbers) if numbers else 1
        count += word.count("%") + word.count("$")
    return count


__all__ = ["spoken_words"]
