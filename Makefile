# Shortcuts; `make ci` is exactly what CI runs.
.PHONY: run test ci bench

run:
	bash scripts/run.sh

test ci:
	bash scripts/test.sh

bench:
	bash scripts/bench.sh
