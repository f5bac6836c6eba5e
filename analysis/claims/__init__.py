"""Claims set beside independent evidence.

`format` reads and validates a claims file; `evidence` turns each source's tidy
table into a bound (lower, upper, both, or none) on one claim, with the reason;
`verdict` combines the bounds and decides; `ledger` runs the whole file and writes
the ledger. The method is documented in docs/methods.md.
"""
