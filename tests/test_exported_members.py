import subprocess
import sys

import dangjian_nlp as dj


def test_all_is_sorted_and_resolvable():
    assert dj.__all__ == sorted(dj.__all__, key=str.casefold)
    for name in dj.__all__:
        assert getattr(dj, name) is not None, name


def test_unknown_attribute_raises_attribute_error():
    try:
        dj.no_such_thing  # noqa: B018
    except AttributeError as err:
        assert "no_such_thing" in str(err)
    else:
        raise AssertionError("expected AttributeError")


def test_import_does_no_heavy_work():
    code = (
        "import sys, dangjian_nlp; "
        "heavy = [m for m in ('jieba', 'rjieba', 'pandas', 'sklearn', 'gensim', 'numpy') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
