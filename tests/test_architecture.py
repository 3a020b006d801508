"""One-way arrows between the layers, read from the source with `ast` (issue 12).

Every import of every module under invocations/ and lambdaviz/ counts: module-level ones, deferred ones inside
functions and `if TYPE_CHECKING:` ones; relative imports are resolved. Each module belongs to exactly one layer
(LAYERS, longest prefix wins, and a module no prefix covers fails the test, so a new folder has to be placed).

The allowed table (ALLOWED below is the executable form):

| layer      | what lives there                                          | may import (inside the project)  |
|------------|-----------------------------------------------------------|----------------------------------|
| core       | errors.py, arns.py: AWS's error types and ARN grammar     | core                             |
| engine     | engine/: the pure simulator                               | engine, core                     |
| rules      | rules/: AWS's validation rules, pure functions and limits | rules, core                      |
| models     | models/, kms.py                                           | models, rules, engine, core      |
| runtime    | runtime/: Redis hot state, executors, publisher, the host | runtime, engine, models, rules,  |
|            |                                                           | core                             |
| services   | services/, selectors/: use cases, writes and reads        | services, runtime, models, rules,|
|            |                                                           | engine, core                     |
| interfaces | see INTERFACES                                            | interfaces, services, models,    |
|            |                                                           | rules, core                      |
| entry      | process entry points: settings, celery, apps, signals,    | anything                         |
|            | tasks                                                     |                                  |

So: the engine imports only itself and its pure core; the runtime imports no services, selectors or interface;
models import no services and no runtime; interfaces reach the runtime only through the services.

Decisions written down here:
- errors.py and arns.py stay where they are and are the only modules outside engine/ that the engine may import:
  moving them under engine/ would rewrite about a hundred imports across every layer for no change in meaning,
  and this test already keeps them pure (they may import only each other, and only the standard library outside).
- rules/ is pure too (standard library, errors, arns), so the runtime may use its limits (the python executor
  checks a package against CODE_SIZE_UNZIPPED_MAX): that arrow points at a pure leaf, not up the stack.
- models may use the engine's pure validation (behaviour profiles, mapping settings, filter policies): the
  engine is pure, so that arrow still points down.
- selectors sit beside the services (HackSoft style: reads and writes of the same use cases); both may read the
  runtime's hot state, the runtime may import neither.
- "interfaces" are whatever answers a person or a client: the Lambda API (api/), the dashboard (dashboard/,
  views.py, templatetags/, context_processors.py), the websocket consumers and their routing, management
  commands, the admin, url configurations and the HTTP error pages. They reach the runtime and the engine only
  through the services (and selectors).
- "entry" modules start processes and wire layers together (lambdaviz/settings.py, celery.py, apps.py,
  signals.py, tasks.py): they sit above everything and are imported by nothing below them.

Import cycles fail as well: a cycle of module-level imports between modules of one folder (deferred and
TYPE_CHECKING imports do not run at import time, so they cannot make a cycle).
"""

from __future__ import annotations

import ast
import sys
import textwrap
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("invocations", "lambdaviz")

CORE = ("invocations.errors", "invocations.arns")
INTERFACES = (
    "invocations.api",
    "invocations.dashboard",
    "invocations.views",
    "invocations.templatetags",
    "invocations.context_processors",
    "invocations.consumers",
    "invocations.ws_routing",
    "invocations.urls",
    "invocations.http_errors",
    "invocations.management",
    "invocations.admin",
    "lambdaviz.urls",
    "lambdaviz.asgi",
    "lambdaviz.http_limits",
)
ENTRY = (
    "invocations",  # the package itself (its __init__)
    "invocations.apps",
    "invocations.signals",
    "invocations.tasks",
    "lambdaviz",
    "lambdaviz.settings",
    "lambdaviz.celery",
    "lambdaviz.wsgi",
)
LAYERS: dict[str, str] = {
    **dict.fromkeys(CORE, "core"),
    "invocations.engine": "engine",
    "invocations.rules": "rules",
    "invocations.models": "models",
    "invocations.kms": "models",
    "invocations.runtime": "runtime",
    "invocations.services": "services",
    "invocations.selectors": "services",
    **dict.fromkeys(INTERFACES, "interfaces"),
    **dict.fromkeys(ENTRY, "entry"),
}
ALLOWED: dict[str, set[str]] = {
    "core": {"core"},
    "engine": {"engine", "core"},
    "rules": {"rules", "core"},
    "models": {"models", "rules", "engine", "core"},
    "runtime": {"runtime", "engine", "models", "rules", "core"},
    "services": {"services", "runtime", "models", "rules", "engine", "core"},
    "interfaces": {"interfaces", "services", "models", "rules", "core"},
    "entry": {"entry", "interfaces", "services", "runtime", "models", "rules", "engine", "core"},
}
# Layers whose imports from outside the project must be the standard library's only.
PURE = {"core", "engine", "rules"}


@dataclass(frozen=True)
class Import:
    """One arrow: `source` (a module) imports `target` (a module of the project, or a top-level outside name)."""

    source: str
    target: str
    path: str  # relative to the root, with forward slashes
    line: int
    module_level: bool  # runs when the module is imported (not inside a function, not under TYPE_CHECKING)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.source} -> {self.target}"


def modules_under(root: Path, packages: Iterable[str]) -> dict[str, Path]:
    """Dotted module name → file, for every .py under the packages (migrations left out: Django writes them)."""
    found: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def imports_of(module: str, path: Path, root: Path, known: dict[str, Path]) -> Iterator[Import]:
    """Every import in one file, targets resolved to the project's modules where they are ours."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    shown = path.relative_to(root).as_posix()
    for node, module_level in _import_nodes(tree):
        for target in _targets(node, module, is_package, known):
            yield Import(module, target, shown, node.lineno, module_level)


def _import_nodes(tree: ast.Module) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Import statements with whether each runs at import time (module level, outside `if TYPE_CHECKING:`)."""

    def walk(node: ast.AST, module_level: bool) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                yield child, module_level
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                yield from walk(child, False)
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                for branch in child.body:
                    yield from walk(ast.Module(body=[branch], type_ignores=[]), False)
                for branch in child.orelse:
                    yield from walk(ast.Module(body=[branch], type_ignores=[]), module_level)
            else:
                yield from walk(child, module_level)

    yield from walk(tree, True)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool, known: dict[str, Path]) -> list[str]:
    if isinstance(node, ast.Import):
        return [_ours(alias.name, known) for alias in node.names]
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join(package + ([node.module] if node.module else []))
    else:
        base = node.module or ""
    # `from package import name` imports the submodule package.name when there is one, else the package.
    return [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else _ours(base, known) for alias in node.names]


def _ours(name: str, known: dict[str, Path]) -> str:
    """The longest project module that `name` starts with; an outside import keeps only its top-level name."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in known:
            return ".".join(parts[:end])
    return parts[0]


def layer_of(module: str, layers: dict[str, str]) -> str | None:
    """The layer of the longest prefix in `layers`; a top-level package's entry covers only its own __init__."""
    if module in layers:
        return layers[module]
    parts = module.split(".")
    for end in range(len(parts) - 1, 1, -1):
        layer = layers.get(".".join(parts[:end]))
        if layer is not None:
            return layer
    return None


@dataclass
class Findings:
    unplaced: list[str]  # modules no layer covers
    bad_arrows: list[Import]  # arrows outside the allowed table
    impure: list[Import]  # a pure layer importing something outside the standard library
    cycles: list[list[str]]  # module-level import cycles inside one folder

    def report(self) -> str:
        lines = [f"module in no layer: {m}" for m in self.unplaced]
        lines += [f"arrow outside the table: {i}" for i in self.bad_arrows]
        lines += [f"pure layer imports a third party: {i}" for i in self.impure]
        lines += ["import cycle: " + " -> ".join(cycle + cycle[:1]) for cycle in self.cycles]
        return "\n".join(lines)


def check(
    root: Path = ROOT,
    packages: Iterable[str] = PACKAGES,
    *,
    layers: dict[str, str] = LAYERS,
    allowed: dict[str, set[str]] = ALLOWED,
    pure: set[str] = PURE,
) -> Findings:
    known = modules_under(root, packages)
    # One arrow per (line, target): `from x import a, b` of one module is one arrow.
    unique = {(a.path, a.line, a.target): a for m, path in known.items() for a in imports_of(m, path, root, known)}
    arrows = list(unique.values())
    findings = Findings(
        unplaced=sorted(m for m in known if layer_of(m, layers) is None),
        bad_arrows=[],
        impure=[],
        cycles=_cycles_inside_folders(arrows, known),
    )
    for arrow in arrows:
        source_layer = layer_of(arrow.source, layers)
        if source_layer is None:
            continue
        if arrow.target not in known:
            if source_layer in pure and arrow.target not in sys.stdlib_module_names and arrow.target != "__future__":
                findings.impure.append(arrow)
            continue
        target_layer = layer_of(arrow.target, layers)
        if target_layer in allowed[source_layer]:
            continue
        findings.bad_arrows.append(arrow)
    return findings


def _cycles_inside_folders(arrows: list[Import], known: dict[str, Path]) -> list[list[str]]:
    """Strongly connected groups (more than one module, or a module importing itself) of module-level imports
    between modules whose files sit in the same folder."""
    graph: dict[str, set[str]] = {m: set() for m in known}
    for arrow in arrows:
        if arrow.module_level and arrow.target in known and known[arrow.target].parent == known[arrow.source].parent:
            graph[arrow.source].add(arrow.target)
    return [group for group in _strongly_connected(graph) if len(group) > 1 or group[0] in graph[group[0]]]


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iteratively (no recursion limit to hit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                groups.append(sorted(group))
    return sorted(groups)


# --- the tree --------------------------------------------------------------------------------------------------


def test_every_arrow_of_the_tree_is_in_the_allowed_table():
    findings = check()
    print(findings.report())
    assert not findings.unplaced, findings.report()
    assert not findings.bad_arrows, findings.report()
    assert not findings.impure, findings.report()
    assert not findings.cycles, findings.report()


# --- the checker itself, on a planted package -------------------------------------------------------------------


def _plant(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def _check_planted(root: Path, **kwargs) -> Findings:
    layers = {"app.engine": "engine", "app.errors": "core", "app.runtime": "runtime", "app.services": "services"}
    layers |= {"app": "entry", "app.views": "interfaces", "app.models": "models", "app.rules": "rules"}
    return check(root, ("app",), layers=layers, **kwargs)


CLEAN_PACKAGE = {
    "app/__init__.py": "",
    "app/errors.py": "import re\n",
    "app/engine/__init__.py": "",
    "app/engine/clock.py": "from ..errors import re\n",
    "app/runtime/__init__.py": "",
    "app/runtime/host.py": "from app.engine import clock\n",
    "app/services/__init__.py": "",
    "app/services/writes.py": "from ..runtime import host\n",
    "app/views.py": "from .services import writes\n",
}


def test_the_checker_passes_a_clean_package(tmp_path):
    _plant(tmp_path, CLEAN_PACKAGE)
    findings = _check_planted(tmp_path)
    assert findings.report() == ""


def test_the_checker_catches_a_planted_upward_import_with_its_line(tmp_path):
    host = "from app.engine import clock\n\nfrom ..services import writes\n"
    _plant(tmp_path, CLEAN_PACKAGE | {"app/runtime/host.py": host})
    findings = _check_planted(tmp_path)
    assert [str(arrow) for arrow in findings.bad_arrows] == [
        "app/runtime/host.py:3: app.runtime.host -> app.services.writes"
    ]


def test_the_checker_reads_deferred_and_type_checking_imports(tmp_path):
    engine = """\
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            from app.runtime import host


        def later():
            import app.views
        """
    _plant(tmp_path, CLEAN_PACKAGE | {"app/engine/clock.py": engine})
    findings = _check_planted(tmp_path)
    assert [(a.target, a.line, a.module_level) for a in findings.bad_arrows] == [
        ("app.runtime.host", 4, False),
        ("app.views", 8, False),
    ]


def test_the_checker_catches_an_interface_reaching_the_runtime(tmp_path):
    _plant(tmp_path, CLEAN_PACKAGE | {"app/views.py": "from .services import writes\nfrom .runtime.host import x\n"})
    assert [str(a) for a in _check_planted(tmp_path).bad_arrows] == ["app/views.py:2: app.views -> app.runtime.host"]


def test_the_checker_catches_a_third_party_import_in_the_engine(tmp_path):
    _plant(tmp_path, CLEAN_PACKAGE | {"app/engine/clock.py": "import django.db\n"})
    assert [str(a) for a in _check_planted(tmp_path).impure] == ["app/engine/clock.py:1: app.engine.clock -> django"]


def test_the_checker_catches_a_module_in_no_layer(tmp_path):
    _plant(tmp_path, CLEAN_PACKAGE | {"app/stray/__init__.py": "", "app/stray/thing.py": ""})
    layers = {"app.engine": "engine", "app.errors": "core", "app.runtime": "runtime", "app.services": "services"}
    findings = check(tmp_path, ("app",), layers=layers | {"app.views": "interfaces"})
    assert findings.unplaced == ["app", "app.stray", "app.stray.thing"]


def test_the_checker_catches_a_module_level_cycle_inside_a_folder_only(tmp_path):
    cycle = {
        "app/engine/a.py": "from . import b\n",
        "app/engine/b.py": "from .a import thing\n",
        # A deferred import back does not run at import time: no cycle.
        "app/engine/c.py": "from . import d\n",
        "app/engine/d.py": "def later():\n    from . import c\n",
    }
    _plant(tmp_path, CLEAN_PACKAGE | cycle)
    assert _check_planted(tmp_path).cycles == [["app.engine.a", "app.engine.b"]]
