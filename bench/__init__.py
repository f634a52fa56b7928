"""`make bench`: signing, per-call overhead, bulk batching and import time (see BENCHMARKS.md)."""
