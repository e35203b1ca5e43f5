"""The benchmark's history table in docs/performance.md: each full run becomes its last row."""
from tests.perf.bench import HISTORY_HEADING, Latency, Throughput, append_history, history_row


def test_the_first_run_makes_the_table_and_later_runs_go_under_it(tmp_path):
    doc = tmp_path / "performance.md"
    doc.write_text("# Performance\n\nSome text.\n")
    append_history(["2026-11-24 21:00", "abc1234", "2 cores", "0.044"], doc)
    doc.write_text(doc.read_text() + "\n## A section added later\n\nMore text.\n")
    append_history(["2026-11-25 09:00", "def5678", "2 cores", "0.1 | 0.2"], doc)
    lines = doc.read_text().splitlines()
    table = lines[lines.index(HISTORY_HEADING) + 2:]
    assert table[0].startswith("| date (UTC) | commit |") and table[1].startswith("|---|")
    assert table[2] == "| 2026-11-24 21:00 | abc1234 | 2 cores | 0.044 |"
    assert table[3] == "| 2026-11-25 09:00 | def5678 | 2 cores | 0.1 / 0.2 |", "a | in a cell would split it"
    assert table[4] == "" and "## A section added later" in lines
    assert lines[:3] == ["# Performance", "", "Some text."]


def test_a_row_holds_the_ratio_the_percentiles_and_the_speed_ups():
    p1 = [(Throughput("Yiwang", 100, 4.0), Throughput("kombu", 100, 0.2)) for _ in range(3)]  # 25/s vs 500/s
    p2 = Latency(offered=100, rate=50, seconds=2, latencies=[0.010] * 98 + [0.2, 0.3], end_to_end=[], intake=[],
                 lags=[], missing=0, errors=[])
    p4 = [(1, Throughput("Yiwang", 100, 20.0)), (2, Throughput("Yiwang", 100, 10.5)),
          (4, Throughput("Yiwang", 100, 6.0))]
    high = Latency(offered=100, rate=200, seconds=0.5, latencies=[1.5] * 100, end_to_end=[], intake=[], lags=[],
                   missing=0, errors=[])
    p5 = {"10000": {"list": 0.002, "board": 0.010}, "1000000": {"list": 0.003, "board": 0.500}}
    cells = history_row(p1, [p2, high], None, p4, p5, 181.4, None)
    assert cells[3] == "0.050 (25.0 vs 500.0)"
    assert cells[4] == "10.0 / 200.0 ms at 50/s; 1500.0 / 1500.0 ms at 200/s"
    assert cells[5] == "—" and cells[9] == "—"
    assert cells[6] == "1.90× / 3.33×"
    assert cells[7] == "board 50.0×, list 1.5×", "the sizes compared as numbers, the worst operation first"
    assert cells[8] == "181 MB"
