"""Segmentation: speed beside bare jieba and lexicon-term integrity, in one run.

    python benchmarks/segmentation.py [--chars 1000000] [--json out.json]

Speed: characters per second of ``dj.cut`` (rjieba and jieba backends) beside bare
``jieba.lcut`` (default settings, the global tokenizer a user would call) on the same
non-EVAL text. Integrity: of all occurrences of core-lexicon terms in the sentences of
that text (every overlapping occurrence found on the characters), the share that no
token boundary cuts through — for ``dj.cut`` and, as the baseline, for bare
``jieba.lcut`` and for jieba with the same terms added as a user dictionary.
Also: import time of ``dangjian_nlp`` and time to the first ``cut`` (fresh processes).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

from _corpus import best_of, require_shared, table, text_sample


def integrity(sentences: list[str], cut, occurrences) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Intact occurrences, all and those that no other lexicon occurrence crosses.

    Two occurrences that cross (中国特色社会主义 / 社会主义现代化 in 中国特色社会主义现代化)
    cannot both be one token, so the second figure counts only occurrences that can be.
    """
    out = dict.fromkeys(("intact", "total", "intact_uncrossed", "uncrossed"), 0)
    for s, occ in zip(sentences, occurrences):
        bounds = set()
        pos = 0
        for w in cut(s):
            pos += len(w)
            bounds.add(pos)
        for a, b in occ:
            ok = not any(k in bounds for k in range(a + 1, b))
            crossed = any(a2 < a < b2 < b or a < a2 < b < b2 for a2, b2 in occ)
            out["total"] += 1
            out["intact"] += ok
            if not crossed:
                out["uncrossed"] += 1
                out["intact_uncrossed"] += ok
    return out


def fresh_process(code: str) -> float:
    times = []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return sorted(times)[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--chars", type=int, default=1_000_000)
    ap.add_argument("--json", help="also write the figures to this JSON file")
    args = ap.parse_args()
    require_shared()

    import ahocorasick_rs
    import jieba

    import dangjian_nlp as dj
    from dangjian_nlp._normalize import fold

    docs = text_sample(args.chars)
    n_chars = sum(map(len, docs))
    jieba.setLogLevel(60)  # benchmark script only: silence jieba's start-up log
    jieba.initialize()
    fast = dj.Segmenter(backend="rjieba")
    ref = dj.Segmenter(backend="jieba")
    fast.cut("预热")
    ref.cut("预热")

    runs = {
        "bare jieba.lcut (HMM on, default)": lambda: [jieba.lcut(d) for d in docs],
        "bare jieba.lcut (HMM off)": lambda: [jieba.lcut(d, HMM=False) for d in docs],
        "dj.cut backend=jieba": lambda: [ref.cut(d) for d in docs],
        "dj.cut backend=rjieba (default)": lambda: [fast.cut(d) for d in docs],
    }
    speed = {name: n_chars / best_of(fn) for name, fn in runs.items()}
    base = speed["bare jieba.lcut (HMM on, default)"]

    lex = dj.load_lexicon("core")
    terms = sorted({fold(t) for t in lex.terms if len(t) > 1})
    automaton = ahocorasick_rs.AhoCorasick(terms)
    sentences = [s.text for d in docs for s in dj.split_sentences(d)]
    user = jieba.Tokenizer()
    user.initialize()
    for t in lex.terms:
        user.add_word(t)
    cutters = {
        "dj.cut (rjieba)": fast.cut,
        "dj.cut (jieba)": ref.cut,
        "bare jieba.lcut": jieba.lcut,
        "jieba + lexicon as user dict": user.lcut,
    }
    occurrences = [[(a, b) for _i, a, b in automaton.find_matches_as_indexes(fold(s), overlapping=True)]
                   for s in sentences]
    integ = {name: integrity(sentences, fn, occurrences) for name, fn in cutters.items()}
    agree = sum(fast.cut(s) == ref.cut(s) for s in sentences) / len(sentences)

    import_time = fresh_process("import dangjian_nlp")
    first_cut = fresh_process("import dangjian_nlp as dj; dj.cut('推进全面从严治党')")

    print(f"text: {len(docs)} non-EVAL documents, {n_chars:,} characters, {len(sentences):,} sentences")
    print(table([(k, f"{v:,.0f}", f"{v / base:.2f}x") for k, v in speed.items()],
                ("segmenter", "chars/s", "vs bare jieba.lcut")))
    print()
    print(table([(k, f"{v['intact_uncrossed']:,} / {v['uncrossed']:,}",
                   f"{100 * v['intact_uncrossed'] / v['uncrossed']:.2f}%",
                   f"{v['intact']:,} / {v['total']:,}", f"{100 * v['intact'] / v['total']:.2f}%")
                  for k, v in integ.items()],
                ("lexicon-term integrity", "uncrossed occ. intact", "share", "all occ. intact", "share")))
    print()
    print(f"rjieba and jieba backends give identical tokens on {100 * agree:.2f}% of sentences")
    print(f"import dangjian_nlp: {import_time:.3f} s; import + first cut: {first_cut:.3f} s (fresh processes, median of 3)")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"chars": n_chars, "speed": speed, "integrity": integ, "backend_agreement": agree,
                       "import_s": import_time, "first_cut_s": first_cut}, f, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    main()
