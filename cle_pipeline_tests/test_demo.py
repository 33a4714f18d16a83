"""`make demo` for a list of communes: one folder each, the files of separate runs (issue 8);
the command line behind `make demo` and `make publish` (issue 10)."""

import tomllib
from pathlib import Path

import pandas as pd
import pytest

from cle_pipeline import cli
from cle_pipeline.cli import demo as main


def dataset_files(folder: Path) -> dict[str, bytes]:
    """The datasets' CSV files of a commune's folder (not their companions, which are dated)."""
    return {path.name: path.read_bytes() for path in folder.glob("*.csv") if "." not in path.stem}


def test_a_list_of_communes_gives_each_its_folder_with_the_files_of_a_separate_run(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)  # an ephemeral instance per command

    def demo(communes: str, output: Path) -> str:
        monkeypatch.setenv("CLE_COMMUNE", communes)
        monkeypatch.setenv("CLE_OUTPUT_DIR", str(output))
        assert main() == 0  # Elbeuf's warnings fail nothing
        return capsys.readouterr().out

    together = demo("76165,76231", tmp_path / "together")
    alone = demo("76231", tmp_path / "alone")
    assert "commune(s) 76231," in alone
    # Elbeuf sent no shop hours and no defibrillator file: warnings, one line each.
    warnings = [line for line in alone.splitlines() if line.startswith("WARNING")]
    assert sorted(line.split(":")[0] for line in warnings) == [
        "WARNING commerces_inbox check commune_found",
        "WARNING defibrillateurs check withheld_fields_completed",
        "WARNING defibrillateurs_inbox check commune_found",
    ]
    assert " " * 42 + "withheld_fields_completed WARNING" in alone.splitlines()
    assert min(warnings).split("; ")[0] == (
        "WARNING commerces_inbox check commune_found: Aucune ligne pour la commune : le fichier "
        "des horaires est facultatif : sans lui, les horaires des commerces viennent "
        "d'OpenStreetMap seul."
    )
    assert "FAILED" not in alone

    assert "commune(s) 76165, 76231" in together
    assert together.index("== commune 76165") < together.index("== commune 76231")
    assert sorted(path.name for path in (tmp_path / "together").iterdir()) == ["76165", "76231"]
    elbeuf = dataset_files(tmp_path / "together" / "76231")
    assert len(elbeuf) >= 11 and elbeuf == dataset_files(tmp_path / "alone" / "76231")
    for commune, points in (("76165", 6), ("76231", 3)):
        bornes = pd.read_csv(tmp_path / "together" / commune / "bornes_recharge.csv", dtype=str)
        assert (len(bornes), set(bornes["code_insee_commune"])) == (points, {commune})


def test_a_code_that_is_no_commune_stops_before_any_run(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.setenv("CLE_COMMUNE", "76165,99999")
    monkeypatch.setenv("CLE_OUTPUT_DIR", str(tmp_path))
    assert main() == 2
    assert "no current commune has the code(s) 99999 in the INSEE COG" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_the_command_line_is_declared_and_refuses_an_unknown_command(capsys):
    pyproject = tomllib.loads((Path(cli.__file__).parents[1] / "pyproject.toml").read_text())
    assert pyproject["project"]["scripts"] == {"cle-pipeline": "cle_pipeline.cli:main"}
    assert sorted(cli.COMMANDS) == ["demo", "publish"]
    with pytest.raises(SystemExit) as exited:
        cli.main(["build"])
    assert exited.value.code == 2
    assert "invalid choice: 'build'" in capsys.readouterr().err
