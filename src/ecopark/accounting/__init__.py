"""Energy and carbon accounting, computation on values: coefficient sets as cited data, 综合能耗
and CO2 by carrier, inventories, and the roll-up of an enterprise roster into park items. Files
are read in `ecopark.io` (the roster) or as this package's own data files (coefficients,
methods, rules); what the core needs from here is registered with it (`providers`).

    coefficients.py   carriers, coefficient sets and methods: the data files' schemas, Library
    library.py        loading the coefficient library, with its named checks
    factors.py        a method and the park's settings resolved into per-carrier factors
    energy.py         综合能耗 (tce) and renewable energy, by carrier (GB/T 2589)
    carbon.py         CO2: direct (combustion, process) and indirect (electricity, heat)
    steam.py          steam heat from pressure and temperature (IAPWS-IF97)
    breakdown.py      one use of energy carrier by carrier; a roster's totals by year
    roster.py         the enterprise roster: its columns and records
    creditcode.py     统一社会信用代码 check character (GB 32100-2015)
    duplicates.py     the same enterprise twice in a year: found, settled or refused
    coverage.py       how many enterprises a rolled-up value covers
    aggregate.py      a roster summed by the roll-up rules, with the contributions
    rollup.py         the roll-up: park items (a dataset) from a roster
    rollup_rules.py   the roll-up rule files: models, conditions, named checks, `include`
    rollup_inventory.py  roll-up of carrier columns into inventory lines (zero-carbon park)
    roster_quality.py the enterprise-level data-quality rules over a roster
    inventory_method.py  the inventory-method file and the calculation-module interface
    inventory.py      inventory methods: loading, named checks, modules, as providers
    inventory_factors.py  the factors an inventory method takes from the library
    zerocarbon.py     the 2025 zero-carbon park inventory (发改环资〔2025〕910号 附件4)
    providers.py      what accounting registers with the core when ecopark is imported
"""
