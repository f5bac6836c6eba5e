"""Test oracles: the per-claim evidence path the engine replaced, and plain-pandas
contributions written from the documented rules."""
