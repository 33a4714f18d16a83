"""The commune is a partition: a run for one commune never reads or writes another's values.

What was seen when tried (issue 8): `CLE_COMMUNE=76231 make demo`, then *Materialize* on
`bornes_recharge` for the default 76165 wrote Elbeuf's three charging points into
`data/published/76165/bornes_recharge.csv`, its sheet titled "— Elbeuf", every check green.
"""

import json
from pathlib import Path

import dagster as dg
import pandas as pd

from cle_pipeline_tests.conftest import check_outcomes, failure_messages, materialize_into

NAISSANCES_DECES_AND_UPSTREAM = [
    "cog_communes", "commune", "commune_contours", "insee_deces", "insee_naissances",
    "naissances_deces",
]  # fmt: skip


def published(tmp_path, commune: str, name: str) -> pd.DataFrame:
    return pd.read_csv(tmp_path / "published" / commune / name, dtype=str, keep_default_na=False)


def test_materializing_one_partition_alone_reads_only_that_communes_values(definitions, tmp_path):
    instance = dg.DagsterInstance.ephemeral()
    upstream = dg.AssetSelection.assets("bornes_recharge").upstream()
    materialize_into(definitions, tmp_path, upstream, commune="76165", instance=instance)
    materialize_into(definitions, tmp_path, upstream, commune="76231", instance=instance)

    alone = materialize_into(
        definitions,
        tmp_path,
        dg.AssetSelection.assets("bornes_recharge"),
        commune="76165",
        instance=instance,
    )

    assert alone.success
    assert check_outcomes(alone) == {
        "bornes_recharge:schema": True,
        "bornes_recharge:rows_belong_to_commune": True,
        "bornes_recharge:coordinates_inside_commune": True,
        "bornes_recharge:one_row_per_point_de_charge": True,
        "bornes_recharge:rows_against_last_release": True,
    }
    caudebec = published(tmp_path, "76165", "bornes_recharge.csv")
    elbeuf = published(tmp_path, "76231", "bornes_recharge.csv")
    assert (len(caudebec), len(elbeuf)) == (6, 3)
    assert set(caudebec["code_insee_commune"]) == {"76165"}
    assert set(elbeuf["code_insee_commune"]) == {"76231"}
    sheet = (tmp_path / "published" / "76165" / "bornes_recharge.md").read_text()
    assert "Caudebec-lès-Elbeuf" in sheet and "Elbeuf (76231)" not in sheet
    record = json.loads((tmp_path / "published" / "76165" / "bornes_recharge.json").read_text())
    assert (record["commune_code"], record["rows"]) == ("76165", 6)


def test_a_partition_whose_sources_were_never_cut_fails_and_writes_nothing(definitions, tmp_path):
    instance = dg.DagsterInstance.ephemeral()
    upstream = dg.AssetSelection.assets("bornes_recharge").upstream()
    materialize_into(definitions, tmp_path, upstream, commune="76231", instance=instance)

    alone = materialize_into(
        definitions,
        tmp_path,
        dg.AssetSelection.assets("bornes_recharge"),
        commune="76165",
        instance=instance,
        raise_on_error=False,
    )

    assert not alone.success
    message = failure_messages(alone)["bornes_recharge"]
    # The first input loaded (the commune or its IRVE cut) is missing for 76165: never 76231's.
    assert "no value stored at" in message and "/76165/" in message
    assert not (tmp_path / "published" / "76165").exists()


def test_each_commune_keeps_its_values_in_its_own_folder(definitions, tmp_path):
    instance = dg.DagsterInstance.ephemeral()
    upstream = dg.AssetSelection.assets("naissances_deces").upstream()
    for commune in ("76165", "76231"):
        materialize_into(definitions, tmp_path, upstream, commune=commune, instance=instance)
    storage = Path(instance.storage_directory())
    folders = sorted(path.relative_to(storage).as_posix() for path in storage.rglob("*.pickle"))
    expected = [
        f"{commune}/{name}.pickle"
        for commune in ("76165", "76231")
        for name in NAISSANCES_DECES_AND_UPSTREAM
    ] + [  # the national passes, for every commune (lib/national.py)
        "_national/national/insee_deces.pickle",
        "_national/national/insee_naissances.pickle",
    ]
    assert folders == sorted(expected)
