"""Claims set beside independent evidence.

`format` reads and validates a claims file; the evidence engine
(`analysis.evidence`) answers every claim from every source at once; `own` marks a
claim's own monitor; `verdict` combines the independent bounds and decides;
`robustness` decides again under every counting rule; `ledger` assembles the rows;
`output` writes the folder whole; `command` is `python -m analysis claims` and
`explain` is `python -m analysis explain`; `distributed` sends chunks to Dask. The
method is documented in docs/methods.md.
"""
