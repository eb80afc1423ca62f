"""Reading generated C# with the tree-sitter C# grammar: parse errors and observation counts."""

from __future__ import annotations

from collections.abc import Iterator

import tree_sitter_c_sharp
from tree_sitter import Language, Node, Parser

PARSER = Parser(Language(tree_sitter_c_sharp.language()))


def parse(source: str) -> Node:
    return PARSER.parse(source.encode()).root_node


def walk(node: Node) -> Iterator[Node]:
    yield node
    for child in node.children:
        yield from walk(child)


def error_nodes(root: Node) -> list[str]:
    """Text of every ERROR or MISSING node: empty for a file that parses cleanly."""
    return [n.text.decode(errors="replace") for n in walk(root) if n.type == "ERROR" or n.is_missing]


def int_constants(root: Node) -> dict[str, int]:
    """``const int Name = 123;`` declarations."""
    constants = {}
    for node in walk(root):
        if node.type == "variable_declarator":
            value = node.children[-1]
            declaration = node.parent.parent if node.parent else None
            if value.type == "integer_literal" and declaration is not None and b"const" in declaration.text:
                constants[node.child_by_field_name("name").text.decode()] = int(value.text)
    return constants


def observation_count(root: Node) -> int:
    """How many floats ``CollectObservations`` adds: each AddObservation(float) call, times the
    trip count of every enclosing ``for (var i = 0; i < N; i++)`` loop (N a literal or a const)."""
    constants = int_constants(root)
    method = next(
        n
        for n in walk(root)
        if n.type == "method_declaration" and n.child_by_field_name("name").text == b"CollectObservations"
    )
    total = 0
    for node in walk(method):
        if node.type == "invocation_expression" and node.child_by_field_name("function").text.endswith(
            b"AddObservation"
        ):
            multiplier, parent = 1, node.parent
            while parent is not None and parent != method:
                if parent.type == "for_statement":
                    bound = parent.child_by_field_name("condition").children[-1].text.decode()
                    multiplier *= int(bound) if bound.isdigit() else constants[bound]
                parent = parent.parent
            total += multiplier
    return total


def vector_observation_size(root: Node) -> int:
    """The integer assigned to ``BrainParameters.VectorObservationSize`` in the scene builder."""
    for node in walk(root):
        if node.type == "assignment_expression" and node.child_by_field_name("left").text.endswith(
            b"VectorObservationSize"
        ):
            return int(node.child_by_field_name("right").text)
    raise AssertionError("no VectorObservationSize assignment")
