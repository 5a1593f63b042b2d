"""Word embeddings on the domain segmentation (gensim Word2Vec), for lexicon expansion.

    emb = dj.Embeddings.train(texts, vector_size=100, seed=1)
    emb.expand_lexicon(["形式主义", "层层加码"], topn=20)   # candidates for a person to review
    emb.similarity_to_taxonomy("考核只看台账，年终一锤定音")  # cosine to each taxonomy leaf
    emb.save("emb.kv"); dj.Embeddings.load("emb.kv")

Training is deterministic for a seed (one worker thread, fixed hash seed). Segmented
corpora are cached in the user cache directory, keyed by the texts and the lexicon
version, since Word2Vec trains faster than segmentation runs. Vectors are saved and
loaded with gensim's ``KeyedVectors`` native format (NumPy arrays; loaded with ``mmap``).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .errors import InputError

__all__ = ["Embeddings", "segmented_corpus"]


def _hash_seed(text: str) -> int:
    """Deterministic replacement for Python's randomised ``hash`` (gensim's ``hashfxn``)."""
    return int.from_bytes(hashlib.md5(text.encode("utf-8")).digest()[:4], "little")


def segmented_corpus(texts: Sequence[str], *, progress: bool = False) -> list[list[str]]:
    """Sentences of ``texts`` as token lists (default segmenter, stopwords and punctuation out), cached."""
    import re

    from .resources import cache_dir
    from .segment import default_segmenter
    from .structure import split_sentences

    seg = default_segmenter()
    h = hashlib.sha256(seg.lexicon_version.encode("utf-8"))
    for t in texts:
        h.update(b"\x00" + t.encode("utf-8", "surrogatepass"))
    path = cache_dir() / "segmented" / f"{h.hexdigest()[:32]}.jsonl"
    if path.is_file():
        with path.open(encoding="utf-8") as f:
            return [json.loads(line) for line in f]
    keep = re.compile(r"[\u3400-\u9fffA-Za-z]")
    sentences: list[list[str]] = []
    iterator: Iterable[str] = texts
    if progress:
        from tqdm import tqdm

        iterator = tqdm(texts, desc="segmenting", unit="doc", leave=False)
    for t in iterator:
        for s in split_sentences(t):
            words = [w for w in seg.cut(s.text, drop_stopwords=True) if keep.search(w)]
            if len(words) > 1:
                sentences.append(words)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for words in sentences:
            f.write(json.dumps(words, ensure_ascii=False) + "\n")
    os.replace(tmp, path)
    return sentences


class _EpochBar:
    """A gensim training callback that shows the epochs on a tqdm bar (stderr)."""

    def __init__(self, epochs: int) -> None:
        self.epochs = epochs
        self.bar: Any = None

    def on_train_begin(self, model: Any) -> None:
        from tqdm import tqdm

        self.bar = tqdm(total=self.epochs, desc="training Word2Vec", unit="epoch", leave=False, mininterval=0)

    def on_epoch_begin(self, model: Any) -> None:
        pass

    def on_epoch_end(self, model: Any) -> None:
        self.bar.update(1)

    def on_batch_begin(self, model: Any) -> None:
        pass

    def on_batch_end(self, model: Any) -> None:
        pass

    def on_train_end(self, model: Any) -> None:
        self.bar.close()


class Embeddings:
    """Word vectors trained on domain-segmented text (wraps gensim ``KeyedVectors``)."""

    def __init__(self, vectors: Any) -> None:
        self.vectors = vectors

    def __repr__(self) -> str:
        return f"Embeddings({len(self.vectors.index_to_key)} words, {self.vectors.vector_size} dimensions)"

    @classmethod
    def train(cls, corpus: Any, *, vector_size: int = 100, window: int = 5, min_count: int = 5, epochs: int = 5,
              sg: int = 0, seed: int = 1, progress: bool = False) -> Embeddings:
        """Train Word2Vec on texts (list, Series or a ``read_corpus`` frame) — deterministic for a seed."""
        from gensim.models import Word2Vec

        from .research import _texts

        texts, _ = _texts(corpus)
        sentences = segmented_corpus(texts, progress=progress)
        if not sentences:
            raise InputError("no sentences to train on: the corpus has no Chinese text")
        model = Word2Vec(vector_size=vector_size, window=window, min_count=min_count, epochs=epochs, sg=sg,
                         seed=seed, workers=1, hashfxn=_hash_seed)
        model.build_vocab(sentences)
        # the same two steps Word2Vec(sentences=...) takes, with a progress bar over the epochs
        model.train(sentences, total_examples=model.corpus_count, epochs=model.epochs,
                    callbacks=[_EpochBar(epochs)] if progress else ())
        return cls(model.wv)

    def save(self, path: str | os.PathLike[str]) -> Path:
        path = Path(path)
        self.vectors.save(str(path))
        return path

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Embeddings:
        from gensim.models import KeyedVectors

        path = Path(path)
        if not path.is_file():
            raise InputError(f"{path}: no such embeddings file; train and save one with Embeddings.train().save()")
        return cls(KeyedVectors.load(str(path), mmap="r"))

    def expand_lexicon(self, seeds: Sequence[str], topn: int = 20):  # -> pandas.DataFrame
        """Candidate terms near the seed terms (cosine to their mean), for a person to review.

        Seeds missing from the vocabulary are reported in ``attrs["missing"]``.
        """
        import pandas as pd

        known = [s for s in seeds if s in self.vectors.key_to_index]
        missing = [s for s in seeds if s not in self.vectors.key_to_index]
        if not known:
            raise InputError(f"none of the seeds {list(seeds)!r} is in the vocabulary; train on a larger corpus "
                             "or lower min_count")
        found = self.vectors.most_similar(positive=known, topn=topn + len(known))
        rows = [(w, float(s)) for w, s in found if w not in known][:topn]
        frame = pd.DataFrame(rows, columns=["term", "score"])
        frame.attrs["missing"] = missing
        return frame

    def sentence_vector(self, text: str) -> np.ndarray:
        from .segment import default_segmenter

        words = [w for w in default_segmenter().cut(text, drop_stopwords=True) if w in self.vectors.key_to_index]
        if not words:
            return np.zeros(self.vectors.vector_size, dtype=np.float32)
        return np.mean([self.vectors[w] for w in words], axis=0)

    def similarity_to_taxonomy(self, text: str, taxonomy: Any = None):  # -> pandas.Series
        """Cosine similarity of a sentence to each taxonomy leaf (its name, cues and expressions)."""
        import pandas as pd

        from .taxonomy import Taxonomy, load_taxonomy

        tax = taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)
        v = self.sentence_vector(text)
        out = {}
        for code in tax.leaves:
            node = tax[code]
            u = self.sentence_vector(" ".join([node.name, *node.cues, *node.expressions]))
            denom = float(np.linalg.norm(u) * np.linalg.norm(v))
            out[code] = float(u @ v / denom) if denom else 0.0
        return pd.Series(out, name="similarity").sort_values(ascending=False)
