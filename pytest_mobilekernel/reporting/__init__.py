"""What a run publishes, and how: numbers are computed in one module and only spelled out in the others.

    records.py            StageResult -> item properties -> records in the controller -> per-task outcomes
    metrics.py            every published number (CSR, FCR, fast_p, geomeans, pass@k, per device)
    formatting.py         how a number is written for people (percentages, speedups, tables)
    terminal.py           the terminal summary's tables
    results_file.py       --mk-results: the machine-readable results file
    report_dir.py         --mk-report DIR: results.json, report.md (markdown.py) and PNG plots (plots.py)
    benchmark_samples.py  device-measured samples into pytest-benchmark (--benchmark-json and friends)
    regression_gate.py    --mk-baseline: fail items that regress against a stored results file
    controller.py         the controller process: gathers the records, writes all of the above at the end
"""
