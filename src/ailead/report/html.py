"""A report as one self-contained HTML page: tables, and interactive plotly charts inline.

plotly.js is inlined once, before the first chart, so the file needs no network to view.
"""

from __future__ import annotations

from html import escape

import plotly.graph_objects as go
import plotly.io as pio
from plotly.colors import hex_to_rgb

from ailead.outputs.labels import OUTCOME_COLORS
from ailead.report.content import Fan, Report, Section

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; color: #222;
       padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #ccc; }
.subtitle { color: #555; margin-top: 0; }
table { border-collapse: collapse; font-size: .85rem; margin: .6rem 0; }
th, td { border-bottom: 1px solid #e3e3e3; padding: .25rem .6rem; text-align: left;
         vertical-align: top; }
th { background: #f4f4f4; }
.table-wrap { overflow-x: auto; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 30rem), 1fr));
          gap: 1rem; }
.findings li { margin: .45rem 0; font-size: 1.05rem; }
@media (max-width: 40rem) { body { margin: 1rem auto; } table { font-size: .8rem; } }
"""


def render_html(report: Report) -> str:
    """The whole page as text."""
    body = [
        f"<h1>{escape(report.title)}</h1>",
        f'<p class="subtitle">{escape(report.subtitle)}</p>',
    ]
    charts = 0
    for section in report.sections:
        body.append(_section(section, first_chart=charts == 0))
        charts += len(section.fans)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(report.title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        "<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def _section(section: Section, first_chart: bool) -> str:
    parts = [f"<section>\n<h2>{escape(section.heading)}</h2>"]
    if section.bullets:
        items = "".join(f"<li>{escape(text)}</li>" for text in section.paragraphs)
        parts.append(f'<ul class="findings">{items}</ul>')
    else:
        parts += [f"<p>{escape(text)}</p>" for text in section.paragraphs]
    if section.table is not None:
        table = section.table.to_html(index=False, border=0, escape=True)
        parts.append(f'<div class="table-wrap">{table}</div>')
    if section.fans:
        charts = [
            pio.to_html(
                fan_figure(fan),
                include_plotlyjs=first_chart and i == 0,
                full_html=False,
                config={"displaylogo": False, "responsive": True, "displayModeBar": False},
            )
            for i, fan in enumerate(section.fans)
        ]
        parts.append('<div class="charts">' + "\n".join(charts) + "</div>")
    return "\n".join(parts) + "\n</section>"


def _rgba(color: str, alpha: float) -> str:
    r, g, b = hex_to_rgb(color)
    return f"rgba({r}, {g}, {b}, {alpha})"


def fan_figure(fan: Fan) -> go.Figure:
    """Median line with 50% and 90% bands for each scenario, overlaid."""
    fig = go.Figure()
    for name, q in fan.bands.items():
        color = fan.color(name)
        months = list(q.index.to_pydatetime())
        for low, high, alpha in (("p5", "p95", 0.15), ("p25", "p75", 0.3)):
            fig.add_trace(
                go.Scatter(
                    x=months + months[::-1],
                    y=list(q[high]) + list(q[low])[::-1],
                    fill="toself",
                    fillcolor=_rgba(color, alpha),
                    line={"width": 0},
                    hoverinfo="skip",
                    legendgroup=name,
                    showlegend=False,
                    name=f"{name} {low}-{high}",
                )
            )
        fig.add_trace(
            go.Scatter(x=months, y=q["p50"], name=name, legendgroup=name, line={"color": color})
        )
    _marks(fig, fan)
    fig.update_layout(
        title=fan.spec.title,
        yaxis_title=fan.unit,
        yaxis_type="log" if fan.spec.log else "linear",
        template="plotly_white",
        height=380,
        margin={"l": 60, "r": 20, "t": 50, "b": 40},
        legend={"orientation": "h", "y": -0.15},
    )
    return fig


def _marks(fig: go.Figure, fan: Fan) -> None:
    """The target date (dotted) and, on the lead's chart, the verdict's thresholds (dashed)."""
    if fan.target:
        fig.add_vline(x=f"{fan.target}-01", line={"color": "#555", "width": 1, "dash": "dot"})
        fig.add_annotation(
            x=f"{fan.target}-01",
            y=1,
            yref="paper",
            text=f"target {fan.target}",
            showarrow=False,
            yanchor="bottom",
            font={"size": 11},
        )
    names = ("scenario-one", "scenario-two")
    texts = ("scenario one at or above", "scenario two at or below")
    for value, outcome, text in zip(fan.thresholds, names, texts, strict=False):
        fig.add_hline(
            y=value,
            line={"color": OUTCOME_COLORS[outcome], "width": 1.5, "dash": "dash"},
            annotation_text=f"{text} {value:g} months",
            annotation_position="top left",
            annotation_font={"size": 11},
        )
