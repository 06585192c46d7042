"""Energy and carbon accounting: coefficient sets as cited data, 综合能耗 and CO2 by carrier,
the enterprise roster, and the roll-up of enterprises into park items.

    coefficients.py   carriers, coefficient sets and methods (data files, named checks)
    energy.py         综合能耗 (tce) and renewable energy, by carrier (GB/T 2589)
    carbon.py         CO2: direct (combustion, process) and indirect (electricity, heat)
    steam.py          steam heat from pressure and temperature (IAPWS-IF97)
    roster.py         the roster reader (xlsx sheet 企业数据 or csv, columns by header)
    template.py       the roster template (sheet 企业数据)
    rollup.py         roll-up rules (data) → park items with contributions
    rollup_rules.py   the roll-up rule files: models, conditions, named checks, `include`
    rollup_inventory.py  roll-up of carrier columns into inventory lines (zero-carbon park)
    creditcode.py     统一社会信用代码 check character (GB 32100-2015)
    inventory.py      a park's carbon inventory (dataset section) and inventory-method files
    zerocarbon.py     the 2025 zero-carbon park inventory (发改环资〔2025〕910号 附件4)
"""
