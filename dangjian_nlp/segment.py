"""Word segmentation with a domain lexicon whose terms always survive.

jieba cannot keep a term such as “两个确立” or 《中国共产党章程》 as one token: its
dictionary only applies inside runs of Han characters. The :class:`Segmenter`
therefore matches lexicon terms on the characters first (one Aho-Corasick pass over a
length-preserving folded copy of the text, leftmost-longest), emits each match as one
token, and segments only the gaps between matches with the backend. Every token
indexes the caller's text: ``text[t.start:t.end] == t.text``.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ._jieba import Backend, make_backend
from .errors import InputError
from .lexicon import Lexicon, load_lexicon, stopwords
from ._normalize import fold

__all__ = ["Segmenter", "Token", "cut", "default_segmenter"]

LexiconSpec = str | os.PathLike[str] | Lexicon


@dataclass(frozen=True, slots=True)
class Token:
    """A token with its offsets in the original text; ``lexicon`` is true for lexicon terms."""

    text: str
    start: int
    end: int
    lexicon: bool = False


class Segmenter:
    """A segmenter with a private tokenizer and domain lexicons.

    Parameters
    ----------
    lexicons : sequence of str, path or Lexicon
        Bundled lexicon names (``"core"``), paths to lexicon files, or loaded
        :class:`~dangjian_nlp.lexicon.Lexicon` objects.
    backend : {"rjieba", "jieba"}
        ``"rjieba"`` (jieba-rs, the fast default) or ``"jieba"`` (the reference).
        With ``hmm=False`` both give the same tokens.
    hmm : bool
        Use jieba's HMM for unknown words (off by default: faster, and identical
        across backends).
    words : iterable of str, optional
        Extra terms, treated like lexicon terms.

    Examples
    --------
    >>> seg = Segmenter()
    >>> seg.cut("坚持“两个确立”，落实“三会一课”制度")
    ['坚持', '“两个确立”', '，', '落实', '“', '三会一课', '”', '制度']
    """

    def __init__(
        self,
        lexicons: Sequence[LexiconSpec] = ("core",),
        *,
        backend: str = "rjieba",
        hmm: bool = False,
        words: Iterable[str] | None = None,
    ) -> None:
        if isinstance(lexicons, (str, os.PathLike, Lexicon)):
            lexicons = (lexicons,)
        self.lexicons = tuple(lexicons)
        self.backend = backend
        self.hmm = hmm
        self.words = tuple(words or ())
        self._lock = threading.Lock()
        self._state: tuple[Backend, object, tuple[str, ...]] | None = None

    def __repr__(self) -> str:
        names = [x.name if isinstance(x, Lexicon) else str(x) for x in self.lexicons]
        return f"Segmenter(lexicons={names!r}, backend={self.backend!r}, hmm={self.hmm})"

    @property
    def lexicon_version(self) -> str:
        """Names and versions of the lexicons, e.g. ``"core@2026.11.28"`` (for provenance)."""
        parts = [f"{lex.name}@{lex.version}" for lex in self._loaded_lexicons()]
        if self.words:
            parts.append(f"words:{len(self.words)}")
        return "+".join(parts)

    def _loaded_lexicons(self) -> list[Lexicon]:
        return [x if isinstance(x, Lexicon) else load_lexicon(x) for x in self.lexicons]

    def _build(self) -> tuple[Backend, object, tuple[str, ...]]:
        with self._lock:
            if self._state is None:
                import ahocorasick_rs

                terms: dict[str, None] = {}
                for lex in self._loaded_lexicons():
                    terms.update(dict.fromkeys(fold(t) for t in lex.terms if len(t) > 1))
                terms.update(dict.fromkeys(fold(w) for w in self.words if len(w) > 1))
                keys = tuple(terms)
                automaton = (
                    ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
                    if keys
                    else None
                )
                self._state = (make_backend(self.backend, self.hmm), automaton, keys)
            return self._state

    def _pieces(self, text: str) -> list[tuple[int, int, bool]]:
        """Lexicon matches ``(start, end, True)`` and the gaps between them ``(…, False)``."""
        _backend, automaton, _keys = self._build()
        pieces: list[tuple[int, int, bool]] = []
        pos = 0
        if automaton is not None:
            for _idx, s, e in automaton.find_matches_as_indexes(fold(text)):  # type: ignore[attr-defined]
                if s > pos:
                    pieces.append((pos, s, False))
                pieces.append((s, e, True))
                pos = e
        if pos < len(text):
            pieces.append((pos, len(text), False))
        return pieces

    def _spans(self, text: str) -> list[tuple[int, int, bool]]:
        backend = self._build()[0]
        spans: list[tuple[int, int, bool]] = []
        for a, b, is_term in self._pieces(text):
            if is_term:
                spans.append((a, b, True))
                continue
            p = a
            for w in backend.cut(text[a:b]):
                spans.append((p, p + len(w), False))
                p += len(w)
        return spans

    def tokenize(self, text: str) -> list[Token]:
        """Tokens with offsets into ``text``.

        >>> [(t.text, t.start, t.end) for t in Segmenter().tokenize("推进全面从严治党")]
        [('推进', 0, 2), ('全面从严治党', 2, 8)]
        """
        _check_str(text)
        return [Token(text[s:e], s, e, lex) for s, e, lex in self._spans(text)]

    def cut(self, text: str, *, drop_stopwords: bool = False) -> list[str]:
        """The tokens of ``text`` as strings (jieba's ``lcut`` shape)."""
        _check_str(text)
        backend = self._build()[0]
        words: list[str] = []
        for a, b, is_term in self._pieces(text):
            if is_term:
                words.append(text[a:b])
            else:
                words.extend(backend.cut(text[a:b]))
        if drop_stopwords:
            stop = stopwords()
            words = [w for w in words if w not in stop and not w.isspace()]
        return words

    def cut_many(self, texts: Iterable[str], *, drop_stopwords: bool = False) -> list[list[str]]:
        """:meth:`cut` over an iterable of texts (a bare ``str`` is refused)."""
        if isinstance(texts, str):
            raise InputError("Iterable of texts expected, str received; wrap one text in a list")
        return [self.cut(t, drop_stopwords=drop_stopwords) for t in texts]


def _check_str(text: object) -> None:
    if not isinstance(text, str):
        raise InputError(f"text must be a str, got {type(text).__name__}")


@functools.lru_cache(maxsize=4)
def default_segmenter(backend: str = "rjieba") -> Segmenter:
    """The shared, read-only default segmenter (core lexicon), built on first use."""
    return Segmenter(("core",), backend=backend)


def cut(text: str, *, drop_stopwords: bool = False) -> list[str]:
    """Segment ``text`` with the default segmenter.

    >>> cut("落实一岗双责")
    ['落实', '一岗双责']
    """
    return default_segmenter().cut(text, drop_stopwords=drop_stopwords)
