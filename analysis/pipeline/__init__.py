"""The notebook pipeline: parameter sets, content-hash cache keys, papermill runs,
parallel or Dask execution, atomic publishing. `engine.main` is the entry point
of `python -m analysis build`.

Modules: `config` (read and check config/runs.yaml), `keys` (cache keys),
`state` (what was last published, recovery after a kill), `runner` (one run in
a worker process), `engine` (lock, staleness, scheduling, progress, summary).
"""
