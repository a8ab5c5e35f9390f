"""Lines for people: wrapped prompts with hanging indents, and no trailing blanks."""

from __future__ import annotations

import io

from caremgr_cli.output.console import TrimmedLines, trim, wrap_line, wrap_text


def test_a_choice_wraps_under_its_text_and_an_address_is_never_broken() -> None:
    line = "   6) another license or certification that allows independent client assessment"
    assert wrap_line(line, 40) == [
        "   6) another license or certification",
        "      that allows independent client",
        "      assessment",
    ]
    address = "https://ccmcertification.org/blog/what-you-need-know-about-eligibility"
    assert wrap_line(f"   - source: {address}", 40) == ["   - source:", f"     {address}"]


def test_a_prompt_keeps_its_closing_space_and_its_count_as_a_hanging_indent() -> None:
    prompt = "(12 of 14) How many hours of continuing education in nursing case management?\n   [0] > "
    assert wrap_text(prompt, 40) == (
        "(12 of 14) How many hours of continuing\n"
        "           education in nursing case\n"
        "           management?\n"
        "   [0] > "
    )


def test_trailing_blanks_go_and_colour_codes_stay() -> None:
    assert trim("a  \x1b[0m\nb\t\n  \nc ") == "a\x1b[0m\nb\n\nc "
    out = io.StringIO()
    stream = TrimmedLines(out)
    stream.write("one   ")
    stream.write("\ntwo  \nthr")
    assert out.getvalue() == "one\ntwo\n"
    stream.flush()
    assert out.getvalue() == "one\ntwo\nthr"
