import json

import pytest
from django.core.management import CommandError, call_command

from criteria.yaml_io import import_criteria_text
from tests.criteria.samples import STANDARD

pytestmark = pytest.mark.django_db


@pytest.fixture
def values_file(tmp_path):
    def write(values) -> str:
        path = tmp_path / "values.json"
        path.write_text(json.dumps(values), encoding="utf-8")
        return str(path)

    return write


@pytest.fixture(autouse=True)
def standard():
    import_criteria_text(STANDARD)


def _run(capsys, *args) -> dict:
    call_command("evaluate", *args)
    return json.loads(capsys.readouterr().out)


def test_evaluate_a_region_prints_the_explained_result(capsys, values_file):
    path = values_file({"income_per_capita": 52, "poverty_rate": 4, "plan_approved": True})
    result = _run(capsys, "--programme", "2021-2025", "--region", "TN", "--year", "2024", "--values", path)
    standard = result["sets"]["commune-standard"]
    assert result["tier"] is None
    assert (standard["met"], standard["criteria_met"], standard["criteria_total"]) == (False, 2, 3)
    income = standard["criteria"][1]["indicators"][0]
    assert income == {
        **income,
        "code": "10.1",
        "measure": "income_per_capita",
        "value": 52,
        "threshold": 54,
        "comparison": ">=",
        "met": False,
        "gap": 2,
        "basis": "vùng Tây Nguyên, năm 2024",
        "verified": False,
    }


def test_tdmnpb_flag_applies_the_tdmnpb_threshold(capsys, values_file):
    path = values_file({"income_per_capita": 52, "poverty_rate": 4, "plan_approved": True})
    result = _run(capsys, "--programme", "2021-2025", "--region", "TN", "--tdmnpb", "--year", "2024", "--values", path)
    assert result["tier"] == "standard"
    income = result["sets"]["commune-standard"]["criteria"][1]["indicators"][0]
    assert income["threshold"] == 39
    assert "TDMNPB" in income["basis"]


def test_evaluate_a_unit_uses_its_province_region(capsys, values_file, tree):
    tree.dak_pek.applies_tdmnpb_thresholds = True
    tree.dak_pek.save()
    path = values_file({"income_per_capita": 40})
    result = _run(
        capsys,
        "--programme",
        "2021-2025",
        "--set",
        "commune-standard",
        "--unit",
        "23353",
        "--year",
        "2024",
        "--values",
        path,
    )
    indicators = {i["code"]: i for c in result["sets"]["commune-standard"]["criteria"] for i in c["indicators"]}
    assert indicators["10.1"]["met"] is True
    assert indicators["10.1"]["threshold"] == 39
    assert indicators["11.1"]["met"] is None  # no data is not a fail
    assert result["sets"]["commune-standard"]["criteria"][2]["met"] is False


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--region", "TN", "--set", "commune-gold"], "không có bộ tiêu chí 'commune-gold'"),
        (["--unit", "99999"], "Không có xã, huyện hay thôn mã '99999'"),
        (["--unit", "23353", "--tdmnpb"], "chỉ dùng với --region"),
    ],
)
def test_evaluate_refuses_bad_arguments_with_a_message(values_file, tree, args, message):
    path = values_file({})
    with pytest.raises(CommandError, match=message):
        call_command("evaluate", "--programme", "2021-2025", "--year", "2024", "--values", path, *args)


def test_evaluate_refuses_a_file_that_is_not_json(tmp_path):
    path = tmp_path / "values.json"
    path.write_text("{income: 5", encoding="utf-8")
    with pytest.raises(CommandError, match="không phải JSON hợp lệ"):
        call_command("evaluate", "--programme", "2021-2025", "--region", "TN", "--year", "2024", "--values", str(path))


def test_evaluate_an_unknown_programme(values_file):
    with pytest.raises(CommandError, match="Không có giai đoạn '2031-2035'"):
        call_command(
            "evaluate", "--programme", "2031-2035", "--region", "TN", "--year", "2032", "--values", values_file({})
        )
