"""Build ``lexicons/core/terms.tsv``, the domain lexicon, with provenance per entry.

Sources, in order of precedence (an entry keeps the first source that gave it):

1. ``lexicons/core/curated.tsv`` — party-building and governance terms written by the project;
2. the seed document — its quoted terms (“核心论”, “一岗双责” …), with and without quotes;
3. word n-grams of the non-EVAL documents of ``../shared/corpora``: 2–3 jieba tokens joining to
   4–8 Han characters, frequent (≥ 5 occurrences in ≥ 3 documents), absent from jieba's
   dictionary, not starting or ending with a function word, and free on both sides (the
   entropy of the neighbouring characters ≥ 1.5 bits, so fragments of longer words drop out);
4. THUOCL's law, finance and idiom (chengyu) lists — words of ≥ 4 characters absent from jieba's dictionary that
   occur at least twice in the non-EVAL documents.

Mined entries (3, 4) that *cross* other entries in running text — 社会主义现代化 and 现代化建设 in
社会主义现代化建设, where both cannot be one token — are pruned: each round drops every mined
entry of which at least 3 % of the occurrences cross another entry, until crossings are rare.

The documents listed in ``EVAL.txt`` are never read. Run from the repository root::

    python scripts/build_lexicon.py [--shared ../shared]

The output is deterministic for the same inputs.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
from collections import Counter, defaultdict
from pathlib import Path

import jieba

ROOT = Path(__file__).resolve().parents[1]
STOP_EDGE = set(
    "的 了 和 与 及 是 在 对 把 被 从 向 为 以 等 也 都 就 而 并 或 又 还 更 最 很 将 要 会 能 "
    "这 那 其 之 各 该 此 有 无 不 没 但 则 着 过 给 让 使 由 于 上 下 中 个 年 月 日 我们 他们 "
    "一个 一些 进一步 加强 推进 推动 坚持 深入 全面 不断 积极 切实 认真 大力 努力 着力 持续 "
    "继续 能够 这个 那个 解决 实现 达到 进行 开展 提高 提升 促进 保持 按照 根据 通过 围绕 加快 抓紧 "
    "实行 实施 调整 我国 今年 明年 去年 已经 正在 必须 需要 应当 可以".split()
)
HAN = re.compile(r"^[\u4e00-\u9fff]+$")


def eval_ids(shared: Path) -> set[str]:
    lines = (shared / "corpora" / "EVAL.txt").read_text(encoding="utf-8").splitlines()
    return {x.strip() for x in lines if x.strip() and not x.startswith("#")}


def training_documents(shared: Path) -> list[tuple[str, str, str]]:
    """(folder, doc id, text) of every non-EVAL document."""
    skip = eval_ids(shared)
    docs = []
    for path in sorted((shared / "corpora").glob("*/*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            if rec["id"] not in skip:
                docs.append((path.parent.name, rec["id"], rec["text"]))
    return docs


def mine_ngrams(docs, vocab: set[str], tok: jieba.Tokenizer) -> list[tuple[str, int, int]]:
    count: Counter[str] = Counter()
    doc_freq: defaultdict[str, set[str]] = defaultdict(set)
    left: defaultdict[str, Counter[str]] = defaultdict(Counter)
    right: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for _folder, doc_id, text in docs:
        for para in re.split(r"[^\u4e00-\u9fff]+", text):
            if len(para) < 4:
                continue
            toks = tok.lcut(para, HMM=False)
            offs = [0]
            for t in toks:
                offs.append(offs[-1] + len(t))
            for n in (2, 3):
                for i in range(len(toks) - n + 1):
                    gram = toks[i : i + n]
                    if gram[0] in STOP_EDGE or gram[-1] in STOP_EDGE:
                        continue
                    if any(len(g) == 1 for g in (gram[0], gram[-1])):
                        continue
                    word = "".join(gram)
                    if not 4 <= len(word) <= 8 or word in vocab:
                        continue
                    count[word] += 1
                    doc_freq[word].add(doc_id)
                    a, b = offs[i], offs[i + n]
                    left[word][para[a - 1] if a > 0 else "^"] += 1
                    right[word][para[b] if b < len(para) else "$"] += 1

    def entropy(c: Counter[str]) -> float:
        total = sum(c.values())
        return -sum(v / total * math.log2(v / total) for v in c.values())

    out = []
    for word, c in count.items():
        if c < 5 or len(doc_freq[word]) < 3:
            continue
        if entropy(left[word]) < 1.5 or entropy(right[word]) < 1.5:
            continue
        out.append((word, c, len(doc_freq[word])))
    out.sort(key=lambda x: (-x[1], x[0]))
    return out


def crossing_counts(terms: list[str], sentences: list[str]) -> tuple[Counter[str], Counter[str]]:
    """Occurrences of each term, and occurrences that cross (overlap without nesting) another."""
    import ahocorasick_rs

    automaton = ahocorasick_rs.AhoCorasick(terms)
    occ: Counter[str] = Counter()
    crossed: Counter[str] = Counter()
    for s in sentences:
        m = automaton.find_matches_as_indexes(s, overlapping=True)
        for i, _a, _b in m:
            occ[terms[i]] += 1
        for x, (i, a, b) in enumerate(m):
            for j, a2, b2 in m[x + 1:]:
                if a2 >= b:
                    break
                if a < a2 < b < b2:
                    crossed[terms[i]] += 1
                    crossed[terms[j]] += 1
    return occ, crossed


def prune_crossing(entries: dict[str, dict[str, str]], docs, share: float = 0.03, rounds: int = 5) -> None:  # type: ignore[no-untyped-def]
    sentences = [p for _f, _i, t in docs for p in re.split(r"[。！？；\n]", t) if len(p) >= 4]
    for _ in range(rounds):
        terms = sorted(entries)
        occ, crossed = crossing_counts(terms, sentences)
        drop = [t for t in terms if entries[t]["source"] not in ("curated", "seed")
                and crossed[t] >= max(1, share * occ[t])]
        print(f"prune: {sum(crossed.values())} crossing occurrences of {sum(occ.values())}; dropping {len(drop)}")
        if not drop:
            break
        for t in drop:
            del entries[t]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--max-ngrams", type=int, default=8000)
    args = ap.parse_args()
    shared = args.shared
    tok = jieba.Tokenizer()
    tok.initialize()
    vocab = {w for w, f in tok.FREQ.items() if f > 0}

    entries: dict[str, dict[str, str]] = {}

    def add(term: str, category: str, source: str) -> None:
        term = term.strip()
        if len(term) >= 2 and term not in entries:
            entries[term] = {"term": term, "category": category, "source": source}

    with (ROOT / "lexicons" / "core" / "curated.tsv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            add(row["term"], row["category"], "curated")

    seed = (shared / "seed" / "grassroots-party-building-problems.txt").read_text(encoding="utf-8")
    seed = re.sub(r"(?<=[\u4e00-\u9fff])\n(?=[\u4e00-\u9fff])", "", seed)
    for m in re.finditer(r"“([^“”\n]{2,10})”", seed):
        inner = m.group(1)
        if re.search(r"[，。、]", inner) and len(inner) > 8:
            continue
        add(m.group(0), "seed-term", "seed")
        add(inner, "seed-term", "seed")

    docs = training_documents(shared)
    for word, c, d in mine_ngrams(docs, vocab, tok)[: args.max_ngrams]:
        add(word, "corpus-ngram", f"corpus-ngram(count={c};docs={d})")

    joined = "\n".join(t for _f, _i, t in docs)
    for name in ("law", "caijing", "chengyu"):
        path = shared / "corpora" / "lexicons" / "thuocl" / f"THUOCL_{name}.txt"
        for line in path.read_text(encoding="utf-8").splitlines():
            word = line.split("\t")[0].strip()
            if len(word) >= 4 and HAN.match(word) and word not in vocab and joined.count(word) >= 2:
                add(word, f"thuocl-{name}", f"THUOCL_{name}")

    prune_crossing(entries, docs)

    out = ROOT / "lexicons" / "core" / "terms.tsv"
    with out.open("w", encoding="utf-8", newline="") as f:
        f.write("term\tcategory\tsource\n")
        for e in entries.values():
            f.write(f"{e['term']}\t{e['category']}\t{e['source']}\n")
    by_source = Counter(e["source"].split("(")[0] for e in entries.values())
    print(f"wrote {len(entries)} entries to {out.relative_to(ROOT)}: {dict(by_source)}")


if __name__ == "__main__":
    main()
