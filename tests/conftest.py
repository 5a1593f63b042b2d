"""Shared fixtures. Tests import dangjian_nlp exactly as users do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def shared_available() -> bool:
    return (SHARED / "corpora" / "EVAL.txt").is_file()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not shared_available():
        pytest.skip("../shared is absent: tests on the real corpora are skipped")
    return SHARED


@pytest.fixture(scope="session")
def seed_text(shared_dir: Path) -> str:
    return (shared_dir / "seed" / "grassroots-party-building-problems.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def training_docs(shared_dir: Path) -> list[dict]:
    """The non-EVAL documents of ../shared/corpora (EVAL documents are never read)."""
    lines = (shared_dir / "corpora" / "EVAL.txt").read_text(encoding="utf-8").splitlines()
    skip = {x.strip() for x in lines if x.strip() and not x.startswith("#")}
    docs = []
    for path in sorted((shared_dir / "corpora").glob("*/*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            if rec["id"] not in skip:
                docs.append(rec)
    return docs


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Caches go to a temporary user cache dir, never the working directory."""
    monkeypatch.setenv("DANGJIAN_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
