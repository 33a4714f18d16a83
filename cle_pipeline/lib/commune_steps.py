"""One step for many communes: how a run of several communes costs little more than a run of one.

Dagster costs about 0.2 s of CPU per step on its SQLite instance, whatever the step does: a
run per commune pays the whole graph's steps again for each commune. Every commune-level
asset is therefore declared with `commune_asset` (and every check with `for_each_commune`):

- its backfill policy is `single_run`, so a run over a range of communes (a backfill from the
  UI, `cle-pipeline demo` with a list) is one run whose every step gets every commune of the
  range (`context.partition_keys`);
- its function is still written for one commune. In a step of one commune it is called as is;
  in a step of several, it is called once per commune, with that commune's inputs and a
  context whose `partition_key` is that commune. The IO manager hands each input as a
  `PerCommune` mapping that reads a commune's value from its file when asked, and the values
  the function returns go to files as they are made: a step over every commune of France
  holds one commune's values at a time. Its metadata goes to that commune's own
  materialization (`commune_metadata`): the UI shows each commune's row
  count, not the range's;
- a check result becomes that commune's evaluation (`AssetCheckEvaluation` with its
  partition), since Dagster's `AssetCheckResult` has no partition of its own.

A commune whose function raises, or fails a blocking check, fails the step once every commune
was done, naming each failing commune and why: nothing downstream runs for the range (as
Dagster's blocking checks do for one commune), and the files a release wrote for the others
are recorded as their materializations. `cle-pipeline demo` then runs each failing commune
alone and the others again in groups, so that one commune's failure holds no other back.
"""

from __future__ import annotations

import functools
import inspect
import os
import pickle
import tempfile
import typing
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster._core.definitions.utils import NoValueSentinel
from dagster._core.execution.context.compute import current_execution_context

from cle_pipeline.lib.partitions import COMMUNES, PerCommune

SINGLE_RUN = dg.BackfillPolicy.single_run()


class CommunesFailed(Exception):
    """Some communes of a multi-commune step failed (an error, or a blocking check)."""


class CommuneContext:
    """The step's context seen by the function of one commune: `partition_key` is that
    commune, and metadata it adds goes to that commune's materialization."""

    def __init__(self, context: Any, code: str) -> None:
        self._context = context
        self._code = code

    @property
    def partition_key(self) -> str:
        """The commune the function runs for."""
        return self._code

    @property
    def partition_keys(self) -> list[str]:
        """Only that commune."""
        return [self._code]

    def add_output_metadata(self, metadata: Mapping[str, Any], **_: Any) -> None:
        """Metadata of this commune's materialization only."""
        commune_metadata(self._context, self._code, metadata)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)


def commune_metadata(context: Any, code: str, metadata: Mapping[str, Any]) -> None:
    """Metadata for the commune's own materialization of the step's asset: what
    `context.add_asset_metadata(metadata, partition_key=code)` does, without its check that
    the commune is in the step's range, which reads every dynamic partition from the instance
    at each call (a query per commune and step: the dearest part of a run over many communes,
    measured)."""
    step_context = context.op_execution_context._step_execution_context
    step_context._metadata_accumulator = (
        step_context._metadata_accumulator.with_additional_asset_metadata(
            asset_key=context.assets_def.key, metadata=metadata, partition_key=code
        )
    )


def commune_asset(**asset_arguments: Any) -> Callable[[Callable[..., Any]], dg.AssetsDefinition]:
    """`dg.asset` for a commune-level asset: partitioned by commune, one run for a range of
    communes, its function called per commune (`for_each_commune`)."""

    def decorate(body: Callable[..., Any]) -> dg.AssetsDefinition:
        arguments = dict(asset_arguments)
        metadata = {**arguments.pop("metadata", {}), **code_reference(body)}
        return dg.asset(
            partitions_def=COMMUNES, backfill_policy=SINGLE_RUN, metadata=metadata, **arguments
        )(for_each_commune(body))

    return decorate


def code_reference(body: Callable[..., Any]) -> dict[str, Any]:
    """The UI's link to the function itself, not to the wrapper (Dagster's own reference
    would name this module)."""
    # Code references are marked beta in Dagster 1.13 (as in `definitions.py`).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.BetaWarning)
        reference = dg.LocalFileCodeReference(
            file_path=os.path.abspath(inspect.getsourcefile(body) or ""),
            line_number=inspect.getsourcelines(body)[1],
        )
        return {
            "dagster/code_references": dg.CodeReferencesMetadataValue(code_references=[reference])
        }


def for_each_commune(body: Callable[..., Any]) -> Callable[..., Any]:
    """`body`, written for one commune, called once per commune of the step (see the module's
    docstring). Dagster reads the wrapper's `__signature__`: the same inputs and resources as
    `body`, their annotations resolved in `body`'s module."""
    takes_context = next(iter(inspect.signature(body).parameters), None) == "context"

    def run(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        context = args[0] if takes_context else current_execution_context.get()
        # A step of one commune (or a direct call in a test) has no range.
        ranged = context is not None and context.has_partition_key_range
        codes = list(context.partition_keys) if ranged else []
        if len(codes) <= 1:
            return body(*args, **kwargs)
        return _for_each(context, body, takes_context, codes, kwargs)

    # Dagster tells a generator from a function by the wrapper's own code: keep `body`'s kind.
    if inspect.isgeneratorfunction(body):

        @functools.wraps(body)
        def step(*args: Any, **kwargs: Any) -> Any:
            yield from run(args, kwargs)

    else:

        @functools.wraps(body)
        def step(*args: Any, **kwargs: Any) -> Any:
            return run(args, kwargs)

    step.__signature__ = wrapper_signature(body)  # type: ignore[attr-defined]
    return step


def wrapper_signature(body: Callable[..., Any]) -> inspect.Signature:
    """`body`'s signature for Dagster: the annotations of its resources and context resolved
    (Dagster finds the resources by them), none on its inputs and no return type unless it
    returns a `MaterializeResult` (no value: nothing stored), since a multi-commune step takes
    and returns one value per commune (`PerCommune`), not the types `body` has for one."""
    hints = typing.get_type_hints(body)
    signature = inspect.signature(body)
    returned = hints.get("return", inspect.Signature.empty)
    return signature.replace(
        parameters=[
            parameter.replace(annotation=kept_annotation(parameter.name, hints))
            for parameter in signature.parameters.values()
        ],
        return_annotation=returned if returned is dg.MaterializeResult else inspect.Signature.empty,
    )


def kept_annotation(name: str, hints: Mapping[str, Any]) -> Any:
    """The annotation Dagster needs: the context's, a resource's; none for an input."""
    hint = hints.get(name, inspect.Parameter.empty)
    if name == "context" or (isinstance(hint, type) and issubclass(hint, dg.ConfigurableResource)):
        return hint
    return inspect.Parameter.empty


def _for_each(
    context: Any,
    body: Callable[..., Any],
    takes_context: bool,
    codes: list[str],
    inputs: Mapping[str, Any],
) -> Iterator[Any]:
    # Each commune's value goes to a file as soon as it is made: a step over every commune
    # of France never holds them all.
    with tempfile.TemporaryDirectory(prefix="cle-communes-") as folder:
        yield from _each_commune(context, body, takes_context, codes, inputs, Path(folder))


def _each_commune(
    context: Any,
    body: Callable[..., Any],
    takes_context: bool,
    codes: list[str],
    inputs: Mapping[str, Any],
    folder: Path,
) -> Iterator[Any]:
    step = StepOfCommunes(context, folder)
    for code in codes:
        mine = {
            name: value[code] if isinstance(value, PerCommune) else value
            for name, value in inputs.items()
        }
        try:
            result = body(CommuneContext(context, code), **mine) if takes_context else body(**mine)
            step.record(code, list(_events(result)))
        # Told per commune, and raised below for the step.
        except Exception as error:
            step.errors[code] = f"{type(error).__name__}: {error}"
    step.communes = codes
    # Yielded rather than logged: Dagster drops events logged by a step that then fails.
    yield from step.evaluations
    if step.errors:
        yield from step.files_written()
        raise step.failure()
    yield from step.outputs()


class StepOfCommunes:
    """What the communes of one step returned: values, checks failed, errors."""

    def __init__(self, context: Any, folder: Path) -> None:
        self.context = context
        self.folder = folder
        self.has_value = False
        self.communes: list[str] = []
        self.assets_def: dg.AssetsDefinition = context.op_execution_context.assets_def
        self.files: dict[str, Path] = {}
        self.metadata: dict[str, Mapping[str, Any]] = {}
        self.errors: dict[str, str] = {}
        self.evaluations: list[dg.AssetCheckEvaluation] = []

    def record(self, code: str, events: list[Any]) -> None:
        """One commune's events: check results kept as its evaluations, its value kept and
        its metadata given to its own materialization."""
        failed = [
            event.check_name or ""
            for event in events
            if isinstance(event, dg.AssetCheckResult) and not self.evaluated(event, code)
        ]
        for event in events:
            if isinstance(event, dg.Output | dg.MaterializeResult):
                value = None if event.value is NoValueSentinel else event.value
                self.keep(code, value, dict(event.metadata or {}))
            elif not isinstance(event, dg.AssetCheckResult):
                self.keep(code, event, {})
        if failed:
            self.errors[code] = f"blocking checks failed: {', '.join(failed)}"
        elif self.metadata.get(code):
            commune_metadata(self.context, code, self.metadata[code])

    def keep(self, code: str, value: Any, metadata: dict[str, Any]) -> None:
        """The commune's value, pickled to a file of the step's folder."""
        self.files[code] = self.folder / f"{code}.pickle"
        self.files[code].write_bytes(pickle.dumps(value))
        self.metadata[code] = metadata
        self.has_value |= value is not None

    def outputs(self) -> Iterator[Any]:
        """The step's outputs: every commune's value, then each check's (its evaluations were
        logged per commune)."""
        if self.assets_def.keys:
            produced = dg.Output(PerCommune(self.files)) if self.has_value else None
            yield produced or dg.MaterializeResult()
        for output_name in self.assets_def.check_specs_by_output_name:
            yield dg.Output(None, output_name=output_name)

    def evaluated(self, result: dg.AssetCheckResult, code: str) -> bool:
        """Keeps `result` as the commune's evaluation; False when it is a blocking failure."""
        asset_key = result.asset_key or next(
            spec.asset_key for spec in self.assets_def.check_specs if spec.name == result.check_name
        )
        check_key = dg.AssetCheckKey(asset_key, result.check_name or "")
        spec = next(spec for spec in self.assets_def.check_specs if spec.key == check_key)
        self.evaluations.append(
            dg.AssetCheckEvaluation(
                asset_key=asset_key,
                check_name=check_key.name,
                passed=result.passed,
                metadata=result.metadata,
                severity=result.severity,
                description=result.description,
                blocking=spec.blocking,
                partition=code,
            )
        )
        warning = result.severity == dg.AssetCheckSeverity.WARN
        return result.passed or not spec.blocking or warning

    def files_written(self) -> Iterator[dg.AssetMaterialization]:
        """When some communes failed, the others of an asset that only writes files (a
        release, a chart, the site) did write theirs: their materializations say so, so that
        the UI and the publication sensor see them. A value passed to later steps is not
        stored, so an asset with one gets no materialization (its next run builds it)."""
        done = [code for code in self.files if code not in self.errors]
        if not self.assets_def.keys or self.has_value:
            return
        for code in done:
            yield dg.AssetMaterialization(
                asset_key=self.assets_def.key, partition=code, metadata=self.metadata[code]
            )

    def failure(self) -> CommunesFailed:
        """The error naming each commune that failed, and why."""
        said = "\n".join(f"- {code}: {error}" for code, error in self.errors.items())
        done = len(self.communes) - len(self.errors)
        return CommunesFailed(
            f"{len(self.errors)} commune(s) of this step failed ({done} done):\n{said}\n"
            "Nothing downstream runs for the communes of this run; `cle-pipeline demo` runs "
            "them again in smaller groups, so that the failing ones are alone."
        )


def _events(result: Any) -> Iterable[Any]:
    """What one commune's call returned or yielded, check results of a `MaterializeResult`
    included."""
    events = list(result) if inspect.isgenerator(result) else [result]
    for event in events:
        if isinstance(event, dg.MaterializeResult):
            yield from event.check_results or []
        yield event
