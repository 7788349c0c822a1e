"""The serving bundle: a registered model version exported once, so that the service starts
without MLflow and, when the compiled engines serve, without scikit-learn.

Like a container image built at release time, the bundle is what gets deployed; unlike an
image, it is checked at every start against the registry's state (the pointer below). The
engines it can hold are chosen once, when the service loads it (`serve.state`): the compiled
trees when `serve.compiled` is installed and reproduces the pipeline, else the pipeline itself.

    <serving_dir>/<name>/<version>/
        manifest.json     the version (name, version, run), its decision threshold, its test metrics,
                          when it was trained, the canary its run recorded, the compiled model's codes
        forest.tl         the trees, as Treelite's checkpoint (absent when the pipeline did not compile)
        forest.so         the same trees as machine code (absent without a C compiler)
        pipeline.skops    the pipeline itself, served when no compiled form passes its canary
    <serving_dir>/pointers/<uri>.json    the version a model URI resolved to, and the registry's state then

A pointer is fresh while the registry is unchanged since the export (the sqlite store's size and
modification time). A missing or stale pointer, or a store that is not a local sqlite file,
sends the service through `export` again: an alias moved since is always followed.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adclick.atomic import atomic_folder, write_json
from adclick.config import Settings
from adclick.errors import AdclickError, ModelNotFoundError
from adclick.model.threshold import Threshold
from adclick.tracking.registry import SKOPS_TRUSTED_TYPES, ModelRef, RegisteredVersion, load_version

try:  # an optional accelerator: a team that deletes serve/compiled/ serves the pipeline
    from adclick.serve.compiled import machine_code, trees
except ImportError:
    machine_code = trees = None  # type: ignore[assignment]

MANIFEST = "manifest.json"
PIPELINE_FILE = "pipeline.skops"
BUNDLE_FORMAT = 3  # 3: the version's decision threshold; an older bundle is written again
# An export that has not finished by then is stuck: the child is stopped, and a reload answers
# 503 while the previous model still serves.
EXPORT_TIMEOUT_SECONDS = 900.0


@dataclass(frozen=True)
class Bundle:
    """An exported model version, as read back by the service."""

    folder: Path
    ref: ModelRef
    threshold: Threshold  # the version decides at this threshold
    training_metrics: dict[str, float]
    trained_at: float  # when the training run started, seconds since the epoch (staleness)
    canary: dict[str, Any] | None
    compiled: Any  # serve.compiled.trees.CompiledModel, or None: the pipeline serves
    not_native_because: str | None = None  # why the trees do not run as machine code here

    def compiled_forms(self) -> list[Any]:
        """The compiled model, fastest first: its trees as machine code, then walked by Treelite."""
        if self.compiled is None:
            return []
        return [self.compiled, self.compiled.interpreted()] if self.compiled.native else [self.compiled]

    def pipeline(self) -> Any:
        """The pipeline itself (this imports scikit-learn: only when the compiled form cannot serve)."""
        import skops.io

        return skops.io.load(self.folder / PIPELINE_FILE, trusted=SKOPS_TRUSTED_TYPES)


def store_state(settings: Settings) -> list[int] | None:
    """The local sqlite store's size and modification time, or None for any other store."""
    uri = settings.tracking_uri
    if not uri.startswith("sqlite:///"):
        return None
    stat = Path(uri.removeprefix("sqlite:///")).stat()
    return [stat.st_size, stat.st_mtime_ns]


def _pointer(settings: Settings, uri: str) -> Path:
    return settings.serving_dir / "pointers" / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', uri)}.json"


def _version_folder(settings: Settings, ref: ModelRef) -> Path:
    return settings.serving_dir / ref.name / ref.version


def fresh(settings: Settings, uri: str) -> Path | None:
    """The bundle `uri` was last exported to, if the registry has not changed since; else None."""
    recorded, state = _read_json(_pointer(settings, uri)), store_state(settings)
    if recorded is None or state is None or recorded.get("store") != state:
        return None
    folder = Path(recorded["folder"])
    return folder if _in_format(_read_json(folder / MANIFEST)) else None


def export(settings: Settings, uri: str) -> Path:
    """Resolve `uri` in the registry, write its version's bundle unless it exists, point `uri`
    at it, and return its folder."""
    state = store_state(settings)  # read before resolving: a later change leaves the pointer stale
    version = load_version(settings, uri)
    folder = _version_folder(settings, version.ref)
    manifest = _read_json(folder / MANIFEST)
    if not (_in_format(manifest) and manifest["run_id"] == version.ref.run_id):
        _write(version, folder)
    write_json(_pointer(settings, uri), {"uri": uri, "folder": str(folder.resolve()), "store": state})
    return folder


def export_in_child(settings: Settings, uri: str) -> Path:
    """`export` in a child process (`python -m adclick.serve.bundle URI`, the settings on its
    standard input): MLflow and scikit-learn never enter the service's memory, and a stuck
    export (a locked store, a full disk) is stopped after `EXPORT_TIMEOUT_SECONDS`."""
    command = [sys.executable, "-m", "adclick.serve.bundle", uri]
    given = json.dumps({**settings.model_dump(mode="json"), "root": str(settings.root)})  # root: not dumped
    try:
        done = subprocess.run(command, input=given, capture_output=True, text=True, timeout=EXPORT_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        stopped = f"exporting {uri} did not finish within {EXPORT_TIMEOUT_SECONDS:.0f} s and was stopped"
        raise ModelNotFoundError(stopped) from None
    if done.returncode != 0:
        said = (done.stderr.strip() or done.stdout.strip() or f"exit code {done.returncode}").splitlines()
        raise ModelNotFoundError(f"exporting {uri}: {said[-1]}")
    return Path(done.stdout.strip().splitlines()[-1])


def _read_json(path: Path) -> Any:
    """The JSON in `path`, or None when it is missing or unreadable (the bundle is then written again)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _in_format(manifest: Any) -> bool:
    """Whether `manifest` is one this code writes (a bundle in an older format is exported again)."""
    return isinstance(manifest, dict) and manifest.get("format") == BUNDLE_FORMAT


def _write(version: RegisteredVersion, folder: Path) -> None:
    """Write a version's bundle beside `folder`, then move it into place in one rename."""
    import skops.io

    model, ref = version.pipeline(), version.ref
    with atomic_folder(folder) as staging:
        compiled, why_not = _compile(model)
        described = None if compiled is None else compiled.save(staging)
        if compiled is None:
            not_built_because = why_not
        else:
            not_built_because = machine_code.build(staging / trees.FOREST_FILE, staging / machine_code.NATIVE_FILE)
        skops.io.dump(model, staging / PIPELINE_FILE)
        manifest = {
            "format": BUNDLE_FORMAT,
            "name": ref.name,
            "version": ref.version,
            "run_id": ref.run_id,
            "decision_threshold": {"value": version.threshold.value, "how": version.threshold.how},
            "training_metrics": version.test_metrics,
            "trained_at": version.trained_at,
            "canary": version.canary,
            "compiled": described,
            "not_compiled_because": None if compiled is not None else why_not,
            "native_not_built_because": not_built_because,
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def _compile(model: Any) -> tuple[Any, str | None]:
    """The pipeline compiled, or None and why: the pipeline then serves as it is."""
    if trees is None:
        return None, "the compiled engines (serve/compiled/) are not installed"
    try:
        return trees.compile_pipeline(model), "not a pipeline serve.compiled.trees knows how to reproduce"
    except Exception as exc:  # a model that does not compile is served as it is, and says why
        return None, f"compiling failed: {exc}"


def read(folder: Path, uri: str) -> Bundle:
    """The bundle in `folder`, as the model `uri` names (no MLflow, no scikit-learn)."""
    manifest = _read_json(folder / MANIFEST)
    if not _in_format(manifest):
        raise ModelNotFoundError(f"{folder / MANIFEST}: missing or not a bundle of this version: run `adclick export`")
    ref = ModelRef(manifest["name"], manifest["version"], manifest["run_id"], uri)
    described = manifest["compiled"]
    compiled = None if described is None or trees is None else trees.CompiledModel.load(folder, described)
    not_native = manifest["native_not_built_because"] or (compiled and compiled.native_problem)
    metrics, trained_at, canary = manifest["training_metrics"], manifest["trained_at"], manifest["canary"]
    threshold = Threshold(**manifest["decision_threshold"])
    return Bundle(folder, ref, threshold, metrics, trained_at, canary, compiled, not_native)


def _export_from_parent() -> int:
    """The child of `export_in_child`: the settings on stdin, the folder on stdout, or one line
    on stderr saying why not."""
    try:
        print(export(Settings.model_validate_json(sys.stdin.read()), sys.argv[1]))
    except AdclickError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(_export_from_parent())
