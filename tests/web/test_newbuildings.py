"""New-building projects: import, the plan's six green-building targets on a hand-made registry, the
life-cycle variants, the pages, the API and the SYNTHETIC demo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from carbonpeak.cli import main
from carbonpeak.data import REFERENCE_PLAN
from carbonpeak.web.newbuildings import selectors, services
from carbonpeak.web.newbuildings.models import LcaVariant, NewBuildingProject
from carbonpeak.web.tracking import registry

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lca"
HEADER = (
    "id,name,sub_area,use,floor_area_m2,large_public,completion_date,green_rating,certificate_kind,"
    "energy_standard,renewables\n"
)
PROJECTS = HEADER + (
    # residential: 10,000 m² ultra-low of 30,000 m² in 2027 → 33.3 %; both rated: compliance by area
    "R1,住宅一,other,residential,10000,,2027-06-01,基本级,design,ultra_low,pv\n"
    "R2,住宅二,other,residential,20000,,2027-09-01,none,,none,\n"  # no rating, no renewable
    # large public in 滨江南段: ★★ fails the ★★★ target; in 新江湾 ★★★ passes
    "P1,商办一,riverside_south,commercial_office,50000,yes,2027-03-01,★★,operation,near_zero,pv;air_source\n"
    "P2,商办二,xinjiangwan,commercial_office,40000,yes,2027-04-01,★★★,design,none,ground_source\n"
    # public-institution office: ★ fails the ★★ target
    "G1,机关办公楼,other,government_office,8000,,2027-05-01,★,design,ultra_low,pv\n"
    # industrial: outside the civil targets, inside the renewable one
    "F1,厂房,other,industrial,12000,,2027-07-01,none,,none,waste_heat\n"
    # completed in 2025, the year before 十五五: the start of the 50 % target's trajectory
    "R3,住宅三,other,residential,1000,,2025-06-01,基本级,design,none,pv\n"
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def plan_loaded(db):
    assert main(["plan", "load", str(REFERENCE_PLAN)]) == 0


@pytest.fixture
def projects(plan_loaded, tmp_path):
    outcome = services.projects_file_import(filename="projects.csv", content=PROJECTS.encode("utf-8"))
    assert outcome.errors == []
    assert outcome.created == 7


def test_import_is_idempotent_and_all_or_nothing(projects):
    again = services.projects_file_import(filename="projects.csv", content=PROJECTS.encode("utf-8"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 7)
    bad = (
        HEADER + "X1,坏,other,residential,-5,,2027-01-01,★★★★,,,coal\n" + "X2,好,other,residential,1,,,,,,\n"
    )
    outcome = services.projects_file_import(filename="bad.csv", content=bad.encode("utf-8"))
    text = str(outcome.errors[0])
    assert text.startswith("bad.csv, row 2:")
    assert "field floor_area_m2" in text
    assert "field green_rating" in text
    assert "field renewables: 'coal'" in text
    assert not NewBuildingProject.objects.filter(code__in=["X1", "X2"]).exists()


def _by_target(indicator: str) -> dict[str | None, list[tuple[int, float]]]:
    out: dict[str | None, list[tuple[int, float]]] = {}
    for v in registry.computed_values([indicator]).get(indicator, []):
        out.setdefault(v.target, []).append((v.year, v.value))
    return out


def test_the_six_targets_on_a_hand_made_registry(projects):
    # compliance by area, civil only (F1 out), cumulative from 2021: in 2025 R3 (rated) alone; by 2027
    # rated R3 1,000 + R1 10,000 + P1 50,000 + P2 40,000 + G1 8,000 of 129,000 m²
    assert _by_target("green_building_compliance_rate") == {
        None: [(2025, 100.0), (2026, 100.0), (2027, pytest.approx(84.50, abs=0.01))]
    }
    star = _by_target("green_building_star_compliance")
    assert star["three_star_new_large_public_riverside_xinjiangwan"] == [(2027, 50.0)]
    assert star["two_star_new_pi_offices"] == [(2027, 0.0)]
    ultra = _by_target("ultra_low_energy_share_new_buildings")
    # 2025 (before the period) R3 not ultra-low: 0 %; from 2026 R1 10,000 of R1 + R2 30,000 m²
    assert ultra["ultra_low_energy_new_residential_15th"] == [
        (2025, 0.0),
        (2027, pytest.approx(33.33, abs=0.01)),
    ]
    # civil by 2030: counted from 2030 on only; nothing completed then yet
    assert "ultra_low_energy_new_civil_2030" not in ultra
    assert _by_target("renewable_types_per_new_building") == {None: [(2025, 1.0), (2027, 0.0)]}
    failing = selectors.district_summary().failing
    assert [p.code for p in failing["three_star_new_large_public_riverside_xinjiangwan"]] == ["P1"]
    assert [p.code for p in failing["two_star_new_pi_offices"]] == ["G1"]
    assert [p.code for p in failing["renewable_types_new_buildings"]] == ["R2"]


def test_indicators_status_shows_computed_values(projects, capsys):
    capsys.readouterr()
    assert main(["indicators", "status", "--format", "json", "--as-of", "2027-12-31"]) == 0
    rows = {r["code"]: r for r in json.loads(capsys.readouterr().out)}
    for code in (
        "green_building_compliance_new_civil",
        "three_star_new_large_public_riverside_xinjiangwan",
        "two_star_new_pi_offices",
        "ultra_low_energy_new_residential_15th",
        "renewable_types_new_buildings",
    ):
        assert rows[code]["latest_value"] is not None, code
    assert rows["two_star_new_pi_offices"]["latest_value"] == pytest.approx(0.0)
    assert rows["ultra_low_energy_new_civil_2030"]["latest_value"] is None  # no project completed in 2030


def test_2030_target_counts_projects_completed_in_2030(projects):
    row = HEADER + "C1,2030年住宅,other,residential,1000,,2030-02-01,基本级,design,ultra_low,pv\n"
    assert services.projects_file_import(filename="p.csv", content=row.encode("utf-8")).errors == []
    ultra = _by_target("ultra_low_energy_share_new_buildings")
    assert ultra["ultra_low_energy_new_civil_2030"] == [(2030, 100.0)]


def _variants(project: NewBuildingProject) -> None:
    for name, file in (("cast-in-place", "cast_in_place.csv"), ("prefab", "prefab.csv")):
        services.lca_variant_compute(
            project=project,
            name=name,
            filename=file,
            content=(FIXTURES / file).read_bytes(),
            region="CN-SH",
            year=2025,
        )


def test_lca_variants_and_comparison(projects):
    project = NewBuildingProject.objects.get(code="R2")
    _variants(project)
    comparison = selectors.variant_comparison(project, "cast-in-place", "prefab")
    assert comparison is not None
    assert comparison.stage_difference.materials_kgco2e == pytest.approx(11_400)
    assert comparison.stage_difference.construction_kgco2e == pytest.approx(-8 * 3095.9096, rel=1e-6)
    with pytest.raises(services.LcaComputeError, match="C35混凝土"):
        services.lca_variant_compute(
            project=project,
            name="bad",
            filename="bad.csv",
            content=b"material,quantity,unit\nC35\xe6\xb7\xb7\xe5\x87\x9d\xe5\x9c\x9f,1,m3\n",
            region="CN-SH",
            year=2025,
        )
    assert LcaVariant.objects.filter(project=project).count() == 2


def test_pages(projects, client, office_admin):
    project = NewBuildingProject.objects.get(code="R2")
    _variants(project)
    assert client.get("/newbuildings/").status_code == 302  # login required
    client.force_login(office_admin)
    district = client.get("/newbuildings/").content.decode()
    assert 'id="nb-ratings"' in district
    assert 'data-target="two_star_new_pi_offices"' in district
    assert "机关办公楼" in district  # the failing project is listed
    detail = client.get("/newbuildings/projects/R2/").content.decode()
    assert 'id="nb-stages"' in detail
    assert 'id="nb-pareto"' in detail
    assert 'id="nb-lca-chart"' in detail
    assert "C30混凝土" in detail  # the materials table
    compare = client.get("/newbuildings/projects/R2/compare/?a=cast-in-place&b=prefab").content.decode()
    assert 'id="compare-stages"' in compare
    assert "11,400" in compare or "11 400" in compare or "11,400" in compare.replace("\u202f", ",")
    listing = client.get("/newbuildings/projects/").content.decode()
    assert 'data-project="P1"' in listing
    assert "1e+" not in listing + detail + compare + district


def test_bom_upload_needs_permission_and_names_rows(projects, client, django_user_model, office_admin):
    viewer = django_user_model.objects.create_user("viewer", password="viewer-pass-2026")
    client.force_login(viewer)
    upload = SimpleUploadedFile("bom.csv", (FIXTURES / "prefab.csv").read_bytes())
    assert client.post("/newbuildings/projects/R1/", {"name": "prefab", "file": upload}).status_code == 403
    client.force_login(office_admin)
    bad = SimpleUploadedFile("bom.csv", "material,quantity,unit\n平板玻离,1,t\n".encode())
    response = client.post("/newbuildings/projects/R1/", {"name": "x", "file": bad})
    assert response.status_code == 400
    assert "bom.csv, row 2: field material" in response.content.decode()
    good = SimpleUploadedFile("prefab.csv", (FIXTURES / "prefab.csv").read_bytes())
    assert client.post("/newbuildings/projects/R1/", {"name": "prefab", "file": good}).status_code == 302
    assert LcaVariant.objects.filter(project__code="R1", name="prefab").exists()


def test_import_page(plan_loaded, client, office_admin):
    client.force_login(office_admin)
    upload = SimpleUploadedFile("projects.csv", PROJECTS.encode("utf-8"))
    response = client.post("/newbuildings/import/", {"kind": "projects", "file": upload})
    assert response.status_code == 302
    assert NewBuildingProject.objects.count() == 7


def test_api(projects, client, office_admin):
    assert client.get("/api/newbuildings/projects").status_code == 401
    client.force_login(office_admin)
    rows = client.get("/api/newbuildings/projects").json()
    assert [r["id"] for r in rows][:2] == ["F1", "G1"]
    _variants(NewBuildingProject.objects.get(code="R2"))
    variants = client.get("/api/newbuildings/projects/R2/variants").json()
    assert variants[0]["result"]["stages"]["materials_kgco2e"] == pytest.approx(1_587_000)
    targets = {t["target"]: t for t in client.get("/api/newbuildings/targets").json()}
    assert targets["two_star_new_pi_offices"]["failing"] == ["G1"]


def test_demo_loader_is_deterministic_and_synthetic(plan_loaded):
    first = services.demo_newbuildings_load(seed=7)
    assert "SYNTHETIC" in first
    assert NewBuildingProject.objects.filter(synthetic=False).count() == 0
    again = services.demo_newbuildings_load(seed=7)
    assert "(0 new)" in again
    assert LcaVariant.objects.filter(synthetic=True).count() == 2
    assert set(registry.computed_values(list(selectors.INDICATORS))) == set(selectors.INDICATORS)
