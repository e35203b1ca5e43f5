"""The 12345 signature (CONTRACTS.md §4, round 2): HMAC-SHA256 over "<timestamp>.<raw body>"."""
import hashlib
import hmac

import pytest

from shared.contracts.signing import SIGNATURE, TIMESTAMP, BadSignature, sign, verify

SECRET = "unit-test-shared-secret-0123"
BODY = '{"order_no":"12345-1","title":"噪音"}'.encode()


def test_the_mac_covers_the_timestamp_and_the_body():
    headers = sign(BODY, SECRET, now=1_790_000_000)
    expected = hmac.new(SECRET.encode(), b"1790000000." + BODY, hashlib.sha256).hexdigest()
    assert headers == {SIGNATURE: f"sha256={expected}", TIMESTAMP: "1790000000"}
    verify(headers, BODY, SECRET, now=1_790_000_100)


@pytest.mark.parametrize("change, code", [
    (lambda h, b: ({**h, TIMESTAMP: str(int(h[TIMESTAMP]) + 60)}, b), "signature_invalid"),  # re-stamped replay
    (lambda h, b: (h, b + b" "), "signature_invalid"),                                      # another body
    (lambda h, b: ({k: v for k, v in h.items() if k != SIGNATURE}, b), "signature_missing"),
    (lambda h, b: ({**h, TIMESTAMP: "yesterday"}, b), "timestamp_invalid"),
])
def test_anything_changed_is_refused(change, code):
    headers, body = change(sign(BODY, SECRET, now=1_790_000_000), BODY)
    with pytest.raises(BadSignature) as err:
        verify(headers, body, SECRET, now=1_790_000_030)
    assert err.value.code == code


def test_a_request_more_than_five_minutes_off_is_stale():
    with pytest.raises(BadSignature) as err:
        verify(sign(BODY, SECRET, now=1_790_000_000), BODY, SECRET, now=1_790_000_301)
    assert err.value.code == "timestamp_stale"
