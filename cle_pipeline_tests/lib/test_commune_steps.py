"""One step for many communes (`lib/commune_steps.py`): a run over a range of communes runs each
step once, and gives each commune what a run of its own would have given it."""

import pickle
import zipfile
from pathlib import Path

import dagster as dg

from cle_pipeline.cli import commune_ranges, communes_named_failing, split_runs
from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.partitions import COMMUNES, PartitionedPickleIOManager, PerCommune
from cle_pipeline.lib.partitions import PARTITION_RANGE_END_TAG as RANGE_END_TAG
from cle_pipeline.lib.partitions import PARTITION_RANGE_START_TAG as RANGE_START_TAG
from cle_pipeline.lib.release_asset import release_key
from cle_pipeline_tests.conftest import failure_messages, materialize_into, released

BIRTHS = Path("data/sources/insee_naissances/DS_ETAT_CIVIL_NAIS_COMMUNES_CSV_FR.zip")


def row_counts(result: dg.ExecuteInProcessResult, asset: str) -> dict[str, int]:
    """Commune → the `dagster/row_count` of its materialization of `asset` in the run."""
    return {
        event.materialization.partition: event.materialization.metadata["dagster/row_count"].value
        for event in result.get_asset_materialization_events()
        if event.materialization.asset_key == dg.AssetKey(asset)
    }


def released_files(root: Path, commune: str) -> dict[str, bytes]:
    """The CSV files released for `commune` (the record and sheet carry a time)."""
    return {path.name: path.read_bytes() for path in sorted((root / commune).glob("*.csv"))}


def test_a_run_over_two_communes_runs_each_step_once_and_gives_each_its_own_values(
    definitions, tmp_path
):
    together = materialize_into(
        definitions,
        tmp_path / "together",
        released("bornes_recharge"),
        communes=["76165", "76231"],
    )
    for commune in ("76165", "76231"):
        materialize_into(
            definitions, tmp_path / "alone", released("bornes_recharge"), commune=commune
        )

    assert together.success
    steps = [event.step_key for event in together.all_events if event.is_step_success]
    assert sorted(steps) == sorted(set(steps))
    assert "bornes_recharge" in steps and "release__bornes_recharge" in steps
    # Each commune's materialization carries its own metadata, not the range's.
    assert row_counts(together, "bornes_recharge") == {"76165": 6, "76231": 3}
    assert row_counts(together, "irve") == {"76165": 7, "76231": 3}
    evaluations = {
        (evaluation.check_name, evaluation.partition): evaluation.passed
        for evaluation in together.get_asset_check_evaluations()
        if evaluation.asset_key == dg.AssetKey("bornes_recharge")
    }
    assert evaluations == {
        (check, commune): True
        for check in (
            "schema",
            "rows_belong_to_commune",
            "coordinates_inside_commune",
            "one_row_per_point_de_charge",
            "rows_against_last_release",
        )
        for commune in ("76165", "76231")
    }
    released_in_run = {
        event.materialization.partition
        for event in together.get_asset_materialization_events()
        if event.materialization.asset_key == release_key("bornes_recharge")
    }
    assert released_in_run == {"76165", "76231"}
    for commune in ("76165", "76231"):
        files = released_files(tmp_path / "together" / "published", commune)
        assert files == released_files(tmp_path / "alone" / "published", commune)
        assert list(files) == ["bornes_recharge.changements.csv", "bornes_recharge.csv"]


def births_without(commune: str, folder: Path) -> Path:
    """The births snapshot with no row of `commune`."""
    path = folder / BIRTHS.name
    with zipfile.ZipFile(BIRTHS) as source, zipfile.ZipFile(path, "w") as target:
        for member in source.infolist():
            lines = source.read(member).decode("utf-8").splitlines(keepends=True)
            kept = [line for line in lines if f";{commune};" not in line]
            target.writestr(member, "".join(kept).encode("utf-8"))
    return path


def test_an_error_of_one_commune_fails_the_step_naming_it_and_nothing_downstream_runs(
    definitions, tmp_path
):
    births = births_without("76231", tmp_path)

    result = materialize_into(
        definitions,
        tmp_path,
        released("naissances_deces"),
        communes=["76165", "76231"],
        overrides={"insee_naissances": str(births)},
        raise_on_error=False,
    )

    assert not result.success
    message = failure_messages(result)["insee_naissances"]
    assert "1 commune(s) of this step failed (1 done)" in message
    assert (
        f"- 76231: SourceFormatError: {births}: commune 76231 has no row with GEO_OBJECT COM and "
        "EC_MEASURE LVB (live births)"
    ) in message
    found = {
        evaluation.partition: evaluation.passed
        for evaluation in result.get_asset_check_evaluations()
        if evaluation.asset_key == dg.AssetKey("insee_naissances")
    }
    assert found == {"76165": True}
    # What `make demo` reads to run 76231 alone, and 76165 again without it.
    assert communes_named_failing(result) == {"76231"}
    assert not (tmp_path / "published").exists()


def test_a_commune_that_fails_its_release_is_named_and_the_others_are_released(
    definitions, tmp_path
):
    instance = dg.DagsterInstance.ephemeral()
    both = ["76165", "76231"]
    materialize_into(
        definitions, tmp_path, released("naissances_deces"), communes=both, instance=instance
    )
    first = (tmp_path / "published" / "76231" / "naissances_deces.csv").read_bytes()
    # 76231's dataset built again without its checks: nothing checked to release.
    materialize_into(
        definitions,
        tmp_path,
        dg.AssetSelection.assets("naissances_deces").without_checks(),
        commune="76231",
        instance=instance,
    )

    result = materialize_into(
        definitions,
        tmp_path,
        dg.AssetSelection.assets(release_key("naissances_deces")),
        communes=both,
        raise_on_error=False,
        instance=instance,
    )

    assert not result.success
    message = failure_messages(result)["release__naissances_deces"]
    assert "1 commune(s) of this step failed (1 done)" in message
    assert "- 76231: UncheckedRelease: naissances_deces: the latest materialization" in message
    assert "not evaluated on it: schema, rows_belong_to_commune" in message
    # 76165 was released, and its materialization says so; 76231 keeps its last good file.
    released_in_run = [
        (event.materialization.partition, event.materialization.metadata["unchanged"].value)
        for event in result.get_asset_materialization_events()
        if event.materialization.asset_key == release_key("naissances_deces")
    ]
    assert released_in_run == [("76165", True)]
    assert (tmp_path / "published" / "76231" / "naissances_deces.csv").read_bytes() == first


def test_the_communes_asked_are_grouped_in_ranges_of_consecutive_partitions():
    registered = ["76165", "76231", "75056", "13055", "69123"]

    assert commune_ranges(["76231", "76165", "13055"], registered) == [
        ["76165", "76231"],
        ["13055"],
    ]
    assert commune_ranges(registered, registered) == [registered]
    assert commune_ranges(["69123", "76165"], registered) == [["76165"], ["69123"]]


def test_a_failed_run_runs_the_communes_it_names_alone_and_the_others_in_groups():
    runs: list[list[str]] = []

    def run(codes: list[str]) -> list[str]:
        runs.append(codes)
        return [code for code in codes if code in ("C", "F")]

    outcome = split_runs(
        run, ["A", "B", "C", "D", "E", "F", "G"], succeeded=lambda failed: not failed,
        failing=set,
    )  # fmt: skip

    assert runs == [
        ["A", "B", "C", "D", "E", "F", "G"], ["A", "B"], ["C"], ["D", "E"], ["F"], ["G"],
    ]  # fmt: skip
    assert outcome == {
        "A": [], "B": [], "C": ["C"], "D": [], "E": [], "F": ["F"], "G": [],
    }  # fmt: skip


def test_a_failure_that_names_no_commune_splits_the_run_in_halves():
    runs: list[list[str]] = []

    def run(codes: list[str]) -> bool:
        runs.append(codes)
        return "C" not in codes

    outcome = split_runs(
        run, ["A", "B", "C", "D", "E"], succeeded=lambda result: result, failing=lambda _: set()
    )

    assert runs == [["A", "B", "C", "D", "E"], ["A", "B"], ["C", "D", "E"], ["C"], ["D", "E"]]
    assert outcome == {"A": True, "B": True, "C": False, "D": True, "E": True}


# A commune's value, and whether it is acceptable: the blocking check below says it is > 0.
VALUES = {"76165": 1, "76231": 0}


@commune_asset(
    check_specs=[
        dg.AssetCheckSpec("positive", asset="tiny", blocking=True, partitions_def=COMMUNES)
    ]
)
def tiny(context):
    """A value per commune, checked."""
    value = VALUES[context.partition_key]
    return dg.MaterializeResult(
        value=value,
        metadata={"value": value},
        check_results=[dg.AssetCheckResult(check_name="positive", passed=value > 0)],
    )


@commune_asset()
def doubled(tiny: int) -> int:
    """Runs only after every commune's `tiny` passed its check."""
    return 2 * tiny


def run_tiny(communes: list[str], tmp_path: Path) -> dg.ExecuteInProcessResult:
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(COMMUNES.name, communes)  # type: ignore[arg-type]
    return dg.materialize(
        [tiny, doubled],
        instance=instance,
        resources={"io_manager": PartitionedPickleIOManager(base_dir=str(tmp_path))},
        partition_key=None if len(communes) > 1 else communes[0],
        tags={RANGE_START_TAG: communes[0], RANGE_END_TAG: communes[-1]}
        if len(communes) > 1
        else {},
        raise_on_error=False,
    )


def test_a_blocking_check_failed_by_one_commune_fails_the_step_once_all_were_evaluated(tmp_path):
    result = run_tiny(["76165", "76231"], tmp_path)

    assert not result.success
    assert failure_messages(result)["tiny"].splitlines()[:2] == [
        "cle_pipeline.lib.commune_steps.CommunesFailed: 1 commune(s) of this step failed (1 done):",
        "- 76231: blocking checks failed: positive",
    ]
    assert {
        evaluation.partition: evaluation.passed
        for evaluation in result.get_asset_check_evaluations()
    } == {"76165": True, "76231": False}
    assert [event.step_key for event in result.all_events if event.is_step_success] == []


def test_a_step_of_one_commune_runs_the_function_as_written(tmp_path):
    result = run_tiny(["76165"], tmp_path)

    assert result.success
    assert (tmp_path / "76165" / "doubled.pickle").is_file()
    assert result.output_for_node("doubled") == 2
    [materialization] = [
        event.materialization
        for event in result.get_asset_materialization_events()
        if event.materialization.asset_key == dg.AssetKey("tiny")
    ]
    assert (materialization.partition, materialization.metadata["value"].value) == ("76165", 1)


def test_the_values_of_several_communes_are_read_one_at_a_time_from_their_files(tmp_path):
    # What a step over every commune of France gets: files, each read when asked, never all.
    for code, value in (("76165", [1, 2]), ("76231", [3])):
        (tmp_path / f"{code}.pickle").write_bytes(pickle.dumps(value))
    values = PerCommune({code: tmp_path / f"{code}.pickle" for code in ("76165", "76231")})
    (tmp_path / "76231.pickle").write_bytes(pickle.dumps([4]))

    assert list(values) == ["76165", "76231"] and len(values) == 2
    assert (values["76165"], values["76231"]) == ([1, 2], [4])
    assert values.pickled("76165") == pickle.dumps([1, 2])


def test_a_step_over_two_communes_stores_each_value_under_its_commune(tmp_path, monkeypatch):
    monkeypatch.setitem(VALUES, "76231", 5)

    result = run_tiny(["76165", "76231"], tmp_path)

    assert result.success
    stored = {
        code: pickle.loads((tmp_path / code / name).read_bytes())
        for code in ("76165", "76231")
        for name in ("doubled.pickle",)
    }
    assert stored == {"76165": 2, "76231": 10}
    assert {
        event.materialization.partition: event.materialization.metadata["value"].value
        for event in result.get_asset_materialization_events()
        if event.materialization.asset_key == dg.AssetKey("tiny")
    } == {"76165": 1, "76231": 5}
