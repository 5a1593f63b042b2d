"""The notebooks run top to bottom and produce their figures."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
FIGURES = {"01-quickstart.ipynb": ["quickstart-heatmap.png"], "02-screening-reports.ipynb": ["screening-parts.png"],
           "04-formalism-in-government-work-reports.ipynb": ["formalism-trend.png", "formalism-dispersion.png"]}


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "commit notebooks without outputs"
    monkeypatch.setenv("DANGJIAN_REPO", str(ROOT))
    # run in a scratch folder: figures and files go there, never into the repository
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    for figure in FIGURES.get(path.name, []):
        assert (tmp_path / figure).stat().st_size > 5000, figure
