"""Reading a pasted list of recommendations: what real lists look like, and garbage."""

import pytest

from visits.pasting import parse

GREEK_LIST = """\
Recommendations, comments and requests for information

Police custody

57. The CPT recommends that the Greek authorities deliver a clear message to
police officers that ill-treatment of detained persons is unacceptable and will
be punished accordingly.
58-59. The Committee requests information on the outcome of the investigation
into the allegations set out in paragraph 21.
- 60. comments: the cells at Omonia police station remain dilapidated.

Immigration detention

61a) The CPT recommends that immediate action be taken to end the practice of
holding families with children in the Moria centre.
"""


def test_a_real_looking_list_with_headings_ranges_and_bullets():
    reading = parse(GREEK_LIST)
    assert reading.problems == []
    assert [(i.paragraph, i.kind, i.immediate_action) for i in reading.items] == [
        ("57", "recommendation", False),
        ("58-59", "request_for_information", False),
        ("60", "comment", False),
        ("61a", "recommendation", True),
    ]
    assert reading.items[0].text == (
        "The CPT recommends that the Greek authorities deliver a clear message to police "
        "officers that ill-treatment of detained persons is unacceptable and will be "
        "punished accordingly."
    )
    assert reading.items[2].text == (
        "comments: the cells at Omonia police station remain dilapidated."
    )
    assert [text for _, text in reading.left_out] == [
        "Recommendations, comments and requests for information",
        "Police custody",
        "Immigration detention",
    ]
    assert [item.line for item in reading.items] == [5, 8, 10, 14]


def test_a_paragraph_spanning_lines_keeps_a_short_line_that_ends_no_sentence_of_its_own():
    reading = parse("12. The CPT recommends that\nthe cells\nbe enlarged.\n13. Comment.")
    assert [item.text for item in reading.items] == [
        "The CPT recommends that the cells be enlarged.",
        "Comment.",
    ]
    assert reading.left_out == []


def test_french_wording_and_windows_line_ends():
    reading = parse(
        "24. Le CPT recommande de mettre fin sans délai à cette pratique.\r\n"
        "25. Le Comité souhaite recevoir des informations sur l'enquête.\r\n"
    )
    assert [(i.kind, i.immediate_action) for i in reading.items] == [
        ("recommendation", True),
        ("request_for_information", False),
    ]


def test_a_kind_chosen_for_every_item():
    reading = parse("1. First.\n2. The CPT recommends.", kind="immediate_observation")
    assert {item.kind for item in reading.items} == {"immediate_observation"}


def test_ranges_with_spaces_and_dashes_are_written_as_printed():
    reading = parse("57 – 58. Text.\n§ 60. Other text.")
    assert [item.paragraph for item in reading.items] == ["57-58", "60"]


@pytest.mark.parametrize(
    "garbage",
    ["", "   \n\n", "Dear colleagues, please find attached the list.", "%PDF-1.4 \x00\x01 obj"],
)
def test_garbage_says_what_a_list_should_look_like(garbage):
    reading = parse(garbage)
    assert reading.items == []
    assert reading.problems == [
        "No numbered paragraph was found. Each one starts on a new line with its number as "
        'printed, then a full stop: "57. The CPT recommends..."'
    ]


def test_a_paragraph_twice_or_without_text_is_a_problem():
    reading = parse("5. The CPT recommends.\n6.  \n5. Again the CPT recommends.")
    assert reading.problems == [
        "Paragraph 6 (line 2) has no text.",
        "Paragraph 5 appears twice (lines 1 and 3).",
    ]


def test_a_number_on_a_line_of_its_own_takes_the_lines_after_it():
    reading = parse("57.\nThe CPT recommends that\nthe practice end.\n58.\nComment.")
    assert [(item.paragraph, item.text) for item in reading.items] == [
        ("57", "The CPT recommends that the practice end."),
        ("58", "Comment."),
    ]
