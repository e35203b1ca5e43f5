"""/openapi.json is generated from the same route table that registers the entrypoints: every served route
is documented with its method, and every documented route is served."""
import re

from nameko.web.handlers import HttpRequestHandler

from services.gateway.service import GatewayService, api


def served():
    """Every served (method, path), as the document spells it: Open311's `.{fmt}` routes are documented as `.json`,
    their suffix-less aliases, the catch-all 404 routes and the screens' static files (`<path:file>`; the three pages
    themselves are documented) are not."""
    out = set()
    for name in dir(GatewayService):
        for ep in getattr(getattr(GatewayService, name), "nameko_entrypoints", ()):
            if not isinstance(ep, HttpRequestHandler) or "<path:rest>" in ep.url or "<path:file>" in ep.url:
                continue
            path = re.sub(r"<(\w+)>", r"{\1}", ep.url)
            if path.startswith("/open311/"):
                if not path.endswith(".{fmt}"):
                    continue
                path = path.replace(".{fmt}", ".json")
            out |= {(m.lower(), path) for m in ep.method.split(",")}
    return out


def test_the_document_lists_exactly_the_served_routes():
    doc = api.openapi("t", "1")
    documented = {(m, p) for p, ops in doc["paths"].items() for m in ops}
    assert documented == served()
    assert len(documented) >= 20


def test_every_action_of_the_contract_has_a_route_with_its_body_schema():
    doc = api.openapi("t", "1")
    for action in ("accept", "return", "transfer", "escalate", "resolve", "verify", "extend", "decide-extension",
                   "supervise", "reopen", "merge", "reject", "close", "review-return", "suspend",
                   "decide-suspension", "void", "resume", "register"):
        op = doc["paths"][f"/api/v1/cases/{{case_id}}/{action}"]["post"]
        ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert ref.split("/")[-1] in doc["components"]["schemas"]
        assert {"401", "403", "404", "409", "422"} <= set(op["responses"])
