"""The annual assessment report (年度评估报告) for the leading group: a plain document, Excel and PDF.

:func:`annual_report_document` turns the targets' rows
(:class:`~carbonpeak.core.tracking.scorecard.TargetRow`) into a plain, JSON-ready dict: every target
with its status, each unit's score and grade, the late (overdue) and off-track items, and counts by
action and status. :func:`write_annual_report` writes it to ``.xlsx`` (openpyxl) or ``.pdf`` (reportlab,
with vector charts and Chinese text).

The PDF embeds a TrueType CJK font from a Debian package (``fonts-wqy-zenhei`` by default, see
:data:`CJK_FONT_CANDIDATES`): reportlab cannot embed CFF-flavoured OpenType fonts such as Noto CJK.
Synthetic data are labelled synthetic on every sheet and every page.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from carbonpeak.core.errors import CarbonpeakError
from carbonpeak.core.tracking.model import Status
from carbonpeak.core.tracking.scorecard import (
    DEFAULT_RUBRIC,
    ScoreRubric,
    TargetRow,
    UnitScorecard,
    rubric_named,
    score_units,
)

SYNTHETIC_BANNER = "合成数据 SYNTHETIC DATA — not official statistics"
RUBRIC_NOTE_ZH = "评分规则与等级划分为本平台默认设定，非官方标准"
RUBRIC_NOTE_EN = "Scoring rubric and grade thresholds are this project's defaults, not official figures"
GOALS_ACTION_ZH = "主要目标"
"""Name of the pseudo-action of headline goals (rows whose ``action`` is empty)."""

STATUS_COLOURS: dict[Status, str] = {
    Status.ACHIEVED: "#1E8449",
    Status.ON_TRACK: "#2E86C1",
    Status.AT_RISK: "#F39C12",
    Status.OFF_TRACK: "#C0392B",
    Status.NO_DATA: "#7F8C8D",
    Status.NOT_YET_DUE: "#BDC3C7",
}
"""Colour of each status in the PDF's charts."""

CJK_FONT_CANDIDATES: tuple[tuple[Path, int, str], ...] = (
    (Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), 0, "fonts-wqy-zenhei"),
    (Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), 0, "fonts-wqy-microhei"),
    (Path("/usr/share/fonts/truetype/arphic/uming.ttc"), 0, "fonts-arphic-uming"),
    (Path("/usr/share/fonts/truetype/arphic/ukai.ttc"), 0, "fonts-arphic-ukai"),
)
"""TrueType CJK fonts from Debian packages, tried in order: (file, subfont index, package)."""

FONT_NAME = "CarbonpeakCJK"


class ReportError(CarbonpeakError, ValueError):
    """The report cannot be written: an unknown file format or a bad document."""


class ReportFontError(CarbonpeakError, FileNotFoundError):
    """No TrueType CJK font is installed for the PDF."""


@dataclass(frozen=True, slots=True)
class CjkFont:
    """A TrueType CJK font file and the index of the face to use in a collection (``.ttc``)."""

    path: Path
    subfont_index: int = 0


def find_cjk_font(candidates: Iterable[tuple[Path, int, str]] = CJK_FONT_CANDIDATES) -> CjkFont:
    """The first installed TrueType CJK font of ``candidates``.

    Parameters
    ----------
    candidates : iterable of (Path, int, str)
        Font file, subfont index and the Debian package that ships it.

    Raises
    ------
    ReportFontError
        When none is installed; the message names the files looked for and the package to install.
    """
    tried = list(candidates)
    for path, index, _package in tried:
        if path.is_file():
            return CjkFont(path, index)
    looked = ", ".join(str(path) for path, _, _ in tried) or "(no candidate)"
    raise ReportFontError(
        f"no TrueType CJK font found for the PDF report (looked for {looked}); install one with "
        "`apt-get install fonts-wqy-zenhei`"
    )


# --------------------------------------------------------------------------------------------- document


def _target_entry(
    row: TargetRow, unit_names: Mapping[str, str], action_names: Mapping[str, str]
) -> dict[str, Any]:
    return {
        "code": row.code,
        "action": row.action,
        "action_name": action_names.get(row.action, row.action or GOALS_ACTION_ZH),
        "lead_unit": row.lead_unit,
        "lead_unit_name": None if row.lead_unit is None else unit_names.get(row.lead_unit, row.lead_unit),
        "co_units": list(row.co_units),
        "co_unit_names": [unit_names.get(code, code) for code in row.co_units],
        "status": row.status.value,
        "status_zh": row.status.label_zh,
        "latest_value": row.latest_value,
        "period": row.period,
        "target_value": row.target_value,
        "deadline": row.deadline,
        "forecast": row.forecast,
        "overdue": row.overdue,
    }


def _unit_entry(card: UnitScorecard, unit_names: Mapping[str, str]) -> dict[str, Any]:
    return {
        "code": card.unit,
        "name": unit_names.get(card.unit, card.unit),
        "score": None if card.score is None else round(card.score, 1),
        "mean_points": None if card.mean_points is None else round(card.mean_points, 1),
        "penalty": card.penalty,
        "grade": card.grade.value,
        "grade_zh": card.grade.label_zh,
        "led": [r.code for r in card.led],
        "co_led": [r.code for r in card.co_led],
        "counted": card.counted,
        "overdue": [r.code for r in card.overdue],
        "status_counts": {status.value: card.status_counts.get(status, 0) for status in Status},
    }


def annual_report_document(
    *,
    year: int,
    plan_title: str,
    rows: Sequence[TargetRow],
    generated_at: datetime,
    synthetic: bool,
    unit_names: Mapping[str, str] | None = None,
    action_names: Mapping[str, str] | None = None,
    units: Iterable[str] | None = None,
    rubric: ScoreRubric | str = DEFAULT_RUBRIC,
) -> dict[str, Any]:
    """The annual assessment as a plain dict (JSON-ready), ready for the Excel and PDF writers.

    Parameters
    ----------
    year : int
        The assessed year.
    plan_title : str
        The plan's title (its ``title_zh``).
    rows : sequence of TargetRow
        Every target with its status on the evaluation date.
    generated_at : datetime
        When the report is made (the caller's clock), stored as ISO 8601.
    synthetic : bool
        Whether the data are synthetic; the writers then label every sheet and page.
    unit_names, action_names : mapping of str to str, optional
        Chinese names by code (a missing name falls back to the code; the empty action is the headline
        goals, 主要目标). ``action_names`` also orders the actions.
    units : iterable of str, optional
        Units to score (e.g. all the plan's units); by default those named in ``rows``.
    rubric : ScoreRubric or str
        The scoring rubric or its name.

    Returns
    -------
    dict
        ``year``, ``plan_title``, ``generated_at``, ``synthetic``, ``rubric``, ``targets``, ``units``
        (best score first), ``late`` (targets with an overdue report), ``off_track``,
        ``counts_by_action`` and ``counts_by_status``.
    """
    names = dict(unit_names or {})
    actions = dict(action_names or {})
    chosen = rubric_named(rubric) if isinstance(rubric, str) else rubric
    cards = score_units(rows, rubric=chosen, units=units)
    targets = [_target_entry(row, names, actions) for row in rows]
    order = list(actions) + [row.action for row in rows if row.action not in actions]
    by_action = []
    for action in dict.fromkeys(order):
        mine = [row for row in rows if row.action == action]
        if not mine:
            continue
        by_action.append(
            {
                "action": action,
                "name": actions.get(action, action or GOALS_ACTION_ZH),
                "counts": {s.value: sum(1 for r in mine if r.status is s) for s in Status},
                "total": len(mine),
            }
        )
    return {
        "year": year,
        "plan_title": plan_title,
        "generated_at": generated_at.isoformat(timespec="seconds"),
        "synthetic": synthetic,
        "rubric": {
            "name": chosen.name,
            "note_zh": RUBRIC_NOTE_ZH,
            "note_en": RUBRIC_NOTE_EN,
            "points": {
                Status.ACHIEVED.value: chosen.achieved_points,
                Status.ON_TRACK.value: chosen.on_track_points,
                Status.AT_RISK.value: chosen.at_risk_points,
                Status.OFF_TRACK.value: chosen.off_track_points,
                "no_data_overdue": chosen.no_data_overdue_points,
            },
            "lead_weight": chosen.lead_weight,
            "co_lead_weight": chosen.co_lead_weight,
            "overdue_penalty": chosen.overdue_penalty,
            "max_overdue_penalty": chosen.max_overdue_penalty,
            "grades": {"excellent": chosen.excellent_min, "good": chosen.good_min, "pass": chosen.pass_min},
        },
        "targets": targets,
        "units": [_unit_entry(card, names) for card in cards],
        "late": [t for t in targets if t["overdue"]],
        "off_track": [t for t in targets if t["status"] == Status.OFF_TRACK.value],
        "counts_by_action": by_action,
        "counts_by_status": {s.value: sum(1 for r in rows if r.status is s) for s in Status},
    }


# ------------------------------------------------------------------------------------------------ excel

TARGET_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("code", "目标代码", "target code"),
    ("action_name", "行动", "action"),
    ("lead_unit_name", "牵头单位", "lead unit"),
    ("co_unit_names", "配合单位", "co-leading units"),
    ("status_zh", "状态", "status"),
    ("latest_value", "最新值", "latest value"),
    ("period", "期间", "period"),
    ("target_value", "目标值", "target value"),
    ("deadline", "期限", "deadline"),
    ("forecast", "期限预测", "forecast at deadline"),
    ("overdue", "报送逾期", "report overdue"),
)
UNIT_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("name", "单位", "unit"),
    ("code", "单位代码", "unit code"),
    ("score", "得分", "score"),
    ("grade_zh", "等级", "grade"),
    ("mean_points", "加权平均分", "weighted mean"),
    ("penalty", "逾期扣分", "overdue penalty"),
    ("led", "牵头目标数", "targets led"),
    ("co_led", "配合目标数", "targets co-led"),
    ("counted", "计分目标数", "targets scored"),
    ("overdue", "逾期报送", "overdue reports"),
)
LATE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("kind", "类别", "kind"),
    ("code", "目标代码", "target code"),
    ("action_name", "行动", "action"),
    ("lead_unit_name", "牵头单位", "lead unit"),
    ("status_zh", "状态", "status"),
    ("latest_value", "最新值", "latest value"),
    ("target_value", "目标值", "target value"),
    ("deadline", "期限", "deadline"),
)


def _cell(value: Any) -> Any:
    """A document value as an Excel cell: lists joined, booleans as 是/否, lists of codes counted."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return value


def late_and_off_track(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The off-track items, then the overdue ones, each with a ``kind`` (a target can be in both)."""
    items = [{**t, "kind": "滞后 off track"} for t in document["off_track"]]
    items += [{**t, "kind": "报送逾期 overdue"} for t in document["late"]]
    return items


def write_annual_report_xlsx(document: Mapping[str, Any], path: Path) -> None:
    """Write the annual assessment to Excel: sheets 概况, 目标, 单位得分 and 滞后与逾期.

    Every sheet has a Chinese header row then an English one; with synthetic data its first row is the
    SYNTHETIC banner.

    Parameters
    ----------
    document : mapping
        :func:`annual_report_document` output.
    path : Path
        The ``.xlsx`` file to write.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    banner = SYNTHETIC_BANNER if document["synthetic"] else ""

    def sheet(
        title: str, columns: Sequence[tuple[str, str, str]], items: Iterable[Mapping[str, Any]]
    ) -> None:
        ws = book.create_sheet(title)
        if banner:
            ws.append([banner])
            ws.cell(ws.max_row, 1).font = Font(bold=True, color="B26A00")
        ws.append([zh for _, zh, _ in columns])
        ws.append([en for _, _, en in columns])
        for cell in (*ws[ws.max_row - 1], *ws[ws.max_row]):
            cell.font = Font(bold=True)
        ws.freeze_panes = f"A{ws.max_row + 1}"
        for item in items:
            ws.append(
                [
                    len(item[key]) if key in {"led", "co_led"} else _cell(item.get(key))
                    for key, _, _ in columns
                ]
            )
        for index, (_, zh, _) in enumerate(columns, start=1):
            letter = ws.cell(1, index).column_letter
            ws.column_dimensions[letter].width = max(12, 2 * len(zh) + 4)

    rubric = document["rubric"]
    summary = [
        {"key": "计划 plan", "value": document["plan_title"]},
        {"key": "年度 year", "value": document["year"]},
        {"key": "生成时间 generated at", "value": document["generated_at"]},
        {"key": "合成数据 synthetic", "value": _cell(document["synthetic"])},
        {"key": "评分规则 rubric", "value": f"{rubric['name']}: {rubric['note_zh']} / {rubric['note_en']}"},
    ]
    summary += [
        {"key": f"{Status(s).label_zh} {s}", "value": n} for s, n in document["counts_by_status"].items()
    ]
    summary += [
        {"key": f"{a['name']} ({a['action'] or 'goals'})", "value": a["total"], **a["counts"]}
        for a in document["counts_by_action"]
    ]
    status_columns = tuple((s.value, s.label_zh, s.value) for s in Status)
    sheet("概况", (("key", "项目", "item"), ("value", "值", "value"), *status_columns), summary)
    sheet("目标", TARGET_COLUMNS, document["targets"])
    sheet("单位得分", UNIT_COLUMNS, document["units"])
    sheet("滞后与逾期", LATE_COLUMNS, late_and_off_track(document))
    book.save(path)


# -------------------------------------------------------------------------------------------------- pdf


def _register_font(font: CjkFont) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    name = f"{FONT_NAME}-{font.path.stem}-{font.subfont_index}"
    if name not in pdfmetrics.getRegisteredFontNames():
        try:
            pdfmetrics.registerFont(TTFont(name, str(font.path), subfontIndex=font.subfont_index))
        except TTFError as exc:
            raise ReportFontError(
                f"{font.path}: cannot embed this font in a PDF ({exc}); use a TrueType CJK font, e.g. "
                "`apt-get install fonts-wqy-zenhei`"
            ) from exc
    return name


def _number(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _status_by_action_chart(document: Mapping[str, Any], font: str) -> Any:
    """Stacked bars: number of targets per status in each action."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    actions = document["counts_by_action"]
    drawing = Drawing(480, 260)
    drawing.add(String(0, 248, "各行动目标状态 Targets by action and status", fontName=font, fontSize=10))
    if not actions:
        drawing.add(String(0, 220, "无目标 no targets", fontName=font, fontSize=9))
        return drawing
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 80, 300, 150
    chart.data = [[a["counts"][s.value] for a in actions] for s in Status]
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.categoryNames = [a["name"] for a in actions]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 35
    chart.categoryAxis.labels.boxAnchor = "ne"
    tallest = max((a["total"] for a in actions), default=0)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueStep = max(1, math.ceil(tallest / 5))
    chart.valueAxis.labels.fontSize = 7
    chart.barWidth = 8
    for index, status in enumerate(Status):
        chart.bars[index].fillColor = colors.HexColor(STATUS_COLOURS[status])
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 360, 220
    legend.fontName, legend.fontSize = font, 8
    legend.colorNamePairs = [(colors.HexColor(STATUS_COLOURS[s]), s.label_zh) for s in Status]
    drawing.add(legend)
    return drawing


def _status_pie(document: Mapping[str, Any], font: str) -> Any:
    """Pie of all targets by status (statuses with no target left out)."""
    from reportlab.graphics.charts.piecharts import Pie
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    counts = [(Status(s), n) for s, n in document["counts_by_status"].items() if n > 0]
    drawing = Drawing(480, 200)
    drawing.add(String(0, 188, "全部目标状态 All targets by status", fontName=font, fontSize=10))
    if not counts:
        drawing.add(String(0, 100, "无目标 no targets", fontName=font, fontSize=9))
        return drawing
    pie = Pie()
    pie.x, pie.y, pie.width, pie.height = 150, 15, 160, 160
    pie.data = [n for _, n in counts]
    pie.labels = [f"{s.label_zh} {n}" for s, n in counts]
    pie.simpleLabels = 1
    pie.slices.fontName = font
    pie.slices.fontSize = 8
    pie.slices.strokeColor = colors.white
    for index, (status, _) in enumerate(counts):
        pie.slices[index].fillColor = colors.HexColor(STATUS_COLOURS[status])
    drawing.add(pie)
    return drawing


def _unit_scores_chart(document: Mapping[str, Any], font: str) -> Any:
    """Horizontal bars: each scored unit's score, coloured by grade threshold."""
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    scored = [u for u in document["units"] if u["score"] is not None]
    step = min(16.0, 600.0 / max(len(scored), 1))  # a row per unit; many units shrink to fit one page
    height = 50 + step * max(len(scored), 1)
    drawing = Drawing(480, height)
    if not scored:
        drawing.add(String(0, height - 32, "无计分单位 no unit scored", fontName=font, fontSize=9))
        return drawing
    rows = list(reversed(scored))  # best at the top
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 150, 20, 300, height - 45
    chart.data = [[u["score"] for u in rows]]
    chart.categoryAxis.categoryNames = [f"{u['name']} {u['grade_zh']}" for u in rows]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = min(8.0, step - 1.0)
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontSize = 7
    chart.bars.strokeColor = None
    grades = document["rubric"]["grades"]
    for index, unit in enumerate(rows):
        score = unit["score"]
        colour = (
            STATUS_COLOURS[Status.ACHIEVED]
            if score >= grades["excellent"]
            else STATUS_COLOURS[Status.ON_TRACK]
            if score >= grades["good"]
            else STATUS_COLOURS[Status.AT_RISK]
            if score >= grades["pass"]
            else STATUS_COLOURS[Status.OFF_TRACK]
        )
        chart.bars[(0, index)].fillColor = colors.HexColor(colour)
    drawing.add(chart)
    return drawing


def write_annual_report_pdf(document: Mapping[str, Any], path: Path, *, font: CjkFont | None = None) -> None:
    """Write the annual assessment as an A4 PDF with charts and Chinese text.

    Contents: title, summary, status charts (by action, overall), the unit scores chart and table, the
    off-track and overdue items, then every target. With synthetic data every page carries the banner.

    Parameters
    ----------
    document : mapping
        :func:`annual_report_document` output.
    path : Path
        The ``.pdf`` file to write.
    font : CjkFont, optional
        The TrueType CJK font to embed; by default :func:`find_cjk_font`.

    Raises
    ------
    ReportFontError
        When no TrueType CJK font is installed (install ``fonts-wqy-zenhei``).
    """
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    face = _register_font(font or find_cjk_font())
    body = ParagraphStyle("body", fontName=face, fontSize=9, leading=13, wordWrap="CJK")
    small = ParagraphStyle("small", parent=body, fontSize=7.5, leading=10)
    title = ParagraphStyle("title", parent=body, fontSize=17, leading=24, spaceAfter=6)
    heading = ParagraphStyle("heading", parent=body, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4)
    warn = ParagraphStyle("warn", parent=body, textColor=colors.HexColor("#B26A00"))
    synthetic = bool(document["synthetic"])
    year = document["year"]
    heading_text = f"{document['plan_title']} {year}年度评估报告"

    def esc(value: Any) -> str:
        return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def table(header_zh: list[str], header_en: list[str], lines: list[list[Any]], widths: list[float]) -> Any:
        cells = [[Paragraph(esc(h), small) for h in header_zh], [Paragraph(esc(h), small) for h in header_en]]
        cells += [[Paragraph(esc(v), small) for v in line] for line in lines]
        result = Table(cells, colWidths=[w * mm for w in widths], repeatRows=2)
        result.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 1), colors.HexColor("#EAECEE")),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#AAB7B8")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return result

    story: list[Any] = []
    if synthetic:
        story.append(Paragraph(esc(SYNTHETIC_BANNER), warn))
    story.append(Paragraph(esc(heading_text), title))
    story.append(
        Paragraph(f"Annual assessment report {year} · generated {esc(document['generated_at'])}", body)
    )
    rubric = document["rubric"]
    story.append(Paragraph(esc(f"{rubric['note_zh']}（{rubric['name']}）。{rubric['note_en']}."), small))
    counts = document["counts_by_status"]
    story.append(
        Paragraph(
            esc(
                f"目标共 {len(document['targets'])} 项："
                + "，".join(f"{Status(s).label_zh} {n}" for s, n in counts.items())
                + f"；滞后 {len(document['off_track'])} 项，报送逾期 {len(document['late'])} 项。"
            ),
            body,
        )
    )
    story.append(Spacer(1, 4 * mm))
    story.append(_status_by_action_chart(document, face))
    story.append(_status_pie(document, face))
    story.append(PageBreak())
    story.append(Paragraph("单位得分 Unit scores", heading))
    story.append(_unit_scores_chart(document, face))
    story.append(
        table(
            ["单位", "得分", "等级", "牵头", "配合", "计分", "逾期扣分"],
            ["unit", "score", "grade", "led", "co-led", "scored", "penalty"],
            [
                [
                    u["name"],
                    _number(u["score"]),
                    u["grade_zh"],
                    len(u["led"]),
                    len(u["co_led"]),
                    u["counted"],
                    _number(u["penalty"]),
                ]
                for u in document["units"]
            ],
            [60, 18, 18, 16, 16, 16, 20],
        )
    )
    story.append(Paragraph("滞后与逾期 Off-track and overdue items", heading))
    items = late_and_off_track(document)
    if items:
        story.append(
            table(
                ["类别", "目标", "行动", "牵头单位", "状态", "最新值", "目标值", "期限"],
                ["kind", "target", "action", "lead unit", "status", "latest", "target", "deadline"],
                [
                    [
                        i["kind"],
                        i["code"],
                        i["action_name"],
                        i["lead_unit_name"] or "—",
                        i["status_zh"],
                        _number(i["latest_value"]),
                        _number(i["target_value"]),
                        i["deadline"],
                    ]
                    for i in items
                ],
                [26, 34, 24, 28, 16, 16, 16, 14],
            )
        )
    else:
        story.append(Paragraph("无 none", body))
    story.append(Paragraph("全部目标 All targets", heading))
    story.append(
        table(
            ["目标", "行动", "牵头单位", "状态", "最新值", "期间", "目标值", "期限", "预测"],
            ["target", "action", "lead unit", "status", "latest", "period", "target", "deadline", "forecast"],
            [
                [
                    t["code"],
                    t["action_name"],
                    t["lead_unit_name"] or "—",
                    t["status_zh"] + (" · 逾期" if t["overdue"] else ""),
                    _number(t["latest_value"]),
                    t["period"] or "—",
                    _number(t["target_value"]),
                    t["deadline"],
                    _number(t["forecast"]),
                ]
                for t in document["targets"]
            ],
            [36, 22, 26, 18, 15, 13, 15, 12, 15],
        )
    )

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(face, 7.5)
        canvas.setFillColor(colors.HexColor("#566573"))
        canvas.drawString(15 * mm, 10 * mm, f"{heading_text} · {doc.page}")
        if synthetic:
            canvas.setFillColor(colors.HexColor("#B26A00"))
            canvas.drawRightString(A4[0] - 15 * mm, A4[1] - 10 * mm, SYNTHETIC_BANNER)
        canvas.restoreState()

    pdf = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=heading_text,
        author="carbonpeak",
        subject=("SYNTHETIC DATA · " if synthetic else "") + f"annual assessment {year}",
    )
    pdf.build(story, onFirstPage=decorate, onLaterPages=decorate)


# ---------------------------------------------------------------------------------------------- dispatch

REPORT_WRITERS: dict[str, Callable[[Mapping[str, Any], Path], None]] = {
    ".pdf": write_annual_report_pdf,
    ".xlsx": write_annual_report_xlsx,
}
"""Writers by file suffix."""


def write_annual_report(document: Mapping[str, Any], path: Path) -> None:
    """Write the annual assessment to ``path``, as PDF or Excel by its suffix (``.pdf`` or ``.xlsx``).

    Raises
    ------
    ReportError
        When the suffix is neither ``.pdf`` nor ``.xlsx``.
    ReportFontError
        For a PDF when no TrueType CJK font is installed.
    """
    path = Path(path)
    writer = REPORT_WRITERS.get(path.suffix.lower())
    if writer is None:
        raise ReportError(
            f"{path}: cannot write an annual report as '{path.suffix or '(no suffix)'}'; use a file ending "
            f"in {' or '.join(REPORT_WRITERS)}"
        )
    writer(document, path)
