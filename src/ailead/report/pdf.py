"""A report as a PDF (matplotlib PdfPages): text, tables and static fan charts on A4 pages.

A small flowing layout: each block (heading, paragraph, table row, chart) takes the height it
needs from the top of the page down, and a new page starts when the next block does not fit.
Text uses the PDF core fonts (Helvetica; nothing embedded): fast to write, searchable and
extractable. They cover Latin-1, so a few common symbols are spelled out (>= for the sign).
"""

from __future__ import annotations

import logging
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import matplotlib
import pandas as pd
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from ailead.outputs.labels import OUTCOME_COLORS, OUTCOMES, number
from ailead.report.content import Fan, Report

PAGE = (8.27, 11.69)  # A4 portrait, inches
MARGIN = 0.6  # inches
WIDTH_CHARS = 92  # characters of table text across the page at TABLE_SIZE (digits are wide)
TABLE_SIZE = 9  # points: the smallest text in the file (tests/report checks it)
TEXT_SIZE = 10  # points
LINE = 1.45  # line height in font sizes
CHART_HEIGHT = 3.0  # inches
STYLE = {"pdf.use14corefonts": True, "axes.unicode_minus": False}
SPELLED = str.maketrans({"≥": ">=", "≤": "<=", "−": "-", "→": "->", "≈": "~", "—": "-"})


class _Pages:
    """Flowing layout onto the pages of a PdfPages file; y counts inches from the page top."""

    def __init__(self, pdf: PdfPages, title: str) -> None:
        self.pdf, self.title = pdf, title
        self.fig: Figure | None = None
        self.y = 0.0

    def _fits(self, height: float) -> bool:
        return self.fig is not None and self.y + height <= PAGE[1] - MARGIN

    def _new_page(self) -> None:
        self.finish()
        self.fig = Figure(figsize=PAGE)  # no pyplot: the caller's backend is untouched
        self._put(MARGIN, 0.25, self.title, size=TABLE_SIZE, color="0.4")
        self.y = MARGIN

    def _put(self, x: float, y: float, text: str, size: float, bold: bool = False, **kw) -> None:
        """Text with its top-left corner at (x, y) inches from the page's top-left corner."""
        self.fig.text(
            x / PAGE[0],
            1 - y / PAGE[1],
            text,
            size=size,
            weight="bold" if bold else "normal",
            va="top",
            linespacing=LINE,
            **kw,
        )

    def text(self, text: str, size: float = TEXT_SIZE, bold: bool = False) -> None:
        """A paragraph, wrapped to the page width (90 characters at 10 points: even a line of
        digits and capitals, about 5.6 points each, fits the 7.07 inches between the margins)."""
        lines = textwrap.wrap(text.translate(SPELLED), int(900 / size)) or [""]
        height = size * LINE / 72
        while lines:
            if not self._fits(height):
                self._new_page()
            fit = max(1, int((PAGE[1] - MARGIN - self.y) / height))
            self._put(MARGIN, self.y, "\n".join(lines[:fit]), size, bold)
            self.y += height * len(lines[:fit])
            lines = lines[fit:]
        self.y += size * 0.4 / 72

    def table(self, frame: pd.DataFrame) -> None:
        """Rows wrapped to column widths; each cell is one block of text. Columns
        with no text in any row are left out (the page is narrow)."""
        frame = frame.loc[:, [c for c in frame.columns if frame[c].astype(str).str.strip().any()]]
        widths = _column_widths(frame)
        header = _wrap([str(c) for c in frame.columns], widths)
        rows = [_wrap([str(v) for v in row], widths) for row in frame.itertuples(index=False)]
        line = TABLE_SIZE * LINE / 72
        while rows:
            if not self._fits(line * (len(header[0]) + len(rows[0][0]))):
                self._new_page()
            self._columns(header, widths, bold=True)
            room = int((PAGE[1] - MARGIN - self.y) / line)
            page = []
            while rows and len(rows[0][0]) <= room:
                room -= len(rows[0][0])
                page.append(rows.pop(0))
            if not page:  # a row taller than a page: show it cut rather than loop
                page.append([cell[:room] for cell in rows.pop(0)])
            for row in page:  # a text per cell: rows stay level whatever glyphs a line holds
                self._columns(row, widths)
        self.y += 0.1

    def _columns(self, cells: list[list[str]], widths: list[int], bold: bool = False) -> None:
        x, inch_per_char = MARGIN, (PAGE[0] - 2 * MARGIN) / WIDTH_CHARS
        for lines, width in zip(cells, widths, strict=True):
            self._put(x, self.y, "\n".join(lines), TABLE_SIZE, bold)
            x += (width + 2) * inch_per_char
        self.y += len(cells[0]) * TABLE_SIZE * LINE / 72

    def chart(self, fan: Fan) -> None:
        if not self._fits(CHART_HEIGHT + 0.2):
            self._new_page()
        left, width = MARGIN + 0.5, PAGE[0] - 2 * MARGIN - 0.6
        bottom = PAGE[1] - self.y - CHART_HEIGHT
        ax = self.fig.add_axes(
            (left / PAGE[0], bottom / PAGE[1], width / PAGE[0], (CHART_HEIGHT - 0.4) / PAGE[1])
        )
        draw_fan(ax, fan)
        self.y += CHART_HEIGHT + 0.2

    def finish(self) -> None:
        if self.fig is not None:
            self.pdf.savefig(self.fig)
            self.fig = None


def _wrap(cells: list[str], widths: list[int]) -> list[list[str]]:
    """Each cell as lines of its column's width, all padded to the row's height; words are
    broken only when one is longer than its column (an address, say), never names."""
    wrapped = [
        textwrap.wrap(
            c.translate(SPELLED),
            w,
            break_long_words=len(max(c.split(), key=len, default="")) > w,
            break_on_hyphens=False,
        )
        or [""]
        for c, w in zip(cells, widths, strict=True)
    ]
    height = max(len(lines) for lines in wrapped)
    return [lines + [""] * (height - len(lines)) for lines in wrapped]


def _column_widths(frame: pd.DataFrame) -> list[int]:
    """Characters per column: its longest cell; the widest cut to fit the page, but not below
    the column's longest word (up to 24 characters) unless nothing else fits."""
    widths = [
        max([*(len(word) for word in str(c).split()), *(len(str(v)) for v in frame[c])])
        for c in frame.columns
    ]
    floors = [
        min(24, max([len(w) for c in [col, *map(str, frame[col])] for w in str(c).split()] or [1]))
        for col in frame.columns
    ]
    available = WIDTH_CHARS - 2 * len(widths)
    for floor_of in (lambda j: floors[j], lambda _j: 4):
        while sum(widths) > available:
            shrinkable = [j for j, w in enumerate(widths) if w > floor_of(j)]
            if not shrinkable:
                break
            widest = max(shrinkable, key=lambda j: widths[j])
            widths[widest] -= 1
    return widths


def draw_fan(ax, fan: Fan) -> None:
    """Median line with 50% and 90% bands for each scenario, overlaid; the target date dotted
    and the verdict's thresholds dashed. All text at 9 points or more."""
    for name, q in fan.bands.items():
        color = fan.color(name)
        ax.fill_between(q.index, q["p5"], q["p95"], color=color, alpha=0.12, linewidth=0)
        ax.fill_between(q.index, q["p25"], q["p75"], color=color, alpha=0.25, linewidth=0)
        ax.plot(q.index, q["p50"], color=color, label=name, linewidth=1.6)
    if fan.spec.log:  # plain tick labels: mathtext would need fonts beyond the core ones
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: number(v)))
        ax.yaxis.set_minor_formatter(NullFormatter())
    if fan.target:
        when = pd.Timestamp(f"{fan.target}-01")
        ax.axvline(when, color="0.35", linewidth=0.9, linestyle=":")
        ax.annotate(
            f"target {fan.target}",
            (when, 1),
            xycoords=("data", "axes fraction"),
            xytext=(3, -3),
            textcoords="offset points",
            va="top",
            fontsize=9,
            color="0.3",
        )
    for value, outcome in zip(fan.thresholds, ("scenario-one", "scenario-two"), strict=False):
        ax.axhline(
            value,
            color=OUTCOME_COLORS[outcome],
            linewidth=1.2,
            linestyle="--",
            label=f"{OUTCOMES[outcome].lower()} threshold ({value:g} months)",
        )
    ax.set_title(fan.spec.title, fontsize=10)
    ax.set_ylabel(fan.unit, fontsize=9)
    ax.tick_params(labelsize=9)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9, ncols=2 if len(ax.get_legend_handles_labels()[1]) > 2 else 1)


@contextmanager
def _quiet_font_matching() -> Iterator[None]:
    """Hide matplotlib's notes that Helvetica's 'medium' stands in for 'normal' (expected)."""
    log = logging.getLogger("matplotlib.font_manager")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)


def write_pdf(report: Report, path: Path) -> None:
    with matplotlib.rc_context(STYLE), _quiet_font_matching(), PdfPages(path) as pdf:
        pages = _Pages(pdf, report.title)
        pages.text(report.title, size=15, bold=True)
        pages.text(report.subtitle, size=TABLE_SIZE)
        for section in report.sections:
            pages.text(section.heading, size=12, bold=True)
            for paragraph in section.paragraphs:
                pages.text(f"- {paragraph}" if section.bullets else paragraph)
            if section.table is not None:
                pages.table(section.table)
            for fan in section.fans:
                pages.chart(fan)
        pages.finish()
        info = pdf.infodict()
        info["Title"] = report.title
        info["Subject"] = "Scenarios: " + ", ".join(report.scenarios)
