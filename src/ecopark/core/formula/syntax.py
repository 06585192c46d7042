"""Formula syntax: tokenizer and recursive-descent parser into a small syntax tree.

Grammar (lowest precedence first)::

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?
    sum     := product (("+" | "-") product)*
    product := unary (("*" | "/") unary)*
    unary   := "-" unary | power
    power   := postfix ("**" unary)?
    postfix := primary ("[" expr "]")?
    primary := NUMBER | STRING | NAME | NAME "(" args ")" | "(" expr ")"

Nothing is ever passed to `eval`: `parse` only builds the tree; `ecopark.core.formula.check`
gives it meaning.
"""

from __future__ import annotations

import dataclasses
import re

__all__ = ["At", "Binary", "Call", "FormulaSyntaxError", "Name", "Node", "Num", "Str", "Unary", "parse"]

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+)"
    r"|(?P<str>'[^']*'|\"[^\"]*\")"
    r"|(?P<name>[^\W\d]\w*)"
    r"|(?P<op>\*\*|<=|>=|==|!=|[-+*/()<>\[\],]))"
)
_KEYWORDS = {"and", "or", "not"}
_COMPARE = {"<", "<=", ">", ">=", "==", "!="}


class FormulaSyntaxError(Exception):
    """A problem at a character position; the framework loader adds the file and key path."""

    def __init__(self, problem: str, position: int) -> None:
        super().__init__(problem)
        self.problem = problem
        self.position = position


# --------------------------------------------------------------------------- syntax tree


@dataclasses.dataclass(frozen=True, slots=True)
class Node:
    pos: int


@dataclasses.dataclass(frozen=True, slots=True)
class Num(Node):
    value: float


@dataclasses.dataclass(frozen=True, slots=True)
class Str(Node):
    value: str


@dataclasses.dataclass(frozen=True, slots=True)
class Name(Node):
    name: str


@dataclasses.dataclass(frozen=True, slots=True)
class At(Node):
    target: Node
    year: Node


@dataclasses.dataclass(frozen=True, slots=True)
class Unary(Node):
    op: str
    operand: Node


@dataclasses.dataclass(frozen=True, slots=True)
class Binary(Node):
    op: str
    left: Node
    right: Node


@dataclasses.dataclass(frozen=True, slots=True)
class Call(Node):
    func: str
    args: tuple[Node, ...]


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if match is None or match.lastgroup is None:
            start = len(text) - len(text[pos:].lstrip())
            raise FormulaSyntaxError(f"无法识别的字符 unexpected character {text[start]!r}", start)
        kind = match.lastgroup
        tokens.append((kind, match.group(kind), match.start(kind)))
        pos = match.end()
    tokens.append(("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.i = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def take(self, value: str | None = None) -> tuple[str, str, int]:
        token = self.tokens[self.i]
        if value is not None and token[1] != value:
            found = token[1] or "公式结尾 end of formula"
            raise FormulaSyntaxError(f"应为 expected {value!r}，实为 found {found!r}", token[2])
        self.i += 1
        return token

    def at(self, *values: str) -> bool:
        kind, text, _ = self.peek()
        return kind in ("op", "name") and text in values

    def parse(self) -> Node:
        node = self.or_()
        kind, text, pos = self.peek()
        if kind != "end":
            raise FormulaSyntaxError(f"多余的内容 unexpected {text!r}", pos)
        return node

    def or_(self) -> Node:
        node = self.and_()
        while self.at("or"):
            pos = self.take()[2]
            node = Binary(pos, "or", node, self.and_())
        return node

    def and_(self) -> Node:
        node = self.not_()
        while self.at("and"):
            pos = self.take()[2]
            node = Binary(pos, "and", node, self.not_())
        return node

    def not_(self) -> Node:
        if self.at("not"):
            pos = self.take()[2]
            return Unary(pos, "not", self.not_())
        return self.compare()

    def compare(self) -> Node:
        node = self.sum_()
        if self.peek()[0] == "op" and self.peek()[1] in _COMPARE:
            _, op, pos = self.take()
            node = Binary(pos, op, node, self.sum_())
        return node

    def sum_(self) -> Node:
        node = self.product()
        while self.peek()[0] == "op" and self.peek()[1] in ("+", "-"):
            _, op, pos = self.take()
            node = Binary(pos, op, node, self.product())
        return node

    def product(self) -> Node:
        node = self.unary()
        while self.peek()[0] == "op" and self.peek()[1] in ("*", "/"):
            _, op, pos = self.take()
            node = Binary(pos, op, node, self.unary())
        return node

    def unary(self) -> Node:
        if self.peek()[0] == "op" and self.peek()[1] == "-":
            pos = self.take()[2]
            return Unary(pos, "-", self.unary())
        return self.power()

    def power(self) -> Node:
        node = self.postfix()
        if self.peek()[0] == "op" and self.peek()[1] == "**":
            pos = self.take()[2]
            node = Binary(pos, "**", node, self.unary())
        return node

    def postfix(self) -> Node:
        node = self.primary()
        if self.peek()[0] == "op" and self.peek()[1] == "[":
            pos = self.take()[2]
            year = self.or_()
            self.take("]")
            node = At(pos, node, year)
        return node

    def primary(self) -> Node:
        kind, text, pos = self.take()
        if kind == "num":
            return Num(pos, float(text))
        if kind == "str":
            return Str(pos, text[1:-1])
        if kind == "name" and text not in _KEYWORDS:
            if self.peek()[0] == "op" and self.peek()[1] == "(":
                return Call(pos, text, self.arguments())
            return Name(pos, text)
        if kind == "op" and text == "(":
            node = self.or_()
            self.take(")")
            return node
        raise FormulaSyntaxError(f"此处不能是 unexpected {text or '公式结尾 end'!r}", pos)

    def arguments(self) -> tuple[Node, ...]:
        self.take("(")
        args: list[Node] = []
        if not (self.peek()[0] == "op" and self.peek()[1] == ")"):
            args.append(self.or_())
            while self.peek()[0] == "op" and self.peek()[1] == ",":
                self.take()
                args.append(self.or_())
        self.take(")")
        return tuple(args)


def parse(text: str) -> Node:
    """Parse formula text into a syntax tree, or raise FormulaSyntaxError with the position."""
    return _Parser(text).parse()
