"""The keyword classifier: accuracy on the labelled sample, normalisation, fallback, determinism."""

import json
from pathlib import Path

import pytest

from services.triage.domain.accuracy import SAMPLE, evaluate, load_sample
from services.triage.domain.classifier import Classification, classify, normalise
from shared.catalog import load_catalog


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_sample_is_big_and_varied(catalog):
    rows = load_sample()
    assert len(rows) >= 150
    assert len({r["category"] for r in rows}) >= 25
    assert len({r["text"] for r in rows}) == len(rows)
    for r in rows:
        catalog.category(r["category"])  # every label is a real category


def test_accuracy_on_labelled_sample(catalog):
    report = evaluate(load_sample(), catalog)
    print(f"\ntriage classifier accuracy: {report.accuracy:.3f} ({report.correct}/{report.total})")
    for major, (ok, n) in report.by_major.items():
        print(f"  {major}: {ok}/{n}")
    assert report.accuracy >= 0.85


def test_fallback_to_other_with_zero_score(catalog):
    for text in ("", "   ", "今天天气不错", "hello world"):
        result = classify(text, catalog)
        assert result == Classification(catalog.other_category, 0.0, ())


def test_normalise_full_width_and_whitespace():
    assert normalise("ＫＴＶ　太 吵\n") == "ktv太吵"
    assert normalise("１２３４５，") == "12345,"


def test_full_width_text_classifies_like_half_width(catalog):
    a = classify("楼下ＫＴＶ半夜唱歌", catalog)
    b = classify("楼下KTV半夜唱歌", catalog)
    assert a == b and a.category == "1701"


def test_longer_keyword_wins_over_the_shorter_inside_it(catalog):
    result = classify("人民路有个污水井盖坏了", catalog)
    assert result.category == "0102"
    assert "井盖" not in result.matched  # "井盖" inside "污水井盖" does not count separately
    assert classify("人民路有个井盖坏了", catalog).category == "0107"


def test_compound_keyword(catalog):
    result = classify("自来水公司的那个井盖碎了", catalog)
    assert result.category == "0101"
    assert "自来水+井盖" in result.matched


def test_place_nouns_weigh_less_than_the_problem(catalog):
    assert classify("电线杆上张贴了寻人启事", catalog).category == "1104"
    assert classify("电线杆倾斜快倒了", catalog).category == "0110"


def test_scores_and_matches(catalog):
    result = classify("小区门口有人乱倒生活垃圾，一大堆", catalog)
    assert result.category == "1101"
    assert result.score > 0
    assert result.matched and all(isinstance(k, str) for k in result.matched)


def test_deterministic(catalog):
    rows = load_sample()
    first = [classify(r["text"], catalog) for r in rows]
    assert first == [classify(r["text"], catalog) for r in rows]


def test_accuracy_main_prints(capsys):
    from services.triage.domain import accuracy

    assert accuracy.main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("overall: ")
    assert "市容环境" in out


def test_sample_path_is_the_tests_data_file():
    assert SAMPLE == Path(__file__).resolve().parents[1] / "data" / "triage_sample.jsonl"
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        assert set(json.loads(line)) == {"text", "category"}
