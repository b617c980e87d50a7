"""The only template language users may write: variables from an allow-list and simple
conditions, nothing else.

Jinja2 parses the text (a real parser, with line numbers); every node of the parsed tree
must be of a kind listed here, every variable a path in the allow-list, every filter one
of a few harmless ones. Rendering runs in Jinja2's SandboxedEnvironment over plain
dictionaries of strings, so even a check missed here reaches no Python object."""

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from jinja2 import TemplateSyntaxError, Undefined, nodes
from jinja2.sandbox import SandboxedEnvironment

ALLOWED_FILTERS = frozenset({"default", "upper", "lower", "title", "capitalize", "trim"})
ALLOWED_COMPARISONS = frozenset({"eq", "ne", "lt", "lteq", "gt", "gteq", "in", "notin"})
# Values automation or marketing pass in (`extra_context`), read as {{ extra.name }}.
EXTRA_ROOT = "extra"
EXTRA_NAME = re.compile(r"^[a-z][a-z0-9_]{0,49}\Z")
# Nodes that only carry the structure of text, conditions and constants.
_PLAIN_NODES = (nodes.Template, nodes.Output, nodes.TemplateData, nodes.If, nodes.Not,
                nodes.And, nodes.Or, nodes.Const)


@dataclass(frozen=True)
class TemplateProblem:
    line: int
    message: str


def _default(value, fallback="", *_ignored):
    # Every allow-listed variable is defined (an empty field is ""), so "default" means
    # "when empty", which is what a person writing {{ contact.given_name|default("there") }}
    # expects; Jinja's own default only replaces undefined values.
    return fallback if isinstance(value, Undefined) or value in (None, "") else value


def _environment(autoescape: bool) -> SandboxedEnvironment:
    # No loader: {% include %} and {% extends %} have nothing to load even if they passed.
    env = SandboxedEnvironment(autoescape=autoescape, keep_trailing_newline=True)
    env.filters = {name: env.filters[name] for name in ALLOWED_FILTERS}
    env.filters["default"] = _default
    env.tests = {}
    env.globals = {}
    return env


HTML_ENV = _environment(autoescape=True)
TEXT_ENV = _environment(autoescape=False)


def _path(node: nodes.Node) -> str | None:
    """`contact.custom.nickname` for a chain of attribute reads on a name, else None."""
    parts = []
    while isinstance(node, nodes.Getattr):
        parts.append(node.attr)
        node = node.node
    if not isinstance(node, nodes.Name):
        return None
    parts.append(node.name)
    return ".".join(reversed(parts))


def _is_allowed_path(path: str, variables: frozenset[str]) -> bool:
    if path in variables:
        return True
    root, _dot, name = path.partition(".")
    return root == EXTRA_ROOT and bool(EXTRA_NAME.match(name))


def _check_node(node: nodes.Node, variables: frozenset[str]) -> Iterable[TemplateProblem]:
    line = node.lineno or 1
    if isinstance(node, nodes.Name | nodes.Getattr):
        path = _path(node)
        if path is None or not _is_allowed_path(path, variables):
            shown = path or _("this expression")
            yield TemplateProblem(line, _("%(name)s is not a variable you can use here.")
                                  % {"name": shown})
        return  # the chain is checked as a whole; its parts are not walked
    if isinstance(node, nodes.Filter):
        if node.name not in ALLOWED_FILTERS:
            yield TemplateProblem(line, _("The filter %(name)s is not allowed; use one of: "
                                          "%(allowed)s.")
                                  % {"name": node.name,
                                     "allowed": ", ".join(sorted(ALLOWED_FILTERS))})
            return
        if node.kwargs or node.dyn_args or node.dyn_kwargs \
                or any(not isinstance(arg, nodes.Const) for arg in node.args):
            yield TemplateProblem(line, _("A filter may only take plain text or numbers."))
            return
        yield from _check_node(node.node, variables)
        return
    if isinstance(node, nodes.Compare):
        if any(op.op not in ALLOWED_COMPARISONS for op in node.ops):
            yield TemplateProblem(line, _("Only comparisons such as == and != are allowed."))
            return
    elif isinstance(node, nodes.Operand):
        pass
    elif isinstance(node, nodes.Const):
        if not isinstance(node.value, str | int | float | bool | type(None)):
            yield TemplateProblem(line, _("Only plain text and numbers are allowed."))
        return
    elif not isinstance(node, _PLAIN_NODES):
        yield TemplateProblem(line, _("Only variables and if / else / endif are allowed "
                                      "here, not %(what)s.") % {"what": _describe(node)})
        return
    for child in node.iter_child_nodes():
        yield from _check_node(child, variables)


def _describe(node: nodes.Node) -> str:
    words = {nodes.For: "{% for %}", nodes.Include: "{% include %}",
             nodes.Extends: "{% extends %}", nodes.Import: "{% import %}",
             nodes.FromImport: "{% from %}", nodes.Macro: "{% macro %}",
             nodes.Assign: "{% set %}", nodes.AssignBlock: "{% set %}",
             nodes.Block: "{% block %}", nodes.Call: _("a call"),
             nodes.Getitem: _("[…] lookups"), nodes.With: "{% with %}"}
    for kind, word in words.items():
        if isinstance(node, kind):
            return word
    return type(node).__name__


def template_problems(source: str, variables: frozenset[str]) -> list[TemplateProblem]:
    """What is wrong with `source` (empty when it may be saved), each with its line."""
    try:
        tree = HTML_ENV.parse(source)
    except TemplateSyntaxError as exc:
        return [TemplateProblem(exc.lineno or 1, exc.message or _("Syntax error."))]
    return list(_check_node(tree, variables))


@functools.lru_cache(maxsize=512)
def _is_clean(source: str, variables: frozenset[str]) -> bool:
    # Cached: a bulk send renders one template for thousands of contacts.
    return not template_problems(source, variables)


def check_template(source: str, variables: frozenset[str], *, field: str) -> None:
    """Raise a ValidationError on `field` naming the line of each problem."""
    problems = template_problems(source, variables)
    if problems:
        raise ValidationError({field: [
            _("Line %(line)s: %(problem)s") % {"line": p.line, "problem": p.message}
            for p in problems]})


@functools.lru_cache(maxsize=512)
def _compiled(source: str, html: bool):
    return (HTML_ENV if html else TEXT_ENV).from_string(source)


def render_checked(source: str, context: dict, *, html: bool,
                   variables: frozenset[str]) -> str:
    """Render `source`, which is checked again first: a template stored before a rule
    changed (or written to the database by hand) is refused, never executed."""
    if not _is_clean(source, variables):
        raise ValidationError(_("The template uses something that is not allowed; "
                                "open it and save it again to see what."))
    return _compiled(source, html).render(context)
