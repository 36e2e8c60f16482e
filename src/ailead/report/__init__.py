"""Reports: one self-contained HTML file (interactive charts inline) or a PDF, same content.

>>> from ailead.report import build_report, write_report
>>> write_report(build_report([load_scenario("us-lead")], samples=500), "report.html")
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from ailead.files import write_new, write_new_text
from ailead.outputs.export import check_output_path
from ailead.report.content import Report, Section, build_report

FORMATS = (".html", ".pdf")


def check_report_path(path: str | os.PathLike[str]) -> Path:
    """The output path, if its extension names a report format (see `check_output_path`)."""
    return check_output_path(path, FORMATS, ".html (self-contained, interactive charts) or .pdf")


def write_report(report: Report, path: str | os.PathLike[str]) -> Path:
    """Write the report as a new HTML or PDF file, chosen by the extension; return the path."""
    path = check_report_path(path)
    if path.suffix.lower() == ".pdf":
        from ailead.report.pdf import write_pdf

        pdf = io.BytesIO()  # built in memory: matplotlib's PDF writer fails badly on a full disk
        write_pdf(report, pdf)
        return write_new(path, lambda tmp: tmp.write_bytes(pdf.getvalue()))
    from ailead.report.html import render_html

    return write_new_text(path, render_html(report))


__all__ = ["Report", "Section", "build_report", "check_report_path", "write_report"]
