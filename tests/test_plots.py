import warnings

import pytest

import dangjian_nlp as dj

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")


def test_plot_with_chinese_labels_uses_a_cjk_font(tmp_path):
    from dangjian_nlp.plots import CJK_FAMILIES, cjk_font

    font = cjk_font()
    if font is None:
        pytest.skip("no CJK font installed (apt-get install fonts-wqy-microhei)")
    texts = ["形式主义问题。", "反对形式主义，层层加码。", "层层加码。"]
    trend = dj.trend(texts, {"作风": ["形式主义"], "减负": ["层层加码"]}, by=[2012, 2014, 2016])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph would warn "Glyph ... missing from font"
        ax = dj.plot_trend(trend)
        ax.figure.savefig(tmp_path / "trend.png")
    from matplotlib import font_manager

    used = {font_manager.findfont(t.get_fontproperties()) for t in [ax.title, *ax.get_legend().get_texts()]}
    assert used == {font.get_file()}
    assert any(f in font_manager.FontProperties(fname=font.get_file()).get_name() for f in CJK_FAMILIES)
    assert (tmp_path / "trend.png").stat().st_size > 5000


def test_heatmap_and_dispersion(tmp_path):
    counts = dj.count(["形式主义、官僚主义问题", "层层加码"], {"作风": ["形式主义", "官僚主义"], "减负": ["层层加码"]})
    ax = dj.plot_heatmap(counts)
    ax.figure.savefig(tmp_path / "heat.png")
    texts = ["形式主义在前，后面还有形式主义", "没有"]
    k = dj.kwic(texts, "形式主义")
    ax = dj.plot_dispersion(k, {i: len(t) for i, t in enumerate(texts)})
    assert len(ax.collections) == 2
    ax.figure.savefig(tmp_path / "disp.png")


def test_warns_clearly_without_a_cjk_font(monkeypatch):
    from matplotlib import font_manager

    from dangjian_nlp import plots

    plots.cjk_font.cache_clear()
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    with pytest.warns(dj.DangjianWarning, match="no CJK font"):
        assert plots.cjk_font() is None
    plots.cjk_font.cache_clear()
