"""The documentation site's generated reference pages against the code and the registry."""

import importlib
import inspect
import re

import docs_latex
import docs_pages
import pytest
from docs_structure import MODEL_MODULES, causal_edges

from ailead.inputs.registry import load_registry

REGISTRY = load_registry()


@pytest.fixture(scope="module")
def parameter_page() -> dict[str, str]:
    """The parameter reference cut into one section per `### name` heading."""
    page = docs_pages.parameter_reference()
    parts = re.split(r"^### (\S+)\n", page, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_every_registry_parameter_appears_with_its_source_or_assumption(parameter_page):
    for name, p in REGISTRY.parameters.items():
        assert name in parameter_page, f"{name} missing from the parameter reference"
        section = parameter_page[name]
        assert f"| unit | {p.unit} |" in section
        if p.source is not None:
            source = REGISTRY.sources[p.source.ref]
            assert f"]({source.url})" in section, name
            assert str(source.year) in section, name
        else:
            assert " ".join(p.assumption.split())[:60] in " ".join(section.split()), name
        for level, lever in (p.policies or {}).items():
            assert f"| {level} | {lever.policy}" in section, (name, level)


def test_bare_domain_tells_a_home_page_from_a_document():
    assert docs_pages.bare_domain("https://www.reuters.com")
    assert docs_pages.bare_domain("https://www.ft.com/")
    assert not docs_pages.bare_domain("https://www.cfr.org/article/chinas-ai-chip-deficit")


def test_no_source_url_is_a_bare_domain_unless_explained():
    bare = {key for key, s in REGISTRY.sources.items() if docs_pages.bare_domain(s.url)}
    assert bare <= set(docs_pages.HOME_PAGE_ONLY), f"home pages, not documents: {sorted(bare)}"
    # the allow-list holds only home pages still in the registry, each with its reason
    assert set(docs_pages.HOME_PAGE_ONLY) <= bare
    assert all(len(reason) > 20 for reason in docs_pages.HOME_PAGE_ONLY.values())


def test_every_mechanism_function_appears_with_its_docstring_equation():
    page = docs_pages.model_reference()
    flat = " ".join(page.split())
    seen = 0
    for short in MODEL_MODULES:
        module = importlib.import_module(f"ailead.model.{short}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__ or name.startswith("_"):
                continue
            seen += 1
            doc = inspect.getdoc(fn)
            assert doc, f"ailead.model.{short}.{name} has no docstring"
            assert f"### `{short}.{name}(" in page, f"{short}.{name} missing"
            assert " ".join(doc.split()) in flat, f"{short}.{name}: docstring not shown in full"
    assert seen >= 40  # the mechanisms' public functions, found by import, not by the page


def test_every_lever_reaches_the_lead_along_the_diagrams_edges():
    edges = causal_edges(set(REGISTRY.parameters))
    following: dict[str, set[str]] = {}
    for a, b in edges:
        following.setdefault(a, set()).add(b)
    for lever in (p.name for p in REGISTRY.parameters.values() if p.switch):
        reached, frontier = set(), {"param:" + lever}
        while frontier:
            node = frontier.pop()
            for nxt in following.get(node, ()):
                if nxt not in reached:
                    reached.add(nxt)
                    frontier.add(nxt)
        assert "model:lead" in reached, f"{lever} does not reach the lead in the diagram"


def test_the_diagram_names_a_call_behind_every_arrow():
    page = docs_pages.diagram()
    arrows = re.findall(r"^  (\S+) --> m_(\w+)$", page, flags=re.MULTILINE)
    assert arrows
    for source, target in arrows:
        row = f"| `{source.removeprefix('m_')}` | `{target}` | `"
        assert row in page, (source, target)


def test_docstring_equations_become_latex_term_by_term():
    smuggled = "Smuggled chips [H100e/month]: S = sigma0 * (1 - enforcement) * U."
    assert docs_latex.equations(smuggled) == [
        r"S = \sigma_{\mathrm{0}} \, \left(1 - \mathrm{enforcement}\right) \, U"
    ]
    assert docs_latex.equations("E = n_lic * h_lic + n_free * h_free,") == [
        r"E = n_{\mathrm{lic}} \, h_{\mathrm{lic}} + n_{\mathrm{free}} \, h_{\mathrm{free}}"
    ]
    assert docs_latex.equations("P(y) = P_2025 * g**y") == [
        r"P\left(y\right) = P_{\mathrm{2025}} \, {g}^{y}"
    ]
    assert docs_latex.equations("L - c / 2") == [r"L - \frac{c}{2}"]


def test_prose_and_unparsed_terms_give_no_equation():
    # hyphenated words are not subtractions; a right side that runs into an implicit product
    # is not cut short into a wrong equation
    assert docs_latex.equations("US-bloc output multiplier: 1 - c * on once fired, else 1") == []
    bass = "a(t+1) = a(t) + min(1, (p + q a(t)) * M(t) / 12) * (1 - a(t)),"
    assert docs_latex.equations(bass) == []
    assert docs_latex.equations("H_dom(t) = H_mid-2025 * g**(-5.5/12)") == []
    assert docs_latex.equations("One month of Bass diffusion [share].") == []


def test_the_model_reference_shows_each_parsed_equation_in_latex():
    page = docs_pages.model_reference()
    shown = 0
    for short in MODEL_MODULES:
        module = importlib.import_module(f"ailead.model.{short}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__ or name.startswith("_"):
                continue
            for tex in docs_latex.equations(inspect.getdoc(fn)):
                assert f"$$\n{tex}\n$$" in page, (short, name)
                shown += 1
    assert shown >= 25


def _function_sections(page: str) -> dict[str, str]:
    """The model reference cut into one section per function heading, keyed "module.name"."""
    parts = re.split(r"^### `(\w+\.\w+)\(.*\)`\n", page, flags=re.MULTILINE)
    return {key: text.split("\n## ")[0] for key, text in zip(parts[1::2], parts[2::2], strict=True)}


def _public_functions() -> dict[str, object]:
    found = {}
    for short in MODEL_MODULES:
        module = importlib.import_module(f"ailead.model.{short}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and not name.startswith("_"):
                found[f"{short}.{name}"] = fn
    return found


def test_every_mechanism_function_has_an_equation_in_latex_or_says_why_not():
    sections = _function_sections(docs_pages.model_reference())
    functions = _public_functions()
    assert set(sections) == set(functions)
    without = set()
    for key, section in sections.items():
        if "$$\n" not in section:
            without.add(key)
            assert f"No equation: {docs_pages.NO_EQUATION.get(key)}." in section, key
    assert without == set(docs_pages.NO_EQUATION), f"no LaTeX equation: {sorted(without)}"
    assert all(len(why) > 20 for why in docs_pages.NO_EQUATION.values())
    assert len(docs_pages.NO_EQUATION) <= 3  # a short list of exceptions, not a way around


def test_a_function_without_an_equation_says_why_on_the_page(monkeypatch):
    monkeypatch.setattr(docs_pages, "equations", lambda docstring: [])
    monkeypatch.setattr(docs_pages, "NO_EQUATION", {"lead.lead_ooms": "a stand-in reason here"})
    section = _function_sections(docs_pages.model_reference())["lead.lead_ooms"]
    assert "$$" not in section
    assert "No equation: a stand-in reason here." in section


def test_logic_becomes_cases_sums_and_maxima():
    assert docs_latex.equations("F = 1 - c * on if t_fire < inf else 1") == [
        r"F = \begin{cases} 1 - c \, \mathrm{on} & \text{if } t_{\mathrm{fire}} < \infty \\ "
        r"1 & \text{otherwise} \end{cases}"
    ]
    latch = "t' = t if t == inf and c else t"
    assert docs_latex.equations(latch) == [
        r"t' = \begin{cases} t & \text{if } t = \infty \land c \\ t & \text{otherwise} \end{cases}"
    ]
    assert docs_latex.equations("L(t) = g**(sum(c(tau) for tau in range(t)) / 12)") == [
        r"L\left(t\right) = {g}^{\frac{\sum_{\tau=0}^{t - 1} c\left(\tau\right)}{12}}"
    ]
    assert docs_latex.equations("h = max(T_c / T for c in C if T_c <= x)") == [
        r"h = \max_{c \in C,\, T_{\mathrm{c}} \le x} \frac{T_{\mathrm{c}}}{T}"
    ]
    # an index in brackets is kept (a unit in brackets after a space is dropped); 1e-6 is a number
    assert docs_latex.equations("R [share] = x[m, s] * max(a, 1e-6)") == [
        r"R = x[m, s] \, \max\left(a, 10^{-6}\right)"
    ]
