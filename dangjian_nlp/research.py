"""Corpus tools for notebooks: dictionary counts, keyword in context, and a ``Series.dj`` accessor.

Everything takes texts (a list, a Series or a DataFrame column) and returns pandas objects;
offsets always index the original texts.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from .errors import InputError
from .lexicon import Lexicon, load_lexicon

__all__ = ["count", "keyness", "kwic", "register_accessor", "trend"]


def _texts(texts: Any) -> tuple[list[str], list[Any]]:
    import pandas as pd

    if isinstance(texts, str):
        raise InputError("Iterable of texts expected, str received; wrap one text in a list")
    if isinstance(texts, pd.Series):
        return ["" if not isinstance(t, str) else t for t in texts], list(texts.index)
    if isinstance(texts, pd.DataFrame):
        if "text" not in texts.columns:
            raise InputError(f"the DataFrame needs a 'text' column (columns: {list(texts.columns)})")
        ids = list(texts["id"]) if "id" in texts.columns else list(texts.index)
        return ["" if not isinstance(t, str) else t for t in texts["text"]], ids
    items = list(texts)
    for t in items:
        if not isinstance(t, str):
            raise InputError(f"texts must be str, got {type(t).__name__}")
    return items, list(range(len(items)))


def _lexicon(lexicon: Any) -> Lexicon:
    if isinstance(lexicon, Lexicon):
        return lexicon
    if isinstance(lexicon, dict):  # {"category": ["term", ...]}
        return Lexicon.from_mapping(lexicon, name="dict", source="dict")
    if isinstance(lexicon, (str, os.PathLike)):
        return load_lexicon(lexicon)
    raise InputError("lexicon must be a bundled name, a file path, a Lexicon or a dict {category: [terms]}")


def count(texts: Any, lexicon: Any = "core", *, by: Sequence[Any] | None = None, per: int | None = None):  # -> DataFrame
    """Dictionary category counts per document (or per group) as a document × category frame.

    Terms are matched on characters (leftmost-longest, width, quotes and Traditional
    folded), so multiword entries and terms with punctuation count too.

    Parameters
    ----------
    texts : list of str, Series or DataFrame (``text`` column)
    lexicon : bundled name, path, :class:`~dangjian_nlp.lexicon.Lexicon` or ``{category: [terms]}``
    by : sequence or str, optional
        A group label per text (e.g. years), or the name of a column of a DataFrame input;
        rows are then groups, summed.
    per : int, optional
        Normalise to counts per ``per`` characters (e.g. ``10_000``).

    Returns
    -------
    pandas.DataFrame
        One column per category; ``attrs["lexicon"]`` records the lexicon name and version.

    Examples
    --------
    >>> count(["坚持全面从严治党，反对形式主义。", "反对形式主义、官僚主义"],
    ...       {"作风": ["形式主义", "官僚主义"], "治党": ["全面从严治党"]}).to_dict("list")
    {'作风': [1, 2], '治党': [1, 0]}
    """
    import ahocorasick_rs
    import pandas as pd

    from ._dask import is_dask
    from ._normalize import fold

    lex = _lexicon(lexicon)
    if is_dask(texts):
        from ._dask import count_collection

        return count_collection(texts, lex, by=by, per=per)
    register_accessor()
    if isinstance(by, str):
        if not isinstance(texts, pd.DataFrame) or by not in texts.columns:
            raise InputError(f"by={by!r} names a column, but the input is not a DataFrame with that column")
        by = texts[by].tolist()
    items, ids = _texts(texts)
    def cats(t: str) -> list[str]:  # a term of several categories ("a|b") counts in each
        return (lex.categories.get(t) or "term").split("|")

    categories = sorted({c for t in lex.terms for c in cats(t)})
    col = {c: j for j, c in enumerate(categories)}
    keys: dict[str, list[int]] = {}
    for t in lex.terms:
        keys.setdefault(fold(t), [col[c] for c in cats(t)])
    key_list = sorted(keys)
    targets = [keys[k] for k in key_list]
    automaton = ahocorasick_rs.AhoCorasick(key_list, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    out = np.zeros((len(items), len(categories)), dtype=np.int64)
    for i, t in enumerate(items):
        for idx, _a, _b in automaton.find_matches_as_indexes(fold(t)):
            out[i, targets[idx]] += 1
    frame = pd.DataFrame(out, index=ids, columns=categories)
    lengths = pd.Series([len(t) for t in items], index=ids, dtype=float)
    if by is not None:
        if len(by) != len(items):
            raise InputError(f"`by` has {len(by)} labels for {len(items)} texts")
        frame = frame.groupby(list(by)).sum()
        lengths = lengths.groupby(list(by)).sum()
    if per:
        frame = frame.div(lengths.replace(0, np.nan), axis=0).mul(per).fillna(0.0)
    frame.attrs["lexicon"] = f"{lex.name}@{lex.version}"
    return frame


def kwic(texts: Any, pattern: Any, *, window: int = 15, regex: bool = False):  # -> DataFrame
    """Keyword in context, on characters, with the offsets of every match.

    Parameters
    ----------
    texts : list of str, Series or DataFrame (``text`` column)
    pattern : str, list of str, a :class:`~dangjian_nlp.PatternMatcher`, or ``"formalism"``
        A term, several terms (multiword entries welcome), a matcher, or ``"formalism"`` for
        the default formalism matcher (then ``match`` is the expression and ``pattern`` its id).
    window : int
        Characters of context on each side.
    regex : bool
        Treat a str pattern as a regular expression (matched on the text as it is; plain
        terms match on the folded text like :func:`count`: full-width, quotes, Traditional).

    Returns
    -------
    pandas.DataFrame
        ``doc, start, end, left, match, right`` (plus ``pattern`` for matcher results);
        ``text[start:end] == match``.

    Examples
    --------
    >>> kwic(["有的单位重留痕轻实效，搞形式主义。"], "形式主义", window=4)[["left", "match", "right"]].values.tolist()
    [['实效，搞', '形式主义', '。']]
    """
    import pandas as pd

    from .patterns import PatternMatcher, default_matcher

    register_accessor()
    items, ids = _texts(texts)
    rows = []
    if isinstance(pattern, PatternMatcher) or pattern == "formalism":
        matcher = pattern if isinstance(pattern, PatternMatcher) else default_matcher()
        for doc, t, flags in zip(ids, items, matcher.find_many(items)):
            for f in flags:
                rows.append((doc, f.start, f.end, t[max(0, f.start - window):f.start], f.text,
                             t[f.end:f.end + window], f.pattern))
        columns = ["doc", "start", "end", "left", "match", "right", "pattern"]
    else:
        terms = [pattern] if isinstance(pattern, str) else list(pattern)
        if not terms or not all(isinstance(p, str) and p for p in terms):
            raise InputError("pattern must be a non-empty string, a list of them, a PatternMatcher or 'formalism'")
        from ._normalize import fold

        # terms match as dj.count counts them: on folded text (width, quotes, Traditional), which
        # keeps every offset, so ``match`` is the original text there (黨費 for 党费)
        if regex:  # expressions match the text as it is
            rx = re.compile(terms[0] if len(terms) == 1 else
                            "|".join(sorted({re.escape(p) for p in terms}, key=len, reverse=True)))
        else:
            rx = re.compile("|".join(sorted({re.escape(fold(p)) for p in terms}, key=len, reverse=True)))
        for doc, t in zip(ids, items):
            for m in rx.finditer(t if regex else fold(t)):
                if m.end() > m.start():
                    rows.append((doc, m.start(), m.end(), t[max(0, m.start() - window):m.start()],
                                 t[m.start():m.end()], t[m.end():m.end() + window]))
        columns = ["doc", "start", "end", "left", "match", "right"]
    return pd.DataFrame(rows, columns=columns)


def register_accessor() -> None:
    """Register ``Series.dj`` with pandas (done on import when pandas is already loaded)."""
    import pandas as pd

    if "dj" in getattr(pd.Series, "_accessors", set()):
        return

    @pd.api.extensions.register_series_accessor("dj")
    class DangjianAccessor:  # noqa: F841 - registered with pandas
        """``series.dj``: segmentation, tagging, formalism flags and counts of a text column."""

        def __init__(self, series: pd.Series) -> None:
            self._s = series

        def cut(self, *, drop_stopwords: bool = False) -> pd.Series:
            from .segment import cut

            return self._s.map(lambda t: cut(t, drop_stopwords=drop_stopwords) if isinstance(t, str) else [])

        def tag(self, **kwargs: Any) -> pd.DataFrame:
            from .api import tag

            frame = tag(pd.DataFrame({"id": self._s.index, "text": self._s.values}), **kwargs)
            return frame.set_index("id")

        def flags(self) -> pd.Series:
            from .patterns import default_matcher

            texts, _ = _texts(self._s)
            return pd.Series(default_matcher().find_many(texts), index=self._s.index)

        def count(self, lexicon: Any = "core", **kwargs: Any) -> pd.DataFrame:
            return count(self._s, lexicon, **kwargs)

        def kwic(self, pattern: Any, **kwargs: Any) -> pd.DataFrame:
            return kwic(self._s, pattern, **kwargs)



def trend(texts: Any, lexicon: Any = "core", *, by: Sequence[Any], per: int = 10_000, confidence: float = 0.95):
    """Rate of each category by group (e.g. year) with exact Poisson confidence intervals.

    Returns a long DataFrame ``group, category, count, chars, rate, low, high`` where
    ``rate`` is per ``per`` characters and ``[low, high]`` its ``confidence`` interval.

    >>> t = trend(["形式主义。", "反对形式主义、形式主义。"], {"作风": ["形式主义"]}, by=[2012, 2014])
    >>> t[["group", "count"]].values.tolist()
    [[2012, 1], [2014, 2]]
    """
    import pandas as pd
    from scipy.stats import chi2

    items, _ = _texts(texts)
    counts = count(items, lexicon, by=by)
    chars = pd.Series([len(t) for t in items]).groupby(list(by)).sum()
    alpha = 1 - confidence
    rows = []
    for group in counts.index:
        n_chars = float(chars.loc[group])
        for cat in counts.columns:
            k = int(counts.loc[group, cat])
            low = chi2.ppf(alpha / 2, 2 * k) / 2 if k > 0 else 0.0
            high = chi2.ppf(1 - alpha / 2, 2 * (k + 1)) / 2
            scale = per / n_chars if n_chars else float("nan")
            rows.append({"group": group, "category": cat, "count": k, "chars": int(n_chars), "rate": k * scale,
                         "low": low * scale, "high": high * scale})
    frame = pd.DataFrame(rows, columns=["group", "category", "count", "chars", "rate", "low", "high"])
    frame.attrs["lexicon"] = counts.attrs.get("lexicon")
    return frame


def keyness(texts_a: Any, texts_b: Any, *, top: int = 50, min_count: int = 3):
    """Terms most characteristic of group A against group B (Dunning's log-likelihood G²).

    Words come from the domain segmentation (stopwords, punctuation and digits dropped).
    Returns ``term, count_a, count_b, per10k_a, per10k_b, log_likelihood, log_ratio`` sorted
    by ``log_likelihood`` among terms relatively more frequent in A.
    """
    import math
    from collections import Counter

    import pandas as pd

    from .segment import default_segmenter

    seg = default_segmenter()

    def tally(texts: Any) -> tuple[Counter[str], int]:
        items, _ = _texts(texts)
        c: Counter[str] = Counter()
        for t in items:
            c.update(w for w in seg.cut(t, drop_stopwords=True) if re.search(r"[\u3400-\u9fff]", w))
        return c, sum(c.values())

    ca, na = tally(texts_a)
    cb, nb = tally(texts_b)
    if not na or not nb:
        raise InputError("both groups need some Chinese text")
    rows = []
    for term in set(ca) | set(cb):
        a, b = ca[term], cb[term]
        if a + b < min_count:
            continue
        ea = na * (a + b) / (na + nb)
        eb = nb * (a + b) / (na + nb)
        g2 = 2 * ((a * math.log(a / ea) if a else 0.0) + (b * math.log(b / eb) if b else 0.0))
        ratio = math.log2(((a + 0.5) / na) / ((b + 0.5) / nb))
        if ratio > 0:
            rows.append({"term": term, "count_a": a, "count_b": b, "per10k_a": a / na * 10_000,
                         "per10k_b": b / nb * 10_000, "log_likelihood": g2, "log_ratio": ratio})
    frame = pd.DataFrame(rows, columns=["term", "count_a", "count_b", "per10k_a", "per10k_b", "log_likelihood",
                                        "log_ratio"])
    return frame.sort_values(["log_likelihood", "term"], ascending=[False, True]).head(top).reset_index(drop=True)
