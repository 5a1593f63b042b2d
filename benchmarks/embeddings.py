"""Lexicon expansion: precision@20 of ``Embeddings.expand_lexicon`` on the non-EVAL corpora.

    python benchmarks/embeddings.py [--seeds 形式主义 层层加码 ...]

Trains Word2Vec (100 dimensions, 10 epochs, seed 1) on all non-EVAL documents of
../shared/corpora segmented with the domain lexicon, then for each seed term lists 20
candidates and counts those in the reference list: the texts and variants of the project's
formalism catalogue (``lexicons/formalism/expressions.jsonl``, 121 expressions); a candidate
counts when it is a catalogue expression or contains one of at least 3 characters
(形式主义问题 contains 形式主义). The baseline, in the same run, is the 20 most frequent words
that co-occur in a sentence with the seed.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from _corpus import documents, require_shared, table

DEFAULT_SEEDS = ["形式主义", "官僚主义", "层层加码", "文山会海", "走过场"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", nargs="+", default=DEFAULT_SEEDS)
    ap.add_argument("--json")
    args = ap.parse_args()
    require_shared()
    import dangjian_nlp as dj
    from dangjian_nlp.embeddings import segmented_corpus
    from dangjian_nlp.patterns import load_expressions

    reference = set()
    for e in load_expressions():
        reference |= {e.text, *e.variants}
    reference = {r.replace("“", "").replace("”", "") for r in reference}

    def relevant(term: str) -> bool:
        t = term.replace("“", "").replace("”", "")
        return t in reference or any(r in t for r in reference if len(r) >= 3)

    texts = [d["text"] for d in documents()]
    t0 = time.perf_counter()
    emb = dj.Embeddings.train(texts, vector_size=100, min_count=3, epochs=10, seed=1)
    t_train = time.perf_counter() - t0
    sentences = segmented_corpus(texts)
    rows, results = [], {}
    for seed in args.seeds:
        if seed not in emb.vectors.key_to_index:
            rows.append((seed, "not in vocabulary", "", ""))
            continue
        cand = emb.expand_lexicon([seed], topn=20)["term"].tolist()
        co: Counter[str] = Counter()
        for words in sentences:
            if seed in words:
                co.update(w for w in set(words) if w != seed)
        base = [w for w, _ in co.most_common(20)]
        p_emb = sum(map(relevant, cand)) / 20
        p_base = sum(map(relevant, base)) / 20
        results[seed] = {"embeddings": p_emb, "cooccurrence": p_base, "candidates": cand}
        rows.append((seed, f"{p_emb:.2f}", f"{p_base:.2f}", "、".join(cand[:8])))
    print(f"trained on {len(texts)} non-EVAL documents in {t_train:.0f} s; "
          f"{len(emb.vectors.index_to_key):,} words; reference: {len(reference)} catalogue forms")
    print(table(rows, ("seed", "P@20 embeddings", "P@20 co-occurrence baseline", "top candidates")))
    if results:
        mean = sum(r["embeddings"] for r in results.values()) / len(results)
        base = sum(r["cooccurrence"] for r in results.values()) / len(results)
        print(f"mean P@20: embeddings {mean:.2f}, co-occurrence baseline {base:.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
