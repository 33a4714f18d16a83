"""Issue 13, item 1: an empty cut must neither replace the last good file nor be published
unless a person accepts the drop (CLE_ACCEPT_DROP). Issue 11: the source itself says it found
no row of the commune (`commune_found`), a warning or an error that stops its datasets."""

import io
import zipfile

import dagster as dg

from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline.lib.release import read_release
from cle_pipeline_tests.conftest import check_outcomes

SNAPSHOTS = PROJECT_ROOT / "data" / "sources"
IRVE = SNAPSHOTS / "irve" / "consolidation-etalab-schema-irve-statique-v-2.3.1-20221101.csv"
RNA = SNAPSHOTS / "rna_waldec" / "rna_waldec_20221101.zip"
POPULATIONS = SNAPSHOTS / "insee_populations_legales" / "ensemble.zip"


def header_only_irve(tmp_path):
    header = IRVE.read_bytes().split(b"\n", 1)[0] + b"\n"
    path = tmp_path / "header_only.csv"
    path.write_bytes(header)
    return path


def rna_with_header_only_department(tmp_path):
    """The RNA zip with its department 76 member cut to its header."""
    out = io.BytesIO()
    with zipfile.ZipFile(RNA) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if "_dpt_76" in info.filename:
                content = content.split(b"\n", 1)[0] + b"\n"
            target.writestr(info, content)
    path = tmp_path / "rna_waldec_20221201.zip"
    path.write_bytes(out.getvalue())
    return path


def populations_without_the_commune(tmp_path, code="76165"):
    """The INSEE legal populations zip with the row of the commune `code` taken out of its
    communes' member."""
    out = io.BytesIO()
    with zipfile.ZipFile(POPULATIONS) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "donnees_communes.csv":
                lines = content.split(b"\n")
                content = b"\n".join(line for line in lines if f";{code};".encode() not in line)
            target.writestr(info, content)
    path = tmp_path / "ensemble.zip"
    path.write_bytes(out.getvalue())
    return path


def check_of(result, key):
    [evaluation] = [
        e for e in result.get_asset_check_evaluations() if e.asset_check_key.to_user_string() == key
    ]
    return evaluation


def materialization_of(result, asset):
    [event] = [
        e for e in result.get_asset_materialization_events() if e.asset_key == dg.AssetKey(asset)
    ]
    return event.materialization


def test_a_source_without_the_commune_warns_when_the_commune_may_have_none(materialize, tmp_path):
    result = materialize(
        "bornes_recharge", raise_on_error=False, overrides={"irve": str(header_only_irve(tmp_path))}
    )
    found = check_of(result, "irve:commune_found")
    assert (found.passed, found.severity) == (False, dg.AssetCheckSeverity.WARN)
    assert found.metadata["rows_for_commune"].value == 0
    cut = materialization_of(result, "irve")
    assert (cut.metadata["dagster/row_count"].value, cut.metadata["rows_for_commune"].value) == (
        0,
        0,
    )
    assert len(cut.metadata["dagster/column_schema"].schema.columns) == 52
    # A warning holds nothing back: the dataset is built, and its own checks judge it.
    assert materialization_of(result, "bornes_recharge").metadata["dagster/row_count"].value == 0


def test_a_required_source_without_the_commune_stops_its_dataset(materialize, tmp_path):
    materialize("elus")
    folder = tmp_path / "published" / "76165"
    good = (folder / "elus.csv").read_bytes()
    result = materialize(
        "elus",
        raise_on_error=False,
        overrides={"insee_populations_legales": str(populations_without_the_commune(tmp_path))},
    )
    assert not result.success
    found = check_of(result, "insee_populations_legales:commune_found")
    assert (found.passed, found.severity) == (False, dg.AssetCheckSeverity.ERROR)
    assert found.description.startswith("Aucune ligne pour la commune : chaque commune a une")
    # The cut is recorded (0 rows, on the graph), the dataset and its checks never run.
    cut = materialization_of(result, "insee_populations_legales")
    assert cut.metadata["dagster/row_count"].value == 0
    built = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert "elus" not in built
    assert not [e for e in result.get_asset_check_evaluations() if e.asset_key.path == ["elus"]]
    assert (folder / "elus.csv").read_bytes() == good


def test_a_header_only_irve_file_keeps_the_last_release(materialize, tmp_path):
    materialize("bornes_recharge")
    folder = tmp_path / "published" / "76165"
    good = (folder / "bornes_recharge.csv").read_bytes()
    assert read_release(folder, "bornes_recharge").rows == 6
    result = materialize(
        "bornes_recharge", raise_on_error=False, overrides={"irve": str(header_only_irve(tmp_path))}
    )
    assert not result.success
    assert check_outcomes(result)["bornes_recharge:rows_against_last_release"] is False
    [volume] = [
        e
        for e in result.get_asset_check_evaluations()
        if e.check_name == "rows_against_last_release"
    ]
    assert volume.metadata["previous_rows"].value == 6
    assert volume.metadata["rows"].value == 0
    assert (folder / "bornes_recharge.csv").read_bytes() == good
    assert read_release(folder, "bornes_recharge").rows == 6


def test_a_drop_accepted_by_name_is_released(materialize, tmp_path):
    materialize("bornes_recharge")
    result = materialize(
        "bornes_recharge",
        accept_drop="associations, bornes_recharge",
        raise_on_error=False,
        overrides={"irve": str(header_only_irve(tmp_path))},
    )
    assert check_outcomes(result)["bornes_recharge:rows_against_last_release"] is True
    release = read_release(tmp_path / "published" / "76165", "bornes_recharge")
    assert release.rows == 0
    assert release.accepted_drop == "6 lignes → 0, accepté par CLE_ACCEPT_DROP"


def test_an_rna_zip_with_a_header_only_department_keeps_the_last_release(materialize, tmp_path):
    materialize("associations")
    folder = tmp_path / "published" / "76165"
    good = read_release(folder, "associations")
    assert good.rows > 0
    result = materialize(
        "associations",
        raise_on_error=False,
        overrides={"rna_waldec": str(rna_with_header_only_department(tmp_path))},
    )
    assert check_outcomes(result)["associations:rows_against_last_release"] is False
    assert read_release(folder, "associations").sha256 == good.sha256
