"""The OpenAPI document describes what the server answers (issue 26.4): one name per schema, the error statuses
and their Chinese bodies, the bounds the server enforces, nullable form fields that take an empty value, the
hazard steps as an enum, a schema for the lint and a content type for the file downloads; and the register's
person of an enterprise's legal representative answers (it was a 500)."""

from __future__ import annotations

import datetime
import enum
import importlib
import inspect
import json
import pkgutil
import typing
from collections import defaultdict
from typing import Any

import pytest
from django.test import Client
from pydantic import BaseModel

import yigang.api
from yigang.api.urls import api

pytestmark = pytest.mark.django_db


def _document() -> dict[str, Any]:
    return json.loads(json.dumps(api.get_openapi_schema()))  # as served: every key a string


def _api_models() -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    for info in pkgutil.iter_modules(yigang.api.__path__):
        module = importlib.import_module(f"yigang.api.{info.name}")
        found += [
            c
            for c in vars(module).values()
            if inspect.isclass(c) and issubclass(c, BaseModel) and c.__module__ == module.__name__
        ]
    return found


def _enums(model: type[BaseModel]) -> set[type[enum.Enum]]:
    found: set[type[enum.Enum]] = set()

    def walk(annotation: Any) -> None:
        if inspect.isclass(annotation) and issubclass(annotation, enum.Enum):
            found.add(annotation)
        for arg in typing.get_args(annotation):
            walk(arg)

    for field in model.model_fields.values():
        walk(field.annotation)
    return found


def test_no_two_schema_classes_share_a_name() -> None:
    # The document keeps one schema per name: two classes of one name would describe one of them wrongly.
    models = _api_models()
    assert len(models) > 40  # the walk finds the API's schemas
    by_name: dict[str, set[str]] = defaultdict(set)
    for model in models:
        by_name[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
        for kind in _enums(model):
            by_name[kind.__name__].add(f"{kind.__module__}.{kind.__qualname__}")
    shared = {name: where for name, where in by_name.items() if len(where) > 1}
    assert not shared, shared


def test_every_component_has_the_shape_of_its_class() -> None:
    components = _document()["components"]["schemas"]
    checked = 0
    for model in _api_models():
        if model.__name__ in components:
            fields = {f.alias or name for name, f in model.model_fields.items()}
            assert set(components[model.__name__].get("properties", {})) == fields, model.__name__
            checked += 1
    assert checked > 40
    # The four pairs that shared a name (PersonOut, UnitOut, ComplianceOut, TaskOut) each have their own now.
    assert "phone" in components["PersonOut"]["properties"]
    assert "score" in components["PersonResultOut"]["properties"]
    assert "posts" in components["UnitOut"]["properties"]
    assert "rank" in components["UnitResultOut"]["properties"]
    assert "rows" in components["ComplianceOut"]["properties"]
    assert set(components["EntryComplianceOut"]["properties"]) == {"required", "done"}
    assert "arrived_at" in components["OnSiteTaskOut"]["properties"]
    assert "sha256" in components["SignoffTaskOut"]["properties"]


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    document = _document()
    return [(m, p, op) for p, methods in document["paths"].items() for m, op in methods.items()]


def test_every_operation_declares_its_error_statuses_with_the_error_schema() -> None:
    for method, path, op in _operations():
        declared = {str(s) for s in op["responses"]}
        assert {"400", "401", "403"} <= declared, (method, path)
        if "{" in path:
            assert "404" in declared, (method, path)
        components = _document()["components"]["schemas"]
        for status in ("400", "401", "403", "404"):
            if status in op["responses"]:
                schema = op["responses"][status]["content"]["application/json"]["schema"]
                if schema != {"$ref": "#/components/schemas/ErrorOut"}:
                    # A refusal may carry more than the error (the calendar's unread lines), never less.
                    extended = components[schema["$ref"].rsplit("/", 1)[1]]["properties"]
                    assert status == "400" and {"detail", "errors"} <= set(extended), (method, path, status)


def _parameter(path: str, name: str, method: str = "get") -> dict[str, Any]:
    op = _document()["paths"][path][method]
    return next(p["schema"] for p in op["parameters"] if p["name"] == name)


def test_the_bounds_the_server_enforces_are_in_the_schema() -> None:
    for path in ("/api/duties/compliance", "/api/hazards/stats", "/api/signoff/status"):
        schema = _parameter(path, "year")
        bounds = schema if "minimum" in schema else next(s for s in schema["anyOf"] if "minimum" in s)
        assert (bounds["minimum"], bounds["maximum"]) == (2000, 2100), path
    assert _parameter("/api/duties/people/{person_id}/{year}", "year")["maximum"] == 2100
    for method, path, op in _operations():
        for p in op.get("parameters", []):
            if p["in"] == "path" and p["name"].endswith("_id"):
                assert p["schema"]["minimum"] == 1, (method, path, p["name"])
                assert p["schema"]["maximum"] == 2**63 - 1, (method, path, p["name"])
    record = _document()["components"]["schemas"]
    body = _document()["paths"]["/api/duties/records"]["post"]["requestBody"]
    assert body["content"]["multipart/form-data"]["schema"]["properties"]["title"]["maxLength"] == 200
    assert record  # the components exist


def test_the_hazard_step_is_an_enum_of_the_steps_the_code_knows() -> None:
    from yigang.hazards.forms import STEPS

    body = _document()["paths"]["/api/hazards/{hazard_id}/steps"]["post"]["requestBody"]
    step = body["content"]["multipart/form-data"]["schema"]["properties"]["step"]
    assert step["enum"] == list(STEPS)


def test_the_lint_and_the_downloads_have_a_response_schema() -> None:
    paths = _document()["paths"]
    lint = paths["/api/register/towns/{town_code}/lint"]["get"]["responses"]["200"]
    assert lint["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/LintOut"}
    for path in ("/api/duties/attachments/{attachment_id}", "/api/hazards/photos/{photo_id}"):
        content = paths[path]["get"]["responses"]["200"]["content"]
        assert {"image/jpeg", "image/png", "application/pdf"} <= set(content), path
        assert content["image/jpeg"]["schema"] == {"type": "string", "format": "binary"}


def test_the_lint_answer_matches_its_schema(client: Client, users: dict[str, Any], regulation: Any) -> None:
    from yigang.api.org import LintOut

    client.force_login(users["officer"])
    answer = client.get("/api/register/towns/wushenzhao/lint").json()
    assert LintOut.model_validate(answer).model_dump() == answer


# ---------------------------------------------------------------- validation errors: 400, in Chinese


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("town=wushenzhao&year=abc", ["查询参数“year”", "须为整数"]),
        ("town=wushenzhao&year=2101", ["查询参数“year”", "不得大于 2100"]),
        ("town=wushenzhao&year=1999", ["查询参数“year”", "不得小于 2000"]),
        ("year=2025", ["查询参数“town”", "必填"]),
    ],
)
def test_a_parameter_the_schema_refuses_is_a_400_naming_the_field(
    client: Client, users: dict[str, Any], regulation: Any, query: str, words: list[str]
) -> None:
    client.force_login(users["officer"])
    response = client.get(f"/api/duties/compliance?{query}")
    assert response.status_code == 400
    body = response.json()
    for word in words:
        assert word in body["detail"], body
    assert body["errors"] and all(isinstance(e, str) for e in body["errors"])
    assert "Field required" not in body["detail"] and "Input should" not in body["detail"]


def test_a_path_id_out_of_bounds_is_a_400_and_an_unknown_one_a_chinese_404(
    client: Client, users: dict[str, Any]
) -> None:
    client.force_login(users["officer"])
    zero = client.get("/api/register/people/0")
    assert zero.status_code == 400 and "路径参数“person_id”不得小于 1" in zero.json()["detail"]
    unknown = client.get("/api/register/people/999999")
    assert unknown.status_code == 404 and unknown.json()["detail"] == "未找到，或不在您可查看的范围内"


def test_an_unknown_hazard_step_is_a_400_naming_the_field(client: Client, world: Any) -> None:
    response = world.client("officer").post(f"/api/hazards/{world.hazard.pk}/steps", {"step": "destroy"})
    assert response.status_code == 400
    assert "表单字段“step”" in response.json()["detail"] and "accept" in response.json()["detail"]


@pytest.mark.parametrize("empty", ["", "null"])
def test_a_nullable_form_field_takes_an_empty_or_null_value(world: Any, empty: str) -> None:
    # latitude, longitude, deadline, duty_record_id, village, enterprise are documented nullable: sent empty or
    # as null they mean "not given", as a browser form sends them (the deadline then comes from working_days).
    client = world.client("officer")
    response = client.post(
        "/api/hazards/",
        {
            "town": world.town.code,
            "sector": world.sector.name,
            "description": "配电箱未上锁",
            "address": "镇区",
            "found_on": datetime.date(2025, 3, 1).isoformat(),
            "found_by": "巡查员",
            "source": "inspection",
            "latitude": empty,
            "longitude": empty,
            "deadline": empty,
            "working_days": "10",
            "duty_record_id": empty,
            "village": empty,
            "enterprise": empty,
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["latitude"] is None and body["village"] is None and body["duty_record_id"] is None


# ---------------------------------------------------------------- the 500 it found


def test_an_enterprises_legal_representative_has_a_person_page_and_api_answer(
    client: Client, users: dict[str, Any], regulation: Any, town: Any
) -> None:
    from yigang.org import actions
    from yigang.org.models import ENTERPRISE_HEAD, UnitKind

    officer = users["officer"]
    enterprise = actions.add_unit(town=town, name="宏达煤业", kind=UnitKind.ENTERPRISE, actor=officer)
    post = actions.add_post(unit=enterprise, title="法定代表人", kind=ENTERPRISE_HEAD, actor=officer)
    person = actions.add_person(town=town, name="王宏达", actor=officer)
    actions.appoint(post=post, person=person, start=datetime.date(2024, 1, 1), actor=officer)
    client.force_login(officer)

    answer = client.get(f"/api/register/people/{person.pk}")
    assert answer.status_code == 200  # was a 500: ValueError('enterprise_head') building a duty list
    body = answer.json()
    assert [h["post_kind"] for h in body["current"]] == [ENTERPRISE_HEAD]
    assert body["duty_lists"] == [] and body["due"] == []  # the regulation binds no duty to that post
    page = client.get(f"/register/people/{person.pk}/")
    assert page.status_code == 200 and "王宏达" in page.content.decode()
    for fmt in ("docx", "xlsx"):
        assert client.get(f"/register/people/{person.pk}/duty-list/{fmt}/").status_code == 200
