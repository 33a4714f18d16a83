"""The Helm values of deploy/helm-values.yaml agree with the project they deploy.

Nothing here can start Kubernetes; what can drift silently is checked: the code location the
code server loads, the run limits of dagster.yaml, the PostgreSQL driver, and that every
folder a run writes is on the volume every pod shares.
"""

import tomllib
from pathlib import PurePosixPath

import yaml

from cle_pipeline.lib.files import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"
# The chart's default DAGSTER_HOME in every pod (value `global.dagsterHome`).
CHART_DAGSTER_HOME = PurePosixPath("/opt/dagster/dagster_home")


def helm_values() -> dict:
    return yaml.safe_load((DEPLOY / "helm-values.yaml").read_text())


def code_location() -> dict:
    [deployment] = helm_values()["dagster-user-deployments"]["deployments"]
    return deployment


def test_the_code_server_loads_the_projects_code_location_from_a_fixed_image():
    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())
    module = pyproject["tool"]["dg"]["project"]["code_location_target_module"]
    assert code_location()["codeServerArgs"] == ["-m", module]
    assert code_location()["image"]["tag"] not in ("", "latest")
    assert code_location()["includeConfigInLaunchedRuns"] == {"enabled": True}


def test_the_run_limits_are_those_of_the_instance_settings():
    instance = yaml.safe_load((PROJECT_ROOT / "dagster.yaml").read_text())["concurrency"]
    chart = helm_values()["concurrency"]
    assert chart["enabled"] is True
    assert chart["pools"] == {"defaultLimit": instance["pools"]["default_limit"]}
    assert chart["runs"]["tagConcurrencyLimits"] == instance["runs"]["tag_concurrency_limits"]


def test_the_run_pods_use_the_postgres_driver_of_the_postgres_variant():
    variant = yaml.safe_load((DEPLOY / "dagster.postgres.yaml").read_text())
    scheme = variant["storage"]["postgres"]["postgres_db"]["scheme"]
    assert helm_values()["postgresql"]["postgresqlScheme"] == scheme == "postgresql+psycopg2"


def test_every_folder_a_run_writes_is_on_the_shared_volume():
    deployment = code_location()
    [volume] = deployment["volumes"]
    assert volume["persistentVolumeClaim"] == {"claimName": "cle-data"}
    shared = [
        PurePosixPath(mount["mountPath"])
        for mount in deployment["volumeMounts"]
        if mount["name"] == volume["name"]
    ]
    folders = {
        variable["name"]: PurePosixPath(variable["value"])
        for variable in deployment["env"]
        if variable["name"].endswith("_DIR")
    }
    assert sorted(folders) == ["CLE_CACHE_DIR", "CLE_INBOX_DIR", "CLE_OUTPUT_DIR"]
    # The IO manager's values: the instance's storage folder under DAGSTER_HOME.
    folders["instance storage"] = CHART_DAGSTER_HOME / "storage"
    for name, folder in folders.items():
        assert any(folder == mount or mount in folder.parents for mount in shared), name
