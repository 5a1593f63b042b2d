"""The shipped default model: rebuilt from the repository it predicts the same."""

import json
from pathlib import Path

import numpy as np
import pytest

import dangjian_nlp as dj
from dangjian_nlp.cli import main
from dangjian_nlp.model import default_model_path

ROOT = Path(__file__).resolve().parents[1]
# The exact command that built the shipped model (also in the model card and README).
BUILD = ["train", str(ROOT / "corpora" / "annotated"), "--exclude-corpus", "ccdi_conduct_articles",
         "--unlabelled", "20000", "--real-weight", "3", "-q"]


def test_default_model_card_describes_the_model():
    card = json.loads(default_model_path().with_suffix(".card.json").read_text(encoding="utf-8"))
    model = dj.load_model()
    assert card["classes"] == model.classes_
    assert card["data"]["sentences"] >= 2000 and card["data"]["unlabelled"] > 0
    assert "ccdi_conduct_articles" in card["data"]["excluded_corpora"]
    assert card["real_weight"] == 3  # the build command of the model card and README


@pytest.mark.slow
def test_rebuilding_the_default_model_gives_the_same_predictions(shared_dir, tmp_path):
    out = tmp_path / "rebuilt.skops"
    assert main([*BUILD, "-o", str(out)]) == 0
    sentences = [r["text"] for r in map(json.loads, (ROOT / "corpora" / "annotated" / "written" / "area3.jsonl")
                                          .read_text(encoding="utf-8").splitlines())][:300]
    shipped = dj.load_model().predict_proba(sentences)
    rebuilt = dj.load_model(out).predict_proba(sentences)
    np.testing.assert_allclose(rebuilt, shipped, atol=1e-6)
