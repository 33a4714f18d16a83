"""The release assets: checks write nothing, `release/<id>` writes only what passed its blocking
checks, in the same run or alone afterwards, and says what it wrote (path, sha256)."""

import dagster as dg
import pytest

from cle_pipeline.lib.fetch import checksum_of
from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline.lib.release import read_release
from cle_pipeline.lib.release_asset import release_key
from cle_pipeline_tests.conftest import check_outcomes, failure_messages, materialize_into

IRVE = (
    PROJECT_ROOT
    / "data"
    / "sources"
    / "irve"
    / "consolidation-etalab-schema-irve-statique-v-2.3.1-20221101.csv"
)
RELEASE = release_key("bornes_recharge")


def irve_with_a_point_in_paris(tmp_path):
    """The IRVE snapshot with one of Caudebec's points placed in Paris: its code says 76165,
    its coordinates do not, so `coordinates_inside_commune` fails."""
    text = IRVE.read_text(encoding="utf-8").replace("[1.0231,49.2836]", "[2.3522,48.8566]", 1)
    path = tmp_path / "irve-paris.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def releases_in(result: dg.ExecuteInProcessResult) -> list[dg.AssetKey]:
    return [
        event.materialization.asset_key
        for event in result.get_asset_materialization_events()
        if event.materialization.asset_key.path[0] == "release"
    ]


@pytest.fixture
def instance():
    with dg.instance_for_test() as instance:
        yield instance


def test_the_checks_write_nothing(definitions, tmp_path):
    selection = dg.AssetSelection.assets("bornes_recharge").upstream()
    result = materialize_into(definitions, tmp_path, selection)
    assert all(check_outcomes(result).values())
    assert not (tmp_path / "published" / "76165").exists()
    assert releases_in(result) == []


def test_the_release_records_the_sha256_of_the_file_it_wrote(materialize, tmp_path):
    result = materialize("bornes_recharge")
    [event] = [
        e
        for e in result.get_asset_materialization_events()
        if e.materialization.asset_key == RELEASE
    ]
    metadata = event.materialization.metadata
    csv = tmp_path / "published" / "76165" / "bornes_recharge.csv"
    assert metadata["published_file"].value == str(csv)
    assert metadata["sha256"].value == checksum_of(csv, "sha256")
    assert metadata["sha256"].value == read_release(csv.parent, "bornes_recharge").sha256
    assert metadata["sheet_file"].value == str(csv.with_suffix(".md"))
    assert metadata["dagster/row_count"].value == 6
    assert metadata["source_mode"].value == "snapshot"
    assert metadata["neutralised_cells"].value == 0
    assert metadata["unchanged"].value is False
    assert metadata["quality_file"].value == str(csv.parent / "bornes_recharge.qualite.md")


def test_the_same_content_released_again_is_unchanged(materialize, tmp_path, instance):
    materialize("bornes_recharge", instance=instance)
    result = materialize("bornes_recharge", instance=instance)
    [event] = [
        e
        for e in result.get_asset_materialization_events()
        if e.materialization.asset_key == RELEASE
    ]
    assert event.materialization.metadata["unchanged"].value is True


def test_a_failing_blocking_check_leaves_no_file_and_no_release(materialize, tmp_path):
    result = materialize(
        "bornes_recharge",
        raise_on_error=False,
        overrides={"irve": irve_with_a_point_in_paris(tmp_path)},
    )
    assert check_outcomes(result)["bornes_recharge:coordinates_inside_commune"] is False
    assert not result.success
    assert releases_in(result) == []
    assert not (tmp_path / "published" / "76165" / "bornes_recharge.csv").exists()
    assert list((tmp_path / "published").rglob("bornes_recharge*")) == []


def test_a_release_run_alone_after_a_failed_check_fails_and_keeps_the_last_file(
    definitions, materialize, tmp_path, instance
):
    materialize("bornes_recharge", instance=instance)
    csv = tmp_path / "published" / "76165" / "bornes_recharge.csv"
    good = csv.read_bytes()
    failed = materialize(
        "bornes_recharge",
        raise_on_error=False,
        instance=instance,
        overrides={"irve": irve_with_a_point_in_paris(tmp_path)},
    )
    assert check_outcomes(failed)["bornes_recharge:coordinates_inside_commune"] is False
    # The UI's "Materialize" on the release alone: it reads the instance, not the run.
    alone = materialize_into(
        definitions,
        tmp_path,
        dg.AssetSelection.assets(RELEASE),
        instance=instance,
        raise_on_error=False,
    )
    assert not alone.success
    message = failure_messages(alone)["release__bornes_recharge"]
    assert message.startswith(
        "cle_pipeline.lib.release_asset.UncheckedRelease: bornes_recharge: the latest "
        "materialization for commune 76165 (run "
        f"{failed.run_id}) has blocking checks failed: coordinates_inside_commune. Nothing is "
        "written;"
    )
    assert releases_in(alone) == []
    assert csv.read_bytes() == good


def test_a_release_run_alone_before_its_checks_ran_names_them(definitions, tmp_path, instance):
    materialize_into(
        definitions,
        tmp_path,
        dg.AssetSelection.assets("bornes_recharge").upstream(),
        instance=instance,
    )
    # The dataset built again, its checks not run on that materialization.
    materialize_into(
        definitions,
        tmp_path,
        dg.AssetSelection.assets("bornes_recharge").upstream()
        - dg.AssetSelection.checks_for_assets("bornes_recharge"),
        instance=instance,
    )
    alone = materialize_into(
        definitions,
        tmp_path,
        dg.AssetSelection.assets(RELEASE),
        instance=instance,
        raise_on_error=False,
    )
    message = failure_messages(alone)["release__bornes_recharge"]
    assert "has blocking checks not evaluated on it: schema, rows_belong_to_commune, " in message
    assert not (tmp_path / "published" / "76165").exists()


def test_a_release_run_alone_after_its_checks_passed_writes_the_files(
    definitions, tmp_path, instance
):
    materialize_into(
        definitions,
        tmp_path,
        dg.AssetSelection.assets("bornes_recharge").upstream(),
        instance=instance,
    )
    alone = materialize_into(
        definitions, tmp_path, dg.AssetSelection.assets(RELEASE), instance=instance
    )
    assert releases_in(alone) == [RELEASE]
    release = read_release(tmp_path / "published" / "76165", "bornes_recharge")
    assert release.rows == 6
    report = (tmp_path / "published" / "76165" / "bornes_recharge.qualite.md").read_text()
    assert "| `coordinates_inside_commune` | réussi | 0 |" in report


def test_a_drop_accepted_by_name_is_kept_in_the_release_record(materialize, tmp_path, instance):
    materialize("bornes_recharge", instance=instance)
    header = IRVE.read_bytes().split(b"\n", 1)[0] + b"\n"
    (tmp_path / "header_only.csv").write_bytes(header)
    result = materialize(
        "bornes_recharge",
        instance=instance,
        accept_drop="bornes_recharge",
        overrides={"irve": str(tmp_path / "header_only.csv")},
    )
    [event] = [
        e
        for e in result.get_asset_materialization_events()
        if e.materialization.asset_key == RELEASE
    ]
    said = "6 lignes → 0, accepté par CLE_ACCEPT_DROP"
    assert event.materialization.metadata["accepted_drop"].value == said
    assert read_release(tmp_path / "published" / "76165", "bornes_recharge").accepted_drop == said
