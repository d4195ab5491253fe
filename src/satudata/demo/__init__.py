"""Demo data of Kabupaten Jember, loaded through the services by `satudata demo`.

The tables are compact and deterministic: the same database every time, so screenshots,
benchmarks and manual checks can be compared across runs.
"""
