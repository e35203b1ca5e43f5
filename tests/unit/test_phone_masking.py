"""QUALITY S3 / issue 10: every common way of writing a Chinese mobile or landline number is masked in free text
(descriptions, logs), and nothing else is touched."""
import re

from hypothesis import given
from hypothesis import strategies as st

from shared.observability import mask_phone

SEP = st.sampled_from(["", " ", "-"])
PREFIX = st.sampled_from(["", "+86", "+86 ", "0086", "0086-", "86", "(+86)", "+86-"])
TEXT = st.text(alphabet="井盖破损请尽快处理，电话联系人：。、 ", max_size=20)


@st.composite
def mobile(draw):
    digits = draw(st.sampled_from("3456789")) + "".join(draw(st.lists(st.sampled_from("0123456789"),
                                                                       min_size=9, max_size=9)))
    number = "1" + digits
    a, b = draw(SEP), draw(SEP)
    return number, draw(PREFIX) + number[:3] + a + number[3:7] + b + number[7:]


@st.composite
def landline(draw):
    area = draw(st.sampled_from(["010", "021", "0513", "0514", "0755"]))
    local = draw(st.sampled_from("2345678")) + "".join(draw(st.lists(st.sampled_from("0123456789"),
                                                                      min_size=7, max_size=7)))
    shown = draw(st.sampled_from([f"{area}-{local}", f"{area}{local}", f"({area}){local}", f"{area} {local}",
                                  f"{area}-{local[:4]} {local[4:]}"]))
    return area + local, shown


@given(st.one_of(mobile(), landline()), TEXT, TEXT)
def test_a_number_written_any_common_way_is_masked_in_text(number, before, after):
    digits, written = number
    masked = mask_phone(before + written + after)
    assert digits[-4:] in re.sub(r"\D", "", masked), "the last four digits stay, to recognise the caller"
    assert digits not in re.sub(r"\D", "", masked) and digits[-8:-4] not in masked.replace(digits[-4:], "")
    assert "****" in masked


@given(st.sampled_from(["320612001-20261124-000123", "2026-11-24 09:30", "第12号", "121.0712345,32.0812345",
                        "12345 热线", "邮编226300"]))
def test_what_is_not_a_phone_number_is_left_alone(text):
    assert mask_phone(text) == text
