"""The annual assessment report: the document on a hand-worked case, the Excel and the rendered PDF."""

import os
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

from carbonpeak.core.tracking import Status
from carbonpeak.core.tracking.scorecard import TargetRow
from carbonpeak.io.report import (
    STATUS_COLOURS,
    SYNTHETIC_BANNER,
    CjkFont,
    ReportError,
    ReportFontError,
    annual_report_document,
    find_cjk_font,
    write_annual_report,
    write_annual_report_pdf,
    write_annual_report_xlsx,
)

NDRC, BUILD, TRANS, ECO = (
    "development_reform_commission",
    "construction_commission",
    "transport_commission",
    "ecology_environment_bureau",
)
UNIT_NAMES = {NDRC: "区发展改革委", BUILD: "区建设管理委", TRANS: "区交通委", ECO: "区生态环境局"}
ACTION_NAMES = {
    "green_energy": "绿色能源行动",
    "green_transport": "交通运输绿色低碳行动",
    "green_building": "城乡建设绿色低碳行动",
    "circular_economy": "循环经济助力降碳行动",
}


def row(code, action, lead, co, status, *, overdue=False, latest=None, target=None):
    return TargetRow(
        code=code,
        action=action,
        lead_unit=lead,
        co_units=tuple(co),
        status=status,
        latest_value=latest,
        period=None if latest is None else "2022",
        target_value=target,
        deadline="2025",
        forecast=None,
        overdue=overdue,
    )


ROWS = [
    row("energy_intensity_2025", "", NDRC, [], Status.ON_TRACK, latest=0.95, target=0.865),
    row("building_pv", "green_energy", BUILD, [NDRC], Status.AT_RISK, overdue=True),
    row("public_rooftop_pv", "green_energy", BUILD, [], Status.ACHIEVED),
    row("hydrogen_stations", "green_energy", NDRC, [], Status.NOT_YET_DUE),
    row("new_energy_buses", "green_transport", TRANS, [], Status.OFF_TRACK, latest=60.0, target=100.0),
    row("green_building_share", "green_building", BUILD, [], Status.ACHIEVED),
    row("waste_recycling", "circular_economy", ECO, [NDRC], Status.NO_DATA, overdue=True),
]
GENERATED = datetime(2024, 3, 1, 9, 30)


def document(*, synthetic=True):
    return annual_report_document(
        year=2023,
        plan_title="杨浦区碳达峰实施方案",
        rows=ROWS,
        generated_at=GENERATED,
        synthetic=synthetic,
        unit_names=UNIT_NAMES,
        action_names=ACTION_NAMES,
    )


@pytest.fixture(scope="module")
def cjk_font():
    try:
        return find_cjk_font()
    except ReportFontError as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true and {exc}")
        pytest.skip(str(exc))


# ------------------------------------------------------------------------------------------ document


def test_document_unit_scores_by_hand():
    units = {u["code"]: u for u in document()["units"]}
    # BUILD leads building_pv (at_risk 50, overdue), public_rooftop_pv and green_building_share (100 each):
    # mean 250/3 = 83.33, minus 5 for the overdue report = 78.3 -> 良好
    assert units[BUILD]["score"] == 78.3
    assert units[BUILD]["mean_points"] == 83.3
    assert (units[BUILD]["penalty"], units[BUILD]["grade_zh"]) == (5.0, "良好")
    # NDRC leads energy (on_track 85) and hydrogen (not yet due: excluded), co-leads building_pv (50 x 0.5)
    # and waste_recycling (no data, overdue: 0 x 0.5): (85 + 25 + 0) / 2 = 55 -> 不合格, no penalty (not lead)
    assert (units[NDRC]["score"], units[NDRC]["penalty"], units[NDRC]["grade"]) == (55.0, 0.0, "fail")
    assert units[NDRC]["led"] == ["energy_intensity_2025", "hydrogen_stations"]
    assert units[NDRC]["co_led"] == ["building_pv", "waste_recycling"]
    assert units[NDRC]["counted"] == 3
    # ECO: no data, overdue -> 0 points, minus 5, clamped at 0; TRANS: off track -> 0
    assert (units[ECO]["score"], units[ECO]["overdue"]) == (0.0, ["waste_recycling"])
    assert units[TRANS]["score"] == 0.0
    assert units[NDRC]["name"] == "区发展改革委"
    # best first, ties by code
    assert [u["code"] for u in document()["units"]] == [BUILD, NDRC, ECO, TRANS]


def test_document_lists_targets_late_and_off_track_items():
    doc = document()
    assert (doc["year"], doc["plan_title"], doc["synthetic"]) == (2023, "杨浦区碳达峰实施方案", True)
    assert doc["generated_at"] == "2024-03-01T09:30:00"
    assert [t["code"] for t in doc["targets"]] == [r.code for r in ROWS]
    first = doc["targets"][0]
    assert (first["action_name"], first["status"], first["status_zh"]) == ("主要目标", "on_track", "正常推进")
    assert (first["latest_value"], first["target_value"], first["period"]) == (0.95, 0.865, "2022")
    pv = doc["targets"][1]
    assert (pv["lead_unit_name"], pv["co_unit_names"], pv["overdue"]) == (
        "区建设管理委",
        ["区发展改革委"],
        True,
    )
    assert [t["code"] for t in doc["late"]] == ["building_pv", "waste_recycling"]
    assert [t["code"] for t in doc["off_track"]] == ["new_energy_buses"]


def test_document_counts_by_action_and_status():
    doc = document()
    assert doc["counts_by_status"] == {
        "achieved": 2,
        "on_track": 1,
        "at_risk": 1,
        "off_track": 1,
        "no_data": 1,
        "not_yet_due": 1,
    }
    by_action = {a["action"]: a for a in doc["counts_by_action"]}
    # ordered as action_names, then the headline goals
    assert [a["action"] for a in doc["counts_by_action"]] == [*ACTION_NAMES, ""]
    assert by_action["green_energy"]["total"] == 3
    assert by_action["green_energy"]["counts"] == {
        "achieved": 1,
        "on_track": 0,
        "at_risk": 1,
        "off_track": 0,
        "no_data": 0,
        "not_yet_due": 1,
    }
    assert by_action[""]["name"] == "主要目标"
    assert by_action["circular_economy"]["name"] == "循环经济助力降碳行动"


def test_document_states_that_the_rubric_is_not_official():
    rubric = document()["rubric"]
    assert rubric["name"] == "default"
    assert "非官方" in rubric["note_zh"]
    assert "not official" in rubric["note_en"]
    assert rubric["points"]["on_track"] == 85.0
    lead_only = annual_report_document(
        year=2023, plan_title="x", rows=ROWS, generated_at=GENERATED, synthetic=False, rubric="lead_only"
    )
    ndrc = next(u for u in lead_only["units"] if u["code"] == NDRC)
    assert ndrc["score"] == 85.0  # energy only
    assert ndrc["name"] == NDRC  # no names given: the code


# --------------------------------------------------------------------------------------------- excel


def test_xlsx_sheets_headers_and_banner(tmp_path):
    path = tmp_path / "annual.xlsx"
    write_annual_report_xlsx(document(), path)
    book = load_workbook(path)
    assert book.sheetnames == ["概况", "目标", "单位得分", "滞后与逾期"]
    targets = book["目标"]
    assert targets["A1"].value == SYNTHETIC_BANNER
    assert targets["A2"].value == "目标代码"
    assert targets["A3"].value == "target code"
    assert targets.max_row == 3 + len(ROWS)
    assert [c.value for c in targets[5]][:5] == [
        "building_pv",
        "绿色能源行动",
        "区建设管理委",
        "区发展改革委",
        "存在风险",
    ]
    assert targets["K5"].value == "是"
    scores = book["单位得分"]
    assert [c.value for c in scores[2]][:4] == ["单位", "单位代码", "得分", "等级"]
    assert [c.value for c in scores[4]][:4] == ["区建设管理委", BUILD, 78.3, "良好"]
    late = book["滞后与逾期"]
    kinds = [(r[0], r[1]) for r in late.iter_rows(min_row=4, values_only=True)]
    assert kinds == [
        ("滞后 off track", "new_energy_buses"),
        ("报送逾期 overdue", "building_pv"),
        ("报送逾期 overdue", "waste_recycling"),
    ]


def test_xlsx_without_synthetic_data_has_no_banner(tmp_path):
    path = tmp_path / "annual.xlsx"
    write_annual_report_xlsx(document(synthetic=False), path)
    book = load_workbook(path)
    assert [sheet["A1"].value for sheet in book] == ["项目", "目标代码", "单位", "类别"]
    assert [sheet["A2"].value for sheet in book] == ["item", "target code", "unit", "kind"]
    assert book["目标"]["A3"].value == "energy_intensity_2025"
    assert book["目标"].freeze_panes == "A3"
    summary = {r[0]: r[1] for r in book["概况"].iter_rows(min_row=3, values_only=True)}
    assert summary["合成数据 synthetic"] == "否"
    assert summary["年度 year"] == 2023
    assert summary["达成 achieved"] == 2


# ----------------------------------------------------------------------------------------------- pdf


def render(path: Path):
    """Every page as an RGB array, and every page's text."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        images, texts = [], []
        for index in range(len(pdf)):
            page = pdf[index]
            images.append(np.asarray(page.render(scale=1.5).to_pil().convert("RGB"), dtype=np.int16))
            textpage = page.get_textpage()
            texts.append(textpage.get_text_bounded())
            textpage.close()
            page.close()
        return images, texts
    finally:
        pdf.close()


def has_colour(image, hex_colour: str, *, tolerance: int = 12, minimum: int = 200) -> bool:
    """Whether at least ``minimum`` pixels are within ``tolerance`` of the colour on every channel."""
    rgb = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.int16)
    close = np.all(np.abs(image - rgb) <= tolerance, axis=-1)
    return int(close.sum()) >= minimum


def test_pdf_pages_render_with_chinese_text_and_charts(tmp_path, cjk_font):
    path = tmp_path / "annual.pdf"
    write_annual_report_pdf(document(), path, font=cjk_font)
    images, texts = render(path)
    assert len(images) > 0
    for image in images:
        assert image.std() > 10  # not blank
        assert image.shape[0] > 1000
    text = "\n".join(texts)
    assert "杨浦区碳达峰实施方案 2023年度评估报告" in texts[0]
    assert "碳达峰" in text
    for name in ("区发展改革委", "区建设管理委", "区交通委", "区生态环境局"):
        assert name in text
    assert "不合格" in text
    assert "良好" in text
    assert "new_energy_buses" in text
    assert "绿色能源行动" in text
    assert all(SYNTHETIC_BANNER in page for page in texts)
    # the status charts on the first page: the bars and slices carry the status colours
    first = images[0]
    for status in (Status.ACHIEVED, Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.NO_DATA):
        assert has_colour(first, STATUS_COLOURS[status]), status
    # the unit scores chart: 良好 (blue) and 不合格 (red) bars
    scores_page = next(i for i, t in enumerate(texts) if "单位得分" in t)
    assert has_colour(images[scores_page], STATUS_COLOURS[Status.ON_TRACK])
    assert has_colour(images[scores_page], STATUS_COLOURS[Status.OFF_TRACK])


def test_pdf_without_synthetic_data_has_no_banner(tmp_path, cjk_font):
    path = tmp_path / "annual.pdf"
    write_annual_report(document(synthetic=False), path)
    _, texts = render(path)
    assert "碳达峰" in texts[0]
    assert not any("SYNTHETIC" in page for page in texts)


def test_blank_page_would_be_detected():
    blank = np.full((100, 100, 3), 255, dtype=np.int16)
    assert blank.std() == 0
    assert not has_colour(blank, STATUS_COLOURS[Status.ACHIEVED])


def test_pdf_with_no_scored_unit_and_no_targets(tmp_path, cjk_font):
    doc = annual_report_document(
        year=2023, plan_title="杨浦区碳达峰实施方案", rows=[], generated_at=GENERATED, synthetic=False
    )
    path = tmp_path / "empty.pdf"
    write_annual_report_pdf(doc, path, font=cjk_font)
    _, texts = render(path)
    text = "\n".join(texts)
    assert "无计分单位" in text
    assert "无目标" in text


# --------------------------------------------------------------------------------------- fonts, dispatch


def test_missing_font_names_the_debian_package(tmp_path):
    missing = tmp_path / "wqy-zenhei.ttc"
    with pytest.raises(ReportFontError, match=r"apt-get install fonts-wqy-zenhei") as error:
        find_cjk_font([(missing, 0, "fonts-wqy-zenhei")])
    assert str(missing) in str(error.value)


def test_font_search_takes_the_first_installed(tmp_path):
    present = tmp_path / "uming.ttc"
    present.write_bytes(b"")
    found = find_cjk_font([(tmp_path / "absent.ttc", 0, "a"), (present, 2, "fonts-arphic-uming")])
    assert found == CjkFont(present, 2)


def test_a_file_that_is_not_a_truetype_font_is_refused(tmp_path):
    fake = tmp_path / "fake.ttf"
    fake.write_bytes(b"not a font at all")
    with pytest.raises(ReportFontError, match=r"fake.ttf: cannot embed this font"):
        write_annual_report_pdf(document(), tmp_path / "x.pdf", font=CjkFont(fake))


def test_write_annual_report_dispatches_on_the_suffix(tmp_path):
    path = tmp_path / "ANNUAL.XLSX"
    write_annual_report(document(), path)
    assert load_workbook(path).sheetnames[1] == "目标"
    with pytest.raises(
        ReportError, match=r"annual.docx: cannot write an annual report as '.docx'; use .*\.pdf"
    ):
        write_annual_report(document(), tmp_path / "annual.docx")
    with pytest.raises(ReportError, match=r"'\(no suffix\)'"):
        write_annual_report(document(), tmp_path / "annual")
    assert not (tmp_path / "annual.docx").exists()


def test_pdf_with_many_units_fits_the_scores_chart_on_a_page(tmp_path, cjk_font):
    rows = [row(f"t{i:03d}", "green_energy", f"unit_{i:03d}", [], Status.ON_TRACK) for i in range(120)]
    doc = annual_report_document(
        year=2023, plan_title="杨浦区碳达峰实施方案", rows=rows, generated_at=GENERATED, synthetic=False
    )
    path = tmp_path / "many.pdf"
    write_annual_report_pdf(doc, path, font=cjk_font)  # a chart taller than the page would raise
    _, texts = render(path)
    scores_page = next(t for t in texts if "单位得分 Unit scores" in t)
    assert "unit_000" in scores_page
    assert "unit_119" in scores_page
