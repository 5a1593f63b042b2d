"""dangjian_nlp: problems and formalism in Chinese party-building and governance texts.

    >>> import dangjian_nlp as dj
    >>> dj.cut("落实“三会一课”制度")
    ['落实', '“', '三会一课', '”', '制度']

Importing the package does no heavy work: names are loaded from their modules on
first use, and the default segmenter and models are built lazily.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .__about__ import __version__

_EXPORTS = {
    "DangjianError": "errors",
    "Document": "api",
    "Embeddings": "embeddings",
    "ProblemTagger": "tagger",
    "SentenceFeaturizer": "features",
    "analyze": "api",
    "load_labelled": "datasets",
    "load_model": "model",
    "save_model": "model",
    "write_lexicon": "interchange",
    "screen": "screening",
    "screen_to_file": "screening",
    "tag": "api",
    "trend": "research",
    "DangjianWarning": "errors",
    "InputError": "errors",
    "Lexicon": "lexicon",
    "LexiconError": "errors",
    "ModelError": "errors",
    "Flag": "patterns",
    "Normalized": "_normalize",
    "PatternMatcher": "patterns",
    "Taxonomy": "taxonomy",
    "ReadError": "errors",
    "Section": "structure",
    "Segmenter": "segment",
    "Sentence": "structure",
    "Token": "segment",
    "count": "research",
    "cut": "segment",
    "keyness": "research",
    "kwic": "research",
    "list_lexicons": "lexicon",
    "load_taxonomy": "taxonomy",
    "load_lexicon": "lexicon",
    "normalize": "_normalize",
    "parse": "structure",
    "plot_dispersion": "plots",
    "plot_heatmap": "plots",
    "plot_trend": "plots",
    "read_corpus": "readers",
    "read_lexicon": "interchange",
    "read_text": "readers",
    "split_sentences": "structure",
    "stopwords": "lexicon",
}

__all__ = sorted([*_EXPORTS, "__version__"], key=str.casefold)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'dangjian_nlp' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


def _register_when_pandas_is_loaded() -> None:
    """``Series.dj`` for notebooks: registered now if pandas is loaded, else by dj calls that load it."""
    import sys

    if "pandas" in sys.modules:
        from .research import register_accessor

        register_accessor()


_register_when_pandas_is_loaded()


if TYPE_CHECKING:  # pragma: no cover
    from .api import Document, analyze, tag
    from .datasets import load_labelled
    from .embeddings import Embeddings
    from .features import SentenceFeaturizer
    from .model import load_model, save_model
    from .screening import screen, screen_to_file
    from .tagger import ProblemTagger
    from .errors import DangjianError, DangjianWarning, InputError, LexiconError, ModelError, ReadError
    from .lexicon import Lexicon, list_lexicons, load_lexicon, stopwords
    from ._normalize import Normalized, normalize
    from .patterns import Flag, PatternMatcher
    from .interchange import read_lexicon, write_lexicon
    from .plots import plot_dispersion, plot_heatmap, plot_trend
    from .readers import read_corpus, read_text
    from .research import count, keyness, kwic, trend
    from .segment import Segmenter, Token, cut
    from .structure import Section, Sentence, parse, split_sentences
    from .taxonomy import Taxonomy, load_taxonomy
