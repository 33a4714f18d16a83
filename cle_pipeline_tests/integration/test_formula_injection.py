"""Issue 13, item 5: cells a spreadsheet would execute are neutralised in the published CSV (an
apostrophe first, as OWASP recommends), listed in the release record and said in the sheet."""

import csv
import io
import json
import zipfile

from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline_tests.conftest import check_outcomes, published_csv, release_metadata

SNAPSHOTS = PROJECT_ROOT / "data" / "sources"
IRVE = SNAPSHOTS / "irve" / "consolidation-etalab-schema-irve-statique-v-2.3.1-20221101.csv"
RNA = SNAPSHOTS / "rna_waldec" / "rna_waldec_20221101.zip"
HYPERLINK = '=HYPERLINK("http://x")'
DDE = "+cmd|' /C calc'!A0"


def irve_with_station_name(tmp_path, name: str):
    rows = list(csv.DictReader(IRVE.read_text(encoding="utf-8").splitlines()))
    for row in rows:
        # Legitimate values that start like a formula: a phone number, a placeholder.
        row["telephone_operateur"] = "+33 2 35 77 12 34"
        row["observations"] = "-"
        if row["nom_station"] == "Supermarché Exemple Caudebec":
            row["nom_station"] = name
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "irve.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def rna_with_title(tmp_path, title: str):
    out = io.BytesIO()
    with zipfile.ZipFile(RNA) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if "_dpt_76" in info.filename:
                content = content.replace(
                    b";ASSOCIATION SPORTIVE CAUDEBECAISE;",
                    b";" + title.replace('"', '""').join(['"', '"']).encode("latin-1") + b";",
                )
            target.writestr(info, content)
    path = tmp_path / "rna_waldec_20221201.zip"
    path.write_bytes(out.getvalue())
    return path


def test_a_dde_payload_in_a_station_name_is_neutralised(materialize, tmp_path):
    irve = irve_with_station_name(tmp_path, DDE)
    result = materialize("bornes_recharge", overrides={"irve": str(irve)})
    assert all(check_outcomes(result).values())
    published = published_csv(tmp_path, "76165", "bornes_recharge")
    assert published["nom_station"].tolist().count("'" + DDE) == 1
    assert DDE not in published["nom_station"].tolist()
    assert set(published["telephone_operateur"]) == {"+33 2 35 77 12 34"}
    assert set(published["observations"]) == {"-"}
    folder = tmp_path / "published" / "76165"
    record = json.loads((folder / "bornes_recharge.json").read_text(encoding="utf-8"))
    [cell] = record["neutralised_cells"]
    assert (cell["column"], cell["value"]) == ("nom_station", DDE)
    assert published.loc[cell["row"] - 1, "nom_station"] == "'" + DDE
    sheet = (folder / "bornes_recharge.md").read_text(encoding="utf-8")
    assert "1 cellule commençant par" in sheet and "`nom_station`" in sheet
    assert release_metadata(result, "bornes_recharge")["neutralised_cells"].value == 1


def test_a_hyperlink_formula_in_an_association_title_is_neutralised(materialize, tmp_path):
    materialize("associations", overrides={"rna_waldec": str(rna_with_title(tmp_path, HYPERLINK))})
    titles = published_csv(tmp_path, "76165", "associations")["titre"].tolist()
    assert "'" + HYPERLINK in titles and HYPERLINK not in titles


def test_a_clean_dataset_lists_nothing(materialize, tmp_path):
    materialize("bornes_recharge")
    folder = tmp_path / "published" / "76165"
    record = json.loads((folder / "bornes_recharge.json").read_text(encoding="utf-8"))
    assert record["neutralised_cells"] == []
    assert "commençant par" not in (folder / "bornes_recharge.md").read_text(encoding="utf-8")
