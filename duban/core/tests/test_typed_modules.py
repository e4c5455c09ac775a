"""mypy (tools/check, in `make test`) checks every services.py, flow.py, importer and calendar module, and
their public functions carry annotations: a new such module must join pyproject's [tool.mypy] files, and a
new public function of a typed module must say its types, or this fails."""

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
# The modules issue 20 asks to be typed, by where they live.
MUST_BE_TYPED = ["duban/*/services.py", "duban/*/flow.py", "duban/*/flows.py",
                 "duban/plans/importers/**/*.py", "duban/calendar/**/*.py"]
NOT_APPLICATION_CODE = re.compile(r"/(tests|migrations)/")


def mypy_config():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]


def mypy_files():
    """The files mypy reads: the listed files, and the .py files under the listed directories that
    `exclude` leaves (mypy matches its patterns against the path with forward slashes)."""
    config = mypy_config()
    excluded = [re.compile(pattern) for pattern in config.get("exclude", [])]
    found = set()
    for entry in config["files"]:
        path = ROOT / entry
        assert path.exists(), f"pyproject [tool.mypy] files names {entry}, which does not exist"
        if path.is_file():
            found.add(entry)
            continue
        for file in path.rglob("*.py"):
            name = file.relative_to(ROOT).as_posix()
            if not any(pattern.search(name) for pattern in excluded):
                found.add(name)
    return found


def must_be_typed():
    return {file.relative_to(ROOT).as_posix() for pattern in MUST_BE_TYPED for file in ROOT.glob(pattern)
            if not NOT_APPLICATION_CODE.search("/" + file.relative_to(ROOT).as_posix())}


def unannotated(tree):
    """(line, name, what is missing) for each public function and public method of a public class
    without a parameter's or its return's annotation (self/cls need none, nor __init__'s return)."""
    def walk(body, prefix, public):
        for node in body:
            if isinstance(node, ast.ClassDef):
                yield from walk(node.body, f"{prefix}{node.name}.", public and not node.name.startswith("_"))
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                dunder = node.name.startswith("__") and node.name.endswith("__")
                if not public or (node.name.startswith("_") and not dunder):
                    continue
                args = node.args
                params = args.posonlyargs + args.args + args.kwonlyargs
                if prefix and params and params[0].arg in ("self", "cls") and not _is_static(node):
                    params = params[1:]
                missing = [p.arg for p in params if p.annotation is None]
                missing += [f"*{a.arg}" for a in (args.vararg, args.kwarg) if a is not None and a.annotation is None]
                if node.returns is None and node.name != "__init__":
                    missing.append("return")
                if missing:
                    yield node.lineno, prefix + node.name, missing
    yield from walk(tree.body, "", True)


def _is_static(node):
    return any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in node.decorator_list)


def test_mypy_reads_every_services_flow_importer_and_calendar_module():
    missing = sorted(must_be_typed() - mypy_files())
    assert not missing, ("add these to [tool.mypy] files in pyproject.toml (and make them pass tools/check): "
                         + ", ".join(missing))


def test_the_globs_still_find_the_modules():
    """The check above cannot pass by matching nothing."""
    typed = must_be_typed()
    for module in ["duban/plans/services.py", "duban/hotline/flow.py", "duban/plans/importers/prose.py",
                   "duban/plans/importers/formats/pdf.py", "duban/calendar/workdays.py"]:
        assert module in typed
    assert not any("/tests/" in name or "/migrations/" in name for name in typed)
    assert not any("/tests/" in name or "/migrations/" in name for name in mypy_files())


def test_every_public_function_of_a_typed_module_says_its_types():
    problems = []
    for name in sorted(mypy_files()):
        tree = ast.parse((ROOT / name).read_text(encoding="utf-8"), name)
        problems += [f"{name}:{line} {function}: {', '.join(missing)}" for line, function, missing in unannotated(tree)]
    assert not problems, "public functions without annotations:\n" + "\n".join(problems)


def test_the_annotation_check_sees_what_is_missing():
    tree = ast.parse("def f(a, b: int) -> int: ...\n"
                     "def _private(a): ...\n"
                     "class C:\n"
                     "    def __init__(self, x): ...\n"
                     "    def m(self, y: int): ...\n"
                     "    @staticmethod\n"
                     "    def s(self) -> None: ...\n"
                     "    def ok(self, *args: int, **kw: str) -> None: ...\n")
    assert list(unannotated(tree)) == [(1, "f", ["a"]), (4, "C.__init__", ["x"]), (5, "C.m", ["return"]),
                                       (7, "C.s", ["self"])]


def test_an_ignored_error_names_its_code_and_no_body_goes_unchecked():
    config = mypy_config()
    assert not config.get("ignore_errors") and config.get("check_untyped_defs")
    problems = []
    for name in sorted(mypy_files()):
        for number, line in enumerate((ROOT / name).read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"#\s*type:\s*ignore(?!\[)", line) or re.match(r"#\s*mypy:\s*ignore-errors", line):
                problems.append(f"{name}:{number}: {line.strip()}")
    assert not problems, "an ignore without its error code:\n" + "\n".join(problems)
