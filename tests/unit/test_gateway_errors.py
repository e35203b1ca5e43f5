"""The error table: every expected exception has its status and code; a lost database is 503, never 500."""
import pydantic
import pytest
from sqlalchemy import exc as sa_exc

from services.gateway.errors import error_response, to_api_error
from shared.catalog import UnknownCategory
from shared.contracts.api import ReportIn
from shared.lifecycle import IllegalTransition, InvalidCommand
from shared.store.uow import NotFound


def _validation_error():
    with pytest.raises(pydantic.ValidationError) as err:
        ReportIn.model_validate({"description": "x"})
    return err.value


@pytest.mark.parametrize("exc, status, code", [
    (IllegalTransition("close", "closed", "it is finished"), 409, "illegal_transition"),
    (InvalidCommand("reason is required"), 422, "invalid_command"),
    (UnknownCategory("9999"), 422, "unknown_category"),
    (NotFound("case", "X-1"), 404, "not_found"),
    (sa_exc.OperationalError("SELECT 1", {}, Exception("server closed the connection")), 503, "not_ready"),
])
def test_each_expected_exception_maps_to_its_status(exc, status, code):
    err = to_api_error(exc)
    assert (err.status, err.code) == (status, code) and err.message


def test_validation_errors_list_each_field():
    err = to_api_error(_validation_error())
    assert err.status == 422 and {e["field"] for e in err.details["errors"]} >= {"description", "location"}


def test_an_unexpected_exception_is_not_mapped_and_a_503_says_when_to_retry():
    assert to_api_error(RuntimeError("bug")) is None
    response = error_response(to_api_error(sa_exc.OperationalError("x", {}, Exception("gone"))))
    assert response.status_code == 503 and response.headers["Retry-After"] == "2"
