"""Fixtures for the sandbox's tests: a sandbox, a caller with a live token, and Zoho's OpenAPI files.

The OpenAPI files come from `shared/zoho-oas/v8.0` beside the repo (CI copies
shared/ there too). Cross-file `$ref`s are resolved to the local files through
a `referencing.Registry`, never the network; OpenAPI 3.0 `nullable` becomes
"or null"; and only the slips zoho-oas/README.md documents are applied.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from shared_files import shared_path
from tui.sandbox.app import Sandbox
from tui.sandbox.wire import SandboxResponse

OAS_BASE = "https://raw.githubusercontent.com/Zohocorp-Pvt-Ltd/crm-oas/refs/heads/main/v8.0/"


# --- OpenAPI -> JSON Schema -------------------------------------------------------------


def translate_nullable(node: Any) -> Any:
    """OpenAPI 3.0 `nullable: true` as JSON Schema: the type (or the $ref) or null."""
    if isinstance(node, list):
        return [translate_nullable(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: translate_nullable(value) for key, value in node.items()}
    if out.pop("nullable", False) is not True:
        return out
    if "$ref" in out:
        return {"anyOf": [out, {"type": "null"}]}
    if isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    if "enum" in out:
        out["enum"] = [*out["enum"], None]
    return out


def apply_documented_slips(emails_file: dict[str, Any]) -> dict[str, Any]:
    """The slips zoho-oas/README.md lists for email_related_records.json, and only those."""
    doc = copy.deepcopy(emails_file)
    schemas = doc["components"]["schemas"]
    email = schemas["email"]
    # Zoho's own samples: cc and linked_record may be null; a status entry needs only `type`.
    email["properties"]["cc"] = {"anyOf": [email["properties"]["cc"], {"type": "null"}]}
    email["properties"]["linked_record"] = {"anyOf": [email["properties"]["linked_record"], {"type": "null"}]}
    schemas["status"]["required"] = ["type"]
    # A single-email answer: the email's properties without `required`, and no `info` in the wrapper.
    schemas["email_detail"] = {key: value for key, value in email.items() if key != "required"}
    schemas["detail_wrapper"] = {
        "type": "object",
        "properties": {"Emails": {"type": "array", "items": {"$ref": "#/components/schemas/email_detail"}}},
        "required": ["Emails"],
    }
    return doc


class OpenAPI:
    """Validators for Zoho's schemas, named `file.json#/json/pointer`."""

    def __init__(self, folder: Path) -> None:
        resources = []
        for path in sorted(folder.glob("*.json")):
            contents = translate_nullable(json.loads(path.read_text()))
            if path.name == "email_related_records.json":
                contents = apply_documented_slips(contents)
            resources.append((OAS_BASE + path.name, Resource.from_contents(contents, default_specification=DRAFT202012)))
        self.registry = Registry().with_resources(resources)
        self._validators: dict[str, Draft202012Validator] = {}

    def validator(self, ref: str) -> Draft202012Validator:
        if ref not in self._validators:
            self._validators[ref] = Draft202012Validator(
                {"$ref": OAS_BASE + ref}, registry=self.registry, format_checker=Draft202012Validator.FORMAT_CHECKER
            )
        return self._validators[ref]

    def validate(self, ref: str, payload: Any) -> None:
        errors = sorted(self.validator(ref).iter_errors(payload), key=lambda e: list(e.absolute_path))
        if errors:
            lines = [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:300]}" for e in errors[:10]]
            pytest.fail(f"answer does not match {ref}:\n" + "\n".join(lines), pytrace=False)


@pytest.fixture(scope="session")
def oas() -> OpenAPI:
    return OpenAPI(shared_path("zoho-oas", "v8.0"))


# --- calling the sandbox --------------------------------------------------------------------


class Caller:
    """Calls the sandbox's handler directly, with a live token, the way a client would."""

    def __init__(self, sandbox: Sandbox, version: str = "v8") -> None:
        self.sandbox = sandbox
        self.version = version
        self.token = sandbox.mint_access_token()

    def get(self, path: str, params: dict[str, str] | None = None, *, token: str | None = None,
            headers: dict[str, str] | None = None) -> SandboxResponse:
        target = f"/crm/{self.version}/{path}" + (f"?{urlencode(params)}" if params else "")
        sent = {"Host": "sandbox.test", "Authorization": f"Zoho-oauthtoken {token or self.token}"}
        return self.sandbox.handle("GET", target, sent if headers is None else headers, b"")

    def emails(self, record: tuple[str, str], **params: str) -> SandboxResponse:
        module, record_id = record
        return self.get(f"{module}/{record_id}/Emails", params)

    def pages(self, record: tuple[str, str], **params: str) -> Iterator[SandboxResponse]:
        """Every page of a record's emails, following next_index until more_records is false."""
        while True:
            answer = self.emails(record, **params)
            yield answer
            if answer.status != 200 or not answer.json()["info"]["more_records"]:
                return
            params = {**params, "index": answer.json()["info"]["next_index"]}

    def all_emails(self, record: tuple[str, str], **params: str) -> list[dict[str, Any]]:
        emails: list[dict[str, Any]] = []
        for answer in self.pages(record, **params):
            if answer.status == 204:
                break
            assert answer.status == 200, answer.body
            emails += answer.json()["Emails"]
        return emails

    def email(self, record: tuple[str, str], message_id: str, **params: str) -> SandboxResponse:
        module, record_id = record
        return self.get(f"{module}/{record_id}/Emails/{message_id}", params)


@pytest.fixture
def sandbox() -> Sandbox:
    return Sandbox()


@pytest.fixture
def api(sandbox: Sandbox) -> Caller:
    return Caller(sandbox)
