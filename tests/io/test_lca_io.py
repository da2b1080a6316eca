"""Life-cycle carbon inputs: bills of materials (CSV/Excel), the LCA tables and IFC take-off."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from carbonpeak.core.errors import ReferenceDataError
from carbonpeak.core.lca import gbt51366
from carbonpeak.data import DATA_DIR
from carbonpeak.io.lca import lca_tables, packaged_lca_tables, read_bom, read_ifc

HAND_WORKED = (
    "material,quantity,unit,transport_km,transport_mode,density_t_per_m3\n"
    "C30混凝土,3000,m3,40,heavy-diesel-truck-30t,2.4\n"
    "热轧带肋钢筋,300,t,,重型柴油货车运输(载重30t),\n"
)


def test_bom_by_chinese_names_gives_the_hand_worked_example(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_text(HAND_WORKED, encoding="utf-8")
    bom = read_bom(path)
    assert bom.ok, bom.errors
    assert [i.material for i in bom.items] == ["concrete-c30", "rebar-hot-rolled"]
    assert bom.items[1].transport_km is None
    assert bom.items[1].label == "bom.csv row 3"
    result = gbt51366(bom.items, packaged_lca_tables(), floor_area_m2=10_000)
    assert result.stages.materials_kgco2e == pytest.approx(1_587_000)
    assert result.stages.transport_kgco2e == pytest.approx(34_164)
    assert round(result.per_m2_kgco2e, 1) == 162.1


def test_unknown_material_names_row_and_closest_names(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_text(
        "material,quantity,unit\nC30混凝土,1,m3\nC35混凝土,5,m3\n平板玻离,2,t\n", encoding="utf-8"
    )
    bom = read_bom(path)
    assert not bom.ok
    assert bom.items == []
    first, second = (str(e) for e in bom.errors)
    assert first.startswith("bom.csv, row 3: field material: 'C35混凝土' is not a known material")
    assert "closest known names: C30混凝土" in first or "C50混凝土" in first
    assert "row 4" in second
    assert "平板玻璃" in second


def test_bad_cells_are_named(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_text(
        "material,quantity,unit,transport_mode,stage\n"
        "rebar-hot-rolled,-1,t,,\n"
        "rebar-hot-rolled,nan,吨,,\n"
        "rebar-hot-rolled,1,barrel,,\n"
        "rebar-hot-rolled,1,t,mule,\n"
        "rebar-hot-rolled,1,t,,use\n",
        encoding="utf-8",
    )
    errors = [str(e) for e in read_bom(path).errors]
    assert "row 2: field quantity: -1 must be a finite number" in errors[0]
    assert "row 3: field quantity: nan must be a finite number" in errors[1]
    assert "row 4: field unit: 'barrel'" in errors[2]
    assert "row 5: field transport_mode: 'mule' is not a transport mode" in errors[3]
    assert "row 6: field stage: 'use'" in errors[4]
    header = tmp_path / "h.csv"
    header.write_text("material,qty\nx,1\n", encoding="utf-8")
    assert "field quantity: required column is missing" in str(read_bom(header).errors[0])


def test_energy_lines_on_construction_stage(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_text("material,quantity,unit,stage\n柴油,2,t,施工\n电,1000,kWh,demolition\n", encoding="utf-8")
    bom = read_bom(path)
    assert bom.ok, bom.errors
    assert [(i.material, i.stage, i.unit) for i in bom.items] == [
        ("diesel", "construction", "t"),
        ("electricity", "demolition", "kWh"),
    ]


def test_excel_bom(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["material", "quantity", "unit", "transport_km", "transport_mode"])
    sheet.append(["平板玻璃", 12.5, "t", 100, "rail"])
    buffer = io.BytesIO()
    book.save(buffer)
    bom = read_bom(tmp_path / "bom.xlsx", buffer.getvalue())
    assert bom.ok, bom.errors
    assert bom.items[0].material == "glass-plate"
    assert bom.items[0].quantity == 12.5


def test_lca_tables_refuse_a_guessed_density(tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    densities = copy / "lca" / "densities.csv"
    text = densities.read_text(encoding="utf-8").replace("concrete-c30,,t/m3", "concrete-c30,2.4,t/m3", 1)
    densities.write_text(text, encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"densities.csv, row 2, field value: evidence X"):
        lca_tables(copy)


HAS_IFC = importlib.util.find_spec("ifcopenshell") is not None


def _ifc_fixture(path: Path) -> None:
    import ifcopenshell
    import ifcopenshell.api

    model = ifcopenshell.file(schema="IFC4")
    ifcopenshell.api.run("root.create_entity", model, ifc_class="IfcProject", name="fixture")
    ifcopenshell.api.run("unit.assign_unit", model)
    slab = ifcopenshell.api.run("root.create_entity", model, ifc_class="IfcSlab", name="Slab")
    beam = ifcopenshell.api.run("root.create_entity", model, ifc_class="IfcBeam", name="Beam")
    wall = ifcopenshell.api.run("root.create_entity", model, ifc_class="IfcWall", name="Wall")
    window = ifcopenshell.api.run("root.create_entity", model, ifc_class="IfcWindow", name="Window")
    for product, name in (
        (slab, "C30混凝土"),
        (beam, "热轧H型钢"),
        (wall, "Timber CLT"),
        (window, "断桥铝合金窗"),
    ):
        material = ifcopenshell.api.run("material.add_material", model, name=name)
        ifcopenshell.api.run("material.assign_material", model, products=[product], material=material)
    qto = ifcopenshell.api.run("pset.add_qto", model, product=slab, name="Qto_SlabBaseQuantities")
    ifcopenshell.api.run("pset.edit_qto", model, qto=qto, properties={"NetVolume": 12.5, "NetArea": 50.0})
    qto = ifcopenshell.api.run("pset.add_qto", model, product=beam, name="Qto_BeamBaseQuantities")
    ifcopenshell.api.run("pset.edit_qto", model, qto=qto, properties={"NetWeight": 1500.0, "NetVolume": 0.19})
    model.write(str(path))


@pytest.mark.skipif(not HAS_IFC, reason="ifcopenshell (extra carbonpeak[ifc]) is not installed")
def test_ifc_slab_volume_reaches_the_c30_row(tmp_path: Path) -> None:
    path = tmp_path / "fixture.ifc"
    _ifc_fixture(path)
    takeoff = read_ifc(path)
    by_material = {i.material: i for i in takeoff.items}
    slab = by_material["concrete-c30"]
    assert (slab.quantity, slab.unit) == (12.5, "m3")
    assert slab.label.startswith("IfcSlab ")
    beam = by_material["section-steel-h"]
    assert (beam.quantity, beam.unit) == (1500.0, "kg")
    assert list(takeoff.unmapped) == ["Timber CLT"]
    assert len(takeoff.without_quantity) == 1
    assert takeoff.without_quantity[0].startswith("IfcWindow ")
    tables = packaged_lca_tables()
    result = gbt51366(
        takeoff.items, tables, floor_area_m2=100, default_transport_mode="rail", allow_incomplete=True
    )
    c30 = next(m for m in result.by_material if m.material == "concrete-c30")
    assert c30.materials_kgco2e == pytest.approx(12.5 * 295)
    # an alias maps the unmapped IFC material name to a factor row
    assert read_ifc(path, aliases={"Timber CLT": "eps-board"}).unmapped == {}


@pytest.mark.skipif(not HAS_IFC, reason="ifcopenshell (extra carbonpeak[ifc]) is not installed")
def test_ifc_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.ifc"
    path.write_text("not an ifc file", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.ifc: cannot be read as IFC"):
        read_ifc(path)
