"""HTTP routes of a Google API, read from its own client library's REST transport.

Every GAPIC REST transport declares, per RPC, the HTTP method and URI template it sends
(``_Base<Rpc>._get_http_options()``), and which part of the request is the body. Reading them
back routes an incoming request to the RPC the real client meant, with its request message
rebuilt from the path variables, the query string and the body, exactly as the client split it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl

from google.protobuf import json_format
from google.protobuf.message import Message

_VARIABLE = re.compile(r"\{([a-zA-Z0-9_.]+)(?:=([^}]*))?\}")


@dataclass(frozen=True)
class Route:
    """One HTTP rule of one RPC."""

    rpc: str
    method: str
    pattern: re.Pattern[str]
    variables: tuple[str, ...]
    body: str | None
    request_type: Any

    def request(self, path_match: re.Match[str], query: str, body: bytes) -> Any:
        """The request message the client sent, from the path variables, query string and body."""
        fields: dict[str, Any] = {}
        for key, value in parse_qsl(query, keep_blank_values=True):
            if not key.startswith("$"):
                _set(fields, key, value)
        if body and self.body:
            payload = json.loads(body)
            if self.body == "*":
                fields.update(payload)
            else:
                _set(fields, self.body, payload)
        for index, variable in enumerate(self.variables):
            _set(fields, variable, path_match.group(f"v{index}"))
        text = json.dumps(fields)
        if isinstance(self.request_type, type) and issubclass(self.request_type, Message):
            return json_format.Parse(text, self.request_type(), ignore_unknown_fields=True)
        return self.request_type.from_json(text, ignore_unknown_fields=True)


def _set(fields: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for parent in parents:
        fields = fields.setdefault(parent, {})
    fields[last] = value


def _pattern(template: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """``/v1/{name=projects/*/models/*}:get`` as a regex with one group per variable."""
    regex, variables, position = "", [], 0
    for match in _VARIABLE.finditer(template):
        regex += re.escape(template[position : match.start()])
        segments = (match.group(2) or "*").split("/")
        inner = "/".join("(?:.+)" if s == "**" else "(?:[^/]+)" if s == "*" else re.escape(s) for s in segments)
        regex += f"(?P<v{len(variables)}>{inner})"
        variables.append(match.group(1))
        position = match.end()
    regex += re.escape(template[position:])
    return re.compile(f"^{regex}$"), tuple(variables)


def routes_of(
    base_transport: type, types_modules: Iterable[ModuleType], extra_types: dict[str, Any] | None = None
) -> list[Route]:
    """Every HTTP rule declared by ``base_transport`` (a ``_Base...RestTransport`` class).

    A request type is looked up as ``<Rpc>Request`` in ``types_modules`` or in ``extra_types``
    (the long-running-operations mixins use ``operations_pb2``).
    """
    modules = list(types_modules)
    found = []
    for name, member in vars(base_transport).items():
        if not name.startswith("_Base") or not hasattr(member, "_get_http_options"):
            continue
        rpc = name[len("_Base") :]
        request_type = (extra_types or {}).get(rpc) or next(
            (getattr(m, f"{rpc}Request") for m in modules if hasattr(m, f"{rpc}Request")), None
        )
        if request_type is None:
            continue
        for option in member._get_http_options():
            pattern, variables = _pattern(option["uri"])
            found.append(Route(rpc, option["method"].upper(), pattern, variables, option.get("body"), request_type))
    return found
