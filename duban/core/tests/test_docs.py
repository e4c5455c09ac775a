"""The documentation names files that exist, and docs/development.md is a map: each rule of the glossary
names the one place it lives and the tests that hold it, and it says how to add a view."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DOCS = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]
DEVELOPMENT = ROOT / "docs" / "development.md"

# A path from the repository's root, anywhere in the text: duban/…, docs/…, tools/… (a placeholder such as
# <plan> or a wildcard ends the part that is checked: the folder before it must exist).
ROOTED = re.compile(r"(?<![\w/.-])((?:duban|docs|tools)/[\w./*<>…-]*[\w/])")
# A file named in backticks relative to an app or its importers: `progress/models.py`, `formats/pdf.py`.
RELATIVE = re.compile(r"^[\w-]+(?:/[\w.-]+)+\.(?:py|md|html|js|css|txt|toml|json)$")
PLACEHOLDER = re.compile(r"[<*…]")


def _bases():
    """Where a relative path may start: the repository, `duban/`, an app, the importers, the templates."""
    apps = sorted(p.parent for p in (ROOT / "duban").glob("*/__init__.py"))
    return [ROOT, ROOT / "duban", *apps, ROOT / "duban" / "plans" / "importers", ROOT / "duban" / "templates"]


def _checked(path):
    """The part of a path that must exist: up to a placeholder, without a test's ::name."""
    path = path.split("::")[0]
    if PLACEHOLDER.search(path):
        path = path[:PLACEHOLDER.search(path).start()].rsplit("/", 1)[0]
    return path.rstrip("/.")


def named_paths(text):
    """(line, path as printed, part to check, rooted?) for each path the text names."""
    for number, line in enumerate(text.splitlines(), 1):
        for match in ROOTED.finditer(line):
            if "://" in line[max(0, match.start() - 8):match.start()]:
                continue  # part of a URL
            yield number, match.group(1), _checked(match.group(1)), True
        for code in re.findall(r"`([^`]+)`", line):
            for word in code.split():
                if RELATIVE.match(word) and not word.startswith(("duban/", "docs/", "tools/")):
                    yield number, word, _checked(word), False


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_file_a_document_names_exists(doc):
    bases = _bases()
    missing = []
    for line, printed, path, rooted in named_paths(doc.read_text(encoding="utf-8")):
        places = [ROOT] if rooted else bases
        if not any((base / path).exists() for base in places):
            missing.append(f"{doc.name}:{line}: {printed}")
    assert not missing, "files named but not in the repository:\n" + "\n".join(missing)


def test_the_path_check_finds_a_missing_file():
    text = ("see `plans/importers/formats/archives.py`, duban/core/nowhere.py and docs/operations.md;\n"
            "`duban/plans/tests/corpus/<plan>/` and https://example.org/docs/x.md are fine")
    found = [(path, rooted) for _line, _printed, path, rooted in named_paths(text)]
    assert found == [("duban/core/nowhere.py", True), ("docs/operations.md", True),
                     ("plans/importers/formats/archives.py", False), ("duban/plans/tests/corpus", True)]


# ------------------------------------------------------------------------------------------ the map

GLOSSARY = {  # a rule of the glossary (issue 20) → words its row of "Where each rule lives" starts with
    "a report's states": "a report's states",
    "a complaint's clocks": "a complaint's steps and clocks",
    "a light": "a light",
    "a figure of the circular": "a figure of the circular",
    "a region's boundary": "a region's boundary",
}


def rule_rows():
    """{rule: (lives in, held by)} from the table under "## Where each rule lives"."""
    text = DEVELOPMENT.read_text(encoding="utf-8")
    section = text.split("## Where each rule lives", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in ("rule", "---"):
            rows[cells[0]] = (cells[1], cells[2])
    return rows


def _files_and_names(cell):
    """The files a cell names (under duban/; a bare `test_x.py` is in the folder of the file before it)
    and, for each, the names (`Class.method`, `function`) printed after it."""
    current, folder, found = None, "", []
    for code in re.findall(r"`([^`]+)`", cell):
        for word in re.split(r"[\s,]+", code):
            word = word.strip("()")
            if not word:
                continue
            if word.endswith(".py") or ".py::" in word:
                file, _, test = word.partition("::")
                if "/" not in file and folder:
                    file = f"{folder}/{file}"
                folder = file.rsplit("/", 1)[0] if "/" in file else folder
                current = [file, [test] if test else []]
                found.append(current)
            elif current is not None and re.fullmatch(r"[A-Za-z_][\w.]*", word):
                current[1].append(word.rstrip("."))
    return found


def _defines(source, name):
    """Whether the source defines each part of a dotted name (`Complaint.escalate`: the class and the method)."""
    return all(re.search(rf"^\s*(?:def|class)\s+{part}\b|^\s*{part}\s*[:=]", source, re.M)
               for part in name.split("."))


def check_cell(rule, cell):
    """Each file the cell names exists (a wildcard matches one at least), and each name printed after the
    files is defined in one of them; the files, returned."""
    named = _files_and_names(cell)
    sources = []
    for file, _names in named:
        paths = sorted((ROOT / "duban").glob(file))
        assert paths, f"{rule}: duban/{file} does not exist"
        sources += [path.read_text(encoding="utf-8") for path in paths]
    for _file, names in named:
        for name in names:
            assert any(_defines(source, name) for source in sources), f"{rule}: nothing it names defines {name}"
    return [file for file, _names in named]


@pytest.mark.parametrize("rule", GLOSSARY)
def test_each_rule_of_the_glossary_names_its_place_and_its_tests(rule):
    rows = rule_rows()
    row = next((cells for name, cells in rows.items() if name.startswith(GLOSSARY[rule])), None)
    assert row is not None, f"docs/development.md has no row for {rule}"
    lives_in, held_by = row
    assert check_cell(rule, lives_in), f"{rule}: no file named where it lives"
    tests = check_cell(rule, held_by)
    assert tests and all(re.search(r"(^|/)tests", file) for file in tests), f"{rule}: its tests are not named"


def test_every_row_of_the_map_names_what_exists():
    rows = rule_rows()
    assert len(rows) >= len(GLOSSARY)
    for rule, (lives_in, held_by) in rows.items():
        check_cell(rule, lives_in)
        check_cell(rule, held_by)


def test_the_map_check_finds_a_name_that_is_not_defined():
    with pytest.raises(AssertionError, match="defines Complaint.vanish"):
        check_cell("x", "`hotline/models.py`: `Complaint.vanish`")
    with pytest.raises(AssertionError, match="does not exist"):
        check_cell("x", "`hotline/tests/test_nowhere.py`")
    assert check_cell("x", "`hotline/models.py`: `Complaint.escalate`; `hotline/flow.py`") == [
        "hotline/models.py", "hotline/flow.py"]


def test_development_says_how_to_add_a_view():
    text = DEVELOPMENT.read_text(encoding="utf-8")
    assert "## How to add a view" in text
    section = text.split("## How to add a view", 1)[1].split("\n## ", 1)[0]
    for step in ("permissions.py", "require(", "urls.py", "url_rules.py", "services.py", "tests/"):
        assert step in section, step


def test_the_code_cites_documents_that_exist():
    """settings.py once sent people to a docs/operations.md that was never written."""
    cited = re.compile(r"docs/[\w-]+\.md")
    files = [*(ROOT / "duban").rglob("*.py"), *(ROOT / "duban").rglob("*.html"), *(ROOT / "tools").iterdir(),
             ROOT / "Makefile", ROOT / "pyproject.toml"]
    missing = set()
    for file in files:
        if file.is_file() and "__pycache__" not in file.parts and file != Path(__file__):
            for name in cited.findall(file.read_text(encoding="utf-8", errors="replace")):
                if not (ROOT / name).exists():
                    missing.add(f"{file.relative_to(ROOT)}: {name}")
    assert not missing, sorted(missing)
