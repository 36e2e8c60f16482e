"""Rebuild src/ailead/data/observations/observations.csv from the Epoch AI copies and FACTS.md.

Run from the repository root: `python tools/extract_observations.py [DATA_DIR]` (default
../shared/data). Chip counts and capability indices are read from Epoch AI's files; figures from
reports (CNAS, BIS, CFR, Epoch's models database as quoted in FACTS.md) are entered below with
their citations. Every row says where it comes from and how it was derived.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/ailead/data/observations/observations.csv"
Z90 = 1.6449  # half-width of a 90% interval in standard deviations
ECI_SD = 1.5  # assumed sd of one model's ECI score (no interval is published with the index)
CHIPS = "Epoch AI, AI chip counts (epoch-research/ai-chip-counts, Apr 2026)"
ECI = "Epoch AI, Epoch Capabilities Index (epoch-research/benchmark-stitching, Nov 2025)"
# The index covers PRC models well only from autumn 2023 (earlier PRC models such as GLM-130B are
# missing, so earlier "records" would be artefacts of coverage).
COVERED_FROM = {"us": "2023-01-01", "cn": "2023-09-01"}
COMPUTE_SD = {"Confident": np.log10(3) / Z90, "Likely": np.log10(5) / Z90}
COMPUTE_SD["Speculative"] = np.log10(10) / Z90


def sd_log(p5: float, p95: float) -> float:
    """A log10 sd from a 90% range."""
    return (np.log10(p95) - np.log10(p5)) / (2 * Z90)


def cumulative(data: Path, name: str, owner: str | None = None) -> pd.DataFrame:
    """Cumulative H100e (p5, median, p95) by quarter end, columns renamed to one scheme."""
    frame = pd.read_csv(data / "epoch/ai-chip-counts" / name)
    if owner is not None:
        frame = frame[frame["Owner"] == owner]
    cols = {c: c for c in frame.columns}
    for col in frame.columns:
        low = col.lower()
        if "h100e" in low and "5th" in low and "95th" not in low:
            cols[col] = "p5"
        elif "h100e" in low and "95th" in low:
            cols[col] = "p95"
        elif "h100e" in low and "median" in low:
            cols[col] = "median"
    frame = frame.rename(columns=cols)
    frame["end"] = pd.to_datetime(frame["End date"], format="%m/%d/%Y")
    return frame.set_index("end")[["p5", "median", "p95"]].astype(float)


def chip_rows(data: Path) -> list[dict]:
    """US-bloc installed compute, US-bloc and NVIDIA production, PRC-owned NVIDIA additions."""
    makers = {
        "NVIDIA": cumulative(data, "nvidia_cumulative_totals.csv"),
        "Google TPU": cumulative(data, "tpu_cumulative_totals.csv"),
        "AMD": cumulative(data, "amd_cumulative_totals.csv"),
        "Trainium": cumulative(data, "trainium_cumulative_totals.csv"),
    }
    china = {
        "NVIDIA": cumulative(data, "nvidia_owners_cumulative_totals.csv", "China"),
        "AMD": cumulative(data, "amd_owners_cumulative_totals.csv", "China"),
    }
    rows = []
    for year in (2022, 2023, 2024, 2025):
        end = pd.Timestamp(f"{year}-12-31")
        have = [m for m, f in makers.items() if end in f.index]
        total = sum(makers[m].loc[end] for m in have)
        less = sum(c.loc[end] for c in china.values() if end in c.index)
        installed = total - less
        missing = [m for m in makers if m not in have]
        note = (
            f"Sum of Epoch cumulative shipments ({', '.join(have)}) from the start of each series "
            f"(NVIDIA 2022, TPU 2023, AMD and Trainium 2024) to {end.date()}, less China-owned "
            "NVIDIA and AMD; percentiles summed (comonotone)."
        )
        if missing:
            note += f" {', '.join(missing)} not counted before their series start."
        rows.append(
            dict(
                series="us_installed_compute",
                bloc="us",
                start=end.date(),
                end=end.date(),
                value=round(installed["median"]),
                unit="H100e",
                scale="log10",
                sd=sd_log(installed["p5"], installed["p95"]),
                p5=round(installed["p5"]),
                p95=round(installed["p95"]),
                source="epoch-chip-counts",
                citation=CHIPS,
                note=note,
            )
        )
    for year in (2023, 2024, 2025):
        start, end = pd.Timestamp(f"{year}-01-01"), pd.Timestamp(f"{year}-12-31")
        prev = pd.Timestamp(f"{year - 1}-12-31")
        have = [m for m, f in makers.items() if end in f.index]
        flow = sum(
            makers[m].loc[end, "median"]
            - (makers[m].loc[prev, "median"] if prev in makers[m].index else 0.0)
            for m in have
        )
        ends = sum(makers[m].loc[end] for m in have)
        note = f"Shipments in {year}: {', '.join(have)} (Epoch medians, year-end minus previous)."
        if year == 2023:
            note += " AMD and Trainium are not in Epoch's counts before 2024 (small then)."
        note += " sd: relative width of the year-end cumulative total."
        rows.append(
            dict(
                series="us_production",
                bloc="us",
                start=start.date(),
                end=end.date(),
                value=round(flow),
                unit="H100e",
                scale="log10",
                sd=sd_log(ends["p5"], ends["p95"]),
                source="epoch-chip-counts",
                citation=CHIPS,
                note=note,
            )
        )
    for name, frame, series, bloc, what in (
        ("NVIDIA", makers["NVIDIA"], "nvidia_production", "us", "NVIDIA data-centre shipments"),
        ("China", china["NVIDIA"], "cn_nvidia_imports", "cn", "NVIDIA compute added to China"),
    ):
        for year in (2022, 2023, 2024, 2025):
            start, end = pd.Timestamp(f"{year}-01-01"), pd.Timestamp(f"{year}-12-31")
            prev = pd.Timestamp(f"{year - 1}-12-31")
            before = frame.loc[prev, "median"] if prev in frame.index else 0.0
            flow = frame.loc[end, "median"] - before
            rows.append(
                dict(
                    series=series,
                    bloc=bloc,
                    start=start.date(),
                    end=end.date(),
                    value=round(flow),
                    unit="H100e",
                    scale="log10",
                    sd=max(sd_log(frame.loc[end, "p5"], frame.loc[end, "p95"]), 0.1),
                    source="epoch-chip-counts",
                    citation=CHIPS + (", by owner" if name == "China" else ""),
                    note=f"{what} in {year} (Epoch medians, year-end minus previous year-end; "
                    "sd: relative width of the year-end cumulative, at least 0.1).",
                )
            )
    return rows


def eci_models(data: Path) -> pd.DataFrame:
    """Every US or PRC model in the index with a release date (ECI or training compute may lack)."""
    frame = pd.read_csv(data / "epoch/benchmark-stitching/epoch_capabilities_index.csv")
    frame = frame.dropna(subset=["Release date", "Country"])
    frame["date"] = pd.to_datetime(frame["Release date"])
    us = frame["Country"].str.contains("United States") & ~frame["Country"].str.contains("China")
    frame["bloc"] = np.where(us, "us", np.where(frame["Country"] == "China", "cn", ""))
    return frame[frame["bloc"] != ""].sort_values("date")


def unscored_larger(models: pd.DataFrame, best: pd.Series, end: pd.Timestamp) -> pd.Series | None:
    """The bloc's largest model released by `end` with no ECI score and more training compute
    than `best` (the best scored model), or None."""
    flop = pd.to_numeric(models["Training compute (FLOP)"], errors="coerce")
    bigger = models[
        (models["bloc"] == best["bloc"])
        & (models["date"] <= end)
        & models["ECI Score"].isna()
        & (flop > pd.to_numeric(best["Training compute (FLOP)"], errors="coerce"))
    ]
    return None if bigger.empty else bigger.loc[flop[bigger.index].idxmax()]


def frontier_rows(everything: pd.DataFrame) -> list[dict]:
    """Best ECI so far per bloc at each quarter end while the index covers the bloc.

    The index scores only some models. Where the bloc had released a model with more training
    compute than its best scored one and no score, the best score is a lower bound on the bloc's
    frontier (`bound` "lower"): the calibration then asks only that the model is not below it.
    """
    rows = []
    models = everything.dropna(subset=["ECI Score"])
    first = {"us": "2023-06-30", "cn": "2023-09-30"}  # one quarter after COVERED_FROM for the US
    for bloc in ("us", "cn"):
        own = models[models["bloc"] == bloc]
        for end in pd.date_range(first[bloc], "2025-09-30", freq="QE"):
            upto = own[own["date"] <= end]
            best = upto.loc[upto["ECI Score"].idxmax()]
            larger = unscored_larger(everything, best, end)
            bound = "" if larger is None else "lower"
            why = (
                ""
                if larger is None
                else f" Lower bound: {larger['Model version']} ({larger['date'].date()}, "
                f"{float(larger['Training compute (FLOP)']):.2g} FLOP) used more training compute "
                "and has no score."
            )
            rows.append(
                dict(
                    series="frontier_eci",
                    bloc=bloc,
                    start=end.date(),
                    end=end.date(),
                    value=round(float(best["ECI Score"]), 2),
                    unit="ECI",
                    scale="linear",
                    sd=ECI_SD,
                    bound=bound,
                    source="epoch-eci",
                    citation=ECI,
                    note=f"Best {bloc.upper()} model by {end.date()}: {best['Model version']} "
                    f"({best['date'].date()}). sd: assumed score uncertainty.{why}",
                )
            )
    return rows


def first_reached(us: pd.DataFrame, level: float) -> pd.Timestamp | None:
    hit = us[us["ECI Score"] >= level]
    return None if hit.empty else hit["date"].iloc[0]


def months(a: pd.Timestamp, b: pd.Timestamp) -> float:
    return (a - b).days / 30.4375


def lag_rows(models: pd.DataFrame) -> list[dict]:
    """Months by which each new best PRC model (2024-2025) trails the first US model as good."""
    models = models.dropna(subset=["ECI Score"])
    us, cn = models[models["bloc"] == "us"], models[models["bloc"] == "cn"]
    rows, best = [], -np.inf
    delta = Z90 * ECI_SD
    records = []
    for _, m in cn.iterrows():
        if m["ECI Score"] > best:
            best = m["ECI Score"]
            records.append(m)
    by_month = {}
    for m in records:
        if m["date"].year >= 2024:
            by_month[m["date"].strftime("%Y-%m")] = m  # the month's best record
    for m in by_month.values():
        score, date = float(m["ECI Score"]), m["date"]
        point = first_reached(us, score)
        early = first_reached(us, score - delta)
        late = first_reached(us, score + delta) or us["date"].iloc[-1]
        lag = months(date, point)
        rows.append(
            dict(
                series="lead_months",
                bloc="",
                start=date.date(),
                end=date.date(),
                value=round(lag, 1),
                unit="months",
                scale="linear",
                sd=(months(date, late) * -1 + months(date, early)) / (2 * Z90),
                p5=round(months(date, late), 1),
                p95=round(months(date, early), 1),
                source="epoch-eci",
                citation=ECI,
                note=f"{m['Model version']} (ECI {score:.1f}, {date.date()}) against the first US "
                f"model at least as good ({point.date()}); 90% range: the same at ECI {score:.1f} "
                f"+/- {delta:.1f}.",
            )
        )
    return rows


def run_rows(models: pd.DataFrame) -> list[dict]:
    """Each new largest training run per bloc released 2023-2025 (Epoch's training compute)."""
    frame = models.dropna(subset=["Training compute (FLOP)"])
    frame = frame[frame["Confidence"].isin(list(COMPUTE_SD))]
    frame = frame.assign(flop=frame["Training compute (FLOP)"].astype(float), source="epoch-eci")
    pangu = dict(date=pd.Timestamp("2025-04-11"), bloc="cn", flop=1.07e25, Confidence="Likely")
    pangu.update({"Model version": "Pangu Ultra (8,192 Ascend 910B)", "source": "epoch-models"})
    frame = pd.concat([frame, pd.DataFrame([pangu])]).sort_values("date")
    citations = {
        "epoch-eci": ECI + ", training compute column",
        "epoch-models": "Epoch AI, Notable AI Models (as quoted in FACTS.md)",
    }
    rows = []
    for bloc in ("us", "cn"):
        best, records = 0.0, {}
        for _, m in frame[frame["bloc"] == bloc].iterrows():
            if m["flop"] > best:
                best = m["flop"]
                if m["date"] >= pd.Timestamp(COVERED_FROM[bloc]):
                    records[m["date"].strftime("%Y-%m")] = m  # the month's largest
        for m in records.values():
            conf = m["Confidence"]
            rows.append(
                dict(
                    series="largest_run_flop",
                    bloc=bloc,
                    start=m["date"].date(),
                    end=m["date"].date(),
                    value=float(m["flop"]),
                    unit="FLOP",
                    scale="log10",
                    sd=COMPUTE_SD[conf],
                    source=m["source"],
                    citation=citations[m["source"]],
                    note=f"{m['Model version']}: a new largest training run for the bloc. Epoch "
                    f"confidence '{conf}'; sd: 90% within a factor of 3 / 5 / 10 for Confident / "
                    "Likely / Speculative (ailead's reading of the labels).",
                )
            )
    return rows


def report_rows() -> list[dict]:
    """Figures from reports, as quoted in ../shared/data/FACTS.md."""
    rows = []
    rows.append(
        dict(
            series="cn_smuggled",
            bloc="cn",
            start="2024-01-01",
            end="2024-12-31",
            value=140000,
            unit="H100e",
            scale="log10",
            sd=sd_log(1.0e4, 4.0e5),
            p5=10000,
            p95=400000,
            source="cnas-2025",
            citation="Grunewald and Fist, 'Countering AI Chip Smuggling Has Become a National "
            "Security Priority', CNAS, June 2025",
            note="AI chips smuggled into China in 2024: 10k to several hundred thousand, median "
            "about 140k; taken as about one H100e per chip (mostly Hopper-class).",
        )
    )
    rows.append(
        dict(
            series="cn_domestic_accelerators",
            bloc="cn",
            start="2025-01-01",
            end="2025-12-31",
            value=400000,
            unit="chips",
            scale="log10",
            sd=sd_log(2.0e5, 8.0e5),
            p5=200000,
            p95=800000,
            source="bis-2025;cfr-2025",
            citation="BIS Under Secretary J. Kessler, House testimony, June 2025 (at most 200k "
            "Ascend chips in 2025); C. McGuire, 'China's AI Chip Deficit', CFR, Dec 2025 "
            "(about 800k Huawei chips in 2025)",
            note="The two estimates taken as the ends of a 90% range; value: their geometric mean.",
        )
    )
    return rows + adoption_rows() + share_rows()


BTOS = (
    "US Census Bureau, Business Trends and Outlook Survey: share of firms that used AI in "
    "producing goods or services in the last two weeks (national, biweekly); quarterly averages "
    "as read by Goldman Sachs Research (secondary), https://www.census.gov/hfp/btos/data"
)


def adoption_rows() -> list[dict]:
    """BTOS quarterly readings for 2025 (levels at each quarter's middle month) and the PRC's
    level mapped through Microsoft's user shares."""
    rows = []
    for mid, value in (("2025-02-15", 0.074), ("2025-05-15", 0.092), ("2025-08-15", 0.097)):
        rows.append(
            dict(
                series="firm_ai_use",
                bloc="us",
                start=mid,
                end=mid,
                value=value,
                unit="share",
                scale="linear",
                sd=0.005,
                source="census-btos",
                citation=BTOS,
                note="Quarterly average of the biweekly estimates, read at the quarter's middle "
                "month. sd: an assumed reading error of half a point (the survey's own standard "
                "errors are about 0.1-0.2 points). The question changed to 'any business "
                "function' on 17 Nov 2025, so later readings (17-20%) are another measure.",
            )
        )
    rows.append(
        dict(
            series="firm_ai_use",
            bloc="cn",
            start="2025-10-01",
            end="2025-10-01",
            value=0.056,
            unit="share",
            scale="linear",
            sd=0.02,
            source="microsoft-diffusion-2025;census-btos",
            citation="Microsoft AI Economy Institute, 'Global AI Adoption in 2025' (AI Diffusion "
            "Report), 2026, https://github.com/microsoft/ai-diffusion-report; with " + BTOS,
            note="Mapped, not observed: PRC / US share of working-age people using generative AI "
            "in H2 2025 (16.3% / 28.3% = 0.58) times the US BTOS Q3 2025 reading (9.7%). sd: "
            "wide, for the mapping and telemetry's likely undercount of the PRC (CNNIC about 43%).",
        )
    )
    return rows


def share_rows() -> list[dict]:
    """The PRC models' share of OpenRouter tokens, averaged over 2025."""
    return [
        dict(
            series="cn_share_abroad",
            bloc="cn",
            start="2025-01-01",
            end="2025-12-31",
            value=0.13,
            unit="share",
            scale="linear",
            sd=0.03,
            source="openrouter-2025",
            citation="Aubakirova, Atallah, Clark, Summerville and Midha, 'State of AI: An "
            "Empirical 100 Trillion Token Study with OpenRouter', OpenRouter and a16z, Dec 2025, "
            "https://openrouter.ai/state-of-ai",
            note="Chinese open-weight models: about 13% of tokens on average over 2025, from "
            "about 1.2% of weekly tokens in late 2024 to nearly 30% in some weeks. sd: assumed "
            "reading error of the average. The model's value is its mean over 2025.",
        )
    ]


def main(data: Path) -> pd.DataFrame:
    models = eci_models(data)
    rows = chip_rows(data) + frontier_rows(models) + lag_rows(models) + run_rows(models)
    rows += report_rows()
    frame = pd.DataFrame(rows)
    frame["sd"] = frame["sd"].round(4)
    frame["bound"] = frame["bound"].fillna("")
    columns = ["series", "bloc", "start", "end", "value", "unit", "scale", "sd", "bound", "p5"]
    columns += ["p95"]
    frame = frame[columns + ["source", "citation", "note"]]
    return frame.sort_values(["series", "bloc", "end"], kind="stable")


if __name__ == "__main__":
    data_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/data"
    table = main(data_dir)
    table.to_csv(OUT, index=False, float_format="%.6g")
    print(f"{len(table)} observations written to {OUT.relative_to(ROOT)}")
