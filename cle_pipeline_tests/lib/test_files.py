"""`lib/files`: the default folders come from the checkout, and only from one; partial files
are each writer's own."""

import os

import pytest

from cle_pipeline.lib.files import (
    PROJECT_ROOT,
    default_data_dir,
    partial_path,
    runs_from_checkout,
)


def test_a_checkout_gives_its_data_folders():
    assert runs_from_checkout()
    assert default_data_dir("inbox", "CLE_INBOX_DIR") == PROJECT_ROOT / "data" / "inbox"


def test_an_installed_package_says_which_setting_it_needs(tmp_path):
    # An installed package sits in site-packages: no pyproject.toml two levels up.
    assert not runs_from_checkout(tmp_path)
    with pytest.raises(FileNotFoundError) as raised:
        default_data_dir("published", "CLE_OUTPUT_DIR", checkout=tmp_path)
    assert str(raised.value) == (
        "CLE_OUTPUT_DIR is not set and cle_pipeline does not run from a checkout (no "
        f"pyproject.toml in {tmp_path}): set CLE_OUTPUT_DIR to the folder to use for published"
    )


def test_two_writers_of_one_file_never_share_a_partial_file(tmp_path):
    target = tmp_path / "cache" / "abc-irve.csv"
    first, second = partial_path(target), partial_path(target)
    assert first != second
    assert first.parent == second.parent == target.parent
    assert first.name.startswith(f"abc-irve.csv.{os.getpid()}-") and first.suffix == ".part"
