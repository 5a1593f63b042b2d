"""Plots that show Chinese: trends over years, a heatmap of codes by document, a KWIC dispersion plot.

matplotlib's default fonts have no Chinese glyphs and silently draw boxes. :func:`cjk_font`
finds an installed CJK font (Noto/Source Han Sans, WenQuanYi, SimHei, Microsoft YaHei,
PingFang …) and every plot here uses it; when none is installed a :class:`DangjianWarning`
says so and how to fix it (``apt-get install fonts-wqy-microhei`` or ``fonts-noto-cjk``).
matplotlib is an optional dependency (``pip install "dangjian-nlp[plot]"``).
"""

from __future__ import annotations

import functools
import warnings
from typing import Any

from .errors import DangjianWarning, InputError

__all__ = ["cjk_font", "plot_dispersion", "plot_heatmap", "plot_trend"]

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Micro Hei",
                "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "Heiti SC",
                "STHeiti", "Noto Serif CJK SC", "AR PL UMing CN")


def _pyplot():  # type: ignore[no-untyped-def]
    try:
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError("plots need matplotlib: pip install \"dangjian-nlp[plot]\"") from None
    return plt


@functools.lru_cache(maxsize=1)
def cjk_font() -> Any:
    """A ``FontProperties`` of an installed CJK font, or None (with a warning) when there is none."""
    _pyplot()
    from matplotlib import font_manager

    installed = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in installed:
            return font_manager.FontProperties(fname=installed[family])
    warnings.warn("no CJK font is installed, so Chinese labels would be drawn as boxes; install one "
                  "(apt-get install fonts-wqy-microhei, or fonts-noto-cjk) and restart Python",
                  DangjianWarning, stacklevel=3)
    return None


def _apply_font(ax: Any) -> None:
    font = cjk_font()
    if font is None:
        return
    for item in [ax.title, ax.xaxis.label, ax.yaxis.label, *ax.get_xticklabels(), *ax.get_yticklabels()]:
        item.set_fontproperties(font)
    legend = ax.get_legend()
    if legend is not None:
        for text in legend.get_texts():
            text.set_fontproperties(font)


def plot_trend(trend_frame: Any, *, categories: list[str] | None = None, ax: Any = None, title: str = "每万字频率"):
    """Lines of ``rate`` by ``group`` with their confidence band, one per category (from :func:`dj.trend`)."""
    plt = _pyplot()
    need = {"group", "category", "rate", "low", "high"}
    if not need <= set(trend_frame.columns):
        raise InputError(f"plot_trend needs the columns of dj.trend(): {sorted(need)}")
    if ax is None:
        _fig, ax = plt.subplots(figsize=(9, 4.5))
    for cat in categories or list(dict.fromkeys(trend_frame["category"])):
        part = trend_frame[trend_frame["category"] == cat].sort_values("group")
        ax.plot(part["group"], part["rate"], marker="o", label=str(cat))
        ax.fill_between(part["group"], part["low"], part["high"], alpha=0.15)
    ax.set_title(title)
    ax.set_xlabel("组别")
    ax.set_ylabel("频率")
    ax.legend()
    _apply_font(ax)
    return ax


def plot_heatmap(frame: Any, *, ax: Any = None, title: str = "问题分类 × 文档"):
    """A heatmap of a document × code (or category) frame, e.g. from :func:`dj.count`."""
    plt = _pyplot()
    if ax is None:
        _fig, ax = plt.subplots(figsize=(1 + 0.6 * frame.shape[1], 1 + 0.35 * frame.shape[0]))
    image = ax.imshow(frame.to_numpy(dtype=float), aspect="auto", cmap="OrRd")
    ax.set_xticks(range(frame.shape[1]), [str(c) for c in frame.columns], rotation=45, ha="right")
    ax.set_yticks(range(frame.shape[0]), [str(i) for i in frame.index])
    ax.set_title(title)
    ax.figure.colorbar(image, ax=ax)
    _apply_font(ax)
    return ax


def plot_dispersion(kwic_frame: Any, lengths: dict[Any, int], *, ax: Any = None, title: str = "词语分布"):
    """A KWIC dispersion plot: where in each document (0–1 of its length) the matches fall."""
    plt = _pyplot()
    if ax is None:
        _fig, ax = plt.subplots(figsize=(9, 0.5 + 0.4 * max(1, len(lengths))))
    docs = list(lengths)
    for y, doc in enumerate(docs):
        part = kwic_frame[kwic_frame["doc"] == doc]
        xs = [s / max(1, lengths[doc]) for s in part["start"]]
        ax.scatter(xs, [y] * len(xs), marker="|", s=200)
    ax.set_yticks(range(len(docs)), [str(d) for d in docs])
    ax.set_xlim(0, 1)
    ax.set_xlabel("在文档中的位置")
    ax.set_title(title)
    _apply_font(ax)
    return ax
